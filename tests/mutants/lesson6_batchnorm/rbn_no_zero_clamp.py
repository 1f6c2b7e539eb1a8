"""RunningBatchNorm as in the course: var = q / c - mean^2 is never clamped at 0. In float32
with a large mean the difference rounds below 0 and sqrt(var + eps) is nan."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def forward(self, x):
        check_images(x, self.nf, "RunningBatchNorm")
        if self.training:
            sums, sqrs, count, dbias = self.update_stats(x)
        elif self.step == 0:
            return x / math.sqrt(1 + self.eps) * self.mults + self.adds
        else:
            sums, sqrs, count, dbias = self.sums, self.sqrs, self.count, self.dbias
        s, q, c = sums / dbias, sqrs / dbias, count / dbias
        mean = s / c
        var = q / c - mean * mean
        if self.batch < 20:
            var = var.clamp_min(0.01)
        return (x - mean) / (var + self.eps).sqrt() * self.mults + self.adds
