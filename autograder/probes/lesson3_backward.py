"""Probes for lesson 3 (run inside the sandbox; `mod` is the student's module).

Gradients live on `.g` attributes of tensors inside the sandbox, so each probe builds the
tensors, runs the student's backward, and returns the `.g` tensors (None where one was not set)
together with the inputs as they are afterwards (to catch in-place changes).
"""

import torch


def _g(t):
    return getattr(t, "g", None)


def _with_g(value, g):
    out = value.clone()
    out.g = g
    return out


def mse_grad_g(mod, inp, targ):
    mod.mse_grad(inp, targ)
    return {"inp": _g(inp)}


def relu_grad_g(mod, inp, out_value, out_g):
    """out_value is the relu's output (maybe shifted), out_g = dL/d out."""
    out = _with_g(out_value, out_g)
    mod.relu_grad(inp, out)
    return {"inp": _g(inp)}


def lin_grad_g(mod, inp, out_value, out_g, w, b):
    out = _with_g(out_value, out_g)
    before = (inp.clone(), w.clone(), b.clone())
    mod.lin_grad(inp, out, w, b)
    return {
        "inp": _g(inp),
        "w": _g(w),
        "b": _g(b),
        "unchanged": all(torch.equal(x, y) for x, y in zip(before, (inp, w, b))),
    }


def forward_and_backward_g(mod, inp, targ, w1, b1, w2, b2):
    loss = mod.forward_and_backward(inp, targ, w1, b1, w2, b2)
    grads = {k: _g(t) for k, t in zip(["inp", "w1", "b1", "w2", "b2"], [inp, w1, b1, w2, b2])}
    return {"loss": loss, **grads}


def module_contract(mod, x, out_g):
    """A tiny subclass of mod.Module (forward 3x, bwd 3 out.g): what __call__ stored, and the
    .g that backward() produced through bwd(self.out, *self.args)."""

    class Triple(mod.Module):
        def forward(self, inp):
            return inp * 3.0

        def bwd(self, out, inp):
            inp.g = out.g * 3.0

    layer = Triple()
    out = layer(x)
    args = getattr(layer, "args", None)
    result = {
        "out": out,
        "stored_out": getattr(layer, "out", None) is out,
        "stored_args": isinstance(args, (tuple, list)) and len(args) == 1 and args[0] is x,
    }
    if isinstance(out, torch.Tensor):
        out.g = out_g
    layer.backward()
    result["inp"] = _g(x)
    return result


def layer_backward_g(mod, cls, inputs, out_g=None, kwargs=None, params=None):
    """mod.<cls>(*params, **kwargs) called on `inputs`; out.g = out_g (unless the layer is a
    loss); backward(); the .g of the first input and of the parameters."""
    layer = getattr(mod, cls)(*(params or []), **(kwargs or {}))
    out = layer(*inputs)
    if out_g is not None:
        out.g = out_g
    layer.backward()
    return {
        "out": out,
        "inp": _g(inputs[0]),
        "params": [_g(p) for p in (params or [])],
    }


def model_g(mod, x, targ, w1, b1, w2, b2):
    model = mod.Model(w1, b1, w2, b2)
    loss = model(x, targ)
    model.backward()
    return {
        "loss": loss,
        "layers": [type(layer).__name__ for layer in getattr(model, "layers", [])],
        **{k: _g(t) for k, t in zip(["inp", "w1", "b1", "w2", "b2"], [x, w1, b1, w2, b2])},
    }


def cross_entropy_g(mod, x, targ):
    ce = mod.CrossEntropy()
    loss = ce(x, targ)
    ce.backward()
    return {"loss": loss, "inp": _g(x)}
