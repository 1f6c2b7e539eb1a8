"""Recorder creates its lists once, in __init__: a second fit appends to the first one's."""

CATCHES = ["Recorder"]


class Recorder(Recorder):  # noqa: F821
    def __init__(self):
        self.lrs, self.losses = [], []

    def begin_fit(self):
        pass
