"""LR_Find that keeps its best loss as a detached tensor and compares tensors (the course's
comparison), with the best reset at every begin_fit and the state restored at after_fit."""

KEEPS = ["LR_Find"]


class LR_Find(LR_Find):  # noqa: F821
    def begin_fit(self):
        super().begin_fit()
        self.best_loss = torch.tensor(float("inf"))  # noqa: F821

    def after_step(self):
        loss = self.loss.detach()
        if self.n_iter >= self.max_iter or loss > self.best_loss * 10:
            raise CancelTrainException()  # noqa: F821
        if loss < self.best_loss:
            self.best_loss = loss
