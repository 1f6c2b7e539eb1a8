"""BatchNorm keeps its running statistics as plain tensor attributes, not registered buffers:
they are missing from state_dict and `.to()` / `.double()` leave them behind."""

CATCHES = ["BatchNorm"]


class BatchNorm(BatchNorm):
    def __init__(self, nf, mom=0.1, eps=1e-5):
        nn.Module.__init__(self)
        self.nf, self.mom, self.eps = nf, mom, eps
        self.mults = nn.Parameter(torch.ones(nf, 1, 1))
        self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
        self.means = torch.zeros(1, nf, 1, 1)
        self.vars = torch.ones(1, nf, 1, 1)

    def update_stats(self, x):
        if x.numel() // x.shape[1] < 2:
            raise ValueError("BatchNorm needs more than one value per channel in training")
        n = x.numel() // x.shape[1]
        m = x.mean((0, 2, 3), keepdim=True)
        v = x.var((0, 2, 3), keepdim=True, unbiased=False)
        with torch.no_grad():
            self.means = self.means.to(x.dtype).lerp(m, self.mom)
            self.vars = self.vars.to(x.dtype).lerp(v * (n / (n - 1)), self.mom)
        return m, v
