"""Warnings at import and in every call; the answers are right and the grade is full."""

EXPECT = "full"

import warnings

warnings.warn("this module is deprecated", DeprecationWarning)
warnings.warn("Traceback (most recent call last): fake", RuntimeWarning)
_reference_frobenius_norm = frobenius_norm


def frobenius_norm(m):
    warnings.warn("noisy", UserWarning)
    return _reference_frobenius_norm(m)
