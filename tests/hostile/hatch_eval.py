"""Hides an import of os inside eval."""

EXPECT = 0
MESSAGE = "calls eval()"

_os = eval("__imp" + "ort__('os')")
