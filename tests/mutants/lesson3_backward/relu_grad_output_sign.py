"""relu_grad decides with the output's sign: right for max(x, 0), wrong for the shifted relu
(out = max(x, 0) - 0.5 is positive only where x > 0.5)."""

CATCHES = ["relu_grad", "Relu"]


def relu_grad(inp, out):
    inp.g = (out > 0).to(out.g.dtype) * out.g
