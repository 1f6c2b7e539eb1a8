"""The course's InstanceNorm default eps=1e-0 (a typo for 1e-5): small variances are squashed."""

CATCHES = ["InstanceNorm"]


class InstanceNorm(InstanceNorm):
    def __init__(self, nf, eps=1e0):
        super().__init__(nf, eps)
