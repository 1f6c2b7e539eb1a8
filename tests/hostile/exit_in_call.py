"""sys.exit and exit() inside the graded calls, without importing sys: a SystemExit in the child
is an ordinary error of that call, never a clean end of grading."""

EXPECT = 0


def frobenius_norm(m):
    raise SystemExit(0)


def matmul_torch(a, b):
    exit(0)
