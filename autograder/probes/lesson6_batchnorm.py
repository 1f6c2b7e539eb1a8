"""Probes for lesson 6 (batchnorm): build a normalisation layer from the student's module `mod`,
run it through a sequence of steps, and return plain data for the judge to compare with torch.

Not secret: the sandbox may read this file. Hidden inputs (the tensors) arrive as arguments.
Every probe is deterministic given its arguments.

A layer is named by a spec {"cls": "BatchNorm", "args": [nf], "kw": {...}}. A step is a dict
{"x": tensor, "g": tensor (the gradient fed to the output), "train": bool, optional "set":
{param name: tensor} (assigned before the step, like an optimizer step would)}.
"""

from __future__ import annotations

import io

import torch


def _build(mod, spec: dict):
    return getattr(mod, spec["cls"])(*spec.get("args", []), **spec.get("kw", {}))


def _buffers(layer) -> dict:
    return {k: v.detach().clone() for k, v in layer.named_buffers()}


def norm_steps(mod, spec: dict, steps: list, params: dict, dtype: str = "float64") -> list:
    """Run the steps; per step: output, input gradient, parameter gradients, buffers after."""
    device = steps[0]["x"].device if steps else torch.device("cpu")
    layer = _build(mod, spec).to(device=device, dtype=getattr(torch, dtype))
    named = dict(layer.named_parameters())
    with torch.no_grad():
        for name, value in params.items():
            named[name].copy_(value)
    results = []
    for step in steps:
        with torch.no_grad():
            for name, value in step.get("set", {}).items():
                named[name].copy_(value)
        layer.train(step["train"])
        x = step["x"].detach().clone().requires_grad_()
        y = layer(x)
        (y * step["g"]).sum().backward()
        results.append(
            {
                "out": y.detach(),
                "gx": x.grad,
                "grads": {
                    n: (p.grad.clone() if p.grad is not None else None) for n, p in named.items()
                },
                "buffers": _buffers(layer),
            }
        )
        for p in named.values():
            p.grad = None
    return results


def norm_forward(mod, spec: dict, x: torch.Tensor, train: bool = True):
    """One forward of a fresh layer (same dtype as x), as a plain tensor."""
    layer = _build(mod, spec).to(x.dtype).train(train)
    return layer(x).detach()


def norm_layout(mod, spec: dict, x: torch.Tensor) -> dict:
    """Parameters and buffers: names and shapes, what state_dict holds, where `.double()` and
    `.to(torch.float64)` put them, and whether a state_dict round trip restores eval outputs."""
    layer = _build(mod, spec)
    out = {
        "params": {n: list(p.shape) for n, p in layer.named_parameters()},
        "buffers": {n: list(b.shape) for n, b in layer.named_buffers()},
        "state_dict": sorted(layer.state_dict().keys()),
    }
    layer.double()
    out["double_dtypes"] = {n: str(t.dtype) for n, t in layer.state_dict().items()}
    layer2 = _build(mod, spec).to(torch.float64)
    out["to_dtypes"] = {n: str(t.dtype) for n, t in layer2.state_dict().items()}
    # train a few steps in float64, save, load into a fresh layer, compare eval outputs
    xd = x.double()
    layer.train()
    for k in range(3):
        layer(xd * (k + 1) + k)
    buf = io.BytesIO()
    torch.save(layer.state_dict(), buf)
    buf.seek(0)
    fresh = _build(mod, spec).double()
    fresh.load_state_dict(torch.load(buf))
    layer.eval()
    fresh.eval()
    with torch.no_grad():
        out["eval_trained"] = layer(xd)
        out["eval_loaded"] = fresh(xd)
    return out


def norm_fwd_bwd(mod, spec: dict, x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """One training forward + backward (output gradient g) of a fresh layer on x: x.grad."""
    layer = _build(mod, spec).to(x.dtype)
    xx = x.detach().requires_grad_()
    layer(xx).backward(g)
    return xx.grad
