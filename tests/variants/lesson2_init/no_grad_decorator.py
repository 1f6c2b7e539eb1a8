"""Correct fillers written with @torch.no_grad() as a decorator and a shared helper, gain by
** 0.5, normalize with torch.sub / torch.div: other spellings of the same contract."""

KEEPS = ["normalize", "gain", "kaiming_normal_", "kaiming_uniform_", "xavier_normal_"]


def normalize(x, mean, std):
    return torch.div(torch.sub(x, mean), std)


def gain(a):
    return (2 / (1 + a * a)) ** 0.5


def _scale(w, a, mode):
    fans = dict(zip(("fan_in", "fan_out"), calc_fans(w)))
    if mode not in fans:
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    return gain(a) / fans[mode] ** 0.5


@torch.no_grad()
def kaiming_normal_(w, a=0.0, mode="fan_in"):
    return w.normal_(0.0, _scale(w, a, mode))


@torch.no_grad()
def kaiming_uniform_(w, a=0.0, mode="fan_in"):
    bound = 3**0.5 * _scale(w, a, mode)
    return w.uniform_(-bound, bound)


@torch.no_grad()
def xavier_normal_(w):
    fan_in, fan_out = calc_fans(w)
    return w.normal_(0.0, (2 / (fan_in + fan_out)) ** 0.5)
