"""RunningBatchNorm in eval before any training step divides the zero buffers by dbias = 0:
nan everywhere, where mean 0 and var 1 are documented."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def forward(self, x):
        check_images(x, self.nf, "RunningBatchNorm")
        if self.training:
            sums, sqrs, count, dbias = self.update_stats(x)
        else:
            sums, sqrs, count, dbias = self.sums, self.sqrs, self.count, self.dbias
        s, q, c = sums / dbias, sqrs / dbias, count / dbias
        mean = s / c
        var = (q / c - mean * mean).clamp_min(0)
        if self.batch < 20:
            var = var.clamp_min(0.01)
        return (x - mean) / (var + self.eps).sqrt() * self.mults + self.adds
