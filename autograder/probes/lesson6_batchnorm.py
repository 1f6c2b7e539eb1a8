"""Probes for lesson 6 (batchnorm): build a normalisation layer of the student's module `mod`
from a LayerSpec, drive it, and return records of what happened (courselib/lesson6_batchnorm.py).

Not secret: the sandbox may read this file. Every input (the tensors, the training batches)
arrives as an argument drawn by the judge; every probe builds a fresh layer, so what one test's
layer went through never reaches another test. The judge runs torch's own layers (or the
RunningBatchNorm recurrence) through the same steps and compares.
"""

from __future__ import annotations

import io

import torch

from courselib.lesson6_batchnorm import LayerSpec, Layout, Step, StepResult


def _build(mod, spec: LayerSpec):
    return getattr(mod, spec.cls)(*spec.args, **spec.kw)


def _assign(layer, values: dict) -> None:
    named = dict(layer.named_parameters())
    with torch.no_grad():
        for name, value in values.items():
            named[name].copy_(value)


def norm_steps(mod, spec: LayerSpec, steps: list, params: dict) -> list:
    """Run `steps` (Step records) through one layer, in the dtype and on the device of the first
    step's x, parameters set to `params` first. One StepResult per step: the output, x.grad, the
    parameters' grads and the buffers after the step. An exception raised by the backward is
    recorded (its type) and the next step still runs; one raised by the forward propagates."""
    first = steps[0].x
    layer = _build(mod, spec).to(device=first.device, dtype=first.dtype)
    _assign(layer, params)
    results = []
    for step in steps:
        _assign(layer, step.params or {})
        layer.train(step.train)
        x = step.x.detach().clone().requires_grad_()
        y = layer(x)
        raised = None
        try:
            (y * step.g).sum().backward()
        except Exception as exc:  # noqa: BLE001 - a failed backward is what is observed here
            raised = type(exc).__name__
        grads = {
            n: (p.grad.detach().clone() if p.grad is not None else None)
            for n, p in layer.named_parameters()
        }
        results.append(
            StepResult(
                out=y.detach().clone(),
                grad_x=x.grad,
                grads=grads,
                buffers={n: b.detach().clone() for n, b in layer.named_buffers()},
                backward_raised=raised,
            )
        )
        layer.zero_grad(set_to_none=True)
    return results


def norm_forward(mod, spec: LayerSpec, x: torch.Tensor, train: bool = True) -> torch.Tensor:
    """One forward of a fresh layer (in x's dtype), in training or eval mode: the output."""
    layer = _build(mod, spec).to(x.dtype).train(train)
    return layer(x).detach()


def norm_layout(mod, spec: LayerSpec, batches: list, x: torch.Tensor) -> Layout:
    """Parameters and buffers of a fresh layer: names and shapes, the keys of its state_dict,
    the dtypes `.double()` and `.to(torch.float64)` leave them in; then the layer (float64)
    trains on `batches`, its state_dict goes through torch.save/torch.load into a fresh layer,
    and both layers' eval outputs on `x` are observed."""
    layer = _build(mod, spec)
    params = {n: list(p.shape) for n, p in layer.named_parameters()}
    buffers = {n: list(b.shape) for n, b in layer.named_buffers()}
    keys = sorted(layer.state_dict())
    layer.double()
    after_double = {n: t.dtype for n, t in layer.state_dict().items()}
    after_to = {n: t.dtype for n, t in _build(mod, spec).to(torch.float64).state_dict().items()}
    layer.train()
    with torch.no_grad():
        for batch in batches:
            layer(batch)
    saved = io.BytesIO()
    torch.save(layer.state_dict(), saved)
    saved.seek(0)
    fresh = _build(mod, spec).double()
    fresh.load_state_dict(torch.load(saved))
    layer.eval()
    fresh.eval()
    with torch.no_grad():
        trained, loaded = layer(x), fresh(x)
    return Layout(params, buffers, keys, after_double, after_to, trained, loaded)


def norm_train_then_eval(
    mod, spec: LayerSpec, x: torch.Tensor, g: torch.Tensor, x_eval: torch.Tensor
) -> torch.Tensor:
    """What the lesson rule watches: one training forward and backward of a fresh layer, then
    one eval forward without autograd (as validation runs). The eval output."""
    layer = _build(mod, spec).to(x.dtype)
    xx = x.detach().clone().requires_grad_()
    (layer(xx) * g).sum().backward()
    layer.eval()
    with torch.no_grad():
        return layer(x_eval)


def norm_fwd_bwd(mod, spec: LayerSpec, x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """One training forward + backward (output gradient g) of a fresh layer on x: x.grad."""
    layer = _build(mod, spec).to(x.dtype)
    xx = x.detach().requires_grad_()
    layer(xx).backward(g)
    return xx.grad
