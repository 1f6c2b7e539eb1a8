"""Reaches the executor (the child's __main__) to rebind its batch loop so a timed batch runs
the function once: sys is not importable and __main__ not reachable; refused before import."""

EXPECT = 0
MESSAGE = "rule:"

import sys

_main = sys.modules["__main__"]
_main.Server.batch = lambda self, req: 1
