"""Probes for lesson 5 (hooks): each builds fresh objects from the student's module `mod` (and a
fresh model: nothing is left over from another step), runs them, and returns a record of what
happened (courselib/lesson5_hooks.py). The judge computes what should have happened.

Not secret: the sandbox may read this file. Hidden inputs arrive as arguments (seeds, tensors,
settings). Every probe is deterministic given its arguments. Probes of one task use only that
task's code: the telemetry probes hook the model with torch's own register_forward_hook, not
with the student's Hook, so a broken Hook costs only the Hook tests.
"""

from __future__ import annotations

import gc
import types

import torch
from torch import nn

from courselib.lesson5_hooks import (
    Built,
    CnnRun,
    Dropped,
    HookCalls,
    HookCount,
    HooksDeleted,
    HooksMade,
    HooksRemoved,
    InitRun,
    Layer,
    LayerStats,
    ListOps,
    ModeCalls,
    Picked,
    ReluGrads,
    ReluRun,
    WithBlock,
    mlp,
)


def _n_hooks(module: nn.Module) -> int:
    return len(module._forward_hooks)


def _linears(model: nn.Sequential) -> list:
    return [m for m in model if isinstance(m, nn.Linear)]


class _Calls:
    """A func for Hook/Hooks that notes every call, (module, inp[0], out), and also appends the
    output to `probe_seen` on its first argument, as append_stats keeps `stats` on it: what the
    Hook then holds shows that func got the Hook (or a stand-in that writes through to it)."""

    def __init__(self):
        self.calls = []

    def __call__(self, hook, module, inp, out):
        out = out.detach().clone()
        self.calls.append((module, inp[0].detach().clone(), out))
        hook.probe_seen = getattr(hook, "probe_seen", []) + [out]


def _seen(hook) -> list:
    return list(getattr(hook, "probe_seen", []))


# ---- Hook -----------------------------------------------------------------------------------


def hook_calls(mod, seed: int, xs: list) -> HookCalls:
    """One Hook on layer 0 of mlp(seed); a forward per x."""
    model, func = mlp(seed), _Calls()
    h = mod.Hook(model[0], func)
    for x in xs:
        model(x)
    return HookCalls(
        seen_on_the_hook=_seen(h),
        module_arg_is_the_layer=[c[0] is model[0] for c in func.calls],
        inputs=[c[1] for c in func.calls],
        outputs=[c[2] for c in func.calls],
    )


def _mode_calls(attach, seed: int, n_eval: int, n_train: int, x) -> ModeCalls:
    """attach(model, func) on mlp(seed) in eval mode: n_eval forwards, then n_train in train."""
    model, func = mlp(seed).eval(), _Calls()
    attached = attach(model, func)
    for _ in range(n_eval):
        model(x)
    in_eval = len(func.calls)
    model.train()
    for _ in range(n_train):
        model(x)
    attached.remove()
    return ModeCalls(in_eval=in_eval, in_train=len(func.calls) - in_eval)


def hook_modes(mod, seed: int, n_eval: int, n_train: int, x: torch.Tensor) -> ModeCalls:
    """A Hook on layer 0, attached while the model is in eval mode."""
    return _mode_calls(lambda model, f: mod.Hook(model[0], f), seed, n_eval, n_train, x)


def hook_remove(mod, seed: int, x: torch.Tensor) -> HookCount:
    model, func = mlp(seed), _Calls()
    h = mod.Hook(model[0], func)
    registered = _n_hooks(model[0])
    h.remove()
    after_remove = _n_hooks(model[0])
    h.remove()
    model(x)
    return HookCount(registered, after_remove, _n_hooks(model[0]), len(func.calls))


def hook_with(mod, seed: int, x: torch.Tensor) -> WithBlock:
    model, func = mlp(seed), _Calls()
    with mod.Hook(model[0], func) as h:
        entered = isinstance(h, mod.Hook)
        inside = [_n_hooks(model[0])]
        model(x)
    return WithBlock(entered, inside, len(func.calls), [_n_hooks(model[0])])


def hook_dropped(mod, seed: int) -> Dropped:
    """A Hook nobody references any more (the course's Hook stays on the module for ever)."""
    model = mlp(seed)
    h = mod.Hook(model[0], _Calls())
    registered = [_n_hooks(model[0])]
    del h
    gc.collect()
    return Dropped(registered, [_n_hooks(model[0])])


# ---- ListContainer --------------------------------------------------------------------------


def _plain(mod, value):
    if isinstance(value, (list, tuple, mod.ListContainer)):
        return [_plain(mod, v) for v in value]
    return value


def lc_pick(mod, items: list, idx) -> Picked:
    """ListContainer(items)[idx]."""
    return Picked(_plain(mod, mod.ListContainer(items)[idx]))


def lc_list_ops(mod, items: list) -> ListOps:
    lc = mod.ListContainer(items)
    length, iterated = len(lc), list(iter(lc))
    lc[0] = "new"
    after_set = list(lc)
    del lc[-1]
    return ListOps(length, iterated, after_set, list(lc), len(lc))


def lc_build(mod, kind: str, value) -> Built:
    """ListContainer of `value` passed as `kind`: "as is", "tuple", "range" (value = n),
    "generator" (of the list value), "tensor" (of the list value)."""
    arg = {
        "as is": lambda: value,
        "tuple": lambda: tuple(value),
        "range": lambda: range(value),
        "generator": lambda: (v for v in value),
        "tensor": lambda: torch.tensor(value),
    }[kind]()
    lc = mod.ListContainer(arg)
    return Built(_plain(mod, list(iter(lc))), len(lc))


def lc_repr(mod, n: int) -> str:
    return repr(mod.ListContainer(list(range(n))))


# ---- Hooks ----------------------------------------------------------------------------------


def hooks_made(mod, seed: int, x: torch.Tensor) -> HooksMade:
    """Hooks on the three Linears of mlp(seed); one forward."""
    model, func = mlp(seed), _Calls()
    lins = _linears(model)
    hs = mod.Hooks(lins, func)
    registered = [_n_hooks(m) for m in lins]
    items = list(iter(hs))
    model(x)
    return HooksMade(
        length=len(hs),
        are_hooks=[isinstance(h, mod.Hook) for h in items],
        item_is_hook=isinstance(hs[1], mod.Hook),
        registered=registered,
        seen=[_seen(h) for h in items],
    )


def hooks_modes(mod, seed: int, n_eval: int, n_train: int, x: torch.Tensor) -> ModeCalls:
    """Hooks on every layer of mlp(seed), attached while the model is in eval mode."""
    return _mode_calls(lambda model, f: mod.Hooks(model, f), seed, n_eval, n_train, x)


def hooks_remove(mod, seed: int, x: torch.Tensor) -> HooksRemoved:
    model, func = mlp(seed), _Calls()
    lins = _linears(model)
    hs = mod.Hooks(lins, func)
    registered = [_n_hooks(m) for m in lins]
    hs.remove()
    model(x)
    return HooksRemoved(registered, [_n_hooks(m) for m in lins], len(func.calls))


def hooks_with(mod, seed: int, x: torch.Tensor) -> WithBlock:
    model, func = mlp(seed), _Calls()
    lins = _linears(model)
    with mod.Hooks(lins, func) as hs:
        entered = isinstance(hs, mod.Hooks)
        inside = [_n_hooks(m) for m in lins]
        model(x)
    return WithBlock(entered, inside, len(func.calls), [_n_hooks(m) for m in lins])


def hooks_delitem(mod, seed: int) -> HooksDeleted:
    model = mlp(seed)
    lins = _linears(model)
    hs = mod.Hooks(lins, _Calls())
    del hs[1]
    return HooksDeleted([_n_hooks(m) for m in lins], len(hs))


def hooks_dropped(mod, seed: int) -> Dropped:
    model = mlp(seed)
    lins = _linears(model)
    hs = mod.Hooks(lins, _Calls())
    registered = [_n_hooks(m) for m in lins]
    del hs
    gc.collect()
    return Dropped(registered, [_n_hooks(m) for m in lins])


# ---- append_stats, get_hist, get_min, dead_bins ---------------------------------------------


def _kind(v) -> str:
    if isinstance(v, torch.Tensor):
        return "Tensor with grad_fn" if v.grad_fn is not None or v.requires_grad else "Tensor"
    return type(v).__name__


def _layer_stats(holder) -> LayerStats:
    stats = getattr(holder, "stats", None)
    if stats is None:
        return LayerStats(None, None, None, None, None, None)
    means, stds, hists = (list(s) for s in stats)
    kinds = [[_kind(v) for v in s] for s in (means, stds, hists)]
    return LayerStats(means, stds, hists, *kinds)


def stats_run(mod, seed: int, batches: list, device: str = "cpu") -> list:
    """append_stats on every layer of mlp(seed) (hooked with torch's register_forward_hook,
    a holder object in place of the Hook), fed batches = [(x, train: bool), ...] in order.
    Autograd is on, as in training. Returns a LayerStats per layer."""
    model = mlp(seed).to(device)
    holders = [types.SimpleNamespace() for _ in model]
    for holder, layer in zip(holders, model):
        layer.register_forward_hook(
            lambda m, i, o, holder=holder: mod.append_stats(holder, m, i, o)
        )
    for x, train in batches:
        model.train(train)
        model(x.to(device))
    return [_layer_stats(h) for h in holders]


def _stats_of(hists: list):
    return types.SimpleNamespace(stats=([0.0] * len(hists), [1.0] * len(hists), list(hists)))


def hist_of(mod, hists: list) -> torch.Tensor:
    """get_hist of a hook-like object whose stats hold the given histograms."""
    return mod.get_hist(_stats_of(hists))


def min_of(mod, hists: list, sub: float) -> torch.Tensor:
    """get_min(sub) of a hook-like object whose stats hold the given histograms."""
    return mod.get_min(_stats_of(hists), sub)


def bins_for(mod, subs: list) -> list:
    return [list(mod.dead_bins(s)) for s in subs]


# ---- GeneralRelu ----------------------------------------------------------------------------


def relu_run(mod, x: torch.Tensor, settings: list) -> ReluRun:
    """GeneralRelu(leak, sub, maxv)(copy of x) for every (leak, sub, maxv) in settings."""
    outputs, inputs_after = [], []
    for leak, sub, maxv in settings:
        xc = x.clone()
        y = mod.GeneralRelu(leak, sub, maxv)(xc)
        outputs.append(y.detach() if isinstance(y, torch.Tensor) else y)
        inputs_after.append(xc)
    return ReluRun(outputs, inputs_after)


def relu_grads(mod, x: torch.Tensor, g: torch.Tensor, settings: list) -> ReluGrads:
    """x.grad of sum(g * GeneralRelu(leak, sub, maxv)(1.0 * x)) for every setting; a backward
    that raises (e.g. an in-place edit of a tensor autograd saved) is noted, not propagated."""
    grads, raised = [], []
    for leak, sub, maxv in settings:
        xx = x.detach().clone().requires_grad_()
        try:
            (mod.GeneralRelu(leak, sub, maxv)(xx * 1.0) * g).sum().backward()
            grads.append(xx.grad)
            raised.append(None)
        except NotImplementedError:
            raise
        except RuntimeError as e:
            grads.append(None)
            raised.append(type(e).__name__)
    return ReluGrads(grads, raised)


# ---- the CNN ----------------------------------------------------------------------------------


def _layer(layer, inp: torch.Tensor) -> Layer:
    found = next((m for m in layer.modules() if isinstance(m, (nn.Conv2d, nn.Linear))), None)
    conv = None
    if isinstance(found, nn.Conv2d):
        conv = {
            "ni": found.in_channels,
            "nf": found.out_channels,
            "ks": list(found.kernel_size),
            "stride": list(found.stride),
            "padding": list(found.padding),
        }
    with torch.no_grad():
        out = layer(inp)
    return Layer(
        kind=type(layer).__name__,
        weight=None if found is None else found.weight.detach().clone(),
        bias=None if found is None or found.bias is None else found.bias.detach().clone(),
        conv=conv,
        inp=inp,
        out=out,
    )


def _run_layers(built, x: torch.Tensor) -> CnnRun:
    layers, y = [], x
    for layer in built if isinstance(built, (list, tuple, nn.Sequential)) else [built]:
        layers.append(_layer(layer, y))
        y = layers[-1].out
    return CnnRun(type(built).__name__, layers)


def conv_layer_run(mod, ni: int, nf: int, ks: int, stride: int, kw: dict, x) -> Layer:
    """conv_layer(ni, nf, ks, stride, **kw) run on x."""
    return _layer(mod.conv_layer(ni, nf, ks, stride, **kw), x)


def cnn_layers_run(mod, nfs: list, c_out: int, c_in: int, kw: dict, x) -> CnnRun:
    """get_cnn_layers(nfs, c_out, c_in=c_in, **kw), x fed through the layers one by one."""
    return _run_layers(mod.get_cnn_layers(nfs, c_out, c_in=c_in, **kw), x)


def cnn_layers_empty(mod) -> list:
    """get_cnn_layers([], 10): the type names of the layers it gives (if it does not raise)."""
    return [type(layer).__name__ for layer in mod.get_cnn_layers([], 10)]


def cnn_model_run(mod, nfs: list, c_out: int, c_in: int, kw: dict, x) -> CnnRun:
    """get_cnn_model(nfs, c_out, c_in=c_in, **kw), x fed through its layers one by one."""
    return _run_layers(mod.get_cnn_model(nfs, c_out, c_in=c_in, **kw), x)


# ---- init_cnn ---------------------------------------------------------------------------------


def init_run(mod, seed: int, sizes: list, uniform: bool, nested: bool) -> InitRun:
    """init_cnn on a CNN built here (not with the student's get_cnn_model): blocks
    Sequential(Conv2d, LeakyReLU(0.1)) (first kernel 5, then 3, stride 2), pool, flatten,
    Linear; biases set to 0.5 first. `nested`: the last block sits two Sequentials deeper."""
    torch.manual_seed(seed)
    convs = [
        nn.Conv2d(a, b, 5 if i == 0 else 3, stride=2, padding=2 if i == 0 else 1)
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))
    ]
    blocks = [nn.Sequential(c, nn.LeakyReLU(0.1)) for c in convs]
    if nested:
        blocks[-1] = nn.Sequential(nn.Sequential(blocks[-1]))
    lin = nn.Linear(sizes[-1], 10)
    model = nn.Sequential(*blocks, nn.AdaptiveAvgPool2d(1), nn.Flatten(), lin)
    with torch.no_grad():
        for c in convs:
            c.bias.fill_(0.5)
    before = lin.weight.detach().clone()
    returned = mod.init_cnn(model, uniform) if uniform else mod.init_cnn(model)
    return InitRun(
        conv_weights=[c.weight.detach().clone() for c in convs],
        conv_biases=[c.bias.detach().clone() for c in convs],
        linear_weight_before=before,
        linear_weight_after=lin.weight.detach().clone(),
        returned_the_model=returned is model,
    )
