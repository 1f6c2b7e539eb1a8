"""The schedules written differently but correctly: the cosine as 1 - cos(π pos), the geometric
one through exp and log, the line as a weighted mean of its ends."""

KEEPS = ["sched_lin", "sched_cos", "sched_exp"]


@annealer  # noqa: F821
def sched_lin(start, end, pos):
    return (1 - pos) * start + pos * end


@annealer  # noqa: F821
def sched_cos(start, end, pos):
    return start + (end - start) * (1 - math.cos(math.pi * pos)) / 2  # noqa: F821


@annealer  # noqa: F821
def sched_exp(start, end, pos):
    if start <= 0 or end <= 0:
        raise ValueError("sched_exp needs start > 0 and end > 0")
    return math.exp(math.log(start) + pos * (math.log(end) - math.log(start)))  # noqa: F821
