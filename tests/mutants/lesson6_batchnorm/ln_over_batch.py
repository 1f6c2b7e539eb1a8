"""LayerNorm normalises over the batch dimension too (dims 0..3) instead of per sample."""

CATCHES = ["LayerNorm"]


class LayerNorm(LayerNorm):
    def forward(self, x):
        if x.dim() < 2:
            raise ValueError("LayerNorm expects (N, ...)")
        m = x.mean()
        v = x.var(unbiased=False)
        return (x - m) / (v + self.eps).sqrt() * self.mult + self.add
