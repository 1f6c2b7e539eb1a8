"""RunningBatchNorm counts images (N) instead of values per channel (N*H*W) in `count`: the mean
and variance are off by a factor H*W."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def update_stats(self, x):
        bs = x.shape[0]
        mom1 = 1 - (1 - self.mom) / math.sqrt(max(bs - 1, 1))
        sums = self.sums.lerp(x.sum((0, 2, 3), keepdim=True), mom1)
        sqrs = self.sqrs.lerp((x * x).sum((0, 2, 3), keepdim=True), mom1)
        count = self.count.lerp(torch.full_like(self.count, bs), mom1)
        dbias = self.dbias * (1 - mom1) + mom1
        with torch.no_grad():
            self.sums.copy_(sums)
            self.sqrs.copy_(sqrs)
            self.count.copy_(count)
            self.dbias.copy_(dbias)
            self.batch += bs
            self.step += 1
        return sums, sqrs, count, dbias
