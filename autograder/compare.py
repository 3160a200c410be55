"""Compare what a learner's function returned with what was expected.

:func:`difference` returns ``None`` when the two agree within tolerance, and
otherwise one sentence, for a learner, that says where they first disagree.
The same function decides whether a learner's output matches a catalogued
mistake's output.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Number
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    """Entries agree when ``|got - expected| <= atol + rtol * |expected|``."""

    rtol: float = 1e-6
    atol: float = 1e-9


EXACT_REFERENCE = Tolerance()
GRADIENT_CHECK = Tolerance(rtol=1e-5, atol=1e-7)  # central differences carry ~1e-9 of error


def _fmt(x: Any) -> str:
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.10g}"
    return repr(x.tolist() if isinstance(x, np.generic) else x)


def _shape_of(x: Any) -> str:
    return str(tuple(np.shape(x)))


def _describe_type(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {_shape_of(x)}"
    if x is None:
        return "None (did you forget a return statement?)"
    return f"a {type(x).__name__}"


def _array_difference(name: str, expected: np.ndarray, got: Any, tol: Tolerance) -> str | None:
    if isinstance(got, (Number, np.generic)) or isinstance(got, np.ndarray):
        got = np.asarray(got)
    else:
        return f"{name} should be an array of shape {_shape_of(expected)}, but it is {_describe_type(got)}."
    if expected.shape != got.shape:
        if expected.size == 1 and got.size == 1:
            got = got.reshape(expected.shape)
        else:
            return f"{name} has shape {_shape_of(got)}, but it should have shape {_shape_of(expected)}."
    if expected.dtype == bool:
        wrong = expected != got.astype(bool) if got.dtype != object else np.ones(expected.shape, bool)
    else:
        if not np.issubdtype(got.dtype, np.number):
            return f"{name} should hold numbers, but its dtype is {got.dtype}."
        wrong = ~np.isclose(got.astype(float), expected, rtol=tol.rtol, atol=tol.atol)
    if not wrong.any():
        return None
    if expected.ndim == 0:
        return f"{name} should be {_fmt(expected.item())}, but it is {_fmt(got.item())}."
    gap = np.where(wrong, np.abs(got.astype(float) - expected.astype(float)), -1.0)
    worst = np.unravel_index(int(np.argmax(gap)), expected.shape)
    return (
        f"{name} differs in {int(wrong.sum())} of {expected.size} entries; at index {tuple(int(i) for i in worst)} "
        f"it should be {_fmt(expected[worst])}, but it is {_fmt(got[worst])}."
    )


def difference(name: str, expected: Any, got: Any, tol: Tolerance = EXACT_REFERENCE) -> str | None:
    """One sentence on how ``got`` differs from ``expected``, or ``None`` if it does not.

    ``name`` is how the learner knows the value, e.g. ``"Z"`` or ``"cache[3]"``.
    Arrays are compared with ``tol``; tuples item by item; everything else with ``==``.
    """
    if isinstance(expected, np.ndarray):
        return _array_difference(name, expected, got, tol)
    if isinstance(expected, float):
        if isinstance(got, (Number, np.generic, np.ndarray)) and np.size(got) == 1:
            return _array_difference(name, np.asarray(expected), np.asarray(got), tol)
        return f"{name} should be a single number, but it is {_describe_type(got)}."
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return f"{name} should be a tuple of {len(expected)} items, but it is {_describe_type(got)}."
        if len(got) != len(expected):
            return f"{name} should hold {len(expected)} items, but it holds {len(got)}."
        for index, (e, g) in enumerate(zip(expected, got)):
            found = difference(f"{name}[{index}]", e, g, tol)
            if found:
                return found
        return None
    try:
        equal = bool(expected == got)
    except (TypeError, ValueError):
        equal = False
    return None if equal else f"{name} should be {_fmt(expected)}, but it is {_fmt(got)}."
