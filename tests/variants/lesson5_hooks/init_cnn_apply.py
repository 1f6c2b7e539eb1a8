"""init_cnn through Module.apply, with torch.nn.init's functions picked per module."""

KEEPS = ["init_cnn"]


def _init_conv(layer, uniform):
    if isinstance(layer, nn.Conv2d):
        (nn.init.kaiming_uniform_ if uniform else nn.init.kaiming_normal_)(layer.weight, a=0.1)
        if layer.bias is not None:
            layer.bias.data.zero_()


def init_cnn(m, uniform=False):
    return m.apply(lambda layer: _init_conv(layer, uniform))
