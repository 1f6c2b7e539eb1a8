"""The course's BatchNorm: the batch statistics are computed under torch.no_grad(), so no
gradient flows through the mean and variance (torch's does)."""

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def forward(self, x):
        check_images(x, self.nf, "BatchNorm")
        if self.training:
            with torch.no_grad():
                m, v = self.update_stats(x)
        else:
            m, v = self.means, self.vars
        return (x - m) / (v + self.eps).sqrt() * self.mults + self.adds
