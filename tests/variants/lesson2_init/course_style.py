"""Lesson 2 as the course writes it (02_fully_connected, 02a_why_sqrt5), with this repository's
contract added (mode names, ValueError, the filled tensor returned): fans from
`nf, ni, *_ = w.shape` and the receptive field `w[0, 0].numel()`, `w.data.uniform_` /
`w.data.normal_` to fill without autograd, gain with `a**2`, and Kaiming normal as the course's
`randn(...) * std` drawn first and copied in. Written by us in the course's style."""

KEEPS = [
    "normalize",
    "calc_fans",
    "gain",
    "kaiming_normal_",
    "kaiming_uniform_",
    "xavier_normal_",
]


def normalize(x, m, s):
    return (x - m) / s


def calc_fans(w):
    nf, ni, *_ = w.shape  # ValueError for fewer than 2 dimensions
    rec_fs = w[0, 0].numel()
    return ni * rec_fs, nf * rec_fs


def gain(a):
    return math.sqrt(2.0 / (1 + a**2))


def _std(w, a, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"unknown mode {mode!r}")
    fan_in, fan_out = calc_fans(w)
    return gain(a) / math.sqrt(fan_out if mode == "fan_out" else fan_in)


def kaiming_normal_(w, a=0.0, mode="fan_in"):
    w.data.copy_(torch.randn(w.shape) * _std(w, a, mode))
    return w


def kaiming_uniform_(w, a=0.0, mode="fan_in"):
    bound = math.sqrt(3.0) * _std(w, a, mode)
    w.data.uniform_(-bound, bound)
    return w


def xavier_normal_(w):
    fan_in, fan_out = calc_fans(w)
    w.data.normal_(0, math.sqrt(2 / (fan_in + fan_out)))
    return w
