"""The small CNN training loop of lessons 5 and 6: MNIST as images, SGD with a one-cycle
learning rate, validation accuracy.

    from courselib.training import fit, mnist_images
    x_train, y_train, x_valid, y_valid = mnist_images(4000, 1000)   # (N, 1, 28, 28), normalised
    result = fit(model, x_train, y_train, x_valid, y_valid, epochs=1, lr=0.4, bs=64)
    result["valid_acc"][-1], result["losses"], result["seconds"]

Lesson 4 builds the full Runner with callbacks; lessons 5 and 6 only need a loop that trains a
model quickly and reproducibly, so they share this one (one copy for notebooks, benches and
graders alike). Nothing here is a task.
"""

from __future__ import annotations

import math
import time

import torch
import torch.nn.functional as F
from torch import nn


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
