"""Lesson 6: normalisation layers — BatchNorm, LayerNorm, InstanceNorm, GroupNorm and
RunningBatchNorm, each a small nn.Module written from its formula.

Every layer computes, per group of values G (which G is the only difference between them),

    y = (x - mean_G(x)) / sqrt(var_G(x) + eps) * mult + add        var_G: the biased variance

    BatchNorm      G = one channel over the batch and the spatial dims    x: (N, C, H, W)
    LayerNorm      G = one sample over all its other dims                 x: (N, ...)
    InstanceNorm   G = one channel of one sample (its spatial dims)       x: (N, C, H, W)
    GroupNorm      G = a group of C / num_groups channels of one sample   x: (N, C, H, W)

BatchNorm keeps running statistics for evaluation; RunningBatchNorm uses running statistics in
training too, which keeps it working at batch sizes of 1 or 2 where a batch's own variance is
meaningless. Tensors keep the caller's dtype and device; buffers are registered with
`register_buffer` so that `.to(...)`, `.double()` and `state_dict()` see them. Bad arguments
raise ValueError with a message naming what was wrong.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from courselib.lesson6_batchnorm import RBN_MIN_VAR, RBN_WARMUP


def check_images(x: torch.Tensor, nf: int | None, who: str) -> None:
    """A worked example of the argument checks: x must be (N, C, H, W) with C == nf."""
    if not isinstance(x, torch.Tensor) or x.dim() != 4:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(f"{who} expects a 4-d tensor (N, C, H, W), got {shape}")
    if nf is not None and x.shape[1] != nf:
        raise ValueError(f"{who} was built for {nf} channels, the input has {x.shape[1]}")


# ## Task 6.1: BatchNorm
class BatchNorm(nn.Module):
    """Batch normalisation for images (N, C, H, W), the same numbers as nn.BatchNorm2d.

    Parameters: `mults` (C, 1, 1) = 1, `adds` (C, 1, 1) = 0.
    Buffers:    `means` (1, C, 1, 1) = 0, `vars` (1, C, 1, 1) = 1.

    Training, per channel over the n = N*H*W values of this batch: mean m and *biased*
    variance v (the sum of squared deviations / n) normalise x, and the gradient flows through
    them, as in torch. The running statistics move towards the batch's with torch's momentum
    convention (mom is the weight of the *new* value):

        means <- (1 - mom) * means + mom * m
        vars  <- (1 - mom) * vars  + mom * v * n / (n - 1)      (the *unbiased* variance)

    The buffers are updated without recording autograd history. Evaluation (`.eval()`): the
    running `means` and `vars` normalise x; nothing is updated.
    ValueError: x not 4-d, C != nf, or a single value per channel in training (n = 1).
    """

    def __init__(self, nf: int, mom: float = 0.1, eps: float = 1e-5):
        ### BEGIN SOLUTION
        super().__init__()
        self.nf, self.mom, self.eps = nf, mom, eps
        self.mults = nn.Parameter(torch.ones(nf, 1, 1))
        self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
        self.register_buffer("means", torch.zeros(1, nf, 1, 1))
        self.register_buffer("vars", torch.ones(1, nf, 1, 1))
        ### END SOLUTION

    def update_stats(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch's mean and biased variance (1, C, 1, 1), with grad; updates the buffers."""
        ### BEGIN SOLUTION
        n = x.numel() // x.shape[1]
        if n < 2:
            raise ValueError("BatchNorm needs more than one value per channel in training")
        m = x.mean((0, 2, 3), keepdim=True)
        v = x.var((0, 2, 3), keepdim=True, unbiased=False)
        with torch.no_grad():
            self.means.lerp_(m, self.mom)
            self.vars.lerp_(v * (n / (n - 1)), self.mom)
        return m, v
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        check_images(x, self.nf, "BatchNorm")
        if self.training:
            m, v = self.update_stats(x)
        else:
            m, v = self.means, self.vars
        return (x - m) / (v + self.eps).sqrt() * self.mults + self.adds
        ### END SOLUTION


# ## Task 6.2: LayerNorm
class LayerNorm(nn.Module):
    """y = (x - mean) / sqrt(var + eps) * mult + add, mean and biased var per sample over all
    dims but the first: the same numbers as F.layer_norm(x, x.shape[1:]) * mult + add.

    Parameters: `mult` = 1 and `add` = 0, both 0-dim (one scalar each, as in the course).
    Same in training and evaluation; no buffers. ValueError when x has fewer than 2 dims.
    """

    def __init__(self, eps: float = 1e-5):
        ### BEGIN SOLUTION
        super().__init__()
        self.eps = eps
        self.mult = nn.Parameter(torch.tensor(1.0))
        self.add = nn.Parameter(torch.tensor(0.0))
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        if x.dim() < 2:
            raise ValueError(f"LayerNorm expects (N, ...) with at least 2 dims, got {x.dim()}")
        dims = tuple(range(1, x.dim()))
        m = x.mean(dims, keepdim=True)
        v = x.var(dims, keepdim=True, unbiased=False)
        return (x - m) / (v + self.eps).sqrt() * self.mult + self.add
        ### END SOLUTION


# ## Task 6.3: InstanceNorm
class InstanceNorm(nn.Module):
    """Per sample and channel, over (H, W): the same numbers as F.instance_norm with
    weight = mults, bias = adds and eps.

    Parameters `mults` (C, 1, 1) = 1, `adds` (C, 1, 1) = 0. Same in training and evaluation.
    (The course's default eps was 1e0, a typo that flattens every image: ours is 1e-5.)
    ValueError: x not 4-d or C != nf.
    """

    def __init__(self, nf: int, eps: float = 1e-5):
        ### BEGIN SOLUTION
        super().__init__()
        self.nf, self.eps = nf, eps
        self.mults = nn.Parameter(torch.ones(nf, 1, 1))
        self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        check_images(x, self.nf, "InstanceNorm")
        m = x.mean((2, 3), keepdim=True)
        v = x.var((2, 3), keepdim=True, unbiased=False)
        return (x - m) / (v + self.eps).sqrt() * self.mults + self.adds
        ### END SOLUTION


# ## Task 6.4: GroupNorm
class GroupNorm(nn.Module):
    """Per sample, over each group of nf / num_groups consecutive channels and (H, W):
    the same numbers as nn.GroupNorm(num_groups, nf, eps) with weight = mults, bias = adds.

    num_groups = nf gives InstanceNorm; num_groups = 1 normalises like LayerNorm (but with
    per-channel mults/adds). Parameters `mults` (C, 1, 1) = 1, `adds` (C, 1, 1) = 0.
    ValueError: nf not divisible by num_groups (when built), x not 4-d or C != nf.
    """

    def __init__(self, num_groups: int, nf: int, eps: float = 1e-5):
        ### BEGIN SOLUTION
        super().__init__()
        if num_groups < 1 or nf % num_groups:
            raise ValueError(f"GroupNorm: {nf} channels cannot be split into {num_groups} groups")
        self.num_groups, self.nf, self.eps = num_groups, nf, eps
        self.mults = nn.Parameter(torch.ones(nf, 1, 1))
        self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        check_images(x, self.nf, "GroupNorm")
        n, c, h, w = x.shape
        g = x.reshape(n, self.num_groups, -1)
        m = g.mean(-1, keepdim=True)
        v = g.var(-1, keepdim=True, unbiased=False)
        g = (g - m) / (v + self.eps).sqrt()
        return g.reshape(n, c, h, w) * self.mults + self.adds
        ### END SOLUTION


# ## Task 6.5: RunningBatchNorm
class RunningBatchNorm(nn.Module):
    """BatchNorm whose statistics in training are running averages too, so a batch of 1 or 2
    images is normalised by what the layer has seen so far, not by its own (useless) variance.

    Parameters `mults` (C, 1, 1) = 1, `adds` (C, 1, 1) = 0. Buffers: `sums`, `sqrs`
    (1, C, 1, 1) = 0; 0-dim `count`, `batch`, `step`, `dbias` = 0.

    A training step on x (N, C, H, W), with n = N*H*W values per channel, S = the sum of the
    channel's values, Q = the sum of their squares (each (1, C, 1, 1)):

        mom1  = 1 - (1 - mom) / sqrt(max(N - 1, 1))      bigger batches move the averages more
        sums  <- (1 - mom1) * sums  + mom1 * S           the current batch's part keeps its
        sqrs  <- (1 - mom1) * sqrs  + mom1 * Q           gradient; the stored buffers do not
        count <- (1 - mom1) * count + mom1 * n           (no autograd history in the buffers)
        dbias <- (1 - mom1) * dbias + mom1               debiasing, as in Adam: starts at 0
        batch <- batch + N;  step <- step + 1

    and then, in training and in evaluation alike, from the (updated) buffers:

        s, q, c = sums / dbias, sqrs / dbias, count / dbias
        mean = s / c
        var  = max(q / c - mean^2, 0)          (in float32 with a large mean, q / c - mean^2
                                                can round below 0: sqrt of it would be nan)
        var  = max(var, RBN_MIN_VAR = 0.01)    while batch < RBN_WARMUP = 20 images
        y = (x - mean) / sqrt(var + eps) * mults + adds

    Evaluation updates nothing and uses the running statistics with the *current* mults and
    adds (the course cached "factor/offset" at the last training step, so eval after an
    optimizer step or after load_state_dict used stale numbers). Before any training step
    (step = 0) it uses mean 0 and var 1. The course's momentum 1 - (1 - mom) / sqrt(N - 1)
    divides by zero at N = 1: ours must stay finite at N = 1 and 2.
    ValueError: x not 4-d or C != nf.
    """

    def __init__(self, nf: int, mom: float = 0.1, eps: float = 1e-5):
        ### BEGIN SOLUTION
        super().__init__()
        self.nf, self.mom, self.eps = nf, mom, eps
        self.mults = nn.Parameter(torch.ones(nf, 1, 1))
        self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
        self.register_buffer("sums", torch.zeros(1, nf, 1, 1))
        self.register_buffer("sqrs", torch.zeros(1, nf, 1, 1))
        for name in ("count", "batch", "step", "dbias"):
            self.register_buffer(name, torch.tensor(0.0))
        ### END SOLUTION

    def update_stats(self, x: torch.Tensor):
        """One training step of the recurrence: returns (sums, sqrs, count, dbias) with the
        current batch's part still attached to the graph, and stores them (detached)."""
        ### BEGIN SOLUTION
        bs = x.shape[0]
        n = x.numel() // x.shape[1]
        mom1 = 1 - (1 - self.mom) / math.sqrt(max(bs - 1, 1))
        sums = self.sums.lerp(x.sum((0, 2, 3), keepdim=True), mom1)
        sqrs = self.sqrs.lerp((x * x).sum((0, 2, 3), keepdim=True), mom1)
        count = self.count.lerp(torch.full_like(self.count, n), mom1)
        dbias = self.dbias * (1 - mom1) + mom1
        with torch.no_grad():
            self.sums.copy_(sums)
            self.sqrs.copy_(sqrs)
            self.count.copy_(count)
            self.dbias.copy_(dbias)
            self.batch += bs
            self.step += 1
        return sums, sqrs, count, dbias
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        check_images(x, self.nf, "RunningBatchNorm")
        if self.training:
            sums, sqrs, count, dbias = self.update_stats(x)
        elif self.step == 0:
            return x / math.sqrt(1 + self.eps) * self.mults + self.adds
        else:
            sums, sqrs, count, dbias = self.sums, self.sqrs, self.count, self.dbias
        s, q, c = sums / dbias, sqrs / dbias, count / dbias
        mean = s / c
        var = (q / c - mean * mean).clamp_min(0)
        if self.batch < RBN_WARMUP:
            var = var.clamp_min(RBN_MIN_VAR)
        return (x - mean) / (var + self.eps).sqrt() * self.mults + self.adds
        ### END SOLUTION
