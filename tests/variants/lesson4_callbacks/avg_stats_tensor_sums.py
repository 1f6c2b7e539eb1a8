"""AvgStats that adds up the loss and the metrics as tensors (as the course does) and turns
them into Python floats only in all_stats."""

KEEPS = ["AvgStatsCallback"]


class AvgStats(AvgStats):  # noqa: F821
    def reset(self):
        self.tot_loss, self.count = torch.tensor(0.0, dtype=torch.float64), 0  # noqa: F821
        self.tot_mets = [torch.tensor(0.0, dtype=torch.float64) for _ in self.metrics]  # noqa: F821

    @property
    def all_stats(self):
        return [float(self.tot_loss)] + [float(m) for m in self.tot_mets]

    def accumulate(self, run):
        bn = run.xb.shape[0]
        self.tot_loss = self.tot_loss + run.loss.detach() * bn
        self.count += bn
        for i, m in enumerate(self.metrics):
            self.tot_mets[i] = self.tot_mets[i] + m(run.pred, run.yb).detach() * bn
