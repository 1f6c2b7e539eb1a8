"""lin without the shape check (the course's plain x @ w + b): x's columns != w's rows is torch's
RuntimeError, not the ValueError the docstring promises, and a (1,) bias broadcasts silently."""

CATCHES = ["lin"]


def lin(x, w, b):
    return x @ w + b
