"""BatchNorm computes one mean and one variance for the whole layer (over every dim) instead of
one per channel: right only when C = 1."""

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def update_stats(self, x):
        n = x.numel() // x.shape[1]
        if n < 2:
            raise ValueError("BatchNorm needs more than one value per channel in training")
        m = x.mean().reshape(1, 1, 1, 1).expand(1, x.shape[1], 1, 1)
        v = x.var(unbiased=False).reshape(1, 1, 1, 1).expand(1, x.shape[1], 1, 1)
        with torch.no_grad():
            self.means.lerp_(m, self.mom)
            self.vars.lerp_(v * (n / (n - 1)), self.mom)
        return m, v
