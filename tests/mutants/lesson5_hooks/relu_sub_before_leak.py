"""GeneralRelu subtracts `sub` before the leaky relu instead of after it."""

CATCHES = ["GeneralRelu"]


class GeneralRelu(GeneralRelu):
    def forward(self, x):
        if self.sub is not None:
            x = x - self.sub
        x = F.leaky_relu(x, self.leak) if self.leak is not None else F.relu(x)
        if self.maxv is not None:
            x = x.clamp_max(self.maxv)
        return x
