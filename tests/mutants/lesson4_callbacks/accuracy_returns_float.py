"""accuracy returns a Python float (`.item()`) instead of the promised 0-dim tensor."""

CATCHES = ["accuracy"]


def accuracy(out, yb):
    if out.dim() != 2 or yb.dim() != 1 or out.shape[0] != yb.shape[0]:
        raise ValueError("accuracy needs out (n, c) and yb (n,)")
    return (out.argmax(dim=1) == yb).float().mean().item()
