"""Hidden graders for lesson 2: normalisation, fans, gains and Kaiming/Xavier initialisation.

Statistical tolerances come from the sample size, not from tuning. For n iid draws with
standard deviation s and kurtosis k (3 for a normal, 1.8 for a uniform):
    se(sample std) / s  ~ sqrt((k - 1) / (4 n))        se(sample mean) = s / sqrt(n)
    se(sample kurtosis) ~ sqrt(24 / n) for a normal
Every check allows 6 standard errors (a false failure about once in 10^9 per check). The
mistakes they must catch are far larger: fans swapped changes the std by sqrt(fan_in/fan_out)
(the shapes below keep that >= 1.5), a gain without the 2 by 1/sqrt(2), an ignored slope a (drawn
in [1, 3]) by sqrt(1 + a^2) >= 1.41, a uniform bound without sqrt(3) by 1/sqrt(3).
Weights are filled inside the sandbox (probes seed torch's RNG from a seed drawn here).
"""

import ast
import math

import pytest
import torch

from autograder import rules
from autograder.grading import DEVICES, points, task, task_from, visible
from courselib.checks import expect_close, expect_raises, fail

LESSON, MODULE = "lesson2_init", "initialization"

FILLERS = ["kaiming_normal_", "kaiming_uniform_", "xavier_normal_"]
SE = 6  # standard errors allowed by every statistical check
NORMAL_KURTOSIS, UNIFORM_KURTOSIS = 3.0, 1.8


def _int(rng, lo, hi):
    return int(torch.randint(lo, hi + 1, (1,), generator=rng))


def _seed(rng):
    return _int(rng, 0, 2**31 - 2)


def _uniform(rng, lo, hi):
    return lo + (hi - lo) * float(torch.rand(1, generator=rng, dtype=torch.float64))


def _linear_shape(rng):
    """(out, in) with in >= 2.5 out: fan_in and fan_out differ by a factor sqrt(2.5) in std."""
    out = _int(rng, 30, 60)
    return (out, _int(rng, int(2.5 * out) + 1, 400))


def _conv_shape(rng):
    """(out, in, 5, 5) with out >= 2.5 in: fans swapped changes the std by >= 1.58."""
    cin = _int(rng, 4, 8)
    return (_int(rng, int(2.5 * cin) + 1, 32), cin, 5, 5)


def _gain(a):
    return math.sqrt(2.0 / (1 + a * a))


def _fans(shape):
    return torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def _filled(student, fn, shape, rng, dtype=torch.float32, device="cpu", **kwargs):
    """Fill a NaN tensor with the student's fn in the sandbox; check it was done in place."""
    got = student.probe("fill", fn, list(shape), _seed(rng), kwargs, dtype, device)
    if not got["returned_w"]:
        fail("type", fn, "should return the tensor it was given", f"returned a {got['returned']}")
    if not got["same_storage"]:
        fail("mutation", fn, "should fill the tensor in place (same storage)")
    w = got["w"]
    if w.device.type != device:
        fail("device", fn, f"the weight should stay on {device}, got {w.device.type}")
    if w.dtype != dtype:
        fail("dtype", fn, f"the weight should stay {dtype}, got {w.dtype}")
    if torch.isnan(w).any():
        fail("values", fn, "left part of the tensor unfilled (NaN where it started as NaN)")
    return w


def _expect_stats(fn, w, std, kurtosis, what):
    """Sample mean and std of w against a zero-mean distribution with this std and kurtosis."""
    x = w.double().flatten()
    n = x.numel()
    mean, got = x.mean().item(), x.std(unbiased=False).item()
    rel = SE * math.sqrt((kurtosis - 1) / (4 * n))
    if abs(got / std - 1) > rel:
        fail(
            "values",
            fn,
            f"the std of the weights is off by a factor {got / std:.3g} ({what})",
            f"expected {std:.4g} ± {rel:.1%}, got {got:.4g}",
        )
    if abs(mean) > SE * std / math.sqrt(n):
        fail("values", fn, f"the mean of the weights is not 0 ({what})", f"mean {mean:.3g}")
    return x


def _expect_normal_shape(fn, x, what):
    """Sample kurtosis of a normal is 3 (a uniform's is 1.8): within 6 se = 6 sqrt(24 / n)."""
    z = (x - x.mean()) / x.std(unbiased=False)
    kurt = z.pow(4).mean().item()
    if abs(kurt - 3) > SE * math.sqrt(24 / x.numel()):
        fail("values", fn, f"the weights do not look normally distributed ({what})", f"{kurt:.3g}")


# ---- normalize -----------------------------------------------------------------------------


@task("normalize")
@points(2)
def test_normalize_values(student, rng):
    """equals (x - mean) / std with float and tensor statistics, input unchanged"""
    x = torch.rand(_int(rng, 1, 20), _int(rng, 2, 30), generator=rng)
    mean, std = _uniform(rng, 0.05, 0.3), _uniform(rng, 0.2, 0.5)
    got, after = student.probe("normalize_and_input", x, mean, std)
    expect_close("normalize", got, (x - mean) / std, against="(x - mean) / std")
    expect_close("normalize", after, x, what="x after the call", against="x before", atol=0)
    m, s = x.mean(0), x.std(0) + 0.1  # per-column statistics, broadcast
    got = student.normalize(x.double(), m.double(), s.double())
    expect_close("normalize", got, ((x - m) / s).double(), against="(x - mean) / std", rtol=1e-6)


@task("normalize")
def test_normalize_mnist_valid_with_train_stats(student):
    """normalises MNIST validation images with the training statistics"""
    from courselib.data import get_data

    xt, _, xv, _ = get_data(2000, 500)
    mean, std = xt.mean().item(), xt.std().item()
    got = student.normalize(xv, mean, std)
    expect_close("normalize", got, (xv - mean) / std, against="(x_valid - train mean) / train std")


# ---- calc_fans -----------------------------------------------------------------------------


@task("calc_fans")
@points(2)
def test_calc_fans_matches_torch(student, rng):
    """fans of Linear and Conv1d/2d/3d weights equal torch's own helper"""
    shapes = {
        "linear": (_int(rng, 1, 100), _int(rng, 1, 100)),
        "(in, out) weight": (784, 50),
        "conv1d": (_int(rng, 1, 32), _int(rng, 1, 32), _int(rng, 1, 7)),
        "conv2d": (_int(rng, 1, 32), _int(rng, 1, 32), _int(rng, 1, 5), _int(rng, 1, 5)),
        "conv3d": (_int(rng, 1, 8), _int(rng, 1, 8), 3, _int(rng, 1, 4), 2),
    }
    for label, shape in shapes.items():
        got = student.calc_fans(torch.empty(shape))
        expected = _fans(shape)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail("type", "calc_fans", "should return (fan_in, fan_out)", f"got {got!r}")
        if [int(v) for v in got] != list(expected):
            fail(
                "values",
                "calc_fans",
                f"wrong fans for a {label} weight",
                f"shape {shape}: got {tuple(got)}, expected {expected}",
            )


@task("calc_fans")
@visible
def test_calc_fans_rejects_vectors(student):
    """raises ValueError for a tensor with fewer than 2 dimensions"""
    for t in (torch.empty(5), torch.tensor(1.0)):
        expect_raises(
            "calc_fans", lambda: student.calc_fans(t), ValueError, f"for a {t.dim()}-d tensor"
        )


# ---- gain ----------------------------------------------------------------------------------


@task("gain")
@points(2)
def test_gain_values(student, rng):
    """gain(a) = sqrt(2 / (1 + a^2)) for relu, identity, sqrt(5) and random slopes"""
    slopes = [0.0, 1.0, math.sqrt(5), 0.01, _uniform(rng, 0.05, 3.0)]
    for a in slopes:
        got = student.gain(a)
        if not isinstance(got, (int, float)) and not torch.is_tensor(got):
            fail("type", "gain", "should return a number", f"got {type(got).__name__}")
        if not math.isclose(float(got), _gain(a), rel_tol=1e-9):
            fail("values", "gain", "gain(a) differs from sqrt(2 / (1 + a^2))", f"a={a:.4g}")
    # torch's own, for the leaky relu family
    if not math.isclose(float(student.gain(0.0)), torch.nn.init.calculate_gain("relu")):
        fail("values", "gain", "gain(0) should be torch's relu gain sqrt(2)")


# ---- kaiming_normal_ / kaiming_uniform_ / xavier_normal_ -----------------------------------


def _kaiming_std(shape, a, mode):
    fan_in, fan_out = _fans(shape)
    return _gain(a) / math.sqrt(fan_in if mode == "fan_in" else fan_out)


@task("kaiming_normal_")
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@points(2)
def test_kaiming_normal_std(student, rng, mode):
    """std = gain(a) / sqrt(fan) for Linear and Conv weights, the right fan for the mode"""
    for label, shape in {"linear": _linear_shape(rng), "conv": _conv_shape(rng)}.items():
        w = _filled(student, "kaiming_normal_", shape, rng, mode=mode)
        what = f"{label} weight, mode={mode}"
        x = _expect_stats("kaiming_normal_", w, _kaiming_std(shape, 0.0, mode), 3.0, what)
        if label == "linear":
            _expect_normal_shape("kaiming_normal_", x, what)


@task("kaiming_normal_")
@points(2)
def test_kaiming_normal_respects_a(student, rng):
    """a leaky slope a changes the std by gain(a) (a in [1, 3], and torch's sqrt(5))"""
    for a, label in ((_uniform(rng, 1.0, 3.0), "a in [1, 3]"), (math.sqrt(5), "a=sqrt(5)")):
        shape = _linear_shape(rng)
        w = _filled(student, "kaiming_normal_", shape, rng, a=a)
        _expect_stats("kaiming_normal_", w, _kaiming_std(shape, a, "fan_in"), 3.0, label)


@task("kaiming_normal_")
def test_kaiming_normal_in_out_weight_with_fan_out(student, rng):
    """a weight stored (in, out) = (784, 50) with mode='fan_out' gets std sqrt(2/784)"""
    w = _filled(student, "kaiming_normal_", (784, 50), rng, dtype=torch.float64, mode="fan_out")
    _expect_stats("kaiming_normal_", w, math.sqrt(2 / 784), 3.0, "(784, 50), fan_out")


@task_from("fn")
@pytest.mark.parametrize("fn", FILLERS)
@pytest.mark.parametrize("device", DEVICES)
def test_fills_on_device_in_float64(student, rng, fn, device):
    """keeps the weight's device and dtype (float64), with the right std"""
    shape = _linear_shape(rng)
    w = _filled(student, fn, shape, rng, dtype=torch.float64, device=device)
    fan_in, fan_out = _fans(shape)
    std = _kaiming_std(shape, 0.0, "fan_in")
    if fn == "xavier_normal_":
        std = math.sqrt(2 / (fan_in + fan_out))
    kurtosis = UNIFORM_KURTOSIS if fn == "kaiming_uniform_" else NORMAL_KURTOSIS
    _expect_stats(fn, w, std, kurtosis, f"float64 on {device}")


@task("kaiming_uniform_")
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@points(2)
def test_kaiming_uniform_bound_and_std(student, rng, mode):
    """U(-bound, bound), bound = sqrt(3) gain(a) / sqrt(fan): bound reached, std right"""
    a = _uniform(rng, 1.0, 3.0)
    for label, shape, slope in [
        ("linear", _linear_shape(rng), 0.0),
        ("conv", _conv_shape(rng), 0.0),
        ("linear", _linear_shape(rng), a),
    ]:
        w = _filled(student, "kaiming_uniform_", shape, rng, a=slope, mode=mode)
        std = _kaiming_std(shape, slope, mode)
        slope_label = "a=0" if slope == 0 else "a in [1, 3]"
        bound, what = math.sqrt(3) * std, f"{label} weight, mode={mode}, {slope_label}"
        top, n = w.double().abs().max().item(), w.numel()
        # float32 rounding of the bound allows 1e-6; P(max|w| < bound (1 - 30/n)) ~ e^-30
        if top > bound * (1 + 1e-6):
            fail("values", "kaiming_uniform_", f"values beyond the bound ({what})")
        if top < bound * (1 - 30 / n):
            fail("values", "kaiming_uniform_", f"values never come near the bound ({what})")
        _expect_stats("kaiming_uniform_", w, std, UNIFORM_KURTOSIS, what)


@task("xavier_normal_")
@points(2)
def test_xavier_normal_std(student, rng):
    """std = sqrt(2 / (fan_in + fan_out)) for Linear and Conv weights"""
    for label, shape in {"linear": _linear_shape(rng), "conv": _conv_shape(rng)}.items():
        w = _filled(student, "xavier_normal_", shape, rng)
        fan_in, fan_out = _fans(shape)
        x = _expect_stats("xavier_normal_", w, math.sqrt(2 / (fan_in + fan_out)), 3.0, label)
        if label == "linear":
            _expect_normal_shape("xavier_normal_", x, label)


@task_from("fn")
@pytest.mark.parametrize("fn", FILLERS)
def test_fills_a_parameter(student, rng, fn):
    """fills an nn.Parameter in place (no autograd error) and returns it"""
    got = student.probe("fill_parameter", fn, [_int(rng, 20, 40), _int(rng, 20, 40)], _seed(rng))
    if not got["returned_w"] or not got["requires_grad"] or torch.isnan(got["w"]).any():
        fail("values", fn, "should fill an nn.Parameter in place and return it")


@task_from("fn")
@pytest.mark.parametrize("fn", ["kaiming_normal_", "kaiming_uniform_"])
@visible
def test_unknown_mode_raises(student, fn):
    """raises ValueError for a mode other than 'fan_in' or 'fan_out'"""
    expect_raises(
        fn,
        lambda: student.probe("fill", fn, [4, 3], 0, {"mode": "fan_avg"}),
        ValueError,
        "for mode='fan_avg'",
    )


# ---- the deep stack ------------------------------------------------------------------------
# Simulated with the reference over 40 seeds: the linear stack (a = 1, gain 1: the course's
# x = a @ x with a ~ N(0, 1/512)) stays within [0.78, 1.29] on a 512-row isotropic batch, so
# [0.5, 2] holds with room. A relu stack (a = 0) drifts as a log-normal: each layer multiplies
# E[x^2] by a factor with relative variance ~5/512, so after 100 layers the std's log has
# sd ~0.5 (200 seeds: [0.31, 4.1]); [1/8, 8] is 4 sd. A gain off by sqrt(2) moves the std by
# 2^50 after 100 layers, so both checks still fail every wrong gain by a huge margin.


@task("kaiming_normal_")
@pytest.mark.parametrize(
    "relu, a, lo, hi", [(False, 1.0, 0.5, 2.0), (True, 0.0, 1 / 8, 8.0)], ids=["linear", "relu"]
)
@points(2)
def test_deep_stack_keeps_its_scale(student, rng, relu, a, lo, hi):
    """activations keep their scale through 100 layers of 512x512 initialised with kaiming"""
    stds = student.with_timeout(60).probe("deep_stack", _seed(rng), a, relu)
    for i, s in enumerate(stds):
        if not lo <= s <= hi:
            way = "explode" if not s < lo else "vanish"
            fail(
                "values",
                "kaiming_normal_",
                f"activations {way} through a deep {'relu' if relu else 'linear'} stack",
                f"std {s:.3g} after layer {i + 1} (a={a:g})",
            )


# ---- the rule: no torch.nn.init ------------------------------------------------------------


INIT = "torch.nn.init"


def _init_references(source: str) -> list[str]:
    """Spellings of torch.nn.init in the module: imports of it, or attributes `.init` of nn."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = [f"import {m}" for m in sorted(rules.imported_modules(source)) if m.startswith(INIT)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "init":
            found.append("nn.init")
        elif isinstance(node, ast.Attribute) and node.attr == "_calculate_fan_in_and_fan_out":
            found.append(node.attr)
        elif isinstance(node, ast.Constant) and node.value in ("init", "torch.nn.init"):
            found.append(repr(node.value))
    return found


@task_from("fn")
@pytest.mark.parametrize("fn", FILLERS + ["calc_fans"])
@points(2)
def test_no_torch_nn_init(student, fn):
    """does not use torch.nn.init (source and run time)"""
    refs = _init_references(student.source)
    if refs:
        fail("rule", fn, "the module must not use torch.nn.init (lesson rule)", refs[0])
    if fn == "calc_fans":
        ran = student.probe("init_module_frames", "calc_fans", [6, 4, 3])
    else:
        ran = student.probe("init_module_frames", fn, [6, 4])
    if ran:
        fail("rule", fn, f"{fn} ran code from torch.nn.init (lesson rule)", ", ".join(ran))
