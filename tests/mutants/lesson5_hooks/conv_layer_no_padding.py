"""conv_layer forgets padding=ks//2 (and drops the GeneralRelu arguments)."""

CATCHES = ["conv_layer"]


def conv_layer(ni, nf, ks=3, stride=2, **kwargs):
    return nn.Sequential(nn.Conv2d(ni, nf, ks, stride=stride), GeneralRelu())
