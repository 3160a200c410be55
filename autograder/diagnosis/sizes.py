"""An output's size read with each case's numbers: which arithmetic the learner's sizes follow.

A layer whose output has the wrong shape leaves its arithmetic in that shape. Each reader here takes the
failing runs of a function and says what one rule explains on *every* one of them, and only when the runs
that pass are exactly those where the rule agrees with the right sizes (so the claim is proven both ways:
where the rule and the right arithmetic differ it fails, where they agree it passes):

- :func:`size_formula`: the output's window positions (n_H, n_W, the output's axes 1 and 2, as the
  assignment's contract lays them out) follow another formula than (n_prev + 2 * pad - f) // stride + 1:
  rounded up (``size_rounded_up``), or with f and stride the other way round (``size_f_stride_swapped``).
  Runs that raise are those where the formulas differ (a window one too many runs past the input's edge):
  they are explained with the others, and the case shown is one where the output came back.
- :func:`padded_output_axes`: an output of the input's layout whose batch or channel axis (0 and 3 in the
  contract's layout) has 2 * pad entries too many on every case with padding: those axes were padded too.

Shapes of the runs' arrays: a forward pass takes A_prev (m, n_H_prev, n_W_prev, n_C_prev) first, a
backward pass a cache whose first entry is A_prev (see :func:`.shapes._input_shape`).
"""
from __future__ import annotations

import math
from typing import Callable, Sequence


from ..verdict import Diagnosis
from .evidence import Run, differing, shape_of
from .shapes import _input_shape

# the other formulas an output size may follow: (n, f, stride, pad) -> window positions
FORMULAS: dict[str, Callable[[int, int, int, int], int]] = {
    "size_rounded_up": lambda n, f, stride, pad: math.ceil((n + 2 * pad - f) / stride) + 1,
    "size_f_stride_swapped": lambda n, f, stride, pad: (n + 2 * pad - stride) // f + 1,
}
AXIS_NAMES = {0: "batch", 3: "channel"}  # the axes that padding must leave alone, in the contract's layout


def _right(n: int, f: int, stride: int, pad: int) -> int:
    return (n + 2 * pad - f) // stride + 1


def _shape(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(int(n)) for n in shape) + ")"


def _sizes(run: Run, formula: Callable[[int, int, int, int], int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((right n_H, n_W), (the formula's n_H, n_W)) of a run of a layer's forward pass, or None."""
    shape, f, stride = _input_shape(run), run.factors.get("f"), run.factors.get("stride")
    if shape is None or len(shape) != 4 or not f or not stride:
        return None
    pad = run.factors.get("pad", 0) or 0
    try:
        right = (_right(shape[1], f, stride, pad), _right(shape[2], f, stride, pad))
        other = (formula(shape[1], f, stride, pad), formula(shape[2], f, stride, pad))
    except (ZeroDivisionError, ValueError):
        return None
    return right, other


def size_formula(function: str, names: Sequence[str], runs: Sequence[Run]
                 ) -> tuple[Diagnosis, list[Run], list[Run], dict[str, Diagnosis]] | None:
    """(the first reading, the runs that show it, every failing run it explains, {run id: its reading there}):
    one formula of :data:`FORMULAS` that gives the output's n_H and n_W on every failing run that returned an
    output (each of its outputs that differs has those sizes on axes 1 and 2, and the right ones elsewhere), at
    least one such run, and where every run passes exactly when the formula agrees with the right sizes."""
    failing = [run for run in runs if not run.passed]
    if not failing:
        return None
    for rule, formula in FORMULAS.items():
        sizes = [_sizes(run, formula) for run in runs]  # by position: a case and a probe may share an id
        if any(value is None for value in sizes):
            return None  # not a layer's forward pass with the window's sizes: nothing to read
        if any(run.passed == (found[0] != found[1]) for run, found in zip(runs, sizes)):
            continue  # a run passes where the formula differs, or fails where it agrees
        readings: dict[str, Diagnosis] = {}
        for run, (right, other) in zip(runs, sizes):
            if run.passed or run.raised is not None or run.missed:
                continue
            outputs = differing(function, names, run.expected, run.got, run.tolerance)
            shapes = [(name, shape_of(e), shape_of(g)) for name, e, g in outputs]
            if not outputs or not all(e is not None and g is not None and len(e) == 4 and e[1:3] == right
                                      and len(g) == 4 and g[1:3] == other and (g[0], g[3]) == (e[0], e[3])
                                      for _, e, g in shapes):
                readings = {}
                break
            name, e, g = shapes[0]
            readings[run.id] = Diagnosis(rule, "pattern", {
                "name": name, "got": _shape(g), "expected": _shape(e), "n_H": other[0], "n_W": other[1],
                "right_H": right[0], "right_W": right[1], "f": run.factors["f"], "stride": run.factors["stride"],
                "pad": run.factors.get("pad", 0) or 0})
        if not readings:
            continue
        shown = [run for run in failing if run.id in readings]
        raised = sum(run.raised is not None for run in failing)
        readings = {key: Diagnosis(reading.id, reading.source, {**reading.values, "raised": raised})
                    for key, reading in readings.items()}
        return readings[shown[0].id], shown, failing, readings
    return None


def padded_output_axes(function: str, names: Sequence[str], runs: Sequence[Run]
                       ) -> tuple[Diagnosis, list[Run], dict[str, Diagnosis]] | None:
    """(the first reading, the failing runs, {run id: its reading there}): on every failing run (each with pad >
    0, none raising), each output that differs has the right shape but for its batch or channel axes, each
    2 * pad entries too long; and every run with pad = 0 passes. None otherwise."""
    failing = [run for run in runs if not run.passed]
    if not failing or any(run.factors.get("pad") is None for run in runs):
        return None
    if any(run.factors["pad"] == 0 and not run.passed for run in runs):
        return None
    readings: dict[str, Diagnosis] = {}
    for run in failing:
        pad = run.factors["pad"]
        if run.raised is not None or run.missed or pad <= 0:
            return None
        outputs = differing(function, names, run.expected, run.got, run.tolerance)
        if not outputs:
            return None
        for name, e, g in outputs:
            e, g = shape_of(e), shape_of(g)
            if e is None or g is None or len(e) != 4 or len(g) != 4:
                return None
            axes = [axis for axis in range(4) if e[axis] != g[axis]]
            if not axes or any(axis not in AXIS_NAMES or g[axis] != e[axis] + 2 * pad for axis in axes):
                return None
        name, e, g = outputs[0]
        e, g = shape_of(e), shape_of(g)
        axes = [axis for axis in range(4) if e[axis] != g[axis]]
        readings[run.id] = Diagnosis("output_axes_padded", "pattern", {
            "name": name, "got": _shape(g), "expected": _shape(e), "pad": pad,
            "axes": [AXIS_NAMES[axis] for axis in axes], "sizes": [int(e[axis]) for axis in axes],
            "padded": [int(g[axis]) for axis in axes]})
    return readings[failing[0].id], list(failing), readings
