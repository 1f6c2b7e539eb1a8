"""Lesson 6's shared vocabulary: the state each normalisation layer keeps, RunningBatchNorm's
warm-up constants, the CNN the notebook trains, and what the probes observe.

Used by the module `batchnorm.py` (the constants), the notebook and the bench (`get_cnn_model`),
the probes (which build the student's layers from a `LayerSpec` and drive them through `Step`s
inside the sandbox) and the graders (which run torch's own layers through the same steps in the
judge). Nothing here is a task.

    PARAMS[cls], BUFFERS[cls]          the parameter and buffer names of each layer
    RBN_MIN_VAR, RBN_WARMUP            RunningBatchNorm: var >= 0.01 while < 20 samples seen
    get_cnn_model(norm, nfs)           conv 5x5 then 3x3, stride 2, ReLU, norm(nf); pool, linear
    LayerSpec, Step                    what a probe is asked to build and run
    StepResult, Layout                 what it observed
"""

from __future__ import annotations

import dataclasses

import torch
from torch import nn

from courselib.records import record

# Parameters and buffers, by layer: the names the module's docstrings promise.
PARAMS = {
    "BatchNorm": ("mults", "adds"),  # (C, 1, 1)
    "LayerNorm": ("mult", "add"),  # 0-dim: one scalar each, as in the course
    "InstanceNorm": ("mults", "adds"),
    "GroupNorm": ("mults", "adds"),
    "RunningBatchNorm": ("mults", "adds"),
}
BUFFERS = {
    "BatchNorm": ("means", "vars"),  # (1, C, 1, 1)
    "RunningBatchNorm": ("sums", "sqrs", "count", "batch", "step", "dbias"),  # (1, C, 1, 1), 0-dim
}

# RunningBatchNorm clamps the variance to >= RBN_MIN_VAR while it has seen fewer than
# RBN_WARMUP samples (images): the first batches of one or two images cannot blow it up.
RBN_MIN_VAR, RBN_WARMUP = 0.01, 20


# ---- the CNN of the notebook and the bench ------------------------------------------------


def conv_layer(ni: int, nf: int, ks: int = 3, stride: int = 2, norm=None) -> nn.Sequential:
    """Conv2d -> ReLU -> norm(nf). The conv has no bias when a norm follows (its adds do the
    job). `norm` is any callable nf -> module (e.g. `lambda nf: GroupNorm(4, nf)`) or None."""
    layers = [nn.Conv2d(ni, nf, ks, padding=ks // 2, stride=stride, bias=norm is None), nn.ReLU()]
    if norm is not None:
        layers.append(norm(nf))
    return nn.Sequential(*layers)


def get_cnn_model(norm=None, nfs=(8, 16, 32, 64, 64), c_in: int = 1, c_out: int = 10):
    """The course's MNIST CNN with `norm` after every activation: first conv 5x5, then 3x3, all
    stride 2; pool, flatten, linear. Convs get kaiming init (fan_in, relu gain), biases 0."""
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


# ---- what the probes are asked to do (autograder/probes/lesson6_batchnorm.py) --------------


@record
class LayerSpec:
    """A layer of the student's module to build: `cls(*args, **kw)`, e.g.
    LayerSpec("GroupNorm", (2, 6), {"eps": 1e-4})."""

    cls: str
    args: tuple = ()
    kw: dict = dataclasses.field(default_factory=dict)


@record
class Step:
    """One step of a layer: set the parameters (if given, as an optimizer step would), put the
    layer in train or eval mode, y = layer(x), then backward of (y * g).sum()."""

    x: torch.Tensor  # (N, C, H, W), or (N, ...) for LayerNorm
    g: torch.Tensor  # the gradient fed to the output, x's shape
    train: bool
    params: dict | None = None  # parameter name -> value assigned before the step


# ---- what they observe --------------------------------------------------------------------


@record
class StepResult:
    """What one Step did."""

    out: torch.Tensor  # the output, detached
    grad_x: torch.Tensor | None  # x.grad after the backward (None if it got none)
    grads: dict  # parameter name -> its .grad after the backward (None if it got none)
    buffers: dict  # buffer name -> its value after the step
    backward_raised: str | None  # the exception type the backward raised, if it did


@record
class Layout:
    """How a layer keeps its state."""

    params: dict  # parameter name -> shape (list of ints)
    buffers: dict  # buffer name -> shape
    state_dict: list  # the keys of state_dict(), sorted
    dtypes_after_double: dict  # state_dict key -> dtype after .double()
    dtypes_after_to: dict  # state_dict key -> dtype of a fresh layer after .to(torch.float64)
    eval_trained: torch.Tensor  # eval output of the layer after its training batches (float64)
    eval_loaded: torch.Tensor  # the same input through a fresh layer given its state_dict
