"""Computes with @ inside torch._C.DisableTorchFunction(), which switches off the run-time trace of the rules: refused at the source."""

EXPECT = 0
MESSAGE = "rule: matmul.py line"

import torch


def frobenius_norm(m):
    with torch._C.DisableTorchFunction():
        return (m * m).sum().sqrt()
