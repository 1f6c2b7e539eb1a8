"""The course's init_cnn: only l[0] of each top-level nn.Sequential is initialised, so a conv
nested deeper keeps PyTorch's default init."""

CATCHES = ["init_cnn"]


def init_cnn(m, uniform=False):
    f = nn.init.kaiming_uniform_ if uniform else nn.init.kaiming_normal_
    for layer in m:
        if isinstance(layer, nn.Sequential) and isinstance(layer[0], nn.Conv2d):
            f(layer[0].weight, a=0.1)
            layer[0].bias.data.zero_()
    return m
