"""Run the kit's processor-dependent checks under whatever BLAS kernel this process got; print JSON.

``OPENBLAS_CORETYPE=Prescott python -m tests.blas_kernel_check`` rebuilds every
case file with that kernel and compares it with the committed one (the drift
check of ``make data``), then grades the reference solutions, the examples
meant to pass and every catalogued mistake, all computed with that kernel,
against the committed case files built with another: a correct answer must
pass and a mistake must still be named. ``tests/test_blas_kernels.py`` runs it
once per kernel, since a kernel is chosen when numpy loads.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

from threadpoolctl import threadpool_info

from autograder import casefile
from instructor import build, drift, reference
from tests.helpers import ASSIGNMENTS, verdicts


def blas_architecture() -> str | None:
    """The OpenBLAS kernel numpy runs on in this process, as OpenBLAS names it."""
    return next((entry.get("architecture") for entry in threadpool_info() if entry.get("internal_api") == "openblas"),
                None)


def stale_case_files() -> list[str]:
    with tempfile.TemporaryDirectory() as scratch:
        found = []
        for assignment in ASSIGNMENTS:
            build.write(assignment, Path(scratch))
            committed, rebuilt = (casefile.paths(assignment.name, folder)[0]
                                  for folder in (casefile.DATA_DIR, Path(scratch)))
            found += [f"{assignment.name}: {why}" for why in drift.case_file_differences(committed, rebuilt)]
        return found


def wrong_verdicts() -> dict[str, list[str]]:
    """Correct code that fails, and catalogued mistakes not named where they show first."""
    failing, unnamed = [], []
    for assignment in ASSIGNMENTS:
        failing += [f"{assignment.name}: reference {name}" for name in verdicts(assignment, assignment.reference())]
        for example in assignment.examples(assignment):
            found = verdicts(assignment, reference.namespace(example.cells))
            failing += [f"{assignment.name}: {example.student} {name}" for name in found
                        if name in example.full_marks]
        for mistake in assignment.catalogue:
            found = verdicts(assignment, assignment.reference(mistake.cells(assignment.sources())))
            own = [name for name in mistake.breaks if name == mistake.function] or sorted(mistake.breaks)
            if set(found) != set(mistake.breaks) or found[own[0]].mistake != mistake.id:
                unnamed.append(f"{assignment.name}: {mistake.id} ({ {k: v.mistake for k, v in found.items()} })")
    return {"correct_code_failing": failing, "mistakes_not_named": unnamed}


def main() -> int:
    with contextlib.redirect_stdout(io.StringIO()):  # the build and the checks may print
        report = {"architecture": blas_architecture(), "stale": stale_case_files(), **wrong_verdicts()}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
