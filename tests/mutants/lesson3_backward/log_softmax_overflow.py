"""log_softmax as x - log(sum(exp(x))): exp overflows to inf for logits in the hundreds."""

CATCHES = ["log_softmax"]


def log_softmax(x):
    return x - x.exp().sum(-1, keepdim=True).log()
