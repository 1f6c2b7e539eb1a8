"""Runner.__call__ runs the callbacks in the order they were given, ignoring _order."""

CATCHES = ["Runner"]


class Runner(Runner):  # noqa: F821
    def __call__(self, event):
        if event not in EVENTS:  # noqa: F821
            raise ValueError(f"unknown event {event!r}")
        res = False
        for cb in self.cbs:
            res = cb(event) or res
        return res
