"""Central-difference gradients and the relative-error measure, used everywhere.

The reference's backward functions are checked against these in tests/, and
the build stores them as the expected values of the "gradient check" cases.
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def numerical_gradient(loss: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Gradient of ``loss()`` with respect to ``x`` by central differences.

    ``x`` is perturbed in place, one entry at a time, and restored after each
    step; ``loss`` must read ``x`` each time it is called.

    Returns an array of the shape of ``x``.
    """
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = loss()
        x[index] = original - eps
        minus = loss()
        x[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|a|, |b|, tiny): 0 for equal arrays, about 1 for unrelated ones."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), 1e-300)
    return float(np.max(np.abs(a - b), initial=0.0) / scale)
