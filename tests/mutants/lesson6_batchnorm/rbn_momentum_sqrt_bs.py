"""RunningBatchNorm avoids the division by zero at batch size 1 with sqrt(N) instead of
sqrt(max(N - 1, 1)): finite, but every batch size gets another momentum."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def update_stats(self, x):
        bs = x.shape[0]
        n = x.numel() // x.shape[1]
        mom1 = 1 - (1 - self.mom) / math.sqrt(bs)
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
