"""RunningBatchNorm sums over every dim (one running sum for the whole layer, broadcast to the
channels) instead of per channel: right only when C = 1."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def update_stats(self, x):
        bs, c = x.shape[0], x.shape[1]
        n = x.numel() // c
        mom1 = 1 - (1 - self.mom) / math.sqrt(max(bs - 1, 1))
        ones = torch.ones_like(self.sums)
        sums = self.sums.lerp(x.sum() / c * ones, mom1)
        sqrs = self.sqrs.lerp((x * x).sum() / c * ones, mom1)
        count = self.count.lerp(torch.full_like(self.count, n), mom1)
        dbias = self.dbias * (1 - mom1) + mom1
        with torch.no_grad():
            self.sums.copy_(sums)
            self.sqrs.copy_(sqrs)
            self.count.copy_(count)
            self.dbias.copy_(dbias)
            self.batch += bs
            self.step += 1
        return sums, sqrs, count, dbias
