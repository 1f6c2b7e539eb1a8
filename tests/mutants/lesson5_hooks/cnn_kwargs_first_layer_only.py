"""get_cnn_layers passes the GeneralRelu settings to the first conv block only; the others get
a plain ReLU."""

CATCHES = ["get_cnn_layers"]


def get_cnn_layers(nfs, c_out=10, layer=conv_layer, c_in=1, **kwargs):
    nfs = list(nfs)
    if not nfs:
        raise ValueError("get_cnn_layers needs at least one entry in nfs")
    sizes = [c_in] + nfs
    convs = [layer(sizes[0], sizes[1], 5, stride=2, **kwargs)]
    convs += [layer(sizes[i], sizes[i + 1], 3, stride=2) for i in range(1, len(nfs))]
    return convs + [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(nfs[-1], c_out)]
