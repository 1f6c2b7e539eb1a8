"""frobenius_norm returns a 1.1 GB tensor: larger than any reply the judge reads (or than the
child's memory allows to encode). That task scores 0; matmul_torch keeps its marks."""

EXPECT = "partial"
ZERO = ["frobenius_norm"]

import torch


def frobenius_norm(m):
    return torch.zeros(280_000_000)
