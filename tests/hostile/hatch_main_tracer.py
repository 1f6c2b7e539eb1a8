"""Imports __main__ (the executor) to replace its tracer with one that records nothing."""

EXPECT = 0
MESSAGE = "imports __main__"

import __main__

__main__.tracer = lambda: None
