"""Compare what a learner's function returned with what was expected.

:func:`difference` returns ``None`` when the two agree within tolerance, and
otherwise one sentence, for a learner, that says where they first disagree.
The same function decides whether a learner's output matches a catalogued
mistake's output. The sentences themselves are in :mod:`autograder.feedback`.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Number
from typing import Any

import numpy as np

from .feedback import say


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
        return say("an_array", shape=_shape_of(x))
    if x is None:
        return say("none")
    return say("a_type", type=type(x).__name__)


def _array_difference(name: str, expected: np.ndarray, got: Any, tol: Tolerance) -> str | None:
    if isinstance(got, (Number, np.generic)) or isinstance(got, np.ndarray):
        got = np.asarray(got)
    else:
        return say("not_array", name=name, shape=_shape_of(expected), got=_describe_type(got))
    if expected.shape != got.shape:
        if expected.size == 1 and got.size == 1:
            got = got.reshape(expected.shape)
        else:
            return say("wrong_shape", name=name, got=_shape_of(got), expected=_shape_of(expected))
    if expected.dtype == bool:
        wrong = expected != got.astype(bool) if got.dtype != object else np.ones(expected.shape, bool)
    else:
        if not np.issubdtype(got.dtype, np.number):
            return say("not_numbers", name=name, dtype=got.dtype)
        wrong = ~np.isclose(got.astype(float), expected, rtol=tol.rtol, atol=tol.atol)
    if not wrong.any():
        return None
    if expected.ndim == 0:
        return say("wrong_value", name=name, expected=_fmt(expected.item()), got=_fmt(got.item()))
    gap = np.where(wrong, np.abs(got.astype(float) - expected.astype(float)), -1.0)
    worst = np.unravel_index(int(np.argmax(gap)), expected.shape)
    return say("wrong_entries", name=name, wrong=int(wrong.sum()), size=expected.size,
               index=tuple(int(i) for i in worst), expected=_fmt(expected[worst]), got=_fmt(got[worst]))


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
        return say("not_number", name=name, got=_describe_type(got))
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return say("not_tuple", name=name, count=len(expected), got=_describe_type(got))
        if len(got) != len(expected):
            return say("wrong_length", name=name, count=len(expected), got=len(got))
        for index, (e, g) in enumerate(zip(expected, got)):
            found = difference(f"{name}[{index}]", e, g, tol)
            if found:
                return found
        return None
    if isinstance(expected, dict):  # e.g. the gradients of a network, by parameter name (assignment 3)
        keys = ", ".join(repr(key) for key in expected)
        if not isinstance(got, dict):
            return say("wrong_value", name=name, expected=f"a dict with the keys {keys}", got=_describe_type(got))
        for key, e in expected.items():
            if key not in got:
                return say("wrong_value", name=f"{name}[{key!r}]", expected=_describe_type(e), got="missing")
            found = difference(f"{name}[{key!r}]", e, got[key], tol)
            if found:
                return found
        return None
    try:
        equal = bool(expected == got)
    except (TypeError, ValueError):
        equal = False
    return None if equal else say("wrong_value", name=name, expected=_fmt(expected), got=_fmt(got))
