"""The course's final RunningBatchNorm: factor and offset are computed in the training step and
reused in eval, so eval ignores mults/adds changed by the optimizer step (or load_state_dict)."""

CATCHES = ["RunningBatchNorm"]


class RunningBatchNorm(RunningBatchNorm):
    def forward(self, x):
        check_images(x, self.nf, "RunningBatchNorm")
        if self.training:
            sums, sqrs, count, dbias = self.update_stats(x)
            s, q, c = sums / dbias, sqrs / dbias, count / dbias
            mean = s / c
            var = (q / c - mean * mean).clamp_min(0)
            if self.batch < 20:
                var = var.clamp_min(0.01)
            self.factor = self.mults / (var + self.eps).sqrt()
            self.offset = self.adds - mean * self.factor
            return x * self.factor + self.offset
        if not hasattr(self, "factor"):
            return x / math.sqrt(1 + self.eps) * self.mults + self.adds
        return x * self.factor.detach() + self.offset.detach()
