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
    ### BEGIN SOLUTION
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            for p in range(k):
                c[i, j] += a[i, p] * b[p, j]
    return c
    ### END SOLUTION


# ## Task 1.2: the inner loop as one elementwise op
def matmul_elementwise(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C[i, j] = sum_k a[i, k] * b[k, j], with Python loops over i and j only.

    For each (i, j), row i of a and column j of b are two vectors of length k: multiply them
    elementwise in one tensor op and reduce the k products to one number in another, so the
    k loop runs inside torch. a: (n, k), b: (k, m) -> (n, m), same dtype and device as a.
    """
    ### BEGIN SOLUTION
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            c[i, j] = (a[i, :] * b[:, j]).sum()
    return c
    ### END SOLUTION


# ## Task 1.3: broadcasting
def matmul_broadcast(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C[i, :] = sum_k a[i, k] * b[k, :], with one Python loop, over the rows of a.

    Row i of a holds k numbers; give it shape (k, 1) and broadcasting pairs it with b (k, m) as
    if it were repeated m times, without copying it (the repeated dimension has stride 0). The
    elementwise product is then the (k, m) matrix of a[i, p] * b[p, j]; reducing it over the k
    dimension leaves row i of C, shape (m,). a: (n, k), b: (k, m) -> (n, m).
    """
    ### BEGIN SOLUTION
    n, k, m = check_matmul_shapes(a, b)
    c = torch.zeros(n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        c[i] = (a[i, :, None] * b).sum(dim=0)
    return c
    ### END SOLUTION


# ## Task 1.4: Einstein summation
def matmul_einsum(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C = A B in Einstein notation, with no Python loop: C_ij = A_ik B_kj.

    In Einstein notation an index that appears in the inputs but not in the output is summed
    over (here k), so the product is one torch.einsum call. a: (n, k), b: (k, m) -> (n, m).
    """
    ### BEGIN SOLUTION
    check_matmul_shapes(a, b)
    return torch.einsum("ik,kj->ij", a, b)
    ### END SOLUTION


# ## Task 1.5: torch's own
def matmul_torch(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """C = A B by torch's own matrix product (a BLAS kernel), after the same shape check as
    the others. a: (n, k), b: (k, m) -> (n, m)."""
    ### BEGIN SOLUTION
    check_matmul_shapes(a, b)
    return a @ b
    ### END SOLUTION


# ## Task 1.6: the Frobenius norm
def frobenius_norm(m: torch.Tensor) -> torch.Tensor:
    """||M||_F = sqrt(sum_ij M[i, j]^2), a 0-dim tensor of m's dtype (any shape of m)."""
    ### BEGIN SOLUTION
    return (m * m).sum().sqrt()
    ### END SOLUTION
