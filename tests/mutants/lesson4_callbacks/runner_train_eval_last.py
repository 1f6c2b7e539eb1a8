"""The Runner puts its TrainEvalCallback after the callbacks it was given: a callback with the
default _order 0 runs before it and sees last batch's n_iter and the previous pass's in_train."""

CATCHES = ["Runner"]


class Runner(Runner):  # noqa: F821
    def __init__(self, cbs=None, cb_funcs=None):
        super().__init__(cbs, cb_funcs)
        self.cbs = self.cbs[1:] + self.cbs[:1]
