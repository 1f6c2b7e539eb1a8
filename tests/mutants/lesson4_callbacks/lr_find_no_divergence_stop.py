"""LR_Find stops only at max_iter: it never checks the loss against 10x the best."""

CATCHES = ["LR_Find"]


class LR_Find(LR_Find):  # noqa: F821
    def after_step(self):
        if self.n_iter >= self.max_iter:
            raise CancelTrainException()  # noqa: F821
