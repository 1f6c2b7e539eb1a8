"""one_batch never calls opt.zero_grad(): gradients pile up from batch to batch."""

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
            if not self.in_train:
                return
            self.loss.backward()
            self("after_backward")
            self.opt.step()
            self("after_step")
        except CancelBatchException:  # noqa: F821
            self("after_cancel_batch")
        finally:
            self("after_batch")
