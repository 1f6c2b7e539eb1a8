"""calc_fans ignores the kernel: a conv weight (out, in, k, k) gets fans (in, out)."""

CATCHES = ["calc_fans"]


def calc_fans(w):
    if w.dim() < 2:
        raise ValueError("calc_fans: a weight needs at least 2 dimensions")
    return w.shape[1], w.shape[0]
