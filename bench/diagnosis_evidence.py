"""Claims against their own evidence: the learner's function run again on every case and probe.

:func:`evidence` runs a corpus file's function (trusted code, in this process) on every case of the plan
but the timed ones, and on every probe, and records for each run its factor values (stride, pad, m, ...),
its sizes, whether it passed, and the constant factor of each output, if any. :func:`contradictions`
then checks each claim of a verdict against those runs: a factor claim "right with X" under a failing
case with X (the case shown, or any other), "wrong even in the simplest case" when the simplest probe
passes or shown under a case that is not the simplest, a constant factor named for a size that the runs
do not tell apart from the other sizes (or that is another on some run), a helper blamed that the
function calls on no case or that passes every case, and any claim under an unfinished function.
"""
from __future__ import annotations

import contextlib
import io
import sys
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from autograder import casefile
from autograder.compare import Tolerance, outputs_difference
from autograder.verdict import Outcome, Verdict
from diagnosis_causes import Claim, claims


# -- evidence: the learner's function again, on every case and probe -------------------------------------
@dataclass(frozen=True)
class Run:
    """The learner's function on one case or probe of the plan."""

    id: str
    probe: bool
    factors: Mapping[str, Any]  # stride, pad, m, n_C, n_C_prev, shape, f, overlap, mode: those that apply
    sizes: Mapping[str, int]  # f, m, positions (n_H * n_W of the output), n_C, n_C_prev
    passed: bool
    ratios: Mapping[str, float | None]  # per output name: the constant factor got / expected, if there is one


def factors(function: str, args: tuple, kwargs: dict) -> tuple[dict, dict]:
    """(factor values, sizes) of a call of one of the lesson's layer functions."""
    if function in ("conv_backward", "pool_backward"):
        out, cache = args[0], args[1]
        a_prev, hparameters = cache[0], cache[-1]
        w = cache[1] if function == "conv_backward" else None
    elif function == "conv_forward":
        a_prev, w, _, hparameters = args
        out = None
    elif function == "pool_forward":
        a_prev, hparameters = args
        w, out = None, None
    elif function == "zero_pad":
        x, pad = args
        return ({"pad": pad, "m": x.shape[0], "n_C": x.shape[3],
                 "shape": "square" if x.shape[1] == x.shape[2] else "non_square"}, {"m": x.shape[0]})
    else:
        return {}, {}
    stride = hparameters["stride"]
    f = w.shape[0] if w is not None else hparameters["f"]
    n_C_prev = a_prev.shape[3]
    n_C = w.shape[3] if w is not None else n_C_prev
    found = {"stride": stride, "m": a_prev.shape[0], "n_C": n_C, "f": f,
             "shape": "square" if a_prev.shape[1] == a_prev.shape[2] else "non_square",
             "overlap": "overlapping" if f > stride else "apart"}
    pad = hparameters.get("pad", 0)
    if w is not None:
        found.update(pad=pad, n_C_prev=n_C_prev)
    else:
        found["mode"] = kwargs.get("mode") or "max"
    if out is None:
        n_H = (a_prev.shape[1] + 2 * pad - f) // stride + 1
        n_W = (a_prev.shape[2] + 2 * pad - f) // stride + 1
    else:
        n_H, n_W = out.shape[1], out.shape[2]
    return found, {"f": f, "m": a_prev.shape[0], "positions": n_H * n_W, "n_C": n_C, "n_C_prev": n_C_prev}


def constant_ratio(expected: Any, got: Any) -> float | None:
    """k if ``got`` is k times ``expected`` everywhere (k != 1), else None."""
    try:
        e, g = np.asarray(expected, dtype=float), np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if e.shape != g.shape or e.size < 2 or not np.all(np.isfinite(g)):
        return None
    big = np.abs(e) > 1e-6 * max(float(np.max(np.abs(e))), 1e-300)
    if big.sum() < 2:
        return None
    k = float(np.median(g[big] / e[big]))
    if np.isclose(k, 1.0) or not np.allclose(g, k * e, rtol=1e-6, atol=1e-9):
        return None
    return k


def _outputs(names: Sequence[str], value: Any) -> dict[str, Any]:
    if len(names) == 1:
        return {names[0]: value}
    if isinstance(value, (tuple, list)) and len(value) == len(names):
        return dict(zip(names, value))
    return {}


def evidence(plan, function: str, fresh: Callable[[], dict]) -> list[Run]:
    """The learner's ``function`` on every case (but the timed ones) and every probe of ``plan``. ``fresh``
    gives the learner's names in a freshly loaded module (their state is not shared between the two)."""
    entry = plan.manifest["functions"][function]
    names = entry["outputs"]
    runs = []
    for group, probe in ((entry["cases"], False), (entry.get("probes", ()), True)):
        scope = fresh()
        fn = scope.get(function)
        for item in group:
            if item.get("kind") == "speed":
                continue
            args, kwargs = casefile.decode(item["args"], plan.arrays), casefile.decode(item["kwargs"], plan.arrays)
            found, sizes = factors(function, args, kwargs)
            expected = casefile.decode(item["expected"], plan.arrays)
            passed, ratios = False, {}
            if callable(fn):
                try:
                    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
                            np.errstate(all="ignore"):
                        warnings.simplefilter("ignore")
                        got = fn(*_copy(args), **_copy(kwargs))
                except Exception:
                    got = _RAISED
                if got is not _RAISED:
                    passed = outputs_difference(function, names, expected, got, Tolerance(**item["tolerance"])) is None
                    e_out, g_out = _outputs(names, expected), _outputs(names, got)
                    ratios = {name: constant_ratio(e_out[name], g_out.get(name)) for name in e_out}
            runs.append(Run(item["id"], probe, found, sizes, passed, ratios))
    return runs


_RAISED = object()


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def calls_of(fn: Callable, calls: Sequence[tuple[tuple, dict]], filename: str) -> set[str]:
    """Names of the functions of ``filename`` that ``fn`` calls on any of ``calls`` (itself excluded)."""
    called: set[str] = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename == filename:
            called.add(frame.f_code.co_name)
    for args, kwargs in calls:
        sys.setprofile(profile)
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                fn(*_copy(args), **_copy(kwargs))
        except Exception:
            pass
        finally:
            sys.setprofile(None)
    return called - {fn.__name__}


# -- contradictions: claims against their own evidence ---------------------------------------------------
# the sizes a constant factor could be, for a claim that names one
QUANTITIES: dict[str, Callable[[Mapping[str, int]], int]] = {
    "window_side": lambda s: s["f"], "window_area": lambda s: s["f"] ** 2, "window_volume": lambda s: s["f"] ** 3,
    "batch": lambda s: s["m"], "positions": lambda s: s["positions"], "n_C": lambda s: s["n_C"],
    "n_C_prev": lambda s: s["n_C_prev"], "filter_size": lambda s: s["f"] ** 2 * s["n_C_prev"],
}


def _is(value: float, size: int) -> bool:
    return size > 1 and (np.isclose(value, size, rtol=1e-6) or np.isclose(value, 1 / size, rtol=1e-6))


def _shown(verdict: Verdict, runs: list[Run]) -> Run | None:
    if verdict.place is None:
        return None
    return next((run for run in runs if run.id == verdict.place.id and not run.probe), None) or next(
        (run for run in runs if run.id == verdict.place.id), None)


def contradictions(verdict: Verdict, runs: list[Run] | None, helper_runs: Mapping[str, list[Run]],
                   called: set[str] | None) -> list[str]:
    """What the claims of ``verdict`` say that its evidence contradicts: ``runs`` are the function's own,
    ``helper_runs`` those of the helpers it is said to fail through, ``called`` the learner's functions it
    really calls (None when unknown)."""
    found = []
    if verdict.outcome is Outcome.NOT_WRITTEN and verdict.diagnosis is not None:
        found.append(f"a claim ({verdict.diagnosis.id}) under an unfinished function")
    shown = _shown(verdict, runs or [])
    for claim in claims(verdict.to_json()):
        values = claim.values
        if claim.id == "factor" and runs:
            factor, right, wrong = values.get("factor"), values.get("right"), values.get("wrong")
            failing = [run.id for run in runs if run.factors.get(factor) == right and not run.passed]
            if shown is not None and shown.factors.get(factor) == right:
                found.append(f"'right with {factor} {right}' shown under a failing case with {factor} {right}")
            elif failing:
                found.append(f"'right with {factor} {right}' but {len(failing)} case(s) with it fail "
                             f"({', '.join(failing[:3])})")
        elif claim.id == "simplest_case" and runs is not None:
            roots = [run for run in runs if run.probe and run.id == "root"]
            if any(run.passed for run in roots):
                found.append("'wrong even in the simplest case' but the simplest probe passes")
            simple = {"stride": 1, "pad": 0, "m": 1, "n_C": 1, "n_C_prev": 1}
            if shown is not None and any(shown.factors.get(k, v) != v for k, v in simple.items()):
                found.append("'wrong even in the simplest case' shown under a case that is not the simplest ("
                             + ", ".join(f"{k} {shown.factors[k]}" for k in simple if shown.factors.get(k, simple[k])
                                         != simple[k]) + ")")
        elif claim.id == "off_by_factor" and values.get("because") and runs:
            found += _factor_not_established(claim, runs)
        elif claim.id == "helper_fails":
            for helper in {values.get("helper"), *(values.get("helpers") or ())} - {None}:
                if called is not None and helper not in called:
                    found.append(f"blames {helper}, which the function calls on no case")
                elif helper in helper_runs and helper_runs[helper] and all(run.passed for run in helper_runs[helper]):
                    found.append(f"blames {helper}, which passes every case")
    return found


def _factor_not_established(claim: Claim, runs: list[Run]) -> list[str]:
    reason, name = claim.values["because"], claim.values.get("name")
    if reason not in QUANTITIES:
        return []
    measured = [(run, run.ratios.get(name)) for run in runs if run.ratios.get(name) is not None]
    wrong = [run.id for run, k in measured if not _is(k, QUANTITIES[reason](run.sizes))]
    if wrong:
        return [f"names the factor the {reason}, but on {', '.join(wrong[:3])} the factor is another"]
    others = [q for q in QUANTITIES if q != reason]
    apart = [run for run, k in measured
             if all(not _is(k, QUANTITIES[other](run.sizes)) for other in others if _size(run, other) > 1)]
    if not apart:
        return [f"names the factor the {reason}, but no run tells it apart from the other sizes"]
    return []


def _size(run: Run, quantity: str) -> int:
    try:
        return QUANTITIES[quantity](run.sizes)
    except KeyError:
        return 0
