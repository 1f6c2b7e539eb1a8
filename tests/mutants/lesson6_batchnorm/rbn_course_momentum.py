"""The course's RunningBatchNorm momentum 1 - (1 - mom) / sqrt(bs - 1): divides by zero at
batch size 1 (mom1 = -inf, then nan everywhere)."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def update_stats(self, x):
        bs = x.shape[0]
        n = x.numel() // x.shape[1]
        denom = math.sqrt(bs - 1)
        mom1 = 1 - (1 - self.mom) / denom if denom > 0 else float("-inf")
        sums = self.sums.lerp(x.sum((0, 2, 3), keepdim=True), mom1)
        sqrs = self.sqrs.lerp((x * x).sum((0, 2, 3), keepdim=True), mom1)
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
