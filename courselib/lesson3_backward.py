"""Lesson 3's shared vocabulary: the model's gradients, its parameters, the autograd check, and
what the probes observe.

Used by the module `backward.py` (its docstrings), the notebook, the visible tests, the probes
(autograder/probes/lesson3_backward.py) and the graders. Nothing here is a task.

    GRADS                                  the tensors forward_and_backward and Model leave .g on
    mlp_params(n, m, nh, generator, dtype) x (n, m), targ (n,), w1 (m, nh), b1, w2 (nh, 1), b2
    mlp_loss(x, targ, w1, b1, w2, b2)      the lesson's model and mse loss in torch's own ops
    autograd_grads(f, *tensors)            (f(*tensors), [df/dt for each t]) by torch.autograd

The convention at the relu's kink: max(x, 0) has no derivative at x = 0 exactly; this course
takes 0 there, as torch.relu's autograd does (and as `inp > 0` gives). Note that clamp_min's
autograd takes 1 at the kink: mlp_loss uses torch.relu so that autograd agrees with the course.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from courselib.records import record

GRADS = ("inp", "w1", "b1", "w2", "b2")  # inp is the model's input x


def mlp_params(n: int, m: int, nh: int, generator=None, dtype=torch.float64) -> tuple:
    """Random inputs of the lesson's model: x (n, m) and targ (n,) ~ N(0, 1), weights stored
    (in, out) with std 1/sqrt(fan_in), biases ~ N(0, 1) (so that some hidden units are off)."""

    def randn(*shape):
        return torch.randn(*shape, generator=generator, dtype=dtype)

    x, targ = randn(n, m), randn(n)
    w1, b1 = randn(m, nh) / math.sqrt(m), randn(nh)
    w2, b2 = randn(nh, 1) / math.sqrt(nh), randn(1)
    return x, targ, w1, b1, w2, b2


def mlp_loss(x, targ, w1, b1, w2, b2) -> torch.Tensor:
    """mse(lin(relu(lin(x, w1, b1)), w2, b2), targ), written with torch's own ops."""
    out = torch.relu(x @ w1 + b1) @ w2 + b2  # (n, 1)
    return F.mse_loss(out.squeeze(-1), targ)


def autograd_grads(f, *tensors) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """(f(*tensors), [d f / d t for t in tensors]) for a scalar f, by torch.autograd on fresh
    copies (the tensors themselves are not touched). What the notebook, the visible tests and
    the graders check your .g against; backward.py itself may not use autograd."""
    leaves = [t.detach().clone().requires_grad_() for t in tensors]
    value = f(*leaves)
    value.backward()
    return value.detach(), [leaf.grad for leaf in leaves]


# ---- what the probes observe (autograder/probes/lesson3_backward.py) ------------------------
# A gradient is whatever the student's code left in a tensor's `.g` (None where it set none),
# returned as it is: tensors keep their dtype and device (never converted to float).


@record
class MseGrad:
    inp_g: object  # inp.g after mse_grad(inp, targ)


@record
class ReluGrad:
    inp_g: object  # inp.g after relu_grad(inp, out)
    out_g_after: object  # out.g as it is after the call (relu_grad only reads it)


@record
class LinGrads:
    inp_g: object  # after lin_grad(inp, out, w, b): inp.g, w.g, b.g
    w_g: object
    b_g: object


@record
class LinInputs:
    """The tensors lin_grad(inp, out, w, b) was given, as they are after the call."""

    inp: torch.Tensor
    w: torch.Tensor
    b: torch.Tensor
    out_g: object


@record
class MlpGrads:
    loss: object  # what forward_and_backward (or Model's call) returned
    g: dict  # {name in GRADS: that tensor's .g}
    carries_graph: bool  # the loss or some .g requires grad (holds an autograd graph)


@record
class Twice:
    """The same objects used twice: what the first call left, and what the second left."""

    first: object
    second: object


@record
class ModuleRun:
    """A small Module subclass (forward 3x, bwd 3 out.g) called on x1, then on x2, then
    backward() once."""

    out: object  # what the second call returned
    stored_out_is_result: bool  # self.out is the very object the second call returned
    stored_args_are_inputs: bool  # self.args == (x2,), the very tensor
    inp_g: object  # x2.g after backward()
    first_inp_g: object  # x1.g after backward()


@record
class LayerRun:
    out: object  # what layer(*inputs) returned
    inp_g: object  # the first input's .g after backward()
    param_g: tuple  # the .g of the layer's parameters (w, b for Lin), in order


@record
class ModelRun:
    layers: list  # the class names of model.layers, in order
    loss_layer: str  # the class name of model.loss
    grads: MlpGrads


@record
class CrossEntropyRun:
    loss: object  # CrossEntropy()(x, targ)
    inp_g: object  # x.g after backward()
