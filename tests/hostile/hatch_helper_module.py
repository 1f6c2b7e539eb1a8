"""Imports a module of its own that could hold anything the rules forbid: only listed modules are importable."""

EXPECT = 0
MESSAGE = "imports helper"

from helper import matmul_fast
