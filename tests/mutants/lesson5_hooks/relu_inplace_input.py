"""GeneralRelu applies the (leaky) relu in place: the caller's tensor is overwritten."""

CATCHES = ["GeneralRelu"]


class GeneralRelu(GeneralRelu):
    def forward(self, x):
        if self.leak is not None:
            x = F.leaky_relu(x, self.leak, inplace=True)
        else:
            x = F.relu(x, inplace=True)
        if self.sub is not None:
            x = x - self.sub
        if self.maxv is not None:
            x = x.clamp_max(self.maxv)
        return x
