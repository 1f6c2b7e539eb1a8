"""A placeholder left in: the right shape, dtype and device, all zeros (fast, and wrong)."""

CATCHES = ["matmul_torch"]


def matmul_torch(a, b):
    n, k, m = check_matmul_shapes(a, b)
    return torch.zeros(n, m, dtype=a.dtype, device=a.device)
