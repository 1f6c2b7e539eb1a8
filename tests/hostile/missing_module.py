"""The lesson folder is there, the module file is not."""

EXPECT = 0
LAYOUT = "no_module"
