"""The whole model, written twice: forward_and_backward (the functions) and Model (the modules).

    l1 = lin(inp, w1, b1), l2 = relu(l1), out = lin(l2, w2, b2), loss = mse(out, targ)

forward_and_backward(inp, targ, w1, b1, w2, b2) runs it forward, then backward by hand; returns
the loss (a 0-dim tensor) and leaves dL/d of each input in its .g. Model(w1, b1, w2, b2) holds
layers [Lin(w1, b1), Relu(), Lin(w2, b2)] and loss Mse(); model(x, targ) returns the loss,
model.backward() leaves the same .g.

Inputs: mlp_params (courselib.lesson3_backward): x (n, m), targ (n,) ~ N(0, 1), weights
N(0, 1/fan_in), biases N(0, 1); random shapes, batch size 1, a single hidden unit; float32 and
float64, on every device the grading machine has; two batches in a row through the same
parameters (one Model, as in training).
Expected: autograd's loss and gradients of mlp_loss on the same tensors; no .g and no loss
holds an autograd graph; after the second batch, every .g is the second batch's (each layer
backpropagates what it saw last, and sets, never adds: the contract).
Tolerance: float64 round-off (_grads.TOL); float32 (_grads.TOL32).
"""

import pytest
import torch

from autograder.grading import DEVICES, points, task
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward import _grads as grads
from autograder.probes import lesson3_backward as probes


@task("forward_and_backward")
@points(3)
def test_forward_and_backward_matches_autograd(student, rng, expect):
    """the loss and all five .g equal autograd's, batch 1 and one hidden unit included"""
    grads.expect_mlp_cases(expect, rng, lambda p: student.probe(probes.forward_and_backward_g, *p))


@task("forward_and_backward")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("device", DEVICES)
def test_forward_and_backward_keeps_dtype_and_device(student, rng, expect, dtype, device):
    """every .g has the inputs' dtype and device, and the values of autograd"""
    shape = (draw.integer(rng, 2, 30), 8, 6)
    params = [t.to(device, dtype) for t in draw.mlp(rng, *shape)]
    got = student.probe(probes.forward_and_backward_g, *params)
    grads.expect_mlp(expect, got, *params, **(grads.TOL if dtype == torch.float64 else grads.TOL32))


@task("forward_and_backward")
def test_forward_and_backward_sets_not_accumulates(student, rng, expect):
    """called again with another batch, every .g is the new batch's (nothing added up)"""
    batches, params = draw.two_batches(rng)
    got = student.probe(probes.forward_and_backward_twice, *batches, *params)
    grads.expect_two_batches(expect, got, batches, params)


@task("Model")
@points(3)
def test_model_matches_autograd(student, rng, expect):
    """the loss and all five .g equal autograd's (batch 1 and one hidden unit included)"""
    grads.expect_mlp_cases(expect, rng, lambda p: student.probe(probes.model_g, *p).grads)


@task("Model")
def test_model_layers(student, rng, expect):
    """Model.layers is [Lin, Relu, Lin] and Model.loss an Mse"""
    got = student.probe(probes.model_g, *draw.mlp(rng, 3, 4, 2))
    expect.equal(got.layers, ["Lin", "Relu", "Lin"], what="the classes of model.layers")
    expect.equal(got.loss_layer, "Mse", what="the class of model.loss")


@task("Model")
@points(2)
def test_model_trains_on_a_second_batch(student, rng, expect):
    """one Model, two batches: the second backward gives the second batch's gradients"""
    batches, params = draw.two_batches(rng)
    got = student.probe(probes.model_twice, *batches, *params)
    grads.expect_two_batches(expect, got, batches, params)
