"""The Runner adds a TrainEvalCallback at every fit: a second fit has two, and every counter
moves twice per batch."""

CATCHES = ["Runner"]


class Runner(Runner):  # noqa: F821
    def __init__(self, cbs=None, cb_funcs=None):
        super().__init__(cbs, cb_funcs)
        self.cbs = self.cbs[1:]

    def fit(self, epochs, learn):
        self.cbs = [TrainEvalCallback()] + self.cbs  # noqa: F821
        super().fit(epochs, learn)
