"""The course's RunningBatchNorm (07_batchnorm): the buffers are updated in place with the
current batch's sums and keep that batch's autograd graph until the next training step. An eval
step then differentiates into the last training batch: its backward fails (the graph was freed)."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def update_stats(self, x):
        bs = x.shape[0]
        n = x.numel() // x.shape[1]
        mom1 = 1 - (1 - self.mom) / math.sqrt(max(bs - 1, 1))
        self.sums = self.sums.detach().lerp(x.sum((0, 2, 3), keepdim=True), mom1)
        self.sqrs = self.sqrs.detach().lerp((x * x).sum((0, 2, 3), keepdim=True), mom1)
        self.count = self.count.lerp(torch.full_like(self.count, n), mom1)
        self.dbias = self.dbias * (1 - mom1) + mom1
        self.batch += bs
        self.step += 1
        return self.sums, self.sqrs, self.count, self.dbias
