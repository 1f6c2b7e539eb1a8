"""Typed records: what a probe observed, as named fields instead of dicts and lists.

    @record
    class Step:
        out: torch.Tensor       # (N, C, H, W)
        grad_x: torch.Tensor    # (N, C, H, W)

A record is a frozen dataclass registered under its module and name, so it can cross the pipe
between the grading sandbox and the judge (`autograder/wire.py` encodes it field by field and
rebuilds only registered record types). Records hold observations, never verdicts.
"""

from __future__ import annotations

import dataclasses

RECORDS: dict[str, type] = {}


def record_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def record(cls: type) -> type:
    """Make `cls` a frozen dataclass and register it as a record type."""
    cls = dataclasses.dataclass(frozen=True)(cls)
    RECORDS[record_name(cls)] = cls
    return cls


def is_record(value) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def fields(value) -> dict:
    """{name: value} of a record instance (shallow: nested values stay as they are)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
