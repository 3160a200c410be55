"""What to grade against (trusted side only): secret hidden inputs, expected outputs, points.

The plan is built once per run from the course directory: the reference is the
course's own instructor notebook (``source/<assignment>/<assignment>.ipynb``),
the cases and the mistake catalogue are the kit's ``instructor`` package, and
hidden inputs are drawn from seeds derived from a per-course secret
(``.autograder/secret``), so knowing the public cases does not help. Nothing in
a plan ever enters a sandbox.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import secrets
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import nbformat
import numpy as np

from .. import casefile

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Plan:
    assignment: str
    manifest: dict  # the shape of a case file: {"functions": {name: {"outputs", "cases"}}}
    arrays: dict
    points: dict[str, float]  # graded function -> points of its test cell
    locked_checksums: dict[str, str]  # grade_id -> checksum of the locked cell as released
    solution_ids: list[str]  # grade_ids of the solution cells, in notebook order
    # graded cells checked by training a model (see autograder/grading/training.py): name -> how
    trained_models: dict[str, dict] = field(default_factory=dict)
    reference_sources: dict[str, str] = field(default_factory=dict)  # the instructor's solution cells

    @property
    def functions(self) -> list[str]:
        return list(self.points)

    def reference(self, name: str) -> Callable:
        """The instructor's own function ``name`` (run here, in the trusted process, on plain inputs)."""
        return _reference_scope(tuple(self.reference_sources.items()))[name]


@lru_cache(maxsize=4)
def _reference_scope(sources: tuple[tuple[str, str], ...]) -> dict:
    scope: dict = {"__name__": "reference", "np": np}
    for grade_id, code in sources:
        exec(compile(code, f"<reference cell {grade_id}>", "exec"), scope)
    return scope


def _instructor(course: Path):
    """The kit's instructor-only package, from the course directory or the kit checkout."""
    for root in (course, PACKAGE_DIR.parent):
        if (root / "instructor" / "__init__.py").exists() and str(root) not in sys.path:
            sys.path.append(str(root))
    try:
        return (importlib.import_module("instructor.build"), importlib.import_module("instructor.reference"),
                importlib.import_module("instructor.assignments"))
    except ImportError as error:
        raise SystemExit(f"the grader needs the kit's instructor/ package (not installed for learners): {error}")


def course_secret(course: Path) -> bytes:
    """The course's secret, made on first use; only the instructor can read it."""
    path = course / ".autograder" / "secret"
    if not path.exists():
        path.parent.mkdir(mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def secret_seed(secret: bytes, assignment: str, function: str, case_id: str) -> int:
    digest = hashlib.sha256(b"|".join([secret, assignment.encode(), function.encode(), case_id.encode()]))
    return int.from_bytes(digest.digest()[:4], "big")


def _nbgrader_cells(path: Path) -> list:
    return [cell for cell in nbformat.read(path, as_version=4).cells if "nbgrader" in cell.metadata]


def make_plan(course: Path, assignment: str) -> Plan:
    from nbgrader.utils import compute_checksum

    build, reference, assignments = _instructor(course)
    source = course / "source" / assignment / f"{assignment}.ipynb"
    released = course / "release" / assignment / f"{assignment}.ipynb"
    for needed in (source, released):
        if not needed.exists():
            raise SystemExit(f"{needed} is missing: run `nbgrader generate_assignment {assignment}` first")
    secret = course_secret(course)
    sources = reference.solution_sources(source)
    manifest, store = build.build(
        sources,
        hidden_seed=lambda case: secret_seed(secret, assignment, case.function, case.id),
        assignment=assignment,
    )
    cells = _nbgrader_cells(source)
    points = {
        cell.metadata.nbgrader["grade_id"].removeprefix("test_"): float(cell.metadata.nbgrader.get("points", 0))
        for cell in cells
        if cell.metadata.nbgrader.get("grade") and cell.metadata.nbgrader["grade_id"].startswith("test_")
    }
    locked = {
        cell.metadata.nbgrader["grade_id"]: compute_checksum(cell)
        for cell in _nbgrader_cells(released)
        if cell.metadata.nbgrader.get("locked")
    }
    solution_ids = [cell.metadata.nbgrader["grade_id"] for cell in cells if cell.metadata.nbgrader.get("solution")]
    trained = assignments.get(assignment).trained_models
    unchecked = sorted(set(points) - set(manifest["functions"]) - set(trained))
    if unchecked:
        raise SystemExit(f"{assignment}: the kit has no check for the graded cells of {', '.join(unchecked)}; "
                         f"grade this assignment with `nbgrader autograde {assignment}`")
    return Plan(assignment, manifest, store.arrays, points, locked, solution_ids, dict(trained), sources)


def public_plan(assignment: str) -> dict:
    """The stored (public) case file, for comparison in tests."""
    return casefile.read(assignment)[0]
