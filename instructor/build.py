"""Build the case file that learners' checks read: ``python -m instructor.build [--check]``.

For every case of :mod:`instructor.cases` it stores the inputs, the expected
outputs (from the reference, or central differences for gradient cases) and
the fingerprint of every catalogued mistake that shows on that case (its
output, or the error it raises). ``--check`` rebuilds in a temporary folder
and fails if the committed file differs.
"""
from __future__ import annotations

import dataclasses
import inspect
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np

from autograder import casefile, feedback
from autograder.check import _outputs_difference
from autograder.compare import EXACT_REFERENCE, GRADIENT_CHECK, Tolerance

from . import reference
from . import assignments, generated
from .cases import GRADIENT_ORACLES, Case, inputs

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


def description(case: Case, function, args: tuple, kwargs: dict) -> str:
    names = list(inspect.signature(function).parameters)
    parts = [f"{name} {describe(value)}" for name, value in zip(names, args)]
    parts += [f"{name}={value!r}" for name, value in kwargs.items()]
    return ", ".join(parts)  # feedback.where adds "compared with a numerical gradient" in the learner's language


def expected_outputs(case: Case, ref: dict) -> Any:
    args, kwargs = inputs(case, ref)
    if case.kind == "gradient":
        return GRADIENT_ORACLES[case.function](ref, args, kwargs)
    return ref[case.function](*args, **kwargs)


def fingerprint(case: Case, ref: dict, learner: dict, expected: Any, tolerance: Tolerance,
                names: list[str]) -> dict | None:
    """What a learner's notebook ``learner`` returns on ``case``, if it is not the expected output."""
    args, kwargs = inputs(case, ref)
    try:
        got = learner[case.function](*args, **kwargs)
    except Exception as error:
        return {"raises": feedback.exception_text(error)}
    if _outputs_difference(names, expected, got, tolerance) is None:
        return None
    return {"output": got}


def build(sources: dict[str, str] | None = None, hidden_seed: Callable[[Case], int] | None = None,
          assignment: str = reference.ASSIGNMENT) -> tuple[dict, casefile.ArrayStore]:
    """Cases, expected outputs and mistake fingerprints, as a manifest and its arrays.

    ``sources`` are the solution cells to use as the reference (default: this
    kit's instructor notebook); ``hidden_seed`` gives hidden cases other seeds
    (the grader's secret ones) than those in :mod:`instructor.cases`.
    """
    spec = assignments.get(assignment)
    sources = sources or reference.solution_sources(reference.source_notebook(assignment))
    ref = reference.namespace(sources)
    notebooks = {mistake.id: mistake.namespace(sources) for mistake in spec.catalogue}
    store = casefile.ArrayStore()
    functions = {name: {"outputs": spec.output_names[name], "cases": []} for name in spec.functions}
    for case in spec.cases:
        if hidden_seed and case.hidden:
            case = dataclasses.replace(case, seed=hidden_seed(case))
        tolerance = GRADIENT_CHECK if case.kind == "gradient" else EXACT_REFERENCE
        args, kwargs = inputs(case, ref)
        expected = expected_outputs(case, ref)
        mistakes = []
        # A speed case comes after every other case of its function, so its fingerprints would never be shown.
        for mistake in (spec.catalogue if case.kind != "speed" else ()):
            found = fingerprint(case, ref, notebooks[mistake.id], expected, tolerance,
                                spec.output_names[case.function])
            if found is not None:
                encoded = {k: (casefile.encode(v, store) if k == "output" else v) for k, v in found.items()}
                translations = mistake.translated_hints()  # chosen at check time by the learner's language
                mistakes.append({"id": mistake.id, "hint": mistake.hint,
                                 **({"translations": translations} if translations else {}), **encoded})
        functions[case.function]["cases"].append({
            "id": case.id,
            "hidden": case.hidden,
            "kind": case.kind,
            "description": description(case, ref[case.function], args, kwargs),
            "args": casefile.encode(args, store),
            "kwargs": casefile.encode(kwargs, store),
            "expected": casefile.encode(expected, store),
            "tolerance": {"rtol": tolerance.rtol, "atol": tolerance.atol},
            "mistakes": mistakes,
            **({"budget": case.budget} if case.budget else {}),  # speed cases only
        })
    manifest = {"generated_by": GENERATED_BY.format(assignment), "functions": functions}
    return manifest, store


def _write(name: str, directory: Path) -> None:
    casefile.write(name, *build(assignment=name), directory)


def main(argv: list[str] | None = None) -> int:
    return generated.main(argv, __doc__.splitlines()[0], "make data", assignments.ASSIGNMENTS, casefile.DATA_DIR,
                          lambda name: [path.name for path in casefile.paths(name)], _write)


if __name__ == "__main__":
    sys.exit(main())
