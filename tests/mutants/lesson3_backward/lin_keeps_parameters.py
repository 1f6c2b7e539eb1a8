"""Lin wraps its weights in nn.Parameter (the nn.Module habit): the forward carries an autograd
graph, and bwd sets .g on the Parameters, not on the tensors the caller handed in."""

import torch

CATCHES = ["Lin", "Model"]


def _init_with_parameters(self, w, b):
    self.w, self.b = torch.nn.Parameter(w), torch.nn.Parameter(b)


Lin.__init__ = _init_with_parameters
