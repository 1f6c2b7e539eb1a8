"""nll indexing with a Python range for the rows (the course's spelling) instead of
torch.arange, with the docstring's checks: the same values, batch size 1 included."""

KEEPS = ["nll"]


def nll(logp, targ):
    if logp.dim() != 2 or targ.dim() != 1 or len(targ) != len(logp):
        raise ValueError(f"nll: logp (n, c) and targ (n,) expected, got {logp.shape}, {targ.shape}")
    if (
        targ.dtype.is_floating_point
        or bool((targ < 0).any())
        or bool((targ >= logp.shape[1]).any())
    ):
        raise ValueError("nll: targ must be class indices in [0, c)")
    picked = logp[range(len(targ)), targ]
    return -picked.mean()
