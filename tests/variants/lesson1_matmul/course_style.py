"""The five versions as the course writes them (01_matmul), with this repository's contract
added (ValueError for bad shapes, the caller's dtype and device): rows unpacked from .shape,
`a[i].unsqueeze(-1)` for the broadcast column, `a.matmul(b)` for torch's own, and the
Frobenius norm as (m * m).sum().sqrt(). Written by us in the course's style."""

KEEPS = [
    "matmul_loops",
    "matmul_elementwise",
    "matmul_broadcast",
    "matmul_einsum",
    "matmul_torch",
    "frobenius_norm",
]


def _check(a, b):
    if a.dim() != 2 or b.dim() != 2:
        raise ValueError("matmul needs two matrices")
    ar, ac = a.shape
    br, bc = b.shape
    if ac != br:
        raise ValueError(f"inner dimensions differ: {ac} != {br}")
    return ar, ac, bc


def matmul_loops(a, b):
    ar, ac, bc = _check(a, b)
    c = torch.zeros(ar, bc, dtype=a.dtype, device=a.device)
    for i in range(ar):
        for j in range(bc):
            for k in range(ac):  # or br
                c[i, j] += a[i, k] * b[k, j]
    return c


def matmul_elementwise(a, b):
    ar, ac, bc = _check(a, b)
    c = torch.zeros(ar, bc, dtype=a.dtype, device=a.device)
    for i in range(ar):
        for j in range(bc):
            # Any trailing ",:" can be removed
            c[i, j] = (a[i, :] * b[:, j]).sum()
    return c


def matmul_broadcast(a, b):
    ar, ac, bc = _check(a, b)
    c = torch.zeros(ar, bc, dtype=a.dtype, device=a.device)
    for i in range(ar):
        c[i] = (a[i].unsqueeze(-1) * b).sum(dim=0)
    return c


def matmul_einsum(a, b):
    _check(a, b)
    return torch.einsum("ik,kj->ij", a, b)


def matmul_torch(a, b):
    _check(a, b)
    return a.matmul(b)


def frobenius_norm(m):
    return (m * m).sum().sqrt()
