"""TrainEvalCallback.after_batch advances n_iter and n_epochs on validation batches too."""

CATCHES = ["TrainEvalCallback"]


class TrainEvalCallback(TrainEvalCallback):  # noqa: F821
    def after_batch(self):
        self.run.n_epochs += 1.0 / self.iters
        self.run.n_iter += 1
