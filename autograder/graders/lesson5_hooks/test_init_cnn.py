"""init_cnn(m, uniform=False): every Conv2d inside m, at any depth, gets Kaiming init for a leaky
ReLU of slope 0.1 (fan_in: std = sqrt(2 / 1.01) / sqrt(fan_in); uniform: bound sqrt(3) * std),
bias 0; other layers untouched; returns m.

Inputs: a CNN built by the probe (not by the student's get_cnn_model, so only init_cnn is
graded): blocks Sequential(Conv2d, LeakyReLU(0.1)) with channels 1 -> 24..40 -> 8..24 -> 8..24
(kernel 5, then 3), pool, flatten, Linear; biases set to 0.5 first; for the depth check the
last block nested two Sequentials deeper. Weights drawn from a seed drawn here; the judge
measures the weights the probe returns, and runs the first conv on x ~ N(0, 1) (64, 1, 28, 28).

Tolerances (sample statistics): the std of n weights has relative sd ~ 1/sqrt(2n); the smallest
conv has n = 25 * 24 = 600 weights (sd 2.9 %), so a 15 % band is > 5 sd, and the errors it must
catch are factors of 1.7 (a = sqrt(5)) to > 4 (fan_out). The mean of n weights has sd
std / sqrt(n): 6 sd allowed. The max of n >= 600 uniform draws reaches bound * 0.97 with
probability 1 - 0.97^600 > 1 - 1e-7. The first conv's output variance is sum(w^2) over a
filter (25 weights): relative sd sqrt(2/25) per filter, averaged over >= 24 filters ~0.06 on
the variance, ~0.03 on std and RMS: 15 % is 5 sd.
"""

import math

import torch
import torch.nn.functional as F

from autograder.grading import points, task
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes

GAIN = math.sqrt(2 / (1 + 0.1**2))


def _sizes(rng):
    return [1, draw.integer(rng, 24, 40), draw.integer(rng, 8, 24), draw.integer(rng, 8, 24)]


def _std(w):
    return GAIN / math.sqrt(w[0].numel())  # fan_in = in_channels * kh * kw


def _check_normal(expect, r, convs):
    for k in convs:
        w, want = r.conv_weights[k], _std(r.conv_weights[k])
        got = w.std().item()
        expect.that(
            abs(got / want - 1) < 0.15,
            "conv weights should have std sqrt(2 / (1 + 0.1^2)) / sqrt(fan_in)",
            f"conv {k}: {got:.4f} vs {want:.4f}",
        )
        mean = w.mean().item()
        expect.that(abs(mean) < 6 * want / math.sqrt(w.numel()), "conv weights should have mean 0")
        expect.that(r.conv_biases[k].abs().max().item() == 0, "conv biases should be zero")


@task("init_cnn")
@points(2)
def test_kaiming_normal(student, rng, expect):
    """kaiming normal (a=0.1, fan_in) for every conv, biases 0, other layers untouched"""
    r = student.probe(probes.init_run, draw.seed(rng), _sizes(rng), False, False)
    _check_normal(expect, r, range(len(r.conv_weights)))
    expect.close(
        r.linear_weight_after,
        r.linear_weight_before,
        what="the Linear's weight",
        against="its weight before init_cnn",
        rtol=0,
        atol=0,
    )


@task("init_cnn")
def test_kaiming_uniform(student, rng, expect):
    """uniform=True: kaiming uniform (a=0.1), weights filling [-bound, bound]"""
    r = student.probe(probes.init_run, draw.seed(rng), _sizes(rng), True, False)
    for k, w in enumerate(r.conv_weights):
        bound, top = math.sqrt(3) * _std(w), w.abs().max().item()
        expect.that(
            bound * 0.97 <= top <= bound * (1 + 1e-6),
            "uniform init: weights should fill [-bound, bound], bound = sqrt(3) * std",
            f"conv {k}: max |w| {top:.4f} vs bound {bound:.4f}",
        )
        expect.that(r.conv_biases[k].abs().max().item() == 0, "conv biases should be zero")


@task("init_cnn")
def test_reaches_nested_convs(student, rng, expect):
    """a conv nested inside Sequentials of Sequentials is initialised too"""
    r = student.probe(probes.init_run, draw.seed(rng), _sizes(rng), False, True)
    _check_normal(expect, r, [len(r.conv_weights) - 1])


@task("init_cnn")
def test_returns_the_model(student, rng, expect):
    """returns the model it initialised in place"""
    r = student.probe(probes.init_run, draw.seed(rng), _sizes(rng), False, False)
    expect.that(r.returned_the_model, "init_cnn should return the model it was given")


@task("init_cnn")
@points(2)
def test_first_layer_output(student, rng, expect):
    """first conv on unit-variance images: std ~ 1.41, RMS after leaky_relu(0.1) ~ 1"""
    r = student.probe(probes.init_run, draw.seed(rng), _sizes(rng), False, False)
    x = torch.randn(64, 1, 28, 28, generator=rng)
    pre = F.conv2d(x, r.conv_weights[0], r.conv_biases[0], stride=2, padding=2)
    post_rms = F.leaky_relu(pre, 0.1).pow(2).mean().sqrt().item()
    expect.that(
        abs(pre.std().item() / GAIN - 1) < 0.15,
        "the first conv's output std should be about sqrt(2 / 1.01) = 1.41",
        f"got {pre.std().item():.3f}",
    )
    expect.that(
        abs(post_rms - 1) < 0.15,
        "after leaky_relu(0.1) the first layer's output RMS should be about 1",
        f"got {post_rms:.3f}",
    )
