"""Model(w1, b1, w2, b2): layers [Lin(w1, b1), Relu(), Lin(w2, b2)] and loss Mse();
model(x, targ) returns the loss, model.backward() leaves dL/d of x and of every parameter in .g.

Inputs: as for forward_and_backward (mlp_params; random shapes, batch size 1, one hidden unit);
one Model then used for two batches in a row, as in training.
Expected: autograd's loss and gradients of mlp_loss; after the second batch's backward, the .g
are the second batch's (each layer backpropagates what it saw last, and sets, never adds).
Tolerance: float64 round-off (_grads.TOL).
"""

from autograder.grading import points, task
from autograder.graders.lesson3_backward import _draw as draw
from autograder.graders.lesson3_backward import _grads as grads
from autograder.probes import lesson3_backward as probes


@task("Model")
@points(3)
def test_model_matches_autograd(student, rng, expect):
    """the loss and all five .g equal autograd's (batch 1 and one hidden unit included)"""
    for label, shape in draw.mlp_cases(rng).items():
        params = draw.mlp(rng, *shape)
        got = student.probe(probes.model_g, *params)
        grads.expect_mlp(expect, got.grads, *params, label=f" ({label})", **grads.TOL)


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
    n, m, nh = draw.mlp_cases(rng)["random shapes"]
    x1, targ1, *params = draw.mlp(rng, n, m, nh)
    x2, targ2 = draw.randn(rng, n, m), draw.randn(rng, n)
    got = student.probe(probes.model_twice, x1, targ1, x2, targ2, *params)
    grads.expect_mlp(expect, got.first, x1, targ1, *params, label=" (first batch)", **grads.TOL)
    grads.expect_mlp(expect, got.second, x2, targ2, *params, label=" (second batch)", **grads.TOL)
