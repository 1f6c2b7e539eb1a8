"""combine_scheds in the course's style with its pos = 1 bug fixed, but the phase position
stays a 0-dim float32 tensor: every value comes back as a tensor, not a float."""

CATCHES = ["combine_scheds"]


def combine_scheds(pcts, scheds):
    if abs(sum(pcts) - 1) > 1e-6 or any(p < 0 for p in pcts) or len(pcts) != len(scheds):
        raise ValueError(f"bad pcts {pcts}")
    cum = torch.cumsum(torch.tensor([0.0] + list(pcts)), 0)  # noqa: F821

    def _inner(pos):
        idx = min(int((pos >= cum).nonzero().max()), len(pcts) - 1)
        while pcts[idx] == 0:
            idx -= 1
        return scheds[idx]((pos - cum[idx]) / (cum[idx + 1] - cum[idx]))

    return _inner
