"""GroupNorm normalises with the unbiased variance of each group (nn.GroupNorm: biased)."""

CATCHES = ["GroupNorm"]


class GroupNorm(GroupNorm):
    def forward(self, x):
        check_images(x, self.nf, "GroupNorm")
        n, c, h, w = x.shape
        g = x.reshape(n, self.num_groups, -1)
        g = (g - g.mean(-1, keepdim=True)) / (g.var(-1, keepdim=True) + self.eps).sqrt()
        return g.reshape(n, c, h, w) * self.mults + self.adds
