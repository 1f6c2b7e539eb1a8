"""Lesson 2: initialisation, so that activations neither explode nor vanish.

A linear layer y = x @ w.T (w stored (out, in) as nn.Linear does) sums fan_in products, so

    var(y) = fan_in * var(w) * E[x^2]

To keep var(y) = E[x^2] layer after layer, var(w) = 1 / fan_in. A ReLU zeroes half of its input,
which halves E[x^2]; Kaiming He et al. (2015) put the 2 back: std(w) = sqrt(2 / fan_in). A leaky
ReLU with negative slope a keeps a^2 of the negative half, so in general

    gain(a) = sqrt(2 / (1 + a^2)),      std = gain(a) / sqrt(fan)

where fan is fan_in (preserve the forward activations, the default) or fan_out (preserve the
gradients in the backward pass). Xavier Glorot (2010), for tanh-like layers, compromises:
std = sqrt(2 / (fan_in + fan_out)).

The game rule: torch only for tensor creation, indexing, RNG (`normal_`, `uniform_`) and
elementwise ops. `torch.nn.init` is what we are building, so this module must not use it.

The functions ending in `_` fill the tensor in place (without recording gradients) and return the
same tensor object, as torch.nn.init does. Bad arguments raise ValueError naming what was wrong.
"""

import math

import torch

MODES = ("fan_in", "fan_out")


# ## Task 2.1: normalise the inputs
def normalize(x: torch.Tensor, mean, std) -> torch.Tensor:
    """(x - mean) / std, elementwise; a new tensor of x's dtype, x itself is not changed.

    Pass the *training* set's mean and std, also for the validation set: both must go through
    the same transformation, or the model sees a shifted validation set.
    """
    if not torch.is_tensor(std) and std == 0:
        raise ValueError("normalize: std is 0 (dividing by it gives inf)")
    return (x - mean) / std


# ## Task 2.2: fan in and fan out
def calc_fans(w: torch.Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight, as two ints.

        Linear weight (out, in):            fan_in = in,       fan_out = out
        Conv weight (out, in, *kernel):     fan_in = in * rf,  fan_out = out * rf

    where rf = prod(kernel), the receptive field: each output of a convolution sums in * rf
    products. A weight with fewer than 2 dimensions has no fans: ValueError.

    Example: calc_fans(torch.empty(32, 16, 3, 3)) == (144, 288).
    """
    if w.dim() < 2:
        raise ValueError(
            f"calc_fans: a weight needs at least 2 dimensions, got shape {tuple(w.shape)}"
        )
    rf = 1
    for k in w.shape[2:]:
        rf *= k
    return w.shape[1] * rf, w.shape[0] * rf


# ## Task 2.3: the gain of a (leaky) ReLU
def gain(a: float) -> float:
    """sqrt(2 / (1 + a^2)) as a float: a = 0 is a ReLU (sqrt 2), a = 1 the identity (1).

    PyTorch's default for nn.Linear and nn.Conv2d, kaiming_uniform_(a=sqrt(5)), gives
    gain(sqrt(5)) = sqrt(1/3) = 0.577.
    """
    return math.sqrt(2.0 / (1 + a * a))


def _fan(w: torch.Tensor, mode: str) -> int:
    """The fan that `mode` names (a helper given to you)."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = calc_fans(w)
    return fan_in if mode == "fan_in" else fan_out


# ## Task 2.4: Kaiming normal
def kaiming_normal_(w: torch.Tensor, a: float = 0.0, mode: str = "fan_in") -> torch.Tensor:
    """Fill w in place with N(0, std^2), std = gain(a) / sqrt(fan); return w itself.

    mode='fan_in' (default) keeps the forward activations' scale, 'fan_out' the gradients'.
    A weight stored (in, out) for `x @ w` has its fans swapped: use mode='fan_out' there to
    mean the true fan in. Any other mode: ValueError.
    """
    std = gain(a) / math.sqrt(_fan(w, mode))
    with torch.no_grad():
        w.normal_(0.0, std)
    return w


# ## Task 2.5: Kaiming uniform
def kaiming_uniform_(w: torch.Tensor, a: float = 0.0, mode: str = "fan_in") -> torch.Tensor:
    """Fill w in place with U(-bound, bound), bound = sqrt(3) * gain(a) / sqrt(fan); return w.

    U(-b, b) has variance b^2 / 3, so bound = sqrt(3) * std gives the same std as
    kaiming_normal_. Modes as in kaiming_normal_.
    """
    bound = math.sqrt(3.0) * gain(a) / math.sqrt(_fan(w, mode))
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w


# ## Task 2.6: Xavier (Glorot) normal
def xavier_normal_(w: torch.Tensor) -> torch.Tensor:
    """Fill w in place with N(0, std^2), std = sqrt(2 / (fan_in + fan_out)); return w."""
    fan_in, fan_out = calc_fans(w)
    with torch.no_grad():
        w.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)))
    return w
