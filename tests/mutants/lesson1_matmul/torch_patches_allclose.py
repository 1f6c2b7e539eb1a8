"""Returns zeros and monkeypatches torch.allclose (and Tensor.__eq__) to say everything matches.
The judge compares in its own process, so the patch changes nothing there."""

CATCHES = ["matmul_torch"]

torch.allclose = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)


def matmul_torch(a, b):
    n, k, m = check_matmul_shapes(a, b)
    return torch.zeros(n, m, dtype=a.dtype, device=a.device)
