"""Walks the garbage collector's objects to find the probes' copies and rebind them."""

EXPECT = 0
MESSAGE = "imports gc"

import gc

_objects = gc.get_objects()
