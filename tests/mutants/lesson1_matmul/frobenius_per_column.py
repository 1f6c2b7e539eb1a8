"""The sum over dim 0 only: a vector of per-column norms instead of one number."""

CATCHES = ["frobenius_norm"]


def frobenius_norm(m):
    return (m * m).sum(0).sqrt()
