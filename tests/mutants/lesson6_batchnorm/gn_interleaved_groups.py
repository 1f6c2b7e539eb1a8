"""GroupNorm reshapes to (N, C // G, G, H*W) and groups every G-th channel together instead of
consecutive channels."""

CATCHES = ["GroupNorm"]


class GroupNorm(GroupNorm):
    def forward(self, x):
        check_images(x, self.nf, "GroupNorm")
        n, c, h, w = x.shape
        g = x.reshape(n, c // self.num_groups, self.num_groups, h * w)
        m = g.mean((1, 3), keepdim=True)
        v = g.var((1, 3), keepdim=True, unbiased=False)
        g = (g - m) / (v + self.eps).sqrt()
        return g.reshape(n, c, h, w) * self.mults + self.adds
