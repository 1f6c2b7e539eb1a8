"""combine_scheds checks `sum(pcts) == 1` exactly (the course's assert, as a ValueError):
[0.7, 0.2, 0.1] sums to 0.9999999999999999 in floating point and is refused."""

CATCHES = ["combine_scheds"]

_checked_combine = combine_scheds  # noqa: F821


def combine_scheds(pcts, scheds):
    if sum(pcts) != 1.0:
        raise ValueError(f"pcts must sum to 1, got {pcts}")
    return _checked_combine(pcts, scheds)
