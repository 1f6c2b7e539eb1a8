"""An infinite loop inside one graded function: each call times out (10 s), that task scores
0, the box is closed (every process in it killed) and the other task keeps its marks."""

EXPECT = "partial"
ZERO = ["frobenius_norm"]


def frobenius_norm(m):
    x = 0
    while True:
        x += 1
