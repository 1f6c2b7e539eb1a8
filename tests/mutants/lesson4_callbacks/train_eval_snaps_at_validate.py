"""TrainEvalCallback sets n_epochs = epoch + 1 at begin_validate ("the epoch is done"): right
after a full pass, wrong after a pass cut short or skipped."""

CATCHES = ["TrainEvalCallback"]


class TrainEvalCallback(TrainEvalCallback):  # noqa: F821
    def begin_validate(self):
        super().begin_validate()
        self.run.n_epochs = float(self.epoch + 1)
