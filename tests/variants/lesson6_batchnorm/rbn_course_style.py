"""The course's RunningBatchNorm (07_batchnorm, the version with dbias and step) with only what
our docstring asks changed: sqrt(max(bs - 1, 1)) in the momentum, always debiased, the variance
clamped at 0, eval from detached buffers (mean 0 / var 1 before any training step), input checks.
Kept from the course: the buffers detach_()ed and then updated in place with lerp_ (the current
batch's part keeps its gradient until the next step), `self.dbias` rebound to a new tensor,
the float count `x.numel() / nc`, and the in-place sub_/div_/mul_/add_ of the normalisation."""

KEEPS = ["RunningBatchNorm"]


class RunningBatchNorm(nn.Module):
    def __init__(self, nf, mom=0.1, eps=1e-5):
        super().__init__()
        self.nf, self.mom, self.eps = nf, mom, eps
        self.mults = nn.Parameter(torch.ones(nf, 1, 1))
        self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
        self.register_buffer("sums", torch.zeros(1, nf, 1, 1))
        self.register_buffer("sqrs", torch.zeros(1, nf, 1, 1))
        self.register_buffer("batch", torch.tensor(0.0))
        self.register_buffer("count", torch.tensor(0.0))
        self.register_buffer("step", torch.tensor(0.0))
        self.register_buffer("dbias", torch.tensor(0.0))

    def update_stats(self, x):
        bs, nc, *_ = x.shape
        self.sums.detach_()
        self.sqrs.detach_()
        dims = (0, 2, 3)
        s = x.sum(dims, keepdim=True)
        ss = (x * x).sum(dims, keepdim=True)
        c = self.count.new_tensor(x.numel() / nc)
        mom1 = self.dbias.new_tensor(1 - (1 - self.mom) / math.sqrt(max(bs - 1, 1)))
        self.sums.lerp_(s, mom1)
        self.sqrs.lerp_(ss, mom1)
        self.count.lerp_(c, mom1)
        self.dbias = self.dbias * (1 - mom1) + mom1
        self.batch += bs
        self.step += 1

    def forward(self, x):
        check_images(x, self.nf, "RunningBatchNorm")
        if self.training:
            self.update_stats(x)
        if self.step == 0:
            return x / math.sqrt(1 + self.eps) * self.mults + self.adds
        sums, sqrs = self.sums, self.sqrs
        if not self.training:
            sums, sqrs = sums.detach(), sqrs.detach()
        sums = sums / self.dbias
        sqrs = sqrs / self.dbias
        c = self.count / self.dbias
        means = sums / c
        vars = (sqrs / c).sub_(means * means).clamp_min_(0)
        if bool(self.batch < RBN_WARMUP):
            vars.clamp_min_(RBN_MIN_VAR)
        x = (x - means).div_((vars.add_(self.eps)).sqrt())
        return x.mul_(self.mults).add_(self.adds)
