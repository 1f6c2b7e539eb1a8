"""sched_cos computed with torch.cos on a tensor: the right value, but a 0-dim tensor where the
docstring promises a float (a ParamScheduler then stores tensors as learning rates)."""

CATCHES = ["sched_cos"]


@annealer  # noqa: F821
def sched_cos(start, end, pos):
    return (
        start + (1 + torch.cos(torch.tensor(math.pi * (1 - pos)))) * (end - start) / 2
    )  # noqa: F821
