"""calc_fans takes the receptive field as the last kernel side squared: right for square 2-d
kernels only (wrong for (3, 5) kernels, Conv1d and Conv3d weights)."""

CATCHES = ["calc_fans"]


def calc_fans(w):
    if w.dim() < 2:
        raise ValueError("calc_fans: a weight needs at least 2 dimensions")
    rf = w.shape[-1] ** 2 if w.dim() > 2 else 1
    return w.shape[1] * rf, w.shape[0] * rf
