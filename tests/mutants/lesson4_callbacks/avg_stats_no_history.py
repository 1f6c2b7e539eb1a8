"""AvgStatsCallback prints the statistics at after_epoch but never appends them to history."""

CATCHES = ["AvgStatsCallback"]


class AvgStatsCallback(AvgStatsCallback):  # noqa: F821
    def after_epoch(self):
        if self.verbose:
            print(f"epoch {self.epoch}: {self.train_stats}  {self.valid_stats}")
