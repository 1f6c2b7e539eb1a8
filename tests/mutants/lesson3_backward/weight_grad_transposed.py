"""w.g = out.g.T @ inp: the weight gradient laid out (out, in), as for nn.Linear's storage."""

CATCHES = ["lin_grad"]


def lin_grad(inp, out, w, b):
    inp.g = out.g @ w.t()
    w.g = out.g.t() @ inp
    b.g = out.g.sum(0)
