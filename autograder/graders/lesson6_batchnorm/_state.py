"""Checks shared by the layers that keep state or check their input: how a layer keeps its
parameters and buffers (probe `norm_layout`), and the inputs every (N, C, H, W) layer refuses.

Layout: the parameters have the names and shapes of the module's docstrings; every buffer is
registered (in state_dict, so saved and loaded, and converted by `.double()` and `.to()`); a
fresh layer given the trained layer's state_dict (through torch.save / torch.load) evaluates
exactly as the trained one (float64, the same operations on the same numbers: TOL).
"""

from __future__ import annotations

import torch

from autograder.graders.lesson6_batchnorm import _draw as draw
from autograder.graders.lesson6_batchnorm._expected import TOL
from autograder.probes import lesson6_batchnorm as probes
from courselib.lesson6_batchnorm import BUFFERS, PARAMS, LayerSpec


def layout(student, rng, cls: str, c: int):
    """The Layout of a fresh cls(c), trained on 3 batches of 2..4 images first."""
    batches = [draw.images(rng, draw.integer(rng, 2, 4), c, 3, 3) for _ in range(3)]
    return student.probe(probes.norm_layout, LayerSpec(cls, (c,)), batches, batches[0])


def check_layout(expect, r, cls: str, c: int, buffer_shapes: dict) -> None:
    """`r` (a Layout of cls(c)) has the documented parameters and registered `buffer_shapes`."""
    shapes = {name: [c, 1, 1] for name in PARAMS[cls]}
    expect.equal(r.params, shapes, what="the parameters (name: shape)")
    missing = sorted(set(BUFFERS[cls]) - set(r.state_dict))
    expect.that(
        not missing,
        f"{', '.join(missing)} should be registered buffers (register_buffer): not in state_dict",
        f"state_dict keys: {r.state_dict}",
    )
    expect.equal(
        {n: r.buffers.get(n) for n in buffer_shapes}, buffer_shapes, what="the buffers' shapes"
    )
    for how, dtypes in ((".double()", r.dtypes_after_double), (".to()", r.dtypes_after_to)):
        left = sorted(n for n, dtype in dtypes.items() if dtype != torch.float64)
        expect.that(not left, f"{how} should convert every parameter and buffer", f"left: {left}")
    expect.close(
        r.eval_loaded,
        r.eval_trained,
        what="the eval output after load_state_dict",
        against="the trained layer's",
        **TOL,
    )


def bad_inputs(c: int) -> list:
    """(input, why) pairs that a layer built for c channels refuses with ValueError."""
    return [
        (torch.randn(2, c, 5), "for a 3-d input"),
        (torch.randn(2, c + 1, 3, 3), f"for {c + 1} channels when built for {c}"),
    ]


def expect_refused(expect, student, spec: LayerSpec, cases: list) -> None:
    """A fresh layer in training mode raises ValueError on every (input, why) of `cases`."""
    for x, why in cases:
        expect.raises(lambda: student.probe(probes.norm_forward, spec, x, True), ValueError, why)
