"""The course's Runner (notebook 05b, where __call__ combines with `or`) plus this lesson's
checks of event names; like the course's it sets in_train in __init__ and keeps `self.stop`."""

KEEPS = ["Runner"]


class Runner(Runner):  # noqa: F821
    def __init__(self, cbs=None, cb_funcs=None):
        self.in_train = False
        cbs = listify(cbs)  # noqa: F821
        for cbf in listify(cb_funcs):  # noqa: F821
            cb = cbf()
            setattr(self, cb.name, cb)
            cbs.append(cb)
        self.stop, self.cbs = False, [TrainEvalCallback()] + cbs  # noqa: F821
        for cb in self.cbs:
            check_callback(cb)  # noqa: F821

    def __call__(self, cb_name):
        if cb_name not in EVENTS:  # noqa: F821
            raise ValueError(f"unknown event {cb_name!r}")
        res = False
        for cb in sorted(self.cbs, key=lambda x: x._order):
            res = cb(cb_name) or res
        return res
