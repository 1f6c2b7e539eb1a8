"""Probes for lesson 5 (hooks): they build objects from the student's module `mod`, exercise
them, and return plain data (tensors, numbers, strings, lists, dicts) for the judge to check.

Not secret: the sandbox may read this file. Hidden inputs arrive as arguments (seeds, tensors).
Every probe is deterministic given its arguments. Only torch, the standard library and
courselib are imported here; the judge imports the `_`-helpers to rebuild the same objects.
"""

from __future__ import annotations

import gc
import math
import types

import torch
from torch import nn


# -- helpers shared with the judge ----------------------------------------------------------


def _mlp(seed: int, sizes=(6, 9, 7, 4)) -> nn.Sequential:
    """A small float64 MLP (Linear, ReLU, Linear, ReLU, Linear) with weights drawn from seed."""
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


def _n_hooks(module: nn.Module) -> int:
    return len(module._forward_hooks)


def _recorder(hook, module, inp, out):
    """A hook function that records what it was called with."""
    if not hasattr(hook, "calls"):
        hook.calls = []
    hook.calls.append(
        {"module": module, "inp": inp[0].detach().clone(), "out": out.detach().clone()}
    )


# -- Hook -----------------------------------------------------------------------------------


def hook_calls(mod, seed: int, xs: list) -> dict:
    """One Hook(_recorder) on layer 0 of an MLP; forward every x. Reports whether func got the
    hook itself and the module, and what it saw vs the layer's real input/output."""
    model = _mlp(seed)
    with torch.no_grad():
        expected = [model[0](x) for x in xs]
    h = mod.Hook(model[0], _recorder)
    for x in xs:
        model(x)
    calls = getattr(h, "calls", [])
    h.remove()
    return {
        "n_calls": len(calls),
        "module_ok": all(c["module"] is model[0] for c in calls),
        "outs": [c["out"] for c in calls],
        "inps": [c["inp"] for c in calls],
        "expected_outs": expected,
    }


def hook_removal(mod, seed: int, x: torch.Tensor) -> dict:
    """Hooks left on the module after remove() (twice), after a `with` block, after `del`."""
    model = _mlp(seed)
    lin = model[0]
    h = mod.Hook(lin, _recorder)
    during = _n_hooks(lin)
    h.remove()
    h.remove()  # idempotent
    model(x)
    after_remove = _n_hooks(lin)
    calls_after_remove = len(getattr(h, "calls", []))
    with mod.Hook(lin, _recorder) as h2:
        model(x)
        inside = _n_hooks(lin)
        entered_is_hook = isinstance(h2, mod.Hook)
    after_with = _n_hooks(lin)
    calls_in_with = len(getattr(h2, "calls", []))
    return {
        "during": during,
        "after_remove": after_remove,
        "calls_after_remove": calls_after_remove,
        "inside_with": inside,
        "entered_is_hook": entered_is_hook,
        "after_with": after_with,
        "calls_in_with": calls_in_with,
    }


def hook_dropped(mod, seed: int) -> dict:
    """A Hook nobody references any more must not stay on the module (the course's bug)."""
    model = _mlp(seed)
    h = mod.Hook(model[0], _recorder)
    before = _n_hooks(model[0])
    del h
    gc.collect()
    hs = mod.Hooks([model[0], model[2]], _recorder)
    before_hooks = _n_hooks(model[0]) + _n_hooks(model[2])
    del hs
    gc.collect()
    return {
        "hook_before": before,
        "hook_after_del": _n_hooks(model[0]),
        "hooks_before": before_hooks,
        "hooks_after_del": _n_hooks(model[0]) + _n_hooks(model[2]),
    }


# -- ListContainer ---------------------------------------------------------------------------


def _plain(x):
    if isinstance(x, (list, tuple)) or type(x).__name__ == "ListContainer":
        return [_plain(o) for o in x]
    return x


def lc_index(mod, items: list, idx):
    """ListContainer(items)[idx] as plain data; an int index gives the item itself."""
    return _plain(mod.ListContainer(items)[idx])


def lc_list_ops(mod, items: list) -> dict:
    """len, iteration, item assignment and deletion."""
    lc = mod.ListContainer(items)
    out = {"len": len(lc), "iter": list(iter(lc))}
    lc[0] = "new"
    out["after_set"] = list(lc)
    del lc[-1]
    out["after_del"] = list(lc)
    out["len_after_del"] = len(lc)
    return out


def lc_repr(mod, n: int) -> str:
    return repr(mod.ListContainer(list(range(n))))


# -- Hooks -----------------------------------------------------------------------------------


def hooks_lifecycle(mod, seed: int, x: torch.Tensor) -> dict:
    """Hooks on every Linear of an MLP: recording, remove(), `with`, `del hooks[i]`."""
    model = _mlp(seed)
    lins = [model[0], model[2], model[4]]
    hs = mod.Hooks(lins, _recorder)
    out = {
        "len": len(hs),
        "are_hooks": [isinstance(h, mod.Hook) for h in hs],
        "item_is_hook": isinstance(hs[1], mod.Hook),
        "during": [_n_hooks(m) for m in lins],
    }
    model(x)
    out["recorded"] = [h.calls[0]["out"] for h in hs]
    out["expected"] = []
    y = x
    for layer in model:
        y = layer(y)
        if isinstance(layer, nn.Linear):
            out["expected"].append(y.detach())
    hs.remove()
    out["after_remove"] = [_n_hooks(m) for m in lins]
    with mod.Hooks(lins, _recorder) as hs2:
        out["entered_is_hooks"] = isinstance(hs2, mod.Hooks)
        out["inside_with"] = [_n_hooks(m) for m in lins]
    out["after_with"] = [_n_hooks(m) for m in lins]
    hs3 = mod.Hooks(lins, _recorder)
    del hs3[1]
    out["after_delitem"] = [_n_hooks(m) for m in lins]
    out["len_after_delitem"] = len(hs3)
    hs3.remove()
    return out


# -- append_stats, get_hist, dead_bins, get_min -----------------------------------------------


def stats_run(mod, seed: int, xs: list, eval_x: torch.Tensor) -> dict:
    """Hooks(append_stats) on every layer of an MLP; train-mode forwards of xs, then one
    eval-mode forward that must not be recorded. Returns each hook's stats as plain data."""
    model = _mlp(seed)
    with mod.Hooks(list(model), mod.append_stats) as hs:
        for x in xs:
            model(x)
        model.eval()
        model(eval_x)
        model.train()
        stats = []
        for h in hs:
            means, stds, hists = h.stats
            stats.append(
                {
                    "means": [float(m) for m in means],
                    "stds": [float(s) for s in stds],
                    "hists": [torch.as_tensor(t).detach() for t in hists],
                }
            )
    return {"stats": stats}


def stats_of_output(mod, out: torch.Tensor, sub: float) -> dict:
    """append_stats on an nn.Identity fed `out` (so the output is known exactly), then
    get_hist and get_min(sub) of that hook."""
    layer = nn.Identity()
    with mod.Hook(layer, mod.append_stats) as h:
        layer(out)
        layer(out * 0.5)
        return {"hist": mod.get_hist(h), "min": mod.get_min(h, sub)}


def hist_from(mod, hists: list) -> torch.Tensor:
    """get_hist of a hook-like object whose stats hold the given histograms."""
    h = types.SimpleNamespace(stats=([0.0] * len(hists), [1.0] * len(hists), list(hists)))
    return mod.get_hist(h)


def min_from(mod, hists: list, sub: float) -> torch.Tensor:
    """get_min(sub) of a hook-like object whose stats hold the given histograms."""
    h = types.SimpleNamespace(stats=([0.0] * len(hists), [1.0] * len(hists), list(hists)))
    return mod.get_min(h, sub)


def bins_for(mod, subs: list) -> list:
    return [list(mod.dead_bins(s)) for s in subs]


# -- GeneralRelu -----------------------------------------------------------------------------


def _combos(leak, sub, maxv):
    """The 8 combinations of (leak or None, sub or None, maxv or None)."""
    return [(a, b, c) for a in (None, leak) for b in (None, sub) for c in (None, maxv)]


def relu_forward(mod, x: torch.Tensor, leak: float, sub: float, maxv: float) -> dict:
    """GeneralRelu(l, s, m)(x) for every combination; also whether x was left unchanged."""
    out, mutated = {}, False
    for combo in _combos(leak, sub, maxv):
        xc = x.clone()
        y = mod.GeneralRelu(*combo)(xc)
        mutated = mutated or not torch.equal(xc, x)
        out[repr(combo)] = y.detach() if isinstance(y, torch.Tensor) else y
    return {"outputs": out, "mutated": mutated}


def relu_gradcheck(mod, x: torch.Tensor, leak: float, sub: float, maxv: float) -> dict:
    """torch.autograd.gradcheck of GeneralRelu for every combination (float64; x is kept away
    from the kinks by the judge). A combination whose backward raises reports the error."""
    out = {}
    for combo in _combos(leak, sub, maxv):
        layer = mod.GeneralRelu(*combo)
        xx = x.detach().clone().double().requires_grad_()
        try:
            out[repr(combo)] = bool(
                torch.autograd.gradcheck(lambda t: layer(t.clone()), (xx,), raise_exception=False)
            )
            y = layer(xx.clone())
            y.sum().backward()
        except NotImplementedError:
            raise
        except RuntimeError as e:  # e.g. backward after an in-place op on a saved tensor
            out[repr(combo)] = f"RuntimeError: {str(e)[:80]}"
    return out


def relu_grad(mod, x: torch.Tensor, leak: float, sub: float, maxv: float) -> dict:
    """d sum(GeneralRelu(x)) / dx for every combination (or the error its backward raised)."""
    out = {}
    for combo in _combos(leak, sub, maxv):
        xx = x.detach().clone().requires_grad_()
        try:
            mod.GeneralRelu(*combo)(xx * 1.0).sum().backward()
            out[repr(combo)] = xx.grad
        except NotImplementedError:
            raise
        except RuntimeError as e:  # e.g. backward after an in-place op on a saved tensor
            out[repr(combo)] = f"RuntimeError: {str(e)[:80]}"
    return out


# -- the CNN -----------------------------------------------------------------------------------


def _describe(layer) -> dict:
    d = {"type": type(layer).__name__}
    if isinstance(layer, nn.Conv2d):
        d.update(
            ni=layer.in_channels,
            nf=layer.out_channels,
            ks=list(layer.kernel_size),
            stride=list(layer.stride),
            padding=list(layer.padding),
            bias=layer.bias is not None,
        )
    elif isinstance(layer, nn.Linear):
        d.update(ni=layer.in_features, nf=layer.out_features)
    elif isinstance(layer, nn.Sequential):
        d["children"] = [_describe(c) for c in layer]
    return d


def conv_layer_run(mod, ni, nf, ks, stride, kw: dict, x: torch.Tensor) -> dict:
    """conv_layer(ni, nf, ks, stride, **kw): its structure, its weights and its output on x."""
    layer = mod.conv_layer(ni, nf, ks, stride, **kw)
    conv = layer[0]
    return {
        "desc": _describe(layer),
        "weight": conv.weight.detach().clone(),
        "bias": conv.bias.detach().clone(),
        "out": layer(x).detach(),
    }


def cnn_layers(mod, nfs: list, c_out: int, c_in: int, kw: dict) -> dict:
    layers = mod.get_cnn_layers(nfs, c_out, c_in=c_in, **kw)
    return {"is_list": isinstance(layers, list), "desc": [_describe(l) for l in layers]}


def cnn_model(mod, nfs: list, c_out: int, x: torch.Tensor, seed: int) -> dict:
    torch.manual_seed(seed)
    model = mod.get_cnn_model(nfs, c_out, c_in=x.shape[1])
    return {
        "type": type(model).__name__,
        "desc": [_describe(l) for l in model],
        "out_shape": list(model(x).shape),
    }


def cnn_layers_empty(mod):
    return mod.get_cnn_layers([], 10)


# -- init_cnn -----------------------------------------------------------------------------------


def init_stats(mod, seed: int, nfs: list, uniform: bool, x: torch.Tensor) -> dict:
    """init_cnn on a model built here (not with the student's get_cnn_model): nested
    Sequentials of Conv2d + LeakyReLU(0.1), then a Linear. Reports, per conv, weight std,
    max |weight|, fan_in and bias max |b|; whether the Linear was left alone; and the first
    conv's output std and the RMS after leaky_relu(0.1) on x (unit variance images)."""
    torch.manual_seed(seed)
    sizes = [x.shape[1]] + list(nfs)
    convs = [
        nn.Conv2d(sizes[i], sizes[i + 1], 5 if i == 0 else 3, stride=2, padding=2 if i == 0 else 1)
        for i in range(len(nfs))
    ]
    blocks = [nn.Sequential(c, nn.LeakyReLU(0.1)) for c in convs]
    # the deepest conv is nested two levels down: init_cnn must reach it
    model = nn.Sequential(
        *blocks[:-1],
        nn.Sequential(nn.Sequential(blocks[-1])),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(sizes[-1], 10),
    )
    with torch.no_grad():
        for c in convs:
            c.bias.fill_(0.5)
    lin_before = model[-1].weight.detach().clone()
    ret = mod.init_cnn(model, uniform) if uniform else mod.init_cnn(model)
    with torch.no_grad():
        pre = convs[0](x)
        post = nn.functional.leaky_relu(pre, 0.1)
    return {
        "returned_model": ret is model,
        "convs": [
            {
                "std": c.weight.detach().std().item(),
                "absmax": c.weight.detach().abs().max().item(),
                "mean": c.weight.detach().mean().item(),
                "fan_in": c.in_channels * c.kernel_size[0] * c.kernel_size[1],
                "n": c.weight.numel(),
                "bias_absmax": c.bias.detach().abs().max().item(),
            }
            for c in convs
        ],
        "linear_unchanged": torch.equal(lin_before, model[-1].weight.detach()),
        "pre_std": pre.std().item(),
        "post_rms": post.pow(2).mean().sqrt().item(),
    }
