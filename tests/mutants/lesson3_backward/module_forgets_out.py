"""Module.__call__ stores the arguments but not the output, so backward has no out to pass."""

CATCHES = ["Module"]


def _call_without_out(self, *args):
    self.args = args
    return self.forward(*args)


Module.__call__ = _call_without_out
