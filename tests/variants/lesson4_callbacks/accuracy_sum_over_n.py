"""accuracy as the number of right rows over n, in float64."""

KEEPS = ["accuracy"]


def accuracy(out, yb):
    if out.dim() != 2 or yb.dim() != 1 or len(out) != len(yb):
        raise ValueError("accuracy needs out (n, c) and yb (n,)")
    return (out.argmax(dim=1) == yb).sum().double() / len(yb)
