"""Runs the product in a worker thread, where the run-time trace (per thread) does not look: threading is not importable."""

EXPECT = 0
MESSAGE = "imports threading"

import threading


def matmul_torch(a, b):
    box = []
    t = threading.Thread(target=lambda: box.append(a @ b))
    t.start()
    t.join()
    return box[0]
