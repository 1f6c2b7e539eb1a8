"""ParamScheduler replaces sched_funcs by a list made for the first optimizer (the course's
begin_fit): a second fit with another number of parameter groups no longer matches."""

CATCHES = ["ParamScheduler"]


class ParamScheduler(ParamScheduler):  # noqa: F821
    def begin_fit(self):
        if not isinstance(self.sched_funcs, (list, tuple)):
            self.sched_funcs = [self.sched_funcs] * len(self.opt.param_groups)
        if len(self.sched_funcs) != len(self.opt.param_groups):
            raise ValueError("one schedule per parameter group")
        self.funcs = self.sched_funcs
