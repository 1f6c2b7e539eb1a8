"""TrainEvalCallback as the course writes it: n_epochs set to the epoch as an int at
begin_epoch (it becomes a float at the first batch); numerically the same."""

KEEPS = ["TrainEvalCallback"]


class TrainEvalCallback(TrainEvalCallback):  # noqa: F821
    def begin_epoch(self):
        self.run.n_epochs = self.epoch
        self.model.train()
        self.run.in_train = True
