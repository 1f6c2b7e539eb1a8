"""Recorder appends run.loss itself: a tensor that keeps the whole autograd graph of its batch
alive, for every batch of the fit."""

CATCHES = ["Recorder"]


class Recorder(Recorder):  # noqa: F821
    def after_batch(self):
        if not self.in_train:
            return
        self.lrs.append(self.opt.param_groups[-1]["lr"])
        self.losses.append(self.loss)
