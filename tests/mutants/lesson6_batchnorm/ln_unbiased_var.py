"""The course's LayerNorm: x.var() is the unbiased variance; F.layer_norm uses the biased one."""

CATCHES = ["LayerNorm"]


class LayerNorm(LayerNorm):
    def forward(self, x):
        if x.dim() < 2:
            raise ValueError("LayerNorm expects (N, ...)")
        dims = tuple(range(1, x.dim()))
        m = x.mean(dims, keepdim=True)
        v = x.var(dims, keepdim=True)
        return (x - m) / (v + self.eps).sqrt() * self.mult + self.add
