"""conv_layer(ni, nf, ks, stride, **kwargs): an nn.Sequential of a Conv2d (ni -> nf channels,
ks x ks kernel, the stride, padding ks // 2, a bias) and a GeneralRelu(**kwargs).

Inputs: ni in 2..4, nf in 5..8 (never equal, so swapped channels show), ks 3 or 5, stride 1 or
2, leak / sub / maxv drawn as for GeneralRelu, x ~ N(0, 1) of shape (2, ni, 9, 9). The judge
recomputes the output from the block's own conv weights (tolerance: see _cnn.py).
"""

import torch

from autograder.grading import points, task
from autograder.graders.lesson5_hooks import _cnn as cnn
from autograder.graders.lesson5_hooks import _draw as draw
from autograder.probes import lesson5_hooks as probes


@task("conv_layer")
@points(2)
def test_conv_then_general_relu(student, rng, expect):
    """Conv2d(ni, nf, ks, padding=ks//2, stride) then GeneralRelu(**kwargs)"""
    ni, nf = draw.integer(rng, 2, 4), draw.integer(rng, 5, 8)
    ks, stride = 2 * draw.integer(rng, 1, 2) + 1, draw.integer(rng, 1, 2)
    kw = cnn.relu_kwargs(rng)
    x = torch.randn(2, ni, 9, 9, generator=rng)
    layer = student.probe(probes.conv_layer_run, ni, nf, ks, stride, kw, x)
    expect.equal(layer.kind, "Sequential", what="the type conv_layer returns")
    expect.that(layer.conv is not None, "conv_layer should start with a Conv2d")
    expect.equal(
        layer.conv,
        cnn.conv_settings(ni, nf, ks, stride),
        what="the convolution (channels in and out, kernel, stride, padding)",
    )
    expect.that(layer.bias is not None, "the convolution should have a bias")
    cnn.check_output(expect, layer, kw, "conv_layer")
