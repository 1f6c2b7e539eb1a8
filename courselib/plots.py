"""Plotting helpers: every figure is a real matplotlib figure, saved as PNG next to the notebook.

Notebooks run headless under `make test`, so the backend falls back to Agg when there is no
display; in Jupyter the figure also shows inline.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

if not os.environ.get("DISPLAY") and "inline" not in matplotlib.get_backend().lower():
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, name: str, folder: str | os.PathLike = ".") -> Path:
    """Save `fig` as `<folder>/<name>.png` (tight layout, 120 dpi) and return the path."""
    path = Path(folder) / f"{name}.png"
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def bar_log(values: dict, title: str, ylabel: str = "seconds per call", fmt=None):
    """A bar chart of {label: value} on a log scale, each bar annotated with fmt(value)."""
    fmt = fmt or (lambda v: f"{v:.2g}")
    fig, ax = plt.subplots(figsize=(7, 4))
    labels, heights = list(values), list(values.values())
    bars = ax.bar(labels, heights, color="tab:blue")
    ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    for bar, h in zip(bars, heights):
        ax.annotate(fmt(h), (bar.get_x() + bar.get_width() / 2, h), ha="center", va="bottom")
    return fig


def lines(series: dict, title: str, xlabel: str = "", ylabel: str = "", logx: bool = False):
    """One line per {label: ys} (or {label: (xs, ys)})."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, ys in series.items():
        xs, ys = ys if isinstance(ys, tuple) else (range(len(ys)), ys)
        ax.plot(list(xs), list(ys), label=label)
    if logx:
        ax.set_xscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if len(series) > 1:
        ax.legend()
    return fig
