"""The course's InstanceNorm (with eps fixed): x.var() over (H, W) is the unbiased variance;
F.instance_norm uses the biased one."""

CATCHES = ["InstanceNorm"]


class InstanceNorm(InstanceNorm):
    def forward(self, x):
        check_images(x, self.nf, "InstanceNorm")
        m = x.mean((2, 3), keepdim=True)
        v = x.var((2, 3), keepdim=True)
        return (x - m) / (v + self.eps).sqrt() * self.mults + self.adds
