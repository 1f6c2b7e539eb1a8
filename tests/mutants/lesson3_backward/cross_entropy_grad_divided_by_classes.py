"""CrossEntropy.bwd divides by the number of classes instead of the batch size."""

import torch

CATCHES = ["CrossEntropy"]


def _bwd_over_classes(self, out, inp, targ):
    g = log_softmax(inp).exp()
    g[torch.arange(inp.shape[0], device=inp.device), targ] -= 1
    inp.g = g / inp.shape[1]


CrossEntropy.bwd = _bwd_over_classes
