"""log_softmax on a logsumexp helper of the student's own (notebook 03 of the course builds one
before switching to torch's): the helper's name is torch's, but it is not torch's function,
so the rule must follow it, not refuse it."""

import torch

KEEPS = ["log_softmax", "CrossEntropy"]


def logsumexp(x):
    top = x.amax(dim=-1)
    return top + torch.log(torch.exp(x - top.unsqueeze(-1)).sum(dim=-1))


def log_softmax(x):
    return x - logsumexp(x).unsqueeze(-1)
