"""GeneralRelu subtracts out of place but clamps in place (clamp_max_): with maxv and no leak
and no sub, the clamp edits relu's saved output and backward raises."""

CATCHES = ["GeneralRelu"]


class GeneralRelu(GeneralRelu):
    def forward(self, x):
        x = F.leaky_relu(x, self.leak) if self.leak is not None else F.relu(x)
        if self.sub is not None:
            x = x - self.sub
        if self.maxv is not None:
            x.clamp_max_(self.maxv)
        return x
