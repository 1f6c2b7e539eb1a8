"""nll that indexes logp[range(len(targ)), targ] with no check (the course's nll): a class index
>= c is an IndexError, and fewer targets than rows silently average the first rows only."""

CATCHES = ["nll"]


def nll(logp, targ):
    return -logp[range(targ.shape[0]), targ].mean()
