"""log_softmax through the tensor method x.logsumexp (the course's final log_softmax, notebook
03): right and stable, but torch's logsumexp, which the lesson rule forbids; the method
spelling must be caught as well as torch.logsumexp(x)."""

CATCHES = ["log_softmax"]


def log_softmax(x):
    return x - x.logsumexp(-1, keepdim=True)
