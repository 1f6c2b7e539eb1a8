"""The course's head: Lambda(flatten) instead of nn.Flatten, layers built from [c_in] + nfs."""

KEEPS = ["get_cnn_layers", "get_cnn_model"]


class Lambda(nn.Module):
    def __init__(self, func):
        super().__init__()
        self.func = func

    def forward(self, x):
        return self.func(x)


def flatten(x):
    return x.view(x.shape[0], -1)


def get_cnn_layers(nfs, c_out=10, layer=conv_layer, c_in=1, **kwargs):
    if len(nfs) == 0:
        raise ValueError("nfs is empty")
    nfs = [c_in] + list(nfs)
    return [
        layer(nfs[i], nfs[i + 1], 5 if i == 0 else 3, **kwargs) for i in range(len(nfs) - 1)
    ] + [nn.AdaptiveAvgPool2d(1), Lambda(flatten), nn.Linear(nfs[-1], c_out)]
