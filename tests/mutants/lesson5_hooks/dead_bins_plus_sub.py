"""dead_bins centres the band on +sub instead of -sub (a sign slip)."""

CATCHES = ["dead_bins", "get_min"]


def dead_bins(sub=0.0):
    c = math.floor((sub - HIST_MIN) / (HIST_MAX - HIST_MIN) * HIST_BINS)
    c = min(max(c, 0), HIST_BINS - 1)
    return max(c - 1, 0), min(c + 2, HIST_BINS)
