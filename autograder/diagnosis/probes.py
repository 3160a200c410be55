"""Differential diagnosis: which one factor breaks a function?

The build stores, for each layer function, a small tree of *probes*: tiny inputs
with expected outputs from the reference (never from the learner's side). The
root is the simplest case (one example, one channel, 1 x 1 windows, stride 1,
no padding, a square input); every other probe differs from its parent in one
factor: ``stride``, ``pad``, ``m`` (examples), ``n_C`` / ``n_C_prev``
(channels), ``shape`` (square -> height != width), ``f`` (window size, with
windows that do not overlap), ``overlap`` (windows that do) or ``mode``
(max -> average).

After a failure that nothing else explains, the function runs on every probe
(in the learner's kernel, or in the grader's sandbox, where they spend the
learner's time: they are few and small). :func:`analyse` then looks for an
edge of the tree where the parent passes and the child fails ("right with
stride 1, wrong with stride 2: the window's start must move by the stride"),
or the reverse, and names its factor; a failure at the root with no passing
probe is "wrong even in the simplest case".

A failure can also come from a helper: :func:`explain_locally` first checks
the helpers a function calls in the lesson (``calls`` in the case file), as
the learner's notebook defines them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from .. import casefile
from ..compare import Tolerance, outputs_difference
from ..verdict import Diagnosis, Verdict

if TYPE_CHECKING:
    from ..checks import Checks

# When several factors break a function, the one named is the first of these.
FACTOR_ORDER = ("mode", "stride", "overlap", "pad", "m", "n_C", "n_C_prev", "shape", "f")


def _priority(probe: dict) -> tuple[int, int]:
    factor = probe.get("factor")
    return (FACTOR_ORDER.index(factor) if factor in FACTOR_ORDER else len(FACTOR_ORDER), probe.get("depth", 0))


def analyse(probes: Sequence[dict], passed: Sequence[bool]) -> Diagnosis | None:
    """The factor that breaks a function, from whether it ``passed`` each probe of the tree ``probes``."""
    result = {probe["id"]: ok for probe, ok in zip(probes, passed)}
    root = next((probe for probe in probes if probe.get("parent") is None), None)
    if root is None or root["id"] not in result:
        return None
    breaking, mending = [], []
    for probe in probes:
        parent = probe.get("parent")
        if parent is None or parent not in result or probe["id"] not in result:
            continue
        if result[parent] and not result[probe["id"]]:
            breaking.append(probe)
        elif not result[parent] and result[probe["id"]]:
            mending.append(probe)
    if breaking:
        probe = min(breaking, key=_priority)
        return Diagnosis("factor", "probe", {"factor": probe["factor"], "right": probe["parent_value"],
                                             "wrong": probe["value"]})
    if mending:
        probe = min(mending, key=_priority)
        return Diagnosis("factor", "probe", {"factor": probe["factor"], "right": probe["value"],
                                             "wrong": probe["parent_value"]})
    if not result[root["id"]] and not any(result.values()):
        return Diagnosis("simplest_case", "probe")
    return None


def probe_passed(function: str, names: Sequence[str], probe: dict, arrays: dict, got: object) -> bool:
    expected = casefile.decode(probe["expected"], arrays)
    return outputs_difference(function, names, expected, got, Tolerance(**probe["tolerance"])) is None


def run_probes(function: str, fn: Callable, probes: Sequence[dict], names: Sequence[str], arrays: dict) -> list[bool]:
    """Whether ``fn`` passes each probe, run here (in the learner's kernel)."""
    passed = []
    for probe in probes:
        try:
            got = fn(*casefile.decode(probe["args"], arrays), **casefile.decode(probe["kwargs"], arrays))
        except Exception:  # a probe that raises has failed, nothing more
            passed.append(False)
            continue
        passed.append(probe_passed(function, names, probe, arrays, got))
    return passed


def failing_helper(checks: "Checks", function: str, scope: dict) -> str | None:
    """The first helper that ``function`` calls in the lesson whose own checks fail in this notebook."""
    for helper in checks.manifest["functions"][function].get("calls", ()):
        fn = scope.get(helper)
        if not callable(fn):
            continue
        for hidden in (False, True):
            cases = [case for case in checks.cases_of(helper) if case["hidden"] == hidden]
            if any(not checks.run_case(helper, fn, case, i, len(cases)).passed for i, case in enumerate(cases, 1)):
                return helper
    return None


def explain_locally(checks: "Checks", function: str, fn: Callable, verdict: Verdict,
                    scope: dict | None = None) -> Verdict:
    """``verdict`` with a diagnosis from the helpers or the probes, if it had none from a catalogued mistake.

    Runs in the learner's kernel: the helpers are the notebook's own (``scope``, by default ``fn``'s
    globals), the probes the case file's."""
    if verdict.mistake:
        return verdict
    scope = scope if scope is not None else getattr(fn, "__globals__", {})
    helper = failing_helper(checks, function, scope)  # also when it raised: the exception may be the helper's
    if helper:
        return verdict.with_diagnosis(Diagnosis("helper_fails", "helper", {"helper": helper}))
    if verdict.diagnosis:
        return verdict
    entry = checks.manifest["functions"][function]
    probes = entry.get("probes", ())
    if not probes:
        return verdict
    passed = run_probes(function, fn, probes, entry["outputs"], checks.arrays)
    return verdict.with_diagnosis(analyse(probes, passed))
