"""The course's BatchNorm: x.var() (unbiased) both to normalise and for the running estimate."""

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def update_stats(self, x):
        if x.numel() // x.shape[1] < 2:
            raise ValueError("BatchNorm needs more than one value per channel in training")
        m = x.mean((0, 2, 3), keepdim=True)
        v = x.var((0, 2, 3), keepdim=True)
        with torch.no_grad():
            self.means.lerp_(m, self.mom)
            self.vars.lerp_(v, self.mom)
        return m, v
