"""The lesson folder holds matmul.py as a symbolic link to the reference solution's module:
links are never followed, so the module is missing."""

EXPECT = 0
MESSAGE = "missing:"
LAYOUT = "symlink_module"
