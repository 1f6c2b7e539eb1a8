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
import time

import torch
import torch.nn.functional as F
from torch import nn


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

    Training: mean and *biased* variance over dims (0, 2, 3) of this batch normalise x (the
    gradient flows through them, as in torch), and the running statistics move towards the
    batch's with torch's momentum convention (mom is the weight of the *new* value):

        means <- means.lerp(mean, mom)   = (1 - mom) * means + mom * mean
        vars  <- vars.lerp(var_unbiased, mom),  var_unbiased = var * n / (n - 1),  n = N*H*W

    The buffers are updated without recording autograd history. Evaluation (`.eval()`): the
    running `means` and `vars` normalise x; nothing is updated.
    ValueError: x not 4-d, C != nf, or a single value per channel in training (n = 1).
    """

    def __init__(self, nf: int, mom: float = 0.1, eps: float = 1e-5):
        raise NotImplementedError("BatchNorm.__init__")

    def update_stats(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch's mean and biased variance (1, C, 1, 1), with grad; updates the buffers."""
        raise NotImplementedError("BatchNorm.update_stats")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("BatchNorm.forward")


# ## Task 6.2: LayerNorm
class LayerNorm(nn.Module):
    """y = (x - mean) / sqrt(var + eps) * mult + add, mean and biased var per sample over all
    dims but the first: F.layer_norm(x, x.shape[1:]) * mult + add.

    Parameters: `mult` = 1 and `add` = 0, both 0-dim (one scalar each, as in the course).
    Same in training and evaluation; no buffers. ValueError when x has fewer than 2 dims.
    """

    def __init__(self, eps: float = 1e-5):
        raise NotImplementedError("LayerNorm.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LayerNorm.forward")


# ## Task 6.3: InstanceNorm
class InstanceNorm(nn.Module):
    """Per sample and channel, over (H, W): F.instance_norm(x, weight=mults, bias=adds, eps).

    Parameters `mults` (C, 1, 1) = 1, `adds` (C, 1, 1) = 0. Same in training and evaluation.
    (The course's default eps was 1e0, a typo that flattens every image: ours is 1e-5.)
    ValueError: x not 4-d or C != nf.
    """

    def __init__(self, nf: int, eps: float = 1e-5):
        raise NotImplementedError("InstanceNorm.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("InstanceNorm.forward")


# ## Task 6.4: GroupNorm
class GroupNorm(nn.Module):
    """Per sample, over each group of nf / num_groups consecutive channels and (H, W):
    the same numbers as nn.GroupNorm(num_groups, nf, eps) with weight = mults, bias = adds.

    num_groups = nf gives InstanceNorm; num_groups = 1 normalises like LayerNorm (but with
    per-channel mults/adds). Parameters `mults` (C, 1, 1) = 1, `adds` (C, 1, 1) = 0.
    ValueError: nf not divisible by num_groups (when built), x not 4-d or C != nf.
    """

    def __init__(self, num_groups: int, nf: int, eps: float = 1e-5):
        raise NotImplementedError("GroupNorm.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("GroupNorm.forward")


# ## Task 6.5: RunningBatchNorm
class RunningBatchNorm(nn.Module):
    """BatchNorm whose statistics in training are running averages too, so a batch of 1 or 2
    images is normalised by what the layer has seen so far, not by its own (useless) variance.

    Parameters `mults` (C, 1, 1) = 1, `adds` (C, 1, 1) = 0. Buffers: `sums`, `sqrs`
    (1, C, 1, 1) = 0; 0-dim `count`, `batch`, `step`, `dbias` = 0.

    A training step on x (N, C, H, W), with n = N*H*W values per channel:

        mom1  = 1 - (1 - mom) / sqrt(max(N - 1, 1))        bigger batches move the averages more
        sums  <- sums.lerp(x.sum((0, 2, 3)), mom1)         the current batch's part keeps its
        sqrs  <- sqrs.lerp((x*x).sum((0, 2, 3)), mom1)     gradient; the stored buffers do not
        count <- count.lerp(n, mom1)                       (detach before storing)
        dbias <- dbias * (1 - mom1) + mom1                 debiasing, as in Adam: starts at 0
        batch <- batch + N;  step <- step + 1

    and then, in training and in evaluation alike, from the (updated) buffers:

        s, q, c = sums / dbias, sqrs / dbias, count / dbias
        mean = s / c
        var  = max(q / c - mean^2, 0),  and max(var, 0.01) while batch < 20
        y = (x - mean) / sqrt(var + eps) * mults + adds

    Evaluation updates nothing and uses the running statistics with the *current* mults and
    adds (the course cached "factor/offset" at the last training step, so eval after an
    optimizer step or after load_state_dict used stale numbers). Before any training step
    (step = 0) it uses mean 0 and var 1. The course's momentum 1 - (1 - mom) / sqrt(N - 1)
    divides by zero at N = 1: ours must stay finite at N = 1 and 2.
    ValueError: x not 4-d or C != nf.
    """

    def __init__(self, nf: int, mom: float = 0.1, eps: float = 1e-5):
        raise NotImplementedError("RunningBatchNorm.__init__")

    def update_stats(self, x: torch.Tensor):
        """One training step of the recurrence: returns (sums, sqrs, count, dbias) with the
        current batch's part still attached to the graph, and stores them (detached)."""
        raise NotImplementedError("RunningBatchNorm.update_stats")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("RunningBatchNorm.forward")


# ---------------------------------------------------------------------------------------------
# Given (not tasks): the CNN with a normalisation layer after each activation, MNIST as images,
# and a small training loop (lesson 4's Runner is not needed here).
# ---------------------------------------------------------------------------------------------


def conv_layer(ni: int, nf: int, ks: int = 3, stride: int = 2, norm=BatchNorm) -> nn.Sequential:
    """Conv2d -> ReLU -> norm(nf). The conv has no bias when a norm follows (its adds do the
    job). `norm` is any callable nf -> module (e.g. `lambda nf: GroupNorm(4, nf)`) or None."""
    layers = [nn.Conv2d(ni, nf, ks, padding=ks // 2, stride=stride, bias=norm is None), nn.ReLU()]
    if norm is not None:
        layers.append(norm(nf))
    return nn.Sequential(*layers)


def get_cnn_model(nfs=(8, 16, 32, 64, 64), norm=BatchNorm, c_in: int = 1, c_out: int = 10):
    """The course's MNIST CNN: first conv 5x5, then 3x3, all stride 2; pool, flatten, linear.
    Convs get kaiming init (fan_in, relu gain), biases 0."""
    sizes = [c_in] + list(nfs)
    layers = [
        conv_layer(sizes[i], sizes[i + 1], 5 if i == 0 else 3, 2, norm) for i in range(len(nfs))
    ]
    model = nn.Sequential(
        *layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(sizes[-1], c_out)
    )
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def mnist_images(n_train: int | None = None, n_valid: int | None = None):
    """(x_train, y_train, x_valid, y_valid), images normalised and shaped (N, 1, 28, 28)."""
    from courselib.data import get_data, normalize

    xt, yt, xv, yv = get_data(n_train, n_valid)
    return normalize(xt).view(-1, 1, 28, 28), yt, normalize(xv).view(-1, 1, 28, 28), yv


def one_cycle(pos: float, lr: float, warm: float = 0.3) -> float:
    """The learning rate at fraction `pos` of training: linear from lr/10 up to lr over the first
    `warm` of training, then cosine down to lr/100."""
    if pos < warm:
        return lr / 10 + (lr - lr / 10) * pos / warm
    p = (pos - warm) / (1 - warm)
    return lr / 100 + (lr - lr / 100) * (1 + math.cos(math.pi * p)) / 2


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, bs: int = 1000) -> float:
    """Fraction of x classified as y, in eval mode (the model is put back in train mode)."""
    model.eval()
    with torch.no_grad():
        correct = sum(
            (model(x[i : i + bs]).argmax(1) == y[i : i + bs]).sum().item()
            for i in range(0, len(x), bs)
        )
    model.train()
    return correct / max(len(x), 1)


def fit(
    model,
    x_train,
    y_train,
    x_valid,
    y_valid,
    epochs=1,
    lr=0.4,
    bs=64,
    mom=0.9,
    wd=0.0,
    seed=0,
    log=None,
):
    """Train with SGD (momentum `mom`, weight decay `wd`) and the one_cycle learning rate,
    cross entropy, shuffled batches of `bs`. Returns a dict: `valid_acc` (one per epoch),
    `losses` (one per batch) and `seconds`. `log(epoch, acc)` is called after each epoch."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=mom, weight_decay=wd)
    n = len(x_train)
    steps, total = 0, epochs * math.ceil(n / bs)
    accs, losses, start = [], [], time.perf_counter()
    model.train()
    for epoch in range(epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, bs):
            idx = perm[i : i + bs]
            for group in opt.param_groups:
                group["lr"] = one_cycle(steps / total, lr)
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            opt.zero_grad()
            losses.append(loss.item())
            steps += 1
        accs.append(accuracy(model, x_valid, y_valid))
        if log is not None:
            log(epoch, accs[-1])
    return {"valid_acc": accs, "losses": losses, "seconds": time.perf_counter() - start}
