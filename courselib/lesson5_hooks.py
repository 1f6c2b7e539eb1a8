"""Lesson 5's shared vocabulary: the telemetry histogram, a small model to hook, what the probes
observe, and the telemetry figure.

Used by the module `hooks.py` (the histogram constants), the notebook (the figures), the visible
tests, the probes (which build `mlp(seed)` inside the sandbox) and the graders (which build the
same model in the judge and compute what its layers output). Nothing here is a task.

    HIST_BINS, HIST_MIN, HIST_MAX      40 bins over [-7, 7]: each 0.35 wide
    mlp(seed)                          float64 Linear-ReLU-Linear-ReLU-Linear, weights from seed
    telemetry_figure(hooks, get_hist, get_min, title, sub)    the four-part telemetry plot
    smooth(values, beta)               lesson 4's debiased moving average, for the loss curves
"""

from __future__ import annotations

import torch
from torch import nn

from courselib.lesson4_callbacks import smooth  # noqa: F401 - the notebook's loss curves
from courselib.records import record

# The telemetry histogram: HIST_BINS equal bins over [HIST_MIN, HIST_MAX]; values outside are
# not counted. Bin k holds [HIST_MIN + k * w, HIST_MIN + (k + 1) * w), w = 0.35.
HIST_BINS, HIST_MIN, HIST_MAX = 40, -7.0, 7.0


def mlp(seed: int, sizes=(6, 9, 7, 4)) -> nn.Sequential:
    """A small float64 MLP (Linear, ReLU, Linear, ReLU, Linear) whose weights come from `seed`
    (scaled by 1.5 so that the outputs spread over several histogram bins)."""
    g = torch.Generator().manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = nn.Linear(a, b).double()
        with torch.no_grad():
            lin.weight.copy_(torch.randn(b, a, generator=g, dtype=torch.float64) * 1.5)
            lin.bias.copy_(torch.randn(b, generator=g, dtype=torch.float64))
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


# ---- what the probes observe (autograder/probes/lesson5_hooks.py) -------------------------


@record
class HookCalls:
    """What a Hook's func was called with, one entry per forward of the hooked layer."""

    seen_on_the_hook: list  # the outputs func stored on its first argument, read on the Hook
    module_arg_is_the_layer: list  # bool per call: the second argument was the hooked module
    inputs: list  # inp[0] per call
    outputs: list  # out per call


@record
class ModeCalls:
    """Calls of the hooks' func, hooks attached while the model was in eval mode."""

    in_eval: int  # calls during the eval-mode forwards
    in_train: int  # calls during the train-mode forwards that followed


@record
class HookCount:
    """Forward hooks registered on a module (len(module._forward_hooks)) at each step."""

    registered: int  # right after Hook(...)
    after_remove: int  # after remove()
    after_second_remove: int  # after remove() again (must not raise)
    calls_after_remove: int  # func calls during a forward after remove()


@record
class WithBlock:
    entered_is_the_object: bool  # `with X(...) as h`: h is the X object itself
    inside: list  # forward hooks per module inside the block
    calls_inside: int  # func calls during a forward inside the block
    after: list  # forward hooks per module after the block


@record
class Dropped:
    """Forward hooks left on the modules when the last reference to the object is dropped."""

    registered: list  # per module, before
    after_drop: list  # per module, after `del` and a garbage collection


@record
class Picked:
    value: object  # lc[idx], lists (and ListContainers) turned into plain lists


@record
class ListOps:
    length: int
    iterated: list  # list(iter(lc))
    after_set: list  # after lc[0] = "new"
    after_del: list  # after del lc[-1]
    length_after_del: int


@record
class Built:
    items: list  # list(iter(ListContainer(arg)))
    length: int


@record
class HooksMade:
    length: int
    are_hooks: list  # isinstance(item, Hook) per item
    item_is_hook: bool  # hooks[1] is a Hook
    registered: list  # forward hooks per module
    seen: list  # per item, the outputs its func was called with


@record
class HooksRemoved:
    registered: list  # forward hooks per module, before remove()
    after_remove: list
    calls_after_remove: int


@record
class HooksDeleted:
    after_del: list  # forward hooks per module after `del hooks[1]`
    length: int  # len(hooks) after it


@record
class LayerStats:
    """hook.stats as append_stats left them (no attribute: all None), and what each entry is:
    'float', or 'Tensor' / 'Tensor with grad_fn' (a tensor that holds the autograd graph)."""

    means: list | None
    stds: list | None
    hists: list | None
    mean_kinds: list | None
    std_kinds: list | None
    hist_kinds: list | None


@record
class ReluRun:
    outputs: list  # GeneralRelu(*settings[k])(x) per setting
    inputs_after: list  # x after each call


@record
class ReluGrads:
    grads: list  # x.grad per setting (None if backward raised)
    raised: list  # the exception's type name per setting, or None


@record
class Layer:
    """One layer of a CNN run on its own input: its type, its first Conv2d or Linear (their
    weight and bias, and the conv's settings), what went in and what came out."""

    kind: str
    weight: torch.Tensor | None
    bias: torch.Tensor | None
    conv: dict | None  # {"ni", "nf", "ks", "stride", "padding"} of the first Conv2d, if any
    inp: torch.Tensor
    out: torch.Tensor


@record
class CnnRun:
    kind: str  # type name of what get_cnn_layers / get_cnn_model returned
    layers: list  # Layer per layer, in order


@record
class InitRun:
    conv_weights: list
    conv_biases: list
    linear_weight_before: torch.Tensor
    linear_weight_after: torch.Tensor
    returned_the_model: bool


# ---- the telemetry figure -----------------------------------------------------------------


def layer_colour(i: int):
    import matplotlib.pyplot as plt

    return plt.get_cmap("tab10")(i % 10)


def telemetry_figure(hooks, get_hist, get_min, title: str, sub: float = 0.0):
    """Top: per layer, activation mean, std and the fraction in the dead band around -sub, per
    training batch (targets dashed: mean 0, std 1). Bottom: each layer's histogram over
    training (get_hist: log(1 + count)), activation value against batch, -sub dashed."""
    import matplotlib.pyplot as plt

    n, floor = len(hooks), -sub + 0.0  # + 0.0: no "-0" in the labels
    fig = plt.figure(figsize=(3.2 * max(n, 4), 7.5))
    # one flat grid (what tight_layout handles): 3 columns per layer and one for the colour bar
    grid = fig.add_gridspec(2, 3 * n + 1, width_ratios=[1] * 3 * n + [0.25])
    ax_mean, ax_std = fig.add_subplot(grid[0, :n]), fig.add_subplot(grid[0, n : 2 * n])
    ax_dead = fig.add_subplot(grid[0, 2 * n : 3 * n])
    for i, h in enumerate(hooks):
        means, stds, _ = h.stats
        c = layer_colour(i)
        ax_mean.plot([float(m) for m in means], color=c, lw=1, label=f"layer {i}")
        ax_std.plot([float(s) for s in stds], color=c, lw=1)
        ax_dead.plot(get_min(h, sub).tolist(), color=c, lw=1)
    ax_mean.axhline(0, color="grey", ls="--", lw=1, label="target 0")
    ax_std.axhline(1, color="grey", ls="--", lw=1, label="target 1")
    ax_mean.set(title="activation mean", xlabel="training batch", ylabel="mean")
    ax_std.set(title="activation std", xlabel="training batch", ylabel="std", yscale="log")
    ax_dead.set(
        title=f"share in the dead band around {floor:g}",
        xlabel="training batch",
        ylabel="fraction of activations",
        ylim=(0, 1.05),
    )
    ax_std.yaxis.set_major_locator(plt.LogLocator(subs=(1, 2, 5)))  # 0.1, 0.2, 0.5, 1, 2
    ax_std.yaxis.set_major_formatter(plt.FormatStrFormatter("%g"))  # narrow, not 2x10^-1
    ax_std.yaxis.set_minor_formatter(plt.NullFormatter())
    ax_mean.legend(fontsize=7, ncol=2)
    ax_std.legend(fontsize=7)
    hist_axes = [fig.add_subplot(grid[1, 3 * i : 3 * i + 3]) for i in range(n)]
    for i, (ax, h) in enumerate(zip(hist_axes, hooks)):
        img = get_hist(h)
        extent = (0, img.shape[1], HIST_MIN, HIST_MAX)
        im = ax.imshow(img, origin="lower", aspect="auto", extent=extent, cmap="viridis")
        ax.axhline(floor, color="white", ls="--", lw=0.8)
        ax.set_title(f"layer {i} histogram", color=layer_colour(i))
        ax.set_xlabel("training batch")
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
        if i > 0:
            ax.tick_params(labelleft=False)
        else:
            ax.set_ylabel(f"activation value (dashed: {floor:g})")
    fig.colorbar(im, cax=fig.add_subplot(grid[1, 3 * n]), label="log(1 + count)")
    fig.suptitle(title)
    return fig
