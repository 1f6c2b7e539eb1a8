"""RunningBatchNorm updates its running statistics in eval mode as well (validation data leaks
into the statistics)."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def forward(self, x):
        check_images(x, self.nf, "RunningBatchNorm")
        sums, sqrs, count, dbias = self.update_stats(x)
        s, q, c = sums / dbias, sqrs / dbias, count / dbias
        mean = s / c
        var = (q / c - mean * mean).clamp_min(0)
        if self.batch < 20:
            var = var.clamp_min(0.01)
        return (x - mean) / (var + self.eps).sqrt() * self.mults + self.adds
