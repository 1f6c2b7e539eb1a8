"""Probes for lesson 3 (run inside the sandbox; `mod` is the student's module).

Gradients live on `.g` attributes of tensors inside the sandbox, so each probe builds the
objects, runs the student's backward, and returns a record (courselib/lesson3_backward.py) of
the `.g` it left, as they are (None where one was not set; tensors keep dtype and device).
The judge computes every expected gradient itself, with autograd, from the inputs it sent.

Not secret: the sandbox may read this file. One probe per task, each using only that task's
code (the layer probes call only the layer's own methods).
"""

from __future__ import annotations

import torch

from courselib.lesson3_backward import (
    GRADS,
    CrossEntropyRun,
    LayerRun,
    LinGrads,
    LinInputs,
    MlpGrads,
    ModelRun,
    ModuleRun,
    MseGrad,
    ReluGrad,
    Twice,
)


def _g(t):
    return getattr(t, "g", None)


def _snapshot(value):
    """A copy of a tensor as it is now (a later call may change it in place)."""
    return value.clone() if isinstance(value, torch.Tensor) else value


def _with_g(value: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """A layer's output as backward sees it: the value, with dL/d(output) in `.g`."""
    out = value.clone()
    out.g = g
    return out


def _mlp_grads(loss, tensors) -> MlpGrads:
    g = {name: _snapshot(_g(t)) for name, t in zip(GRADS, tensors)}
    seen = [loss, *g.values()]
    graph = any(isinstance(v, torch.Tensor) and v.requires_grad for v in seen)
    return MlpGrads(loss=_snapshot(loss), g=g, carries_graph=graph)


# ---- the gradient functions ------------------------------------------------------------------


def mse_grad_g(mod, inp, targ) -> MseGrad:
    mod.mse_grad(inp, targ)
    return MseGrad(inp_g=_g(inp))


def relu_grad_g(mod, inp, out_value, out_g) -> ReluGrad:
    """out_value is the relu's output (maybe shifted), out_g = dL/d out."""
    out = _with_g(out_value, out_g)
    mod.relu_grad(inp, out)
    return ReluGrad(inp_g=_g(inp), out_g_after=_g(out))


def lin_grad_g(mod, inp, out_value, out_g, w, b) -> LinGrads:
    out = _with_g(out_value, out_g)
    mod.lin_grad(inp, out, w, b)
    return LinGrads(inp_g=_g(inp), w_g=_g(w), b_g=_g(b))


def lin_grad_inputs_after(mod, inp, out_value, out_g, w, b) -> LinInputs:
    out = _with_g(out_value, out_g)
    mod.lin_grad(inp, out, w, b)
    return LinInputs(inp=inp, w=w, b=b, out_g=_g(out))


def lin_grad_twice(mod, inp, out_value, out_g1, out_g2, w, b) -> Twice:
    """lin_grad on the same inp, w, b twice, with two different out.g."""
    runs = []
    for out_g in (out_g1, out_g2):
        mod.lin_grad(inp, _with_g(out_value, out_g), w, b)
        runs.append(LinGrads(*(_snapshot(_g(t)) for t in (inp, w, b))))
    return Twice(*runs)


def forward_and_backward_g(mod, x, targ, w1, b1, w2, b2) -> MlpGrads:
    loss = mod.forward_and_backward(x, targ, w1, b1, w2, b2)
    return _mlp_grads(loss, (x, w1, b1, w2, b2))


def forward_and_backward_twice(mod, x1, targ1, x2, targ2, w1, b1, w2, b2) -> Twice:
    """Two batches through the same parameters: the .g after each call (x is each batch's)."""
    runs = []
    for x, targ in ((x1, targ1), (x2, targ2)):
        loss = mod.forward_and_backward(x, targ, w1, b1, w2, b2)
        runs.append(_mlp_grads(loss, (x, w1, b1, w2, b2)))
    return Twice(*runs)


# ---- the modules -----------------------------------------------------------------------------


def module_contract(mod, x1, x2, out_g) -> ModuleRun:
    """A tiny subclass of mod.Module (forward 3x, bwd 3 out.g) called on x1, then on x2, then
    backward() once: what __call__ kept, and where backward() put the gradient."""

    class Triple(mod.Module):
        def forward(self, inp):
            return inp * 3.0

        def bwd(self, out, inp):
            inp.g = out.g * 3.0

    layer = Triple()
    layer(x1)
    out = layer(x2)
    args = getattr(layer, "args", None)
    stored_args = isinstance(args, (tuple, list)) and len(args) == 1 and args[0] is x2
    stored_out = getattr(layer, "out", None) is out
    if isinstance(out, torch.Tensor):
        out.g = out_g
    layer.backward()
    return ModuleRun(
        out=out,
        stored_out_is_result=stored_out,
        stored_args_are_inputs=stored_args,
        inp_g=_g(x2),
        first_inp_g=_g(x1),
    )


def _layer_run(layer, inputs, out_g, params=()) -> LayerRun:
    out = layer(*inputs)
    if out_g is not None:
        out.g = out_g
    layer.backward()
    return LayerRun(out=out, inp_g=_g(inputs[0]), param_g=tuple(_g(p) for p in params))


def relu_layer(mod, sub, x, out_g) -> LayerRun:
    return _layer_run(mod.Relu(sub), (x,), out_g)


def lin_layer(mod, w, b, x, out_g) -> LayerRun:
    return _layer_run(mod.Lin(w, b), (x,), out_g, (w, b))


def mse_layer(mod, out, targ) -> LayerRun:
    return _layer_run(mod.Mse(), (out, targ), None)


def model_g(mod, x, targ, w1, b1, w2, b2) -> ModelRun:
    model = mod.Model(w1, b1, w2, b2)
    loss = model(x, targ)
    model.backward()
    return ModelRun(
        layers=[type(layer).__name__ for layer in getattr(model, "layers", [])],
        loss_layer=type(getattr(model, "loss", None)).__name__,
        grads=_mlp_grads(loss, (x, w1, b1, w2, b2)),
    )


def model_twice(mod, x1, targ1, x2, targ2, w1, b1, w2, b2) -> Twice:
    """One Model, two batches: call and backward() on each; the .g after each."""
    model = mod.Model(w1, b1, w2, b2)
    runs = []
    for x, targ in ((x1, targ1), (x2, targ2)):
        loss = model(x, targ)
        model.backward()
        runs.append(_mlp_grads(loss, (x, w1, b1, w2, b2)))
    return Twice(*runs)


def cross_entropy_g(mod, x, targ) -> CrossEntropyRun:
    ce = mod.CrossEntropy()
    loss = ce(x, targ)
    ce.backward()
    return CrossEntropyRun(loss=loss, inp_g=_g(x))
