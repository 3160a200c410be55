"""What to grade against (trusted side only): secret hidden inputs, expected outputs, points, the cells.

The plan is built once per run from the course directory and the kit
(:mod:`.kit`): the reference is the course's own instructor notebook
(``source/<assignment>/<assignment>.ipynb``), loaded by the kit's one
reference loader; the cases, probes and mistake catalogue are the kit's
assignment; hidden inputs are drawn from seeds derived from a per-course
secret (``.autograder/secret``), so knowing the public cases does not help.
Nothing in a plan ever enters a sandbox. A plan is plain data (it travels to
worker processes and Dask workers).
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable

import nbformat

from ..accuracy import TrainedModel
from ..casefile import Manifest, decode
from . import Refused, wire
from ..course import Course
from .fingerprint import Fingerprint, take as take_fingerprint
from .kit import Kit
from ..reference import namespace, solution_sources


@dataclass(frozen=True)
class ReleasedCell:
    """A code cell of the student release, as the grader needs to know it."""

    grade_id: str | None
    code: str
    solution: bool
    test: bool  # a graded test cell: the trusted judge takes its place
    locked: bool


@dataclass
class Plan:
    assignment: str
    manifest: dict  # the shape of a case file: {"hints", "functions": {name: {"outputs", "calls", "cases", "probes"}}}
    arrays: dict
    points: dict[str, float]  # graded name -> points of its test cell, in notebook order
    locked_checksums: dict[str, str]  # grade_id -> checksum of the locked cell as released
    released: list[ReleasedCell]  # the release's code cells, in order
    setup_cells: tuple[str, ...]  # given cells the grader runs as released (imports)
    trained_models: dict[str, TrainedModel] = field(default_factory=dict)  # graded cell -> its training
    reference_sources: dict[str, str] = field(default_factory=dict)  # the instructor's solution cells
    fingerprint: Fingerprint | None = None  # what a result graded with this plan was graded against
    _inputs: dict = field(default_factory=dict, repr=False, compare=False)  # see case_inputs
    _answers: dict = field(default_factory=dict, repr=False, compare=False)  # see helper_answers

    def case_inputs(self, function: str, index: int) -> tuple[tuple, dict, tuple]:
        """(args, kwargs, (args, kwargs) packed for the wire) of a case: the same for every submission, so
        decoded and packed once (never handed to learner code: a job gets its own copy through the wire)."""
        key = (function, index)
        if key not in self._inputs:
            case = self.case_file.function(function).cases[index]
            args, kwargs = decode(case.args, self.arrays), decode(case.kwargs, self.arrays)
            self._inputs[key] = (args, kwargs, (wire.pack(args), wire.pack(kwargs)))
        return self._inputs[key]

    @cached_property
    def case_file(self) -> Manifest:
        """The manifest, read through its typed accessors (:class:`autograder.casefile.Manifest`)."""
        return Manifest(self.manifest)

    @property
    def functions(self) -> list[str]:
        return list(self.points)

    @property
    def hints(self) -> dict:
        return self.case_file.hints

    @property
    def solution_ids(self) -> list[str]:
        return [cell.grade_id for cell in self.released if cell.solution and cell.grade_id]

    @property
    def known_names(self) -> list[str]:
        """The names a learner's notebook defines in its solution cells (an undefined one is a missing helper)."""
        return sorted(set(self.case_file.functions) | {m.train for m in self.trained_models.values()}
                      | set(self.solution_ids))

    def calls(self, function: str) -> list[str]:
        return list(self.case_file.function(function).calls) if function in self.case_file else []

    def reference(self, name: str) -> Callable:
        """The instructor's own function ``name`` (run here, in the trusted process, on plain inputs)."""
        return _reference_scope(tuple(self.reference_sources.items()))[name]

    def helper_answers(self, function: str, kind: str, index: int, helpers: tuple[str, ...]) -> dict[str, dict]:
        """{helper: {key of its arguments: what it returned}} for the calls the instructor's ``function`` makes
        to ``helpers`` on its case (``kind`` "case") or probe (``kind`` "probe") number ``index``: the answers
        a diagnosis job's stand-ins give (see :mod:`autograder.diagnosis.oracle`). Made here, in the trusted
        process; no reference code ever enters a sandbox."""
        from ..diagnosis import oracle

        key = (function, kind, index, helpers)
        if key not in self._answers:
            entry = self.case_file.function(function).items(kind)[index]
            reference = self.reference(function)
            args = decode(entry.args, self.arrays)
            kwargs = decode(entry.kwargs, self.arrays)
            with oracle.recording(reference.__globals__, helpers) as tables:
                try:
                    reference(*args, **kwargs)
                except Exception:  # a case the reference cannot run has no answers to give
                    pass
            self._answers[key] = {name: tables.get(name, {}) for name in helpers}
        return self._answers[key]

    def reference_answer(self, helper: str, args: tuple, kwargs: dict):
        """What the instructor's ``helper`` returns for arguments a learner's function passed it (trusted
        process; the arguments are plain data read from the sandbox)."""
        return self.reference(helper)(*args, **kwargs)


@lru_cache(maxsize=4)
def _reference_scope(sources: tuple[tuple[str, str], ...]) -> dict:
    return namespace(dict(sources))


def course_secret(course: Course) -> bytes:
    """The course's secret, made on first use; only the instructor can read it."""
    path = course.secret
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def existing_secret(course: Course) -> bytes | None:
    """The course's secret if it has one yet (a fingerprint of the plan is taken before any is made)."""
    return course.secret.read_bytes().strip() if course.secret.exists() else None


def needed_notebooks(course: Course, assignment: str) -> None:
    """Refuse the assignment if the course lacks its instructor notebook or its release."""
    for needed in (course.source_notebook(assignment), course.release_notebook(assignment)):
        if not needed.exists():
            raise Refused("refused.no_notebook", path=needed, assignment=assignment)


def secret_seed(secret: bytes, assignment: str, function: str, case_id: str) -> int:
    digest = hashlib.sha256(b"|".join([secret, assignment.encode(), function.encode(), case_id.encode()]))
    return int.from_bytes(digest.digest()[:4], "big")


def _released_cells(path) -> list[ReleasedCell]:
    cells = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        cells.append(ReleasedCell(meta.get("grade_id"), cell.source, bool(meta.get("solution")),
                                  bool(meta.get("grade")) and not meta.get("solution"), bool(meta.get("locked"))))
    return cells


def make_plan(course: Course, assignment: str, kit: Kit) -> Plan:
    from nbgrader.utils import compute_checksum

    spec = kit.assignment(assignment)
    source, released = course.source_notebook(assignment), course.release_notebook(assignment)
    needed_notebooks(course, assignment)
    secret = course_secret(course)
    sources = solution_sources(source)
    manifest, store = kit.build.build(
        spec, sources, hidden_seed=lambda case: secret_seed(secret, assignment, case.function, case.id))
    cells = [cell for cell in nbformat.read(source, as_version=4).cells if "nbgrader" in cell.metadata]
    points = {
        cell.metadata.nbgrader["grade_id"].removeprefix("test_"): float(cell.metadata.nbgrader.get("points", 0))
        for cell in cells
        if cell.metadata.nbgrader.get("grade") and cell.metadata.nbgrader["grade_id"].startswith("test_")
    }
    locked = {
        cell.metadata.nbgrader["grade_id"]: compute_checksum(cell)
        for cell in nbformat.read(released, as_version=4).cells
        if cell.metadata.get("nbgrader", {}).get("locked")
    }
    trained = dict(spec.trained_models)
    unchecked = sorted(set(points) - set(Manifest(manifest).functions) - set(trained))
    if unchecked:
        raise Refused("refused.unchecked_cells", assignment=assignment, cells=", ".join(unchecked))
    return Plan(assignment, manifest, store.arrays, points, locked, _released_cells(released), spec.setup_cells,
                trained, sources, take_fingerprint(course, assignment, spec, kit.root, secret))
