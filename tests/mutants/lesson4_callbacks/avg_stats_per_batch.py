"""AvgStats averages per batch (count += 1, no weighting): a short last batch counts as much
as a full one."""

CATCHES = ["AvgStatsCallback"]


class AvgStats(AvgStats):  # noqa: F821
    def accumulate(self, run):
        self.tot_loss += float(run.loss)
        self.count += 1
        for i, m in enumerate(self.metrics):
            self.tot_mets[i] += float(m(run.pred, run.yb))
