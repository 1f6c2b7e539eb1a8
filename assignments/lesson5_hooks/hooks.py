"""Lesson 5: looking inside a network while it trains — hooks, telemetry and GeneralRelu.

A forward hook is a function PyTorch calls after a module's forward:

    hook_fn(module, input, output)          registered with module.register_forward_hook(fn)

We wrap it in a `Hook` object that keeps what it records (per-layer means, stds and histograms
of the activations), collect one per layer in `Hooks`, and plot the result: a network with plain
ReLU and PyTorch's default init starts with activations that collapse towards zero layer after
layer; GeneralRelu (leaky, shifted, clamped) with kaiming init keeps them alive.

Tensors keep the caller's dtype and device. Bad arguments raise ValueError with a message naming
what was wrong. The training loop and MNIST images are given in `courselib.training`; the
histogram's bins (HIST_BINS over [HIST_MIN, HIST_MAX]) and the telemetry figure in
`courselib.lesson5_hooks`.
"""

from __future__ import annotations

import math
import weakref

import torch
import torch.nn.functional as F
from torch import nn

from courselib.lesson5_hooks import HIST_BINS, HIST_MAX, HIST_MIN


# ## Task 5.1: Hook
class Hook:
    """Register `func` as a forward hook of `module`; call it as func(hook, module, inp, out).

    The hook passes *itself* as the first argument, so `func` can store what it records on
    it (e.g. `hook.stats`). `func` runs after every forward of the module, in training and in
    eval mode alike (deciding what to record is func's business). Removal:

        h = Hook(model[0], append_stats)    ...    h.remove()     # explicit
        with Hook(model[0], append_stats) as h: ...               # removed at the end of the block
        del h                                                     # removed when h is collected

    The course registered `partial(func, self)`: the module then holds the hook object alive,
    so `__del__` never ran and a forgotten hook stayed on the model for ever. Register a function
    that holds only a `weakref.ref(self)` instead (and does nothing once the hook is gone), so
    that dropping the last reference to the Hook removes it from the module.

    Attributes: `module` (the hooked module) and whatever handle you need for remove().
    remove() may be called more than once.
    """

    def __init__(self, module: nn.Module, func):
        raise NotImplementedError("Hook.__init__")

    def remove(self) -> None:
        """Take the hook off the module (idempotent)."""
        raise NotImplementedError("Hook.remove")

    def __enter__(self) -> "Hook":
        raise NotImplementedError("Hook.__enter__")

    def __exit__(self, *exc) -> None:
        raise NotImplementedError("Hook.__exit__")

    def __del__(self):  # given: runs when the object is collected; must never raise
        try:
            self.remove()
        except Exception:
            pass


# ## Task 5.2: ListContainer
class ListContainer:
    """A list you can index the numpy way; the items live in `self.items` (a plain list).

        lc[3]                  -> the item                 lc[1:3]       -> [items 1, 2]
        lc[[0, 2]]             -> [items 0, 2]             lc[[True, False, True]] -> [items 0, 2]

    Every index except an int returns a plain list. A bool mask must have one entry per item
    (ValueError otherwise); a 1-d tensor index works like the list it holds (bool or int).
    `len`, iteration, `lc[i] = x` and `del lc[i]` work as on a list. The repr is short:

        ListContainer (3 items)
        [1, 2, 3]

    and shows at most the first 10 items, followed by '...' when there are more.
    Built from `items`: None gives an empty container; a string is one item (not its
    characters); any other iterable (list, tuple, range, generator, tensor) gives its elements;
    anything else (a number, a single layer) is one item.
    """

    def __init__(self, items=None):
        raise NotImplementedError("ListContainer.__init__")

    def __getitem__(self, idx):
        raise NotImplementedError("ListContainer.__getitem__")

    def __len__(self) -> int:
        raise NotImplementedError("ListContainer.__len__")

    def __iter__(self):
        raise NotImplementedError("ListContainer.__iter__")

    def __setitem__(self, i, o) -> None:
        raise NotImplementedError("ListContainer.__setitem__")

    def __delitem__(self, i) -> None:
        raise NotImplementedError("ListContainer.__delitem__")

    def __repr__(self) -> str:
        raise NotImplementedError("ListContainer.__repr__")


# ## Task 5.3: Hooks
class Hooks(ListContainer):
    """One Hook(m, func) per module in `modules` (any iterable of modules: a list, a slice
    of an nn.Sequential, the Sequential itself for all its layers), kept as a ListContainer.

        with Hooks(model, append_stats) as hooks:
            fit(...)
        # every hook is off the model here

    remove() takes all of them off; so does leaving the `with` block and deleting the object.
    `del hooks[i]` removes that hook from its module too.
    """

    def __init__(self, modules, func):
        raise NotImplementedError("Hooks.__init__")

    def remove(self) -> None:
        raise NotImplementedError("Hooks.remove")

    def __enter__(self) -> "Hooks":
        raise NotImplementedError("Hooks.__enter__")

    def __exit__(self, *exc) -> None:
        raise NotImplementedError("Hooks.__exit__")

    def __delitem__(self, i) -> None:
        raise NotImplementedError("Hooks.__delitem__")

    def __del__(self):  # given: runs when the object is collected; must never raise
        try:
            self.remove()
        except Exception:
            pass


# ## Task 5.4: telemetry
def append_stats(hook, module: nn.Module, inp, outp: torch.Tensor) -> None:
    """A hook function: record the statistics of the module's *output*, in training mode only.

    On the first call create `hook.stats = ([], [], [])`: (means, stds, hists). Then, for an
    output of n values y_1..y_n (any shape), append

        means: m = (1/n) sum y_i                               a Python float
        stds:  s = sqrt(sum (y_i - m)^2 / (n - 1))             a Python float (unbiased)
        hists: a float tensor (HIST_BINS,) on the cpu: entry k counts the y_i in bin k of
               the telemetry histogram (HIST_BINS equal bins over [HIST_MIN, HIST_MAX]);
               values outside that range are not counted

    computed in the output's dtype. Nothing recorded may hold on to the autograd graph (a
    tensor with a grad_fn keeps every batch's activations alive). Nothing is recorded when
    module.training is False (validation batches).
    """
    raise NotImplementedError("append_stats")


def get_hist(hook) -> torch.Tensor:
    """The histograms recorded by append_stats as an image: (HIST_BINS, n_batches), log1p of
    the counts (float32); column t is batch t, row 0 the bin of the most negative values."""
    raise NotImplementedError("get_hist")


def dead_bins(sub: float = 0.0) -> tuple[int, int]:
    """(first, last + 1) of the histogram bins that count as "dead" for an activation that
    outputs -sub where its input is negative (ReLU: sub = 0; GeneralRelu(sub=0.4): -0.4).

    The band is the bin c that holds the value -sub (bin k covers [HIST_MIN + k w,
    HIST_MIN + (k + 1) w), w = (HIST_MAX - HIST_MIN) / HIST_BINS; a -sub outside the histogram
    takes the nearest bin, 0 or HIST_BINS - 1) and one bin on either side where they exist.
    For sub = 0 that is bins 19:22, the course's band; the course kept 19:22 after switching to
    sub=0.4, whose dead outputs (-0.4) land in bin 18, so its "dead" fraction missed them.
    """
    raise NotImplementedError("dead_bins")


def get_min(hook, sub: float = 0.0) -> torch.Tensor:
    """Per batch t, the share of batch t's counted activations that fall in dead_bins(sub):
    (counts of batch t in the band) / (all counts of batch t), a float32 tensor (n_batches,).
    A batch with no counted values gives 0."""
    raise NotImplementedError("get_min")


# ## Task 5.5: GeneralRelu
class GeneralRelu(nn.Module):
    """y = min(leaky_relu(x, leak) - sub, maxv), each part only when its argument is given.

        leak=None: relu(x) = max(x, 0);  leak=a: x if x >= 0 else a * x
        sub=None:  nothing subtracted;   maxv=None: no clamp

    Shape, dtype and device of x are kept, and x itself is not modified. Its gradient is 1
    where x > 0 and y < maxv, leak (0 without one) where x < 0 and y < maxv, and 0 where the
    clamp holds y at maxv. Do not edit relu's output in place (as the course did): relu saves its
    output for backward, so an in-place edit breaks autograd.
    """

    def __init__(self, leak: float | None = None, sub: float | None = None, maxv=None):
        raise NotImplementedError("GeneralRelu.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("GeneralRelu.forward")


# ## Task 5.6: the CNN
def conv_layer(ni: int, nf: int, ks: int = 3, stride: int = 2, **kwargs) -> nn.Sequential:
    """An nn.Sequential of two layers: a 2-d convolution from ni to nf channels with a ks x ks
    kernel, the given stride, padding ks // 2 on every side and a bias; then a GeneralRelu built
    with the keyword arguments (leak, sub, maxv)."""
    raise NotImplementedError("conv_layer")


def get_cnn_layers(nfs, c_out: int = 10, layer=conv_layer, c_in: int = 1, **kwargs) -> list:
    """The course's MNIST CNN as a list of layers, for images (N, c_in, 28, 28):

        one `layer` per entry of nfs, all with stride 2 and the keyword arguments (every one of
        them, not only the first): from c_in to nfs[0] channels with kernel 5, then from
        nfs[i - 1] to nfs[i] with kernel 3;
        then an adaptive average pool to 1 x 1, a flatten (N, C, 1, 1) -> (N, C), and a linear
        layer from nfs[-1] to c_out features.

    ValueError when nfs is empty.
    """
    raise NotImplementedError("get_cnn_layers")


def get_cnn_model(nfs, c_out: int = 10, layer=conv_layer, c_in: int = 1, **kwargs):
    """The layers of get_cnn_layers (same arguments, keyword arguments included) in an
    nn.Sequential: (N, c_in, 28, 28) -> (N, c_out)."""
    raise NotImplementedError("get_cnn_model")


# ## Task 5.7: init_cnn
def init_cnn(m: nn.Module, uniform: bool = False) -> nn.Module:
    """Kaiming init (fan_in mode) for a leaky ReLU of slope a = 0.1, for every nn.Conv2d inside
    m at any depth (also inside nested Sequentials):

        weight ~ N(0, std^2)               (uniform=False)
                 U(-sqrt(3) std, sqrt(3) std)  (uniform=True)
        std = sqrt(2 / (1 + a^2)) / sqrt(fan_in),   fan_in = in_channels * kh * kw
        bias = 0

    (lesson 2 wrote these; here torch.nn.init's versions may be used). A conv fed unit-variance
    inputs then has outputs of variance 2 / (1 + 0.01), and after leaky_relu(0.1) their second
    moment is 1. Other modules are left alone. Returns m (initialised in place).
    """
    raise NotImplementedError("init_cnn")
