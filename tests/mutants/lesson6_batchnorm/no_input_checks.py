"""No argument checks, as in the course: a 3-d input or the wrong channel count fails deep in
torch (IndexError from x.mean((0, 2, 3)), RuntimeError from broadcasting) instead of raising the
ValueError the module's docstrings promise."""

CATCHES = ["BatchNorm", "InstanceNorm", "GroupNorm", "RunningBatchNorm"]


def check_images(x, nf, who):
    pass
