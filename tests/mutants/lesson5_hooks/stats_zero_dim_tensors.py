"""append_stats records the course's `outp.data.mean().cpu()`: detached 0-d tensors where the
docstring promises Python floats."""

CATCHES = ["append_stats"]


def append_stats(hook, module, inp, outp):
    if not hasattr(hook, "stats"):
        hook.stats = ([], [], [])
    if not module.training:
        return
    means, stds, hists = hook.stats
    means.append(outp.data.mean().cpu())
    stds.append(outp.data.std().cpu())
    hists.append(outp.data.float().cpu().histc(HIST_BINS, HIST_MIN, HIST_MAX))
