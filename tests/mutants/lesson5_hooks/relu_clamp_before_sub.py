"""GeneralRelu clamps at maxv before subtracting sub (the output never reaches maxv)."""

CATCHES = ["GeneralRelu"]


class GeneralRelu(GeneralRelu):
    def forward(self, x):
        x = F.leaky_relu(x, self.leak) if self.leak is not None else F.relu(x)
        if self.maxv is not None:
            x = x.clamp_max(self.maxv)
        if self.sub is not None:
            x = x - self.sub
        return x
