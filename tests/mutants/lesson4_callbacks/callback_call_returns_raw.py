"""Callback.__call__ returns what the method returned, not a bool ("yes", 1, [] ...)."""

CATCHES = ["Callback"]


def _call(self, event):
    f = getattr(type(self), event, None)
    return f(self) if f is not None else False


Callback.__call__ = _call  # noqa: F821
