"""TrainEvalCallback counts training batches on itself from __init__: a second fit goes on from
the first fit's count."""

CATCHES = ["TrainEvalCallback"]


class TrainEvalCallback(TrainEvalCallback):  # noqa: F821
    def __init__(self):
        self.batches = 0

    def after_batch(self):
        if not self.in_train:
            return
        self.batches += 1
        self.run.n_epochs += 1.0 / self.iters
        self.run.n_iter = self.batches
