"""fit runs validation without torch.no_grad(): every validation batch builds a graph."""

CATCHES = ["Runner"]


class Runner(Runner):  # noqa: F821
    def fit(self, epochs, learn):
        self.epochs, self.learn, self.loss = epochs, learn, torch.tensor(0.0)  # noqa: F821
        try:
            for cb in self.cbs:
                cb.set_runner(self)
            self("begin_fit")
            for epoch in range(epochs):
                self.epoch = epoch
                if not self("begin_epoch"):
                    self.all_batches(self.data.train_dl)
                if not self("begin_validate"):
                    self.all_batches(self.data.valid_dl)
                self("after_epoch")
        except CancelTrainException:  # noqa: F821
            self("after_cancel_train")
        finally:
            self("after_fit")
            self.learn = None
