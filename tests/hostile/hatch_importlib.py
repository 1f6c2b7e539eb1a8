"""Imports os through importlib by a computed name."""

EXPECT = 0
MESSAGE = "imports importlib"

import importlib

_os = importlib.import_module("o" + "s")
