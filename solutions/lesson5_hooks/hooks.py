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
        if not isinstance(module, nn.Module):
            raise ValueError(f"Hook needs an nn.Module, got {type(module).__name__}")
        if not callable(func):
            raise ValueError(f"Hook needs a callable func, got {type(func).__name__}")
        self.module = module
        ref = weakref.ref(self)

        def call(mod, inp, out):
            hook = ref()
            if hook is not None:
                func(hook, mod, inp, out)

        self.handle = module.register_forward_hook(call)

    def remove(self) -> None:
        """Take the hook off the module (idempotent)."""
        handle = getattr(self, "handle", None)
        if handle is not None:
            handle.remove()
            self.handle = None

    def __enter__(self) -> "Hook":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

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
        if items is None:
            items = []
        elif isinstance(items, str) or not hasattr(items, "__iter__"):
            items = [items]
        self.items = list(items)

    def __getitem__(self, idx):
        if isinstance(idx, torch.Tensor):
            if idx.dim() == 0:
                return self.items[int(idx)]
            idx = idx.tolist()
        if isinstance(idx, (int, slice)):
            return self.items[idx]
        idx = list(idx)
        if idx and all(isinstance(i, bool) for i in idx):
            if len(idx) != len(self.items):
                raise ValueError(
                    f"bool mask has {len(idx)} entries, the container {len(self.items)} items"
                )
            return [o for m, o in zip(idx, self.items) if m]
        return [self.items[i] for i in idx]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __setitem__(self, i, o) -> None:
        self.items[i] = o

    def __delitem__(self, i) -> None:
        del self.items[i]

    def __repr__(self) -> str:
        res = f"{self.__class__.__name__} ({len(self)} items)\n{self.items[:10]}"
        if len(self) > 10:
            res = res[:-1] + "...]"
        return res


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
        super().__init__([Hook(m, func) for m in modules])

    def remove(self) -> None:
        for h in self:
            h.remove()

    def __enter__(self) -> "Hooks":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

    def __delitem__(self, i) -> None:
        self[i].remove()
        super().__delitem__(i)

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
    if not hasattr(hook, "stats"):
        hook.stats = ([], [], [])
    if not module.training:
        return
    means, stds, hists = hook.stats
    out = outp.detach()
    means.append(out.mean().item())
    stds.append(out.std().item())
    hists.append(out.float().cpu().histc(HIST_BINS, HIST_MIN, HIST_MAX))


def get_hist(hook) -> torch.Tensor:
    """The histograms recorded by append_stats as an image: (HIST_BINS, n_batches), log1p of
    the counts (float32); column t is batch t, row 0 the bin of the most negative values."""
    return torch.stack(hook.stats[2]).t().float().log1p()


def dead_bins(sub: float = 0.0) -> tuple[int, int]:
    """(first, last + 1) of the histogram bins that count as "dead" for an activation that
    outputs -sub where its input is negative (ReLU: sub = 0; GeneralRelu(sub=0.4): -0.4).

    The band is the bin c that holds the value -sub (bin k covers [HIST_MIN + k w,
    HIST_MIN + (k + 1) w), w = (HIST_MAX - HIST_MIN) / HIST_BINS; a -sub outside the histogram
    takes the nearest bin, 0 or HIST_BINS - 1) and one bin on either side where they exist.
    For sub = 0 that is bins 19:22, the course's band; the course kept 19:22 after switching to
    sub=0.4, whose dead outputs (-0.4) land in bin 18, so its "dead" fraction missed them.
    """
    c = math.floor((-sub - HIST_MIN) / (HIST_MAX - HIST_MIN) * HIST_BINS)
    c = min(max(c, 0), HIST_BINS - 1)
    return max(c - 1, 0), min(c + 2, HIST_BINS)


def get_min(hook, sub: float = 0.0) -> torch.Tensor:
    """Per batch t, the share of batch t's counted activations that fall in dead_bins(sub):
    (counts of batch t in the band) / (all counts of batch t), a float32 tensor (n_batches,).
    A batch with no counted values gives 0."""
    h = torch.stack(hook.stats[2]).t().float()
    lo, hi = dead_bins(sub)
    return h[lo:hi].sum(0) / h.sum(0).clamp_min(1)


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
        super().__init__()
        self.leak, self.sub, self.maxv = leak, sub, maxv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.leaky_relu(x, self.leak) if self.leak is not None else F.relu(x)
        if self.sub is not None:
            x = x - self.sub
        if self.maxv is not None:
            x = x.clamp_max(self.maxv)
        return x


# ## Task 5.6: the CNN
def conv_layer(ni: int, nf: int, ks: int = 3, stride: int = 2, **kwargs) -> nn.Sequential:
    """An nn.Sequential of two layers: a 2-d convolution from ni to nf channels with a ks x ks
    kernel, the given stride, padding ks // 2 on every side and a bias; then a GeneralRelu built
    with the keyword arguments (leak, sub, maxv)."""
    return nn.Sequential(
        nn.Conv2d(ni, nf, ks, padding=ks // 2, stride=stride), GeneralRelu(**kwargs)
    )


def get_cnn_layers(nfs, c_out: int = 10, layer=conv_layer, c_in: int = 1, **kwargs) -> list:
    """The course's MNIST CNN as a list of layers, for images (N, c_in, 28, 28):

        one `layer` per entry of nfs, all with stride 2 and the keyword arguments (every one of
        them, not only the first): from c_in to nfs[0] channels with kernel 5, then from
        nfs[i - 1] to nfs[i] with kernel 3;
        then an adaptive average pool to 1 x 1, a flatten (N, C, 1, 1) -> (N, C), and a linear
        layer from nfs[-1] to c_out features.

    ValueError when nfs is empty.
    """
    nfs = list(nfs)
    if not nfs:
        raise ValueError("get_cnn_layers needs at least one entry in nfs")
    sizes = [c_in] + nfs
    convs = [
        layer(sizes[i], sizes[i + 1], 5 if i == 0 else 3, stride=2, **kwargs)
        for i in range(len(nfs))
    ]
    return convs + [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(nfs[-1], c_out)]


def get_cnn_model(nfs, c_out: int = 10, layer=conv_layer, c_in: int = 1, **kwargs):
    """The layers of get_cnn_layers (same arguments, keyword arguments included) in an
    nn.Sequential: (N, c_in, 28, 28) -> (N, c_out)."""
    return nn.Sequential(*get_cnn_layers(nfs, c_out, layer, c_in, **kwargs))


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
    f = nn.init.kaiming_uniform_ if uniform else nn.init.kaiming_normal_
    for layer in m.modules():
        if isinstance(layer, nn.Conv2d):
            f(layer.weight, a=0.1)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
    return m
