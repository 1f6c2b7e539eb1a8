"""AvgStats adds up the metrics as tensors (the course's `tot_mets[i] += m(pred, yb) * bn`):
the loss is a float but avg_stats holds 0-dim tensors for the metrics."""

CATCHES = ["AvgStatsCallback"]


class AvgStats(AvgStats):  # noqa: F821
    def accumulate(self, run):
        bn = run.xb.shape[0]
        self.tot_loss += run.loss.item() * bn
        self.count += bn
        for i, m in enumerate(self.metrics):
            self.tot_mets[i] += m(run.pred, run.yb) * bn
