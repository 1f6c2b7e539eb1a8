"""calc_fans without the dimension check: a vector or a 0-d tensor gives an IndexError
(w.shape[1]), not the ValueError asked for."""

CATCHES = ["calc_fans"]


def calc_fans(w):
    rf = 1
    for k in w.shape[2:]:
        rf *= k
    return w.shape[1] * rf, w.shape[0] * rf
