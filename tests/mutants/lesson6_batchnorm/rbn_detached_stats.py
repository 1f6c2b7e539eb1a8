"""RunningBatchNorm computes the whole update under no_grad: no gradient flows through the
current batch's sums (the course keeps it)."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def update_stats(self, x):
        with torch.no_grad():
            return super().update_stats(x)
