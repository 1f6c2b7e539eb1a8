"""get_min and dead_bins in the course's shape: the band's counts over all counts, with the
band computed from -sub by hand and an empty batch mapped to 0 by nan_to_num."""

KEEPS = ["get_min", "dead_bins"]


def dead_bins(sub=0.0):
    width = (HIST_MAX - HIST_MIN) / HIST_BINS
    c = int((-sub - HIST_MIN) // width)
    c = max(0, min(HIST_BINS - 1, c))
    return max(0, c - 1), min(HIST_BINS, c + 2)


def get_min(h, sub=0.0):
    h1 = torch.stack(h.stats[2]).t().float()
    lo, hi = dead_bins(sub)
    return (h1[lo:hi].sum(0) / h1.sum(0)).nan_to_num(0.0)
