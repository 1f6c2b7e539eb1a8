"""The weight gradient as the course first wrote it: a (n, m, k) tensor of outer products, summed.
Right numbers, but it materialises n*m*k floats (and is many times slower than inp.T @ out.g)."""

CATCHES = ["lin_grad"]


def lin_grad(inp, out, w, b):
    inp.g = out.g @ w.t()
    w.g = (inp.unsqueeze(-1) * out.g.unsqueeze(1)).sum(0)
    b.g = out.g.sum(0)
