"""get_min keeps the course's fixed band, bins 19:22, whatever `sub` is (dead_bins itself is
right but unused): the units sitting at -0.4 are not counted as dead."""

CATCHES = ["get_min"]


def get_min(hook, sub=0.0):
    h = torch.stack(hook.stats[2]).t().float()
    return h[19:22].sum(0) / h.sum(0).clamp_min(1)
