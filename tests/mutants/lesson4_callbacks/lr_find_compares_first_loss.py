"""LR_Find compares the loss with 10x the *first* loss instead of the best so far."""

CATCHES = ["LR_Find"]


class LR_Find(LR_Find):  # noqa: F821
    def after_step(self):
        loss = float(self.loss)
        if self.best_loss == math.inf:  # noqa: F821
            self.best_loss = loss
        if self.n_iter >= self.max_iter or loss > 10 * self.best_loss:
            raise CancelTrainException()  # noqa: F821
