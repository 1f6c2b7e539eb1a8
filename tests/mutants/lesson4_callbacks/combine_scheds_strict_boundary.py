"""combine_scheds picks the phase with `start < pos` instead of `start <= pos`: at a phase
boundary it stays in the previous phase at its end instead of starting the next one."""

CATCHES = ["combine_scheds"]


def combine_scheds(pcts, scheds):
    pcts, scheds = list(pcts), list(scheds)
    if len(pcts) != len(scheds) or any(p < 0 for p in pcts) or abs(sum(pcts) - 1) > 1e-6:
        raise ValueError(f"bad pcts {pcts}")
    starts = [sum(pcts[:i]) for i in range(len(pcts))]

    def _inner(pos):
        idx = max([0] + [i for i in range(len(pcts)) if pcts[i] > 0 and starts[i] < pos])
        return scheds[idx](min((pos - starts[idx]) / pcts[idx], 1.0))

    return _inner
