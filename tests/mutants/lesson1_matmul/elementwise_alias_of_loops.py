"""matmul_elementwise is just another name for the loops version (no elementwise inner product)."""

CATCHES = ["matmul_elementwise"]

matmul_elementwise = matmul_loops
