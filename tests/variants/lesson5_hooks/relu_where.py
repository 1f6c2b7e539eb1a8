"""GeneralRelu written with torch.where and torch.clamp instead of F.leaky_relu."""

KEEPS = ["GeneralRelu", "conv_layer", "get_cnn_layers", "get_cnn_model"]


class GeneralRelu(nn.Module):
    def __init__(self, leak=None, sub=None, maxv=None):
        super().__init__()
        self.leak, self.sub, self.maxv = leak, sub, maxv

    def forward(self, x):
        slope = 0.0 if self.leak is None else self.leak
        y = torch.where(x >= 0, x, x * slope)
        if self.sub is not None:
            y = y - self.sub
        if self.maxv is not None:
            y = torch.clamp(y, max=self.maxv)
        return y
