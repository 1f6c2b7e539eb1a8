"""mse with the right squeeze(-1) but no shape check (the course's mse): a target of shape (n, 1)
broadcasts (n,) - (n, 1) to (n, n) and returns a silently wrong loss instead of a ValueError."""

CATCHES = ["mse"]


def mse(out, targ):
    return (out.squeeze(-1) - targ).pow(2).mean()
