"""LR_Find grows the lr linearly from min_lr to max_lr instead of exponentially."""

CATCHES = ["LR_Find"]


class LR_Find(LR_Find):  # noqa: F821
    def begin_batch(self):
        if not self.in_train:
            return
        lr = self.min_lr + (self.max_lr - self.min_lr) * self.n_iter / self.max_iter
        for pg in self.opt.param_groups:
            pg["lr"] = lr
