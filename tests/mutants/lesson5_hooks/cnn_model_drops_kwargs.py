"""get_cnn_model forgets to pass **kwargs on: every block gets a plain ReLU whatever the
caller asked for."""

CATCHES = ["get_cnn_model"]


def get_cnn_model(nfs, c_out=10, layer=conv_layer, c_in=1, **kwargs):
    return nn.Sequential(*get_cnn_layers(nfs, c_out, layer, c_in))
