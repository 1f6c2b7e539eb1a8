"""get_cnn_layers accepts an empty nfs, as the course's did: no conv at all and a
Linear(c_in, c_out) that fails later, far from the cause, instead of ValueError."""

CATCHES = ["get_cnn_layers"]


def get_cnn_layers(nfs, c_out=10, layer=conv_layer, c_in=1, **kwargs):
    sizes = [c_in] + list(nfs)
    convs = [
        layer(sizes[i], sizes[i + 1], 5 if i == 0 else 3, stride=2, **kwargs)
        for i in range(len(sizes) - 1)
    ]
    return convs + [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(sizes[-1], c_out)]
