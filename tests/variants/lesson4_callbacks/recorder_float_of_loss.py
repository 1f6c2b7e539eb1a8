"""Recorder that converts with float() and keeps the lr of the last group via a loop."""

KEEPS = ["Recorder"]


class Recorder(Recorder):  # noqa: F821
    def after_batch(self):
        if not self.in_train:
            return
        for pg in self.opt.param_groups:
            lr = pg["lr"]
        self.lrs.append(lr)
        self.losses.append(float(self.loss))
