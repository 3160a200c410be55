"""Build the case files that learners' checks read: ``python -m instructor.build [--check]``.

For every case of an assignment it stores the inputs, the expected outputs
(from the reference, or central differences for gradient cases), the case's
sizes (``facts``, for the diagnosis of patterns) and the fingerprint of every
catalogued mistake that shows on that case (its output, or the error it
raises); for every function, the helpers it calls and its probe tree; and the
hints of the catalogue in every language. ``--check`` rebuilds in a temporary
folder and fails if the committed files differ beyond floating-point rounding
(:mod:`instructor.drift` tells the two apart).
The class grader builds the same plan with secret seeds for the hidden cases
(:func:`build` with ``hidden_seed``).
"""
from __future__ import annotations

import inspect
import math
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from autograder import casefile, speed
from autograder.compare import EXACT_REFERENCE, GRADIENT_CHECK, Tolerance, outputs_difference
from autograder.diagnosis import oracle

from . import drift, generated
from .assignment import Assignment
from .assignments import REGISTRY
from .case import Case, output_size

GENERATED_BY = "python -m instructor.build, from the solution cells of source/{0}/{0}.ipynb and instructor/"


def describe(value: Any) -> str:
    """Shapes and hyper-parameters of an argument, e.g. '(2, 7, 5, 3)' or "{'stride': 2, 'pad': 0}"."""
    if isinstance(value, np.ndarray):
        return str(value.shape)
    if isinstance(value, tuple):
        return "(" + ", ".join(describe(v) for v in value) + ")"
    if isinstance(value, dict):  # e.g. a network's parameters: their shapes, by name
        return "{" + ", ".join(f"{key!r}: {describe(v)}" for key, v in value.items()) + "}"
    return repr(value)


def description(function: Callable, args: tuple, kwargs: dict) -> str:
    """The inputs as a learner reads them: "A_prev (2, 7, 5, 3), W (3, 3, 3, 4), ..." (never their values)."""
    names = list(inspect.signature(function).parameters)
    parts = [f"{name} {describe(value)}" for name, value in zip(names, args)]
    parts += [f"{name}={value!r}" for name, value in kwargs.items()]
    return ", ".join(parts)


def facts(params: Mapping[str, Any]) -> dict[str, int]:
    """The sizes of a case that a wrong output may be off by: f, the window's area, m, the output positions."""
    found: dict[str, int] = {}
    shape = params.get("A_prev") or params.get("X")
    if shape:
        found["m"] = int(shape[0])
    f = params.get("f") or (params["W"][0] if "W" in params else None)
    if f:
        found.update(f=int(f), area=int(f) * int(f))
    if "shape" in params:
        found["area"] = int(math.prod(params["shape"]))
    if shape and f and "stride" in params:
        pad = params.get("pad", 0)
        found["positions"] = (output_size(shape[1], f, pad, params["stride"])
                              * output_size(shape[2], f, pad, params["stride"]))
    return found


def factors(params: Mapping[str, Any]) -> dict[str, Any]:
    """The case's value of each factor of the differential diagnosis (see instructor/probes.py): stride, pad,
    m, n_C, n_C_prev, shape ("square" or "non_square"), f, overlap ("touching", "overlapping" or "gaps") and mode, where
    the case has it. A claim such as "right with stride 1" is checked against these, on every case and probe."""
    found: dict[str, Any] = {}
    shape = params.get("A_prev") or params.get("X")
    if shape and len(shape) == 4:
        m, n_H, n_W, n_C_prev = shape
        found.update(m=int(m), shape="square" if n_H == n_W else "non_square")
        if "W" in params:
            found.update(n_C_prev=int(n_C_prev), n_C=int(params["W"][3]))
        else:
            found.update(n_C=int(n_C_prev))
    f = params.get("f") or (params["W"][0] if "W" in params else None)
    if f:
        found["f"] = int(f)
    for name in ("stride", "pad"):
        if name in params:
            found[name] = int(params[name])
    if f and "stride" in params:  # windows that overlap, just touch (f = stride), or leave gaps between them
        f, stride = int(f), int(params["stride"])
        found["overlap"] = "overlapping" if f > stride else "touching" if f == stride else "gaps"
    if "mode" in params:
        found["mode"] = params["mode"] or "max"
    return found


def helper_answers(function: Callable, calls: tuple[str, ...], args: tuple, kwargs: dict, scope: dict,
                   store: casefile.ArrayStore) -> dict:
    """What the reference's ``function`` gets back from each helper it calls (``calls``) on these inputs, as
    tables the self-check's stand-ins answer from (:mod:`autograder.diagnosis.oracle`)."""
    if not calls:
        return {}
    with oracle.recording(scope, calls) as tables, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        function(*args, **kwargs)
    return {name: oracle.table_to_data(table, lambda value: casefile.encode(value, store))
            for name, table in tables.items() if table}


def inputs(assignment: Assignment, function: str, seed: int, params: dict, ref: dict) -> tuple[tuple, dict]:
    """The arguments of a case (or probe) of ``function``, drawn afresh from ``seed``."""
    return assignment.inputs[function](np.random.RandomState(seed), params, ref)


def expected_outputs(assignment: Assignment, case: Case, ref: dict) -> Any:
    args, kwargs = inputs(assignment, case.function, case.seed, case.params, ref)
    if case.kind == "gradient":
        return assignment.gradient_oracles[case.function](ref, args, kwargs)
    return ref[case.function](*args, **kwargs)


def fingerprint(function: Callable, args: tuple, kwargs: dict, expected: Any, tolerance: Tolerance,
                name: str, outputs: tuple[str, ...], mistake: str, store: casefile.ArrayStore
                ) -> casefile.MistakeMark | None:
    """What a learner's ``function`` (with ``mistake``) returns on a case, if it is not the expected output (its
    output put in ``store``)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):  # a mistake may take the mean of nothing
            warnings.simplefilter("ignore")
            got = function(*args, **kwargs)
    except Exception as error:
        return casefile.MistakeMark(mistake, raises=f"{type(error).__name__}: {error}" if str(error)
                                    else type(error).__name__)
    if outputs_difference(name, outputs, expected, got, tolerance) is None:
        return None
    return casefile.MistakeMark(mistake, output=casefile.encode(got, store))


def _probes(assignment: Assignment, function: str, ref: dict, notebooks: dict,
            store: casefile.ArrayStore) -> list[dict]:
    """The probe tree of ``function``: inputs, expected outputs, the fingerprints of the catalogued mistakes that
    show on each probe (as on a case), and the helpers' answers to the reference's calls."""
    entries = []
    for index, probe in enumerate(assignment.probes.get(function, ())):
        args, kwargs = inputs(assignment, function, 1000 + index, probe.params, ref)
        expected = ref[function](*args, **kwargs)
        answers = helper_answers(ref[function], tuple(assignment.calls.get(function, ())),
                                 *inputs(assignment, function, 1000 + index, probe.params, ref), ref, store)
        mistakes = []
        for mistake in (m for m in assignment.catalogue if function in m.breaks):
            found = fingerprint(notebooks[mistake.id][function], *inputs(assignment, function, 1000 + index,
                                                                          probe.params, ref),
                                expected, EXACT_REFERENCE, function, assignment.outputs[function], mistake.id, store)
            if found is not None:
                mistakes.append(found)
        entries.append(casefile.StoredCase(
            probe.id, description=description(ref[function], args, kwargs),
            args=casefile.encode(args, store), kwargs=casefile.encode(kwargs, store),
            expected=casefile.encode(expected, store), tolerance=EXACT_REFERENCE, mistakes=tuple(mistakes),
            factors=factors(probe.params), facts=facts(probe.params), answers=answers,
            edge=casefile.ProbeEdge(probe.parent, probe.factor, probe.value, probe.parent_value, probe.depth),
        ).stored())
    return entries


def _timed_runs(assignment: Assignment, case: Case, runs: list[tuple[dict, list[int]]],
                ref: dict) -> tuple[casefile.TimedRun, ...]:
    """The timed runs of a speed case: the shapes of their inputs (the class grader draws new values for every
    submission: :func:`autograder.speed.draw`) and the calibration of each."""
    found = []
    for index, (params, calibration) in enumerate(runs, start=1):
        args, kwargs = inputs(assignment, case.function, (case.seed + index) % 2**32, params, ref)
        found.append(casefile.TimedRun(speed.template_of(args), speed.template_of(kwargs), tuple(calibration)))
    return tuple(found)


def build(assignment: Assignment, sources: Mapping[str, str] | None = None,
          hidden_seed: Callable[[Case], int] | None = None) -> tuple[dict, casefile.ArrayStore]:
    """Cases, expected outputs, mistake fingerprints and probes of ``assignment``, as a manifest and its arrays.

    ``sources`` are the solution cells to use as the reference (default: the assignment's instructor
    notebook); ``hidden_seed`` gives hidden cases other seeds (the grader's secret ones) than their own.
    """
    sources = dict(sources) if sources is not None else assignment.sources()
    ref = assignment.reference(sources)
    notebooks = {mistake.id: assignment.reference(mistake.cells(sources)) for mistake in assignment.catalogue}
    store = casefile.ArrayStore()
    functions = {name: {"outputs": list(assignment.outputs[name]), "calls": list(assignment.calls.get(name, ())),
                        "cases": [], "probes": _probes(assignment, name, ref, notebooks, store)}
                 for name in assignment.functions}
    for case in assignment.cases:
        case, runs = case.drawn(hidden_seed(case) if hidden_seed and case.hidden else None)
        tolerance = GRADIENT_CHECK if case.kind == "gradient" else EXACT_REFERENCE
        args, kwargs = inputs(assignment, case.function, case.seed, case.params, ref)
        expected = expected_outputs(assignment, case, ref)
        mistakes = []
        # A speed case comes after every other case of its function, so its fingerprints would never be shown;
        # a mistake shows only in the functions it breaks (elsewhere its output is the expected one).
        relevant = [m for m in assignment.catalogue if case.function in m.breaks] if case.kind != "speed" else []
        for mistake in relevant:
            fresh_args, fresh_kwargs = inputs(assignment, case.function, case.seed, case.params, ref)
            found = fingerprint(notebooks[mistake.id][case.function], fresh_args, fresh_kwargs, expected,
                                tolerance, case.function, assignment.outputs[case.function], mistake.id, store)
            if found is not None:
                mistakes.append(found)
        answers = helper_answers(ref[case.function], tuple(assignment.calls.get(case.function, ())),
                                 *inputs(assignment, case.function, case.seed, case.params, ref), ref, store) \
            if case.kind != "speed" else {}
        functions[case.function]["cases"].append(casefile.StoredCase(
            case.id, case.hidden, case.kind, description(ref[case.function], args, kwargs),
            casefile.encode(args, store), casefile.encode(kwargs, store), casefile.encode(expected, store),
            tolerance, tuple(mistakes), factors(case.params), facts(case.params), answers,
            casefile.Budget.of(case.budget) if case.budget else None,  # speed cases only
            _timed_runs(assignment, case, runs, ref),
        ).stored())
    manifest = {
        "generated_by": GENERATED_BY.format(assignment.name),
        "assignment": assignment.name,
        "hints": {mistake.id: dict(mistake.hints) for mistake in assignment.catalogue},
        # the function whose cell each mistake is made in: a helper's mistake shows in its callers too
        "mistake_cells": {mistake.id: mistake.function for mistake in assignment.catalogue},
        "functions": functions,
    }
    return manifest, store


def write(assignment: Assignment, directory: Path) -> None:
    casefile.write(assignment.name, *build(assignment), directory)


def main(argv: list[str] | None = None) -> int:
    return generated.main(argv, __doc__.splitlines()[0], "make data", REGISTRY.values(), casefile.DATA_DIR,
                          lambda assignment: [path.name for path in casefile.paths(assignment.name)], write,
                          same=drift.differences)


if __name__ == "__main__":
    sys.exit(main())
