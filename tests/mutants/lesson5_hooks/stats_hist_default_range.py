"""append_stats calls histc(40) with the default range (the data's own min and max), so the
bins mean something different in every batch and layer."""

CATCHES = ["append_stats"]


def append_stats(hook, module, inp, outp):
    if not hasattr(hook, "stats"):
        hook.stats = ([], [], [])
    if not module.training:
        return
    means, stds, hists = hook.stats
    out = outp.detach()
    means.append(out.mean().item())
    stds.append(out.std().item())
    hists.append(out.float().cpu().histc(40))
