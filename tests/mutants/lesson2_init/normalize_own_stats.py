"""normalize uses x's own mean and std instead of the ones passed (the training set's)."""

CATCHES = ["normalize"]


def normalize(x, mean, std):
    return (x - x.mean()) / x.std()
