"""lin_grad squeezes the bias gradient: with a single output b.g is 0-dim instead of (1,)."""

CATCHES = ["lin_grad"]


def lin_grad(inp, out, w, b):
    inp.g = out.g @ w.t()
    w.g = inp.t() @ out.g
    b.g = out.g.sum(0).squeeze()
