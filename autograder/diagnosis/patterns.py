"""A wrong output read for a pattern, by comparing it with the expected one.

:func:`explain_output` looks at the output that differs and names what it sees:

- ``returned_none``: the function returned None (a forgotten ``return``);
- ``bool_mask``: a mask holding values other than 0/1;
- ``number_for_array``: one number returned where an array of a given shape belongs;
- ``not_finite``, ``all_zeros`` (``all_zeros_fractions`` where every entry should be between -1 and 1),
  ``cut_to_whole_numbers`` (an integer array, or //);
- ``off_by_factor``: every entry the same multiple of the expected one, said in the lesson's terms
  when the factor is one (the window's area or side, the batch size, the number of positions);
- ``constant_offset``: off by the same amount everywhere (or in each channel);
- ``some_examples`` / ``some_channels``: only some examples (axis 0) or channels (last axis) right;
- ``values_misplaced``: the right values at the wrong places (two axes swapped, an axis reversed);
- ``reshaped`` / ``transposed_shape``: the right values in the wrong shape; ``axis_not_summed``: one axis more
  than expected, over which the output summed is the expected one (an einsum that keeps the examples' letter);
- ``values_moved``: the right values moved along the height and width, zeros where they left (padding on one side);
- for a network's ``(cost, grads)``: ``cost_wrong`` (the forward pass), ``some_gradients`` (which
  parameters' gradients are right, which not: where the backward pass goes wrong), ``gradient_keys``.

``facts`` are the case's sizes, stored with it by the build: ``{"f", "area", "m", "positions"}``.
Everything here compares two arrays; nothing calls the learner's code.
"""
from __future__ import annotations

import itertools
from typing import Any, Mapping, Sequence

import numpy as np

from ..verdict import Diagnosis, Difference

RTOL, ATOL = 1e-6, 1e-9
BATCH_FIRST = ("Z", "A", "A_prev", "dA_prev", "X_pad")  # the lesson's NHWC outputs, whose axis 0 is the example


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _pick(names: Sequence[str], expected: Any, got: Any, difference: Difference) -> tuple[str, Any, Any]:
    """(name, expected, got) of the output that differs (the whole value when there is one output)."""
    if len(names) == 1 or not isinstance(got, (tuple, list)) or len(got) != len(names):
        return names[0], expected, got  # another number of values ("wrong_count"): nothing to pair
    for name, e, g in zip(names, expected, got):
        if difference.name == name or difference.name.startswith(name + "["):
            return name, e, g
    return names[0], expected[0], got[0]


def _numeric(value: Any) -> np.ndarray | None:
    if isinstance(value, (np.ndarray, np.generic, int, float)) and not isinstance(value, bool):
        array = np.asarray(value)
        if np.issubdtype(array.dtype, np.number) or array.dtype == bool:
            return array.astype(float)
    return None


def _factor_reason(factor: float, facts: Mapping[str, int]) -> tuple[str | None, dict]:
    """Which of the case's sizes the factor (or its inverse) is."""
    for value in (factor, 1 / factor if factor else 0.0):
        for reason, key in (("window_area", "area"), ("batch", "m"), ("positions", "positions"),
                            ("window_side", "f")):
            size = facts.get(key)
            if size and size > 1 and np.isclose(value, size, rtol=1e-6):
                return reason, {{"window_area": "area", "window_side": "side"}.get(reason, key): size}
    return None, {}


def _off_by_factor(name: str, e: np.ndarray, g: np.ndarray, facts: Mapping[str, int]) -> Diagnosis | None:
    big = np.abs(e) > 1e-6 * max(float(np.max(np.abs(e))), 1e-300)
    if big.sum() < 2 or np.allclose(e[big], e[big][0], rtol=RTOL, atol=ATOL):
        return None  # entries all alike: a constant offset would fit them as well as a factor
    ratios = g[big] / e[big]
    factor = float(np.median(ratios))
    if np.isclose(factor, 1.0) or not np.allclose(ratios, factor, rtol=1e-6) or not _close(g, factor * e):
        return None
    reason, values = _factor_reason(factor, facts)
    factor = float(np.round(factor, 6)) if abs(factor) >= 1 else factor
    return Diagnosis("off_by_factor", "pattern", {"name": name, "factor": factor, **(
        {"because": reason, "because_values": values} if reason else {})})


def _constant_offset(name: str, e: np.ndarray, g: np.ndarray) -> Diagnosis | None:
    gap = g - e
    if gap.size < 2:
        return None
    if np.allclose(gap, gap.flat[0], rtol=1e-6, atol=1e-9):
        return Diagnosis("constant_offset", "pattern", {"name": name, "offset": float(gap.flat[0])})
    if gap.ndim >= 2 and gap.shape[-1] > 1:
        per = gap.reshape(-1, gap.shape[-1])
        if per.shape[0] > 1 and np.allclose(per, per[0], rtol=1e-6, atol=1e-9) and not np.allclose(per[0], 0):
            return Diagnosis("constant_offset", "pattern", {"name": name, "offset": float(per[0][np.argmax(
                np.abs(per[0]))]), "per_channel": True})
    return None


def _some_right(name: str, e: np.ndarray, g: np.ndarray, axis: int) -> list[int] | None:
    """Indices along ``axis`` where g is right, if some but not all are."""
    if e.ndim < 3 or e.shape[axis] < 2:
        return None
    right = [i for i in range(e.shape[axis]) if _close(np.take(g, i, axis), np.take(e, i, axis))]
    return right if 0 < len(right) < e.shape[axis] else None


def _misplaced(name: str, e: np.ndarray, g: np.ndarray) -> Diagnosis | None:
    if not np.allclose(np.sort(g, axis=None), np.sort(e, axis=None), rtol=RTOL, atol=ATOL):
        return None
    for first, second in itertools.combinations(range(e.ndim), 2):
        if e.shape[first] == e.shape[second] and _close(g, np.swapaxes(e, first, second)):
            return Diagnosis("values_misplaced", "pattern", {"name": name, "axes": [first, second]})
    for axis in range(e.ndim):
        if e.shape[axis] > 1 and _close(g, np.flip(e, axis)):
            return Diagnosis("values_misplaced", "pattern", {"name": name, "axis": axis})
    moved = _moved(e, g)
    if moved is not None:
        return Diagnosis("values_moved", "pattern", {"name": name, "rows": moved[0], "cols": moved[1]})
    return Diagnosis("values_misplaced", "pattern", {"name": name})


def _moved(e: np.ndarray, g: np.ndarray) -> tuple[int, int] | None:
    """(rows, columns) by which ``g`` is ``e`` moved along the height and width (axes 1 and 2 of (m, n_H, n_W,
    n_C)), zeros coming in where it moved from (what padding on one side does), or None."""
    if e.ndim != 4:
        return None
    n_H, n_W = e.shape[1:3]
    for rows in range(-n_H + 1, n_H):
        for cols in range(-n_W + 1, n_W):
            if (rows, cols) == (0, 0):
                continue
            moved = np.zeros_like(e)
            moved[:, max(rows, 0):n_H + min(rows, 0), max(cols, 0):n_W + min(cols, 0)] = \
                e[:, max(-rows, 0):n_H - max(rows, 0), max(-cols, 0):n_W - max(cols, 0)]
            if _close(g, moved):
                return rows, cols
    return None


def _wrong_shape(name: str, e: np.ndarray, g: np.ndarray) -> Diagnosis | None:
    for axis in range(g.ndim) if g.ndim == e.ndim + 1 else ():  # an axis kept that a sum should have taken away
        if g.shape[:axis] + g.shape[axis + 1:] == e.shape and _close(g.sum(axis=axis), e):
            return Diagnosis("axis_not_summed", "pattern", {"name": name, "got": list(g.shape),
                                                             "expected": list(e.shape), "axis": axis,
                                                             "size": g.shape[axis]})
    if g.size != e.size:
        return None
    shapes = {"got": list(g.shape), "expected": list(e.shape)}
    if e.ndim == g.ndim:
        for order in itertools.permutations(range(e.ndim)):
            if list(order) != sorted(order) and _close(g, np.transpose(e, order)):
                return Diagnosis("transposed_shape", "pattern", {"name": name, **shapes, "order": list(order)})
    if _close(g.reshape(e.shape), e):
        return Diagnosis("reshaped", "pattern", {"name": name, **shapes})
    return None


def _gradients(names: Sequence[str], expected: Any, got: Any, difference: Difference) -> Diagnosis | None:
    """A function that returns (a cost, a dict of gradients by parameter): which part goes wrong."""
    if len(names) != 2 or not isinstance(expected, (tuple, list)) or not isinstance(expected[1], dict):
        return None
    if difference.what == "missing_key":
        return Diagnosis("gradient_keys", "pattern", {"name": names[1], "keys": list(expected[1])})
    if difference.name == names[0]:
        return Diagnosis("cost_wrong", "pattern", {"name": names[0]})
    grads = got[1] if isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[1], dict) else None
    if grads is None:
        return None
    right = [key for key, value in expected[1].items()
             if (g := _numeric(grads.get(key))) is not None and _close(g, _numeric(value))]
    wrong = [key for key in expected[1] if key not in right]
    if right and wrong:
        return Diagnosis("some_gradients", "pattern", {"name": names[1], "right": right, "wrong": wrong})
    return None


WHOLE = 1e-6  # an expected entry this close to a whole number is left out: cut, it may go either way


def _cut_to_whole_numbers(name: str, e: np.ndarray, g: np.ndarray) -> Diagnosis | None:
    """Every entry of ``g`` is the expected one with its fraction cut off (toward zero, as an integer array stores
    it, or down, as // does), on entries where the fraction is some, and some are: ``cut_to_whole_numbers``."""
    if not np.all(np.isfinite(e)) or not np.all(np.isfinite(g)):
        return None
    clear = abs(e - np.round(e)) > WHOLE
    if not np.any(clear) or not np.all(g == np.round(g)):
        return None
    for cut in (np.trunc(e), np.floor(e)):
        if np.all(g[clear] == cut[clear]) and np.all(abs(g[~clear] - e[~clear]) <= 1):
            return Diagnosis("cut_to_whole_numbers", "pattern", {"name": name})
    return None


def explain_output(function: str, names: Sequence[str], expected: Any, got: Any, difference: Difference,
                   facts: Mapping[str, int] | None = None) -> Diagnosis | None:
    """A pattern in what ``function`` returned (``got``) against ``expected``, or None."""
    facts = facts or {}
    if got is None:
        return Diagnosis("returned_none", "pattern")
    gradients = _gradients(names, expected, got, difference)
    if gradients:
        return gradients
    name, e, g = _pick(names, expected, got, difference)
    if difference.what == "not_boolean":
        return Diagnosis("bool_mask", "pattern")
    if difference.what == "not_array" and difference.got and difference.got.kind == "number":
        if isinstance(e, np.ndarray) and e.dtype == bool:  # one True/False where a mask of the window belongs
            return Diagnosis("number_for_mask", "pattern", {"name": name, "shape": list(np.shape(e))})
        return Diagnosis("number_for_array", "pattern", {"name": name, "shape": list(np.shape(e))})
    e, g = _numeric(e), _numeric(g)
    if e is None or g is None or e.size < 2:
        return None
    if e.shape != g.shape:
        return _wrong_shape(name, e, g) if e.ndim and g.ndim and e.ndim <= 6 and g.ndim <= 6 else None
    if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
        return Diagnosis("not_finite", "pattern", {"name": name})
    if not np.any(g) and np.any(e):
        # every entry a fraction between -1 and 1: cut to a whole number, each would be 0 as well
        return Diagnosis("all_zeros_fractions" if np.all(abs(e) < 1) else "all_zeros", "pattern", {"name": name})
    cut = _cut_to_whole_numbers(name, e, g)
    if cut:
        return cut
    for found in (_off_by_factor(name, e, g, facts), _constant_offset(name, e, g), _misplaced(name, e, g)):
        if found:
            return found
    examples = _some_right(name, e, g, 0) if name in BATCH_FIRST else None
    if examples is not None:
        return Diagnosis("some_examples", "pattern", {"name": name, "right": ", ".join(map(str, examples))})
    channels = _some_right(name, e, g, e.ndim - 1)
    if channels is not None:
        return Diagnosis("some_channels", "pattern", {"name": name, "right": ", ".join(map(str, channels))})
    return None
