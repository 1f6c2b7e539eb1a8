"""A module that loops forever at import (a leftover experiment at the bottom of the file)."""

CATCHES = ["matmul_torch", "frobenius_norm"]

while True:
    pass
