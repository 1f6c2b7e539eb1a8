"""init_cnn always uses kaiming_normal_, ignoring uniform=True."""

CATCHES = ["init_cnn"]


def init_cnn(m, uniform=False):
    for layer in m.modules():
        if isinstance(layer, nn.Conv2d):
            nn.init.kaiming_normal_(layer.weight, a=0.1)
            nn.init.zeros_(layer.bias)
    return m
