"""BatchNorm ignores eval mode: it normalises with the batch's statistics (and keeps updating
the running ones) during validation too."""

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def forward(self, x):
        check_images(x, self.nf, "BatchNorm")
        m, v = self.update_stats(x)
        return (x - m) / (v + self.eps).sqrt() * self.mults + self.adds
