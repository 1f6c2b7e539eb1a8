"""CancelBatchException returns from one_batch straight after after_cancel_batch: after_batch
is never called for a cancelled batch (n_iter, the Recorder and the schedules fall behind)."""

CATCHES = ["Runner"]


class Runner(Runner):  # noqa: F821
    def one_batch(self, xb, yb):
        try:
            self.xb, self.yb = xb, yb
            self("begin_batch")
            self.pred = self.model(self.xb)
            self("after_pred")
            self.loss = self.loss_func(self.pred, self.yb)
            self("after_loss")
            if self.in_train:
                self.loss.backward()
                self("after_backward")
                self.opt.step()
                self("after_step")
                self.opt.zero_grad()
        except CancelBatchException:  # noqa: F821
            self("after_cancel_batch")
            return
        self("after_batch")
