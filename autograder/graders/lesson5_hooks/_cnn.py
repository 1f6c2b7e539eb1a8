"""What the judge expects of a conv block (conv_layer's Sequential) run by a probe on its own
input: the record `Layer` (courselib/lesson5_hooks.py) holds the block's first Conv2d (settings,
weight, bias), its input and its output, and the judge recomputes the output from those.

Tolerance: float32 convolutions recomputed here with the same weights on the same input; each
output sums at most 5 * 5 * 4 = 100 (conv_layer) or 3 * 3 * 12 = 108 (the CNN) products of
values ~1, so two summation orders differ by at most ~108 float32 ulps of ~1 (6e-6): 1e-5.
A wrong setting (leak, sub >= 0.1, maxv) moves outputs by far more.
"""

from __future__ import annotations

import torch.nn.functional as F

from autograder.graders.lesson5_hooks import _draw as draw

CONV = dict(rtol=1e-5, atol=1e-5)


def relu_kwargs(rng) -> dict:
    """GeneralRelu settings for a CNN, all three given."""
    return {
        "leak": draw.uniform(rng, 0.01, 0.3),
        "sub": draw.uniform(rng, 0.1, 0.8),
        "maxv": draw.uniform(rng, 0.5, 3.0),
    }


def conv_settings(ni: int, nf: int, ks: int, stride: int) -> dict:
    pad = ks // 2
    return {"ni": ni, "nf": nf, "ks": [ks, ks], "stride": [stride] * 2, "padding": [pad] * 2}


def check_output(expect, layer, kw: dict, where: str) -> None:
    """`layer`'s output is GeneralRelu(**kw) of its own convolution of its input."""
    expect.that(layer.conv is not None, f"{where} should start with a Conv2d")
    conv = layer.conv
    pre = F.conv2d(layer.inp, layer.weight, layer.bias, conv["stride"], conv["padding"])
    expect.close(
        layer.out,
        draw.general_relu(pre, kw.get("leak"), kw.get("sub"), kw.get("maxv")),
        what=f"{where}'s output",
        against="GeneralRelu(**kwargs) of its convolution",
        **CONV,
    )
