"""Writes full-marks results files wherever a grader might look (the sandbox, its parents,
Gradescope's /autograder/results/, the class output folder), then answers wrong. The grade
comes from the judge; the output folder is unreadable and unwritable to the child."""

EXPECT = 0

import json
import os

import torch

_fake = json.dumps({"score": 1000, "max_score": 53, "tests": []})
_targets = ["results.json", "../results.json", "../../results.json"]
_targets += ["/autograder/results/results.json"]
for _t in _targets:
    try:
        os.makedirs(os.path.dirname(os.path.abspath(_t)), exist_ok=True)
        with open(_t, "w") as f:
            f.write(_fake)
    except OSError:
        pass


def frobenius_norm(m):
    return torch.zeros((), dtype=m.dtype)


def matmul_torch(a, b):
    return torch.ones(a.shape[0], b.shape[1], dtype=a.dtype)
