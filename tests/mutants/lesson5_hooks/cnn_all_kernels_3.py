"""get_cnn_layers uses kernel 3 for the first layer too."""

CATCHES = ["get_cnn_layers"]


def get_cnn_layers(nfs, c_out=10, layer=conv_layer, c_in=1, **kwargs):
    sizes = [c_in] + list(nfs)
    convs = [layer(sizes[i], sizes[i + 1], 3, stride=2, **kwargs) for i in range(len(nfs))]
    return convs + [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(nfs[-1], c_out)]
