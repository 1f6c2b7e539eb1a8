"""Warnings and tracebacks on stderr at import and in every call; the answers are right."""

EXPECT = "full"

import sys
import traceback
import warnings

warnings.warn("this module is deprecated", DeprecationWarning)
print("Traceback (most recent call last):\n  fake\nValueError: not really", file=sys.stderr)
_reference_frobenius_norm = frobenius_norm


def frobenius_norm(m):
    warnings.warn("noisy", UserWarning)
    traceback.print_stack(file=sys.stderr)
    return _reference_frobenius_norm(m)
