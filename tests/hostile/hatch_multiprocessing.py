"""Forks worker processes to look fast and to outlive the box."""

EXPECT = 0
MESSAGE = "imports multiprocessing"

import multiprocessing

multiprocessing.Process(target=lambda: None).start()
