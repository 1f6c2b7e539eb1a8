"""Event names as free strings (the course's way): an unknown event is silently ignored and a
misspelled callback method is never called, with no error."""

CATCHES = ["Runner"]


class Runner(Runner):  # noqa: F821
    def __init__(self, cbs=None, cb_funcs=None):
        cbs = listify(cbs)  # noqa: F821
        for cbf in listify(cb_funcs):  # noqa: F821
            cb = cbf()
            setattr(self, cb.name, cb)
            cbs.append(cb)
        self.train_eval = TrainEvalCallback()  # noqa: F821
        self.stop, self.cbs = False, [self.train_eval] + cbs

    def __call__(self, event):
        res = False
        for cb in sorted(self.cbs, key=lambda c: c._order):
            res = cb(event) or res
        return res
