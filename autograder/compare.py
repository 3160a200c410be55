"""Compare what a learner's function returned with what was expected.

:func:`difference` returns ``None`` when the two agree within tolerance, and
otherwise a :class:`~autograder.verdict.Difference`: data that says where they
first disagree (words are added by :mod:`autograder.render`). The same
function decides whether a learner's output matches a catalogued mistake's.
"""
from __future__ import annotations

from numbers import Number
from typing import Any, Sequence

import numpy as np

from .casefile import Tolerance  # stored with each case; compared with here
from .verdict import Difference, Shown

EXACT_REFERENCE = Tolerance()
GRADIENT_CHECK = Tolerance(rtol=1e-5, atol=1e-7)  # central differences carry ~1e-9 of error


def _close(got: np.ndarray, expected: np.ndarray, tol: Tolerance) -> np.ndarray:
    """``np.isclose(got, expected, tol.rtol, tol.atol, tol.equal_nan)`` (numpy 2's rule, entry by entry), without
    its checks of the tolerances, which cost more than the comparison on a case's small arrays."""
    expected = np.asarray(expected, dtype=np.result_type(expected, 1.0))
    with np.errstate(invalid="ignore"):
        close = (np.abs(got - expected) <= tol.atol + tol.rtol * np.abs(expected)) & np.isfinite(expected) \
            | (got == expected)
        if tol.equal_nan:
            close |= np.isnan(got) & np.isnan(expected)
    return close


def _real(dtype: np.dtype) -> bool:
    return np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating)


def _array_difference(name: str, expected: np.ndarray, got: Any, tol: Tolerance) -> Difference | None:
    if not isinstance(got, (Number, np.generic, np.ndarray)):
        return Difference("not_array", name, Shown.of(expected), Shown.of(got))
    if expected.size > 1 and not isinstance(got, np.ndarray):  # one number where an array belongs
        return Difference("not_array", name, Shown.of(expected), Shown.of_number(got))
    got = np.asarray(got)
    if expected.shape != got.shape:
        # one number as a (1, 1, 1) array, or the other way round (conv_single_step's Z); not an array of one entry
        # with axes of its own (a dW of shape (1, 1, 1, 1, 1) where (1, 1, 1, 1) belongs: an axis kept too many)
        if expected.size == 1 and got.size == 1 and 0 in (expected.ndim, got.ndim):
            got = got.reshape(expected.shape)
        else:
            return Difference("wrong_shape", name, Shown.of(expected), Shown.of(got))
    if expected.dtype == bool:
        if not (got.dtype == bool or _real(got.dtype)):
            return Difference("not_numbers", name, Shown.of(expected), Shown.of(got))
        if got.dtype != bool and not np.all((got == 0) | (got == 1)):  # a mask holds True/False (or 1/0) only
            odd = np.unravel_index(int(np.argmax((got != 0) & (got != 1))), got.shape)
            return Difference("not_boolean", name, Shown.of(expected), Shown.of_number(got[odd]),
                              index=tuple(int(i) for i in odd))
        wrong = expected != got.astype(bool)
    else:
        if not (_real(got.dtype) or got.dtype == bool):  # complex numbers are not an answer either
            return Difference("not_numbers", name, Shown.of(expected), Shown.of(got))
        wrong = ~_close(got.astype(float), expected, tol)
    if not wrong.any():
        return None
    if expected.ndim == 0:
        return Difference("wrong_value", name, Shown.of_number(expected.item()), Shown.of_number(got.item()))
    gap = np.where(wrong, np.abs(got.astype(float) - expected.astype(float)), -1.0)
    gap = np.where(np.isnan(gap), np.inf, gap)
    worst = np.unravel_index(int(np.argmax(gap)), expected.shape)
    return Difference("wrong_entries", name, Shown.of_number(expected[worst]), Shown.of_number(got[worst]),
                      index=tuple(int(i) for i in worst), wrong=int(wrong.sum()), size=int(expected.size))


def difference(name: str, expected: Any, got: Any, tol: Tolerance = EXACT_REFERENCE) -> Difference | None:
    """How ``got`` differs from ``expected``, or ``None`` if it does not.

    ``name`` is how the learner knows the value, e.g. ``"Z"`` or ``"cache[3]"``.
    Arrays are compared with ``tol``; tuples item by item; dicts key by key; everything else with ``==``.
    """
    if isinstance(expected, np.ndarray):
        return _array_difference(name, expected, got, tol)
    if isinstance(expected, float):
        if isinstance(got, (Number, np.generic, np.ndarray)) and np.size(got) == 1:
            return _array_difference(name, np.asarray(expected), np.asarray(got), tol)
        return Difference("not_number", name, Shown.of_number(expected), Shown.of(got))
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return Difference("not_tuple", name, Shown.of(expected), Shown.of(got))
        if len(got) != len(expected):
            return Difference("wrong_length", name, Shown.of(expected), Shown.of(got))
        for index, (e, g) in enumerate(zip(expected, got)):
            found = difference(f"{name}[{index}]", e, g, tol)
            if found:
                return found
        return None
    if isinstance(expected, dict):  # e.g. the gradients of a network, by parameter name (assignment 3)
        if not isinstance(got, dict):
            return Difference("not_dict", name, Shown.of(expected), Shown.of(got))
        for key, e in expected.items():
            if key not in got:
                return Difference("missing_key", name, Shown.of(expected), Shown.of(got), key=str(key))
            found = difference(f"{name}[{key!r}]", e, got[key], tol)
            if found:
                return found
        return None
    try:
        equal = bool(expected == got)
    except (TypeError, ValueError):
        equal = False
    return None if equal else Difference("wrong_value", name, Shown.of(expected), Shown.of(got))


def outputs_difference(function: str, names: Sequence[str], expected: Any, got: Any,
                       tol: Tolerance) -> Difference | None:
    """How what ``function`` returned differs from its outputs ``names`` (one value, or a tuple of them)."""
    if len(names) == 1:
        return difference(names[0], expected, got, tol)
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return Difference("wrong_count", function, Shown("tuple", length=len(names), keys=tuple(names)), Shown.of(got))
    for name, e, g in zip(names, expected, got):
        found = difference(name, e, g, tol)
        if found:
            return found
    return None
