"""Hangs at import: the import times out (15 s), every lesson-1 test scores 0."""

import torch

while True:
    pass
