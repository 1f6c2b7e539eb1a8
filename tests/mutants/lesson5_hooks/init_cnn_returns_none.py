"""init_cnn initialises every conv but returns nothing, as the course's did:
`model = init_cnn(get_cnn_model(...))` then holds None."""

CATCHES = ["init_cnn"]


def init_cnn(m, uniform=False):
    f = nn.init.kaiming_uniform_ if uniform else nn.init.kaiming_normal_
    for layer in m.modules():
        if isinstance(layer, nn.Conv2d):
            f(layer.weight, a=0.1)
            nn.init.zeros_(layer.bias)
