"""Does the product with numpy's dot, which no torch trace sees: numpy is not importable."""

EXPECT = 0
MESSAGE = "imports numpy"

import numpy as np
import torch


def matmul_torch(a, b):
    return torch.from_numpy(np.dot(a.numpy(), b.numpy()))
