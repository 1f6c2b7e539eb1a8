"""Lesson 1's shared vocabulary: the five versions of C = A @ B and which may not call a matmul.

Used by the lesson's notebook, its visible tests and its hidden graders alike.

    C[i, j] = sum_k A[i, k] * B[k, j]        A: (n, k)   B: (k, m)   C: (n, m)
"""

from __future__ import annotations

# The speed ladder, slowest first: each version moves one more loop out of Python.
VERSIONS = (
    "matmul_loops",  # loops over i, j and k
    "matmul_elementwise",  # loops over i and j; the inner product is one tensor op
    "matmul_broadcast",  # one loop, over the rows of A
    "matmul_einsum",  # no loop: Einstein summation
    "matmul_torch",  # no loop: torch's own product
)
# The game rule: these versions build the product from indexing and elementwise ops only.
NO_MATMUL = VERSIONS[:3]
# (fewest, most) Python loops of a version: for, while and comprehensions, helpers included.
LOOPS = {"matmul_elementwise": (1, 2), "matmul_broadcast": (1, 1)}
