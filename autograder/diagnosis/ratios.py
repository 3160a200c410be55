"""Off by a factor, or by the bias, on every case where it fails: found across runs, and tried.

:func:`constant_factor` reads, on each failing run, whether every differing output is the expected one
times one number k (an output whose entries are all equal cannot tell a factor from an offset, and is
left out). It then names the quantity k is, among the case's sizes (the window's area f * f, f, f ** 3,
the batch size m, the output positions n_H * n_W, ...), only if exactly one of them equals k (or 1 / k)
on every such run: a quantity is named only after runs where the candidates differ. Otherwise it says
"off by a constant factor k" when k is the same everywhere, and nothing when it is not. Dividing by the
quantity is the fix *tried*: it is said to make every case pass only when it does so on every failing run.

:func:`bias_offset` reads whether the output is off, channel by channel, by a whole multiple of the bias
``b`` (counted twice, or not at all), on every failing run where an output differs.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from ..verdict import Diagnosis
from .evidence import Run, differing, numeric

RTOL = 1e-6


def _quantities(run: Run) -> dict[str, float]:
    """The sizes of one run that an output may be off by."""
    f, m = run.factors.get("f"), run.factors.get("m")
    if not f and run.facts.get("area"):  # distribute_value: the window is its shape
        return {"window_area": run.facts["area"]}
    positions = run.facts.get("positions")
    n_C, n_C_prev = run.factors.get("n_C"), run.factors.get("n_C_prev")
    stride = run.factors.get("stride")
    found: dict[str, float] = {}
    if f:
        found.update(window_area=f * f, window_side=f, window_cube=f ** 3)
        if n_C_prev:
            found["window_volume"] = f * f * n_C_prev
    if m:
        found["batch"] = m
    if positions:
        found["positions"] = positions
        if m:
            found["batch_positions"] = m * positions
    if n_C:
        found["channels"] = n_C
    if n_C_prev:
        found["input_channels"] = n_C_prev
    if stride:
        found["stride"] = stride
        found["stride_squared"] = stride * stride
    return found


def _ratio(e: Any, g: Any) -> float | None:
    """k if g is k times e in every entry, else None."""
    e, g = numeric(e), numeric(g)
    if e is None or g is None or e.shape != g.shape or e.size < 2:
        return None
    if not (np.all(np.isfinite(e)) and np.all(np.isfinite(g))):
        return None
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    big = np.abs(e) > 1e-6 * max(scale, 1e-300)
    if big.sum() < 2:
        return None
    k = float(np.median(g[big] / e[big]))
    if not math.isfinite(k) or abs(k - 1.0) < RTOL or abs(k) < 1e-12:
        return None
    return k if np.allclose(g, k * e, rtol=RTOL, atol=1e-9 * max(scale, 1.0)) else None


def _flat(e: Any) -> bool:
    """Whether every entry of e is the same: then a factor and an offset look alike on it."""
    e = numeric(e)
    return e is None or e.size < 2 or float(np.ptp(e)) <= 1e-9 * max(float(np.max(np.abs(e))), 1e-300)


def flat_run(function: str, names: Sequence[str], run: Run) -> bool:
    return all(_flat(e) for _, e, _ in differing(function, names, run.expected, run.got, run.tolerance))


def run_ratios(function: str, names: Sequence[str], run: Run) -> dict[str, float] | None:
    """{output name: k} of every output that differs, if each is its expected value times a number; else None."""
    if run.passed or run.raised is not None or run.got is None:
        return None
    outputs = differing(function, names, run.expected, run.got, run.tolerance)
    if not outputs:
        return None
    found = {}
    for name, e, g in outputs:
        k = _ratio(e, g)
        if k is None:
            return None
        found[name] = k
    return found


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RTOL * max(abs(a), abs(b))


Undo = Callable[[Run], Any]  # a run's output with one cause undone (None: it cannot be)


def _replaced(names: Sequence[str], got: Any, name: str, value: Any) -> Any:
    """``got`` with its output ``name`` replaced by ``value``."""
    if len(names) == 1:
        return value
    return type(got)(value if n == name else g for n, g in zip(names, got))


def _output(names: Sequence[str], got: Any, name: str) -> Any:
    if len(names) == 1:
        return got
    if isinstance(got, (tuple, list)) and len(got) == len(names):
        return got[list(names).index(name)]
    return None


def constant_factor(function: str, names: Sequence[str],
                    runs: Sequence[Run]) -> tuple[Diagnosis, list[Run], Undo] | None:
    """The diagnosis ``off_by_factor``, the failing runs it explains, and how to undo it on a run's output."""
    failing = [run for run in runs if not run.passed]
    ratios = {run.id: r for run in failing if (r := run_ratios(function, names, run))}
    explained = [run for run in failing if run.id in ratios]
    if not explained:
        return None
    shown = explained[0]
    off = list(ratios[shown.id])  # every output that differs there, each by the same factor (checked below)
    name = off[0]
    k = ratios[shown.id][name]
    consistent = []
    for quantity in _quantities(shown):
        for power in (1, -1):
            if all(all(_close(k_r, _quantities(run).get(quantity, math.nan) ** power)
                       for k_r in ratios[run.id].values())
                   for run in explained):
                consistent.append((quantity, power))
    values: dict[str, Any] = {"name": name, **({"others": off[1:]} if off[1:] else {}), "factor": _rounded(k),
                              "runs": len(explained)}
    if all(flat_run(function, names, run) for run in explained):
        # every entry alike on every run: a factor is told from an offset only by a size that differs between
        # runs and that it follows on each
        sizes = {_quantities(run).get(consistent[0][0]) for run in explained} if len(consistent) == 1 else set()
        if len(sizes) < 2:
            return None
    if len(consistent) == 1:
        quantity, power = consistent[0]
        values.update(because=quantity, power=power, value=_quantities(shown)[quantity])

        def factor_of(run: Run) -> float | None:
            size = _quantities(run).get(quantity)
            return float(size) ** power if size else None
    elif not all(_close(k_r, k) for run in explained for k_r in ratios[run.id].values()):
        return None  # a factor that changes from run to run, and no one size it is: nothing proven
    else:
        values["candidates"] = [quantity for quantity, _ in consistent]

        def factor_of(run: Run) -> float | None:
            return k

    def undo(run: Run) -> Any:
        """The run's outputs with every one named divided by the factor (each output the factor was read on)."""
        factor, got = factor_of(run), run.got
        if factor is None or run.raised is not None:
            return None
        for each in off:
            output = numeric(_output(names, got, each))
            if output is None:
                return None
            got = _replaced(names, got, each, output / factor)
        return got
    return Diagnosis("off_by_factor", "pattern", values), explained, undo


def factor_readings(diagnosis: Diagnosis, runs: Sequence[Run]) -> dict[str, Diagnosis]:
    """{run id: ``diagnosis``, an ``off_by_factor`` that names its quantity, with that quantity's value on the run}:
    the number a message gives "on this case" is the shown case's own ({} when no quantity is named)."""
    because = diagnosis.values.get("because")
    if because is None:
        return {}
    return {run.id: Diagnosis(diagnosis.id, diagnosis.source, {**diagnosis.values, "value": value})
            for run in runs if (value := _quantities(run).get(because)) is not None}


def _rounded(k: float) -> float:
    return float(np.round(k, 6)) if abs(k) >= 1 else float(f"{k:.6g}")


def _bias_of(run: Run) -> np.ndarray | None:
    """The bias argument ``b``: an array of shape (1, 1, 1) or (1, 1, 1, n_C) among the inputs."""
    for arg in run.args:
        if isinstance(arg, np.ndarray) and arg.ndim in (3, 4) and arg.shape[:3] == (1, 1, 1):
            return arg.reshape(-1).astype(float)
    return None


def bias_offset(function: str, names: Sequence[str], runs: Sequence[Run]) -> tuple[Diagnosis, list[Run], Undo] | None:
    """The diagnosis ``bias_counted`` (``{"times": how many times b is counted}``), or ``bias_missing``, the
    runs it explains, and how to undo it on a run's output."""
    failing = [run for run in runs if not run.passed and run.raised is None and run.got is not None]
    explained, times, name = [], set(), None
    for run in failing:
        b = _bias_of(run)
        outputs = differing(function, names, run.expected, run.got, run.tolerance)
        if b is None or len(outputs) != 1 or not np.any(b):
            continue
        name, e, g = outputs[0]
        e, g = numeric(e), numeric(g)
        if e is None or g is None or e.shape != g.shape:
            continue
        gap = (g - e).reshape(-1, b.size if e.ndim and e.shape[-1] == b.size and b.size > 1 else 1)
        if gap.shape[1] != b.size:
            continue
        k = float(np.median(gap[:, np.argmax(np.abs(b))] / b[np.argmax(np.abs(b))]))
        if not np.isfinite(k) or abs(k - round(k)) > 1e-6 or round(k) == 0 \
                or not np.allclose(gap, round(k) * b, rtol=1e-6, atol=1e-9):  # a NaN of garbage output: no ratio
            continue
        explained.append(run)
        times.add(int(round(k)) + 1)
    if not explained or len(times) != 1:
        return None
    count = times.pop()

    def undo(run: Run) -> Any:
        b, output = _bias_of(run), numeric(_output(names, run.got, name))
        if b is None or output is None or run.raised is not None:
            return None
        shift = (count - 1) * (b if output.ndim and output.shape[-1] == b.size else b.reshape(-1)[0])
        return _replaced(names, run.got, name, output - shift)
    return Diagnosis("bias_missing" if count == 0 else "bias_counted", "pattern",
                     {"name": name or names[0], "times": count}), explained, undo
