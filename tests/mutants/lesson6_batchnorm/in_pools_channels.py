"""InstanceNorm takes its statistics per sample over (C, H, W), like LayerNorm, instead of per
sample and channel: right only when C = 1."""

CATCHES = ["InstanceNorm"]


class InstanceNorm(InstanceNorm):
    def forward(self, x):
        check_images(x, self.nf, "InstanceNorm")
        m = x.mean((1, 2, 3), keepdim=True)
        v = x.var((1, 2, 3), keepdim=True, unbiased=False)
        return (x - m) / (v + self.eps).sqrt() * self.mults + self.adds
