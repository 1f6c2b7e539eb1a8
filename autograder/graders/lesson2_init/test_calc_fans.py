"""calc_fans(w) = (fan_in, fan_out), two ints, as torch.nn.init counts them.

    Linear weight (out, in):          fan_in = in,       fan_out = out
    Conv weight (out, in, *kernel):   fan_in = in * rf,  fan_out = out * rf,  rf = prod(kernel)

Inputs: a random Linear weight, the course's (784, 50) weight stored (in, out), random Conv1d,
Conv2d (kernel sides drawn apart) and Conv3d weights. Expected: torch's own helper, exactly.
Fewer than 2 dimensions: ValueError.
"""

import torch

from autograder.grading import points, task, visible
from autograder.graders.lesson2_init._draw import fans, integer


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


@task("calc_fans")
@points(2)
def test_calc_fans_matches_torch(student, rng, expect):
    """fans of Linear and Conv1d/2d/3d weights equal torch's own helper, as two ints"""
    shapes = {
        "linear": (integer(rng, 1, 100), integer(rng, 1, 100)),
        "(in, out) weight": (784, 50),
        "conv1d": (integer(rng, 1, 32), integer(rng, 1, 32), integer(rng, 1, 7)),
        "conv2d": (
            integer(rng, 1, 32),
            integer(rng, 1, 32),
            integer(rng, 1, 5),
            integer(rng, 6, 7),
        ),
        "conv3d": (integer(rng, 1, 8), integer(rng, 1, 8), 3, integer(rng, 1, 4), 2),
    }
    for label, shape in shapes.items():
        got = student.calc_fans(torch.empty(shape))
        expect.that(
            isinstance(got, (tuple, list)) and len(got) == 2 and all(map(_is_int, got)),
            "should return (fan_in, fan_out) as two ints",
            f"got {type(got).__name__}",
            category="type",
        )
        expect.equal(tuple(got), fans(shape), what=f"the fans of a {label} weight")


@task("calc_fans")
@visible
def test_calc_fans_rejects_vectors(student, expect):
    """raises ValueError for a tensor with fewer than 2 dimensions"""
    for t in (torch.empty(5), torch.tensor(1.0)):
        expect.raises(lambda: student.calc_fans(t), ValueError, f"for a {t.dim()}-d tensor")
