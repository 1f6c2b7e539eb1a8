"""relu_grad zeroes out.g in place where inp <= 0 and hands that tensor on as inp.g: the values
of inp.g are right, but the upstream layer's gradient has been changed behind its back."""

CATCHES = ["relu_grad"]


def relu_grad(inp, out):
    out.g[inp <= 0] = 0.0
    inp.g = out.g
