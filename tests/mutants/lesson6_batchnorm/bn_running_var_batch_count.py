"""BatchNorm's running variance is made unbiased with the batch size N instead of the n = N*H*W
values per channel: var * N / (N - 1)."""

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def update_stats(self, x):
        n = x.shape[0]
        if x.numel() // x.shape[1] < 2:
            raise ValueError("BatchNorm needs more than one value per channel in training")
        m = x.mean((0, 2, 3), keepdim=True)
        v = x.var((0, 2, 3), keepdim=True, unbiased=False)
        with torch.no_grad():
            self.means.lerp_(m, self.mom)
            self.vars.lerp_(v * (n / (n - 1)) if n > 1 else v, self.mom)
        return m, v
