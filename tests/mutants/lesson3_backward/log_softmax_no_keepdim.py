"""log_softmax subtracts a (n,) logsumexp from (n, c) logits: broadcasts along the wrong axis."""

CATCHES = ["log_softmax"]


def log_softmax(x):
    m = x.max(-1).values
    return x - (m + (x - m[:, None]).exp().sum(-1).log())
