"""The course's patch for pos = 1, `if idx == 2: idx = 1`: fine for two phases, IndexError
for three; and pcts not summing to 1 are not rejected."""

CATCHES = ["combine_scheds"]


def combine_scheds(pcts, scheds):
    pcts = torch.tensor([0] + listify(pcts), dtype=torch.float64)  # noqa: F821
    pcts = torch.cumsum(pcts, 0)  # noqa: F821

    def _inner(pos):
        idx = (pos >= pcts).nonzero().max()
        if idx == 2:
            idx = 1
        actual_pos = (pos - pcts[idx]) / (pcts[idx + 1] - pcts[idx])
        return scheds[idx](float(actual_pos))

    return _inner
