"""normalize with in-place ops: right values, but the caller's x is normalised too (running
it twice on the training set normalises it twice)."""

CATCHES = ["normalize"]


def normalize(x, mean, std):
    return x.sub_(mean).div_(std)
