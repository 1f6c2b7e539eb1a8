"""Prints megabytes at import and on every call of frobenius_norm; the answers are right. The
output capture is capped, the pipe keeps draining, and the grade is full."""

EXPECT = "full"

print("x" * (4 << 20))
_reference_frobenius_norm = frobenius_norm


def frobenius_norm(m):
    print("y" * (1 << 20))
    return _reference_frobenius_norm(m)
