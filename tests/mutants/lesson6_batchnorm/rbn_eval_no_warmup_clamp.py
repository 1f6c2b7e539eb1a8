"""RunningBatchNorm clamps the variance at 0.01 in training only: an eval step while fewer than
20 samples were seen divides by the raw (tiny) variance."""

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
        var = (q / c - mean * mean).clamp_min(0)
        if self.training and self.batch < 20:
            var = var.clamp_min(0.01)
        return (x - mean) / (var + self.eps).sqrt() * self.mults + self.adds
