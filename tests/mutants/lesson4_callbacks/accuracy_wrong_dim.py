"""accuracy takes the argmax over the batch (dim 0) instead of the classes, and checks nothing."""

CATCHES = ["accuracy"]


def accuracy(out, yb):
    return (out.argmax(dim=0) == yb).float().mean()
