"""RunningBatchNorm adds the N*H*W values of a batch to `batch` instead of its N images: the
variance clamp of the first 20 samples stops after the first batch or two."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def update_stats(self, x):
        out = super().update_stats(x)
        with torch.no_grad():
            self.batch += x.numel() // x.shape[1] - x.shape[0]
        return out
