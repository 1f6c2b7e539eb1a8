"""Lesson 1: matrix multiplication, from three Python loops to one torch call.

    C = A @ B,   C[i, j] = sum_k A[i, k] * B[k, j]      A: (n, k)  B: (k, m)  C: (n, m)

Each version is faster than the one before because it moves one loop out of Python and into
torch's C++ kernels. The game rule: a version may use torch only for tensor creation, indexing
and elementwise ops, plus what the earlier versions built. `matmul_loops`, `matmul_elementwise`
and `matmul_broadcast` must not call `@`, `matmul`, `mm`, `einsum`, `dot`, `bmm` or `tensordot`.

Every version keeps the caller's dtype and device and raises ValueError (never a bare assert)
when the shapes cannot be multiplied.
"""

import torch


# ## Task 1.0: check the shapes (a worked example; every version below calls it)
def check_matmul_shapes(a: torch.Tensor, b: torch.Tensor) -> tuple[int, int, int]:
    """Return (n, k, m) for a: (n, k) and b: (k, m); ValueError otherwise.

    A loops version without this check silently returns wrong numbers for mismatched inputs:
    it iterates over a's columns and indexes b's rows until one runs out.
    """
    if a.dim() != 2 or b.dim() != 2:
        raise ValueError(f"matmul needs two matrices, got a.dim()={a.dim()}, b.dim()={b.dim()}")
    (n, k), (k2, m) = a.shape, b.shape
    if k != k2:
        raise ValueError(f"inner dimensions differ: a is {n}x{k}, b is {k2}x{m}")
    return n, k, m


# ## Task 1.1: three loops
def matmul_loops(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C[i, j] = sum_k a[i, k] * b[k, j], with a Python loop over i, j and k.

    a: (n, k), b: (k, m) -> (n, m), same dtype and device as a.
    """
    # no shape check: mismatched inputs give wrong numbers instead of an error
    n, k = a.shape
    m = b.shape[1]
    c = torch.zeros(n, m, dtype=a.dtype)
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[p, j]
    return c


# ## Task 1.2: the inner loop as one elementwise op
def matmul_elementwise(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C[i, j] = (a[i, :] * b[:, j]).sum(): loops over i and j only.

    a: (n, k), b: (k, m) -> (n, m).
    """
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            c[i, j] = (a[i, :] * b[:, j]).sum()
    return c


# ## Task 1.3: broadcasting
def matmul_broadcast(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C[i, :] = (a[i, :, None] * b).sum(dim=0): one loop, over the rows of a.

    a[i, :, None] is (k, 1); broadcast against b (k, m) it acts as (k, m) without copying
    (expand gives stride 0), and summing over dim 0 gives row i of C, shape (m,).
    """
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):  # still loops over the columns: not broadcasting over b
            c[i, j] = (a[i, :, None] * b[:, j : j + 1]).sum()
    return c


# ## Task 1.4: Einstein summation
def matmul_einsum(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """torch.einsum('ik,kj->ij', a, b): the repeated index k is summed over."""
    check_matmul_shapes(a, b)
    return torch.einsum("ij,jk->ik", a, b)


# ## Task 1.5: torch's own
def matmul_torch(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a @ b, after the same shape check as the others."""
    check_matmul_shapes(a, b)
    return torch.matmul(a, b)


# ## Task 1.6: the Frobenius norm
def frobenius_norm(m: torch.Tensor) -> torch.Tensor:
    """||M||_F = sqrt(sum_ij M[i, j]^2), a 0-dim tensor of m's dtype (any shape of m)."""
    return (m**2).sum() ** 0.5
