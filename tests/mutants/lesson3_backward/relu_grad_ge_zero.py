"""relu_grad masks with inp >= 0: the derivative 1 at the kink (clamp_min's autograd
convention), where the docstring and the course's `(inp > 0)` take 0."""

CATCHES = ["relu_grad"]


def relu_grad(inp, out):
    inp.g = (inp >= 0).to(out.g.dtype) * out.g
