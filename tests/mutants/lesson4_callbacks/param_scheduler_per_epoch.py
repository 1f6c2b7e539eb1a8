"""ParamScheduler uses epoch / epochs as the position: the value only changes once an epoch."""

CATCHES = ["ParamScheduler"]


class ParamScheduler(ParamScheduler):  # noqa: F821
    def begin_batch(self):
        if not self.in_train:
            return
        pos = self.epoch / self.epochs
        for pg, f in zip(self.opt.param_groups, self.funcs):
            pg[self.pname] = f(pos)
