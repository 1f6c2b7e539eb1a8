"""BatchNorm's running statistics use the momentum the wrong way round (Keras' convention):
running.lerp(batch, 1 - mom), so the batch gets weight 0.9 instead of 0.1."""

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def update_stats(self, x):
        if x.numel() // x.shape[1] < 2:
            raise ValueError("BatchNorm needs more than one value per channel in training")
        n = x.numel() // x.shape[1]
        m = x.mean((0, 2, 3), keepdim=True)
        v = x.var((0, 2, 3), keepdim=True, unbiased=False)
        with torch.no_grad():
            self.means.lerp_(m, 1 - self.mom)
            self.vars.lerp_(v * (n / (n - 1)), 1 - self.mom)
        return m, v
