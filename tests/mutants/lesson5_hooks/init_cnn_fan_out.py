"""init_cnn uses mode='fan_out': the std is scaled by the outputs, not the inputs."""

CATCHES = ["init_cnn"]


def init_cnn(m, uniform=False):
    f = nn.init.kaiming_uniform_ if uniform else nn.init.kaiming_normal_
    for layer in m.modules():
        if isinstance(layer, nn.Conv2d):
            f(layer.weight, a=0.1, mode="fan_out")
            nn.init.zeros_(layer.bias)
    return m
