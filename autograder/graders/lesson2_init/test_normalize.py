"""normalize(x, mean, std) = (x - mean) / std, elementwise, with the statistics it is GIVEN.

Inputs: x ~ U(0, 1) of a random shape (1-20 x 2-30), with the statistics as Python floats
(mean in [0.05, 0.3], std in [0.2, 0.5]), as 0-d tensors (what x.mean() gives, as in the
course), and per column (broadcast, float64); then real MNIST validation images with the
training set's statistics. Expected: (x - mean) / std computed here, x's dtype, x unchanged
(observed after the very call that is graded). Tolerance: one division and one subtraction,
a few ulps: the default rtol 1e-5 / atol 1e-6 in float32, rtol 1e-12 in float64.
"""

import torch

from autograder.grading import points, task
from autograder.graders.lesson2_init._draw import integer, uniform
from courselib.data import get_data


@task("normalize")
@points(2)
def test_normalize_values(student, rng, expect):
    """equals (x - mean) / std with float, 0-d tensor and per-column statistics, x unchanged"""
    x = torch.rand(integer(rng, 1, 20), integer(rng, 2, 30), generator=rng)
    mean, std = uniform(rng, 0.05, 0.3), uniform(rng, 0.2, 0.5)
    cases = {
        "float statistics": (x, mean, std),
        "0-d tensor statistics": (x, torch.tensor(mean), torch.tensor(std)),
        "per-column statistics": (x.double(), x.double().mean(0), x.double().std(0) + 0.1),
    }
    for label, (inp, m, s) in cases.items():
        got, (after, *_) = student.call_observing_inputs("normalize", inp, m, s)
        tol = dict(rtol=1e-12, atol=1e-12) if inp.dtype == torch.float64 else {}
        expect.close(
            got, (inp - m) / s, what=f"the result ({label})", against="(x - mean) / std", **tol
        )
        expect.close(
            after,
            inp,
            what="x after the call",
            against="x before",
            rtol=0,
            atol=0,
            category="mutation",
        )


@task("normalize")
def test_normalize_mnist_valid_with_train_stats(student, expect):
    """normalises MNIST validation images with the training statistics"""
    xt, _, xv, _ = get_data(2000, 500)
    mean, std = xt.mean(), xt.std()
    got = student.normalize(xv, mean, std)
    expect.close(got, (xv - mean) / std, against="(x_valid - train mean) / train std")
