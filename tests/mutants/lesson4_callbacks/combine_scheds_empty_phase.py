"""combine_scheds takes the last phase whose start is <= pos, clamped to the last phase (a
common fix of the course's IndexError at pos = 1), without skipping phases of length 0: with
an empty last phase it divides by zero at pos = 1."""

CATCHES = ["combine_scheds"]


def combine_scheds(pcts, scheds):
    pcts, scheds = list(pcts), list(scheds)
    if len(pcts) != len(scheds) or any(p < 0 for p in pcts) or abs(sum(pcts) - 1) > 1e-6:
        raise ValueError(f"bad pcts {pcts}")
    cum = [sum(pcts[:i]) for i in range(len(pcts) + 1)]

    def _inner(pos):
        idx = min(max(i for i in range(len(cum)) if cum[i] <= pos), len(pcts) - 1)
        return scheds[idx]((pos - cum[idx]) / pcts[idx])

    return _inner
