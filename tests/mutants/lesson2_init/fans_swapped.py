"""calc_fans returns (fan_out, fan_in): the two read off the wrong ends of the (out, in) shape."""

CATCHES = ["calc_fans", "kaiming_normal_"]


def calc_fans(w):
    if w.dim() < 2:
        raise ValueError("calc_fans: a weight needs at least 2 dimensions")
    rf = 1
    for k in w.shape[2:]:
        rf *= k
    return w.shape[0] * rf, w.shape[1] * rf
