"""CrossEntropy.bwd forgets the 1/n of the mean: softmax - onehot."""

import torch

CATCHES = ["CrossEntropy"]


def _bwd_without_n(self, out, inp, targ):
    g = log_softmax(inp).exp()
    g[torch.arange(inp.shape[0]), targ] -= 1
    inp.g = g


CrossEntropy.bwd = _bwd_without_n
