"""The course's LayerNorm statistics over dims (1, 2, 3): only for 4-d inputs (a 2-d or 3-d
input raises IndexError), where ours takes every dim but the first."""

CATCHES = ["LayerNorm"]


class LayerNorm(LayerNorm):
    def forward(self, x):
        if x.dim() < 2:
            raise ValueError("LayerNorm needs (N, ...)")
        m = x.mean((1, 2, 3), keepdim=True)
        v = x.var((1, 2, 3), keepdim=True, unbiased=False)
        return (x - m) / (v + self.eps).sqrt() * self.mult + self.add
