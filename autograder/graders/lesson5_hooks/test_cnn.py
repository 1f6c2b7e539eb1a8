"""get_cnn_layers(nfs, c_out, layer, c_in, **kwargs) and get_cnn_model(...): one conv block per
entry of nfs, all stride 2 and all built with the keyword arguments (the first with kernel 5,
the others 3), then an adaptive average pool to 1 x 1, a flatten and a Linear(nfs[-1], c_out);
as a list, or in an nn.Sequential. An empty nfs raises ValueError.

Inputs: nfs of 1..4 (model: 2..4) entries in 2..12, c_out in 2..12, c_in in 2..4 (never 1, so
a hard-coded 1 shows), leak / sub / maxv drawn as for GeneralRelu, and images x ~ N(0, 1) of
shape (2, c_in, 28, 28) fed through the layers one by one. The judge checks every layer from
its own record: conv settings, each block's output from its own conv weights (so settings that
reach only the first block fail), the pool as a mean over H and W, the flatten as a reshape,
the Linear from its weights (tolerance: see _cnn.py; the pool, flatten and Linear the same).
"""

import torch
import torch.nn.functional as F

from autograder.grading import points, task, visible
from autograder.graders.lesson5_hooks import _cnn as cnn
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes


def _case(rng, lo):
    nfs = [draw.integer(rng, 2, 12) for _ in range(draw.integer(rng, lo, 4))]
    c_in, c_out = draw.integer(rng, 2, 4), draw.integer(rng, 2, 12)
    x = torch.randn(2, c_in, 28, 28, generator=rng)
    return nfs, c_out, c_in, cnn.relu_kwargs(rng), x


def _check_blocks(expect, run, nfs, kw):
    expect.that(len(run.layers) >= len(nfs), "one conv block per entry of nfs")
    for i, layer in enumerate(run.layers[: len(nfs)]):
        cnn.check_output(expect, layer, kw, f"conv block {i}")


@task("get_cnn_layers")
@points(2)
def test_convs(student, rng, expect):
    """a list whose conv blocks are (c_in, nfs[0], 5, 2), then (nfs[i-1], nfs[i], 3, 2)"""
    nfs, c_out, c_in, kw, x = _case(rng, 1)
    run = student.probe(probes.cnn_layers_run, nfs, c_out, c_in, kw, x)
    expect.equal(run.kind, "list", what="the type get_cnn_layers returns")
    sizes = [c_in] + nfs
    for i, layer in enumerate(run.layers[: len(nfs)]):
        settings = cnn.conv_settings(sizes[i], sizes[i + 1], 5 if i == 0 else 3, 2)
        expect.equal(layer.conv, settings, what=f"the convolution of block {i}")
    expect.equal(len(run.layers), len(nfs) + 3, what="the layers (a block per nfs, 3 more)")


@task("get_cnn_layers")
def test_settings_reach_every_block(student, rng, expect):
    """every conv block applies GeneralRelu(**kwargs), not only the first"""
    nfs, c_out, c_in, kw, x = _case(rng, 2)
    _check_blocks(expect, student.probe(probes.cnn_layers_run, nfs, c_out, c_in, kw, x), nfs, kw)


@task("get_cnn_layers")
def test_head(student, rng, expect):
    """after the blocks: average pool to 1x1, flatten, Linear(nfs[-1], c_out)"""
    nfs, c_out, c_in, kw, x = _case(rng, 1)
    run = student.probe(probes.cnn_layers_run, nfs, c_out, c_in, kw, x)
    expect.equal(len(run.layers), len(nfs) + 3, what="the layers (a block per nfs, 3 more)")
    pool, flat, lin = run.layers[-3:]
    mean = pool.inp.mean((2, 3), keepdim=True)
    expect.close(pool.out, mean, what="the pool's output", against="the mean over H, W", **cnn.CONV)
    expect.close(flat.out, flat.inp.flatten(1), what="the flatten's output", rtol=0, atol=0)
    expect.that(lin.weight is not None, "the last layer should be a Linear")
    expect.equal(list(lin.weight.shape), [c_out, nfs[-1]], what="the Linear's weight shape")
    want = F.linear(lin.inp, lin.weight, lin.bias)
    expect.close(lin.out, want, what="the Linear's output", **cnn.CONV)


@task("get_cnn_layers")
@visible
def test_empty(student, expect):
    """raises ValueError for an empty nfs"""
    expect.raises(lambda: student.probe(probes.cnn_layers_empty), ValueError, "when nfs is empty")


@task("get_cnn_model")
def test_model(student, rng, expect):
    """an nn.Sequential of the layers, mapping (N, c_in, 28, 28) to (N, c_out)"""
    nfs, c_out, c_in, kw, x = _case(rng, 2)
    run = student.probe(probes.cnn_model_run, nfs, c_out, c_in, kw, x)
    expect.equal(run.kind, "Sequential", what="the type get_cnn_model returns")
    expect.equal(len(run.layers), len(nfs) + 3, what="the layers (a block per nfs, 3 more)")
    convs = [layer for layer in run.layers if layer.conv is not None]
    expect.equal(len(convs), len(nfs), what="the conv blocks (one per entry of nfs)")
    expect.equal(list(run.layers[-1].out.shape), [2, c_out], what="the output shape")


@task("get_cnn_model")
def test_model_settings_reach_every_block(student, rng, expect):
    """the keyword arguments reach every conv block's GeneralRelu"""
    nfs, c_out, c_in, kw, x = _case(rng, 2)
    _check_blocks(expect, student.probe(probes.cnn_model_run, nfs, c_out, c_in, kw, x), nfs, kw)
