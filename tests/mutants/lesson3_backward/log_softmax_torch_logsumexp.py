"""log_softmax on torch's own logsumexp (where the course ends up): right values, but the
lesson asks for a logsumexp of your own."""

import torch

CATCHES = ["log_softmax"]


def log_softmax(x):
    return x - torch.logsumexp(x, dim=-1, keepdim=True)
