"""What a result was graded against: a fingerprint of the grading plan, and what changed since.

A plan (:mod:`.plan`) is made from the course and the kit, and making it takes
seconds (the reference runs on every case and every catalogued mistake). So
the fingerprint is taken from what the plan is made of, which costs
milliseconds, and every result records the fingerprint it was graded with.
Its parts, each a short SHA-256 digest:

- ``kit``: the grader's version and code: the modules of the ``autograder``
  package that grade (not its words, ``messages/``, nor ``similarity/``) and
  the top-level modules of the kit's ``instructor`` package (the build, the
  case and mistake types), not its assignments, which are read per function;
  each module as its syntax tree without docstrings, so comments and
  docstrings do not count;
- ``secret``: the course secret, which draws the hidden inputs (a digest of it:
  the secret itself is never stored);
- ``reference``: the instructor notebook's solution cells (the course's
  ``source/``), from which every expected value and mistake fingerprint comes;
- ``release``: the student release's code cells and the given cells the grader
  runs (what a submission is read against);
- per graded function (:class:`FunctionPrint`): ``cases`` (its cases, the code
  that draws their inputs, its gradient oracle, probes, outputs, helpers and
  trained-model settings), ``points`` (its test cell's), ``mistakes`` (the
  catalogued mistakes that break it, as edits of the reference) and ``hints``
  (each such mistake's hint, by mistake id: words only).

:meth:`Fingerprint.changes` compares two fingerprints part by part. A change of
hints alone changes the words of some feedback, never a grade, so it needs no
grading again (:func:`words_only`).
"""
from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import nbformat

from ..course import Course
from .kit import AssignmentSpec

DIGEST = 16  # hex characters kept of each SHA-256 digest
GLOBAL_PARTS = ("kit", "secret", "reference", "release")
FUNCTION_PARTS = ("cases", "points", "mistakes")
PACKAGE = Path(__file__).resolve().parent.parent  # autograder/
NOT_GRADING = ("messages", "similarity", "data")  # folders of the package that never change a grade


def digest(*texts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for text in texts:
        hasher.update(text if isinstance(text, bytes) else text.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()[:DIGEST]


@dataclass(frozen=True)
class Change:
    """One part of the plan that differs from the one a result was graded with.

    ``part`` is one of :data:`GLOBAL_PARTS`, :data:`FUNCTION_PARTS`, ``"hints"``, ``"added"`` or
    ``"removed"`` (a graded function), ``"unrecorded"`` (a result from a kit that did not record its plan)
    or ``"forced"`` (``--force``); ``function`` names the graded function of a per-function part, and
    ``mistakes`` the catalogued mistakes whose hints changed."""

    part: str
    function: str | None = None
    mistakes: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"part": self.part, "function": self.function, "mistakes": list(self.mistakes)}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Change":
        return Change(str(data["part"]), data.get("function"), tuple(data.get("mistakes") or ()))


@dataclass(frozen=True)
class FunctionPrint:
    cases: str
    points: str
    mistakes: str
    hints: Mapping[str, str] = field(default_factory=dict)  # mistake id -> digest of its hints

    def to_json(self) -> dict:
        return {"cases": self.cases, "points": self.points, "mistakes": self.mistakes, "hints": dict(self.hints)}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "FunctionPrint":
        return FunctionPrint(data["cases"], data["points"], data["mistakes"], dict(data.get("hints") or {}))


@dataclass(frozen=True)
class Fingerprint:
    kit: str
    secret: str
    reference: str
    release: str
    functions: Mapping[str, FunctionPrint]

    def changes(self, older: "Fingerprint | None") -> tuple[Change, ...]:
        """What differs in this plan from ``older`` (the plan a result was graded with), in a stable order."""
        if older is None:
            return (Change("unrecorded"),)
        found = [Change(part) for part in GLOBAL_PARTS if getattr(self, part) != getattr(older, part)]
        for name, mine in self.functions.items():
            theirs = older.functions.get(name)
            if theirs is None:
                found.append(Change("added", name))
                continue
            found += [Change(part, name) for part in FUNCTION_PARTS if getattr(mine, part) != getattr(theirs, part)]
            reworded = sorted(mistake for mistake in set(mine.hints) | set(theirs.hints)
                              if mine.hints.get(mistake) != theirs.hints.get(mistake))
            if reworded:
                found.append(Change("hints", name, tuple(reworded)))
        found += [Change("removed", name) for name in older.functions if name not in self.functions]
        return tuple(found)

    def to_json(self) -> dict:
        return {"kit": self.kit, "secret": self.secret, "reference": self.reference, "release": self.release,
                "functions": {name: entry.to_json() for name, entry in self.functions.items()}}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Fingerprint":
        return Fingerprint(data["kit"], data["secret"], data["reference"], data["release"],
                           {name: FunctionPrint.from_json(entry) for name, entry in data["functions"].items()})


def words_only(changes: Iterable[Change]) -> bool:
    """Whether ``changes`` change words only (hints), never a grade: the results need no grading again."""
    changes = list(changes)
    return bool(changes) and all(change.part == "hints" for change in changes)


# -- taking a fingerprint ---------------------------------------------------------------------------------
def _code_of(thing: Any) -> str:
    """The source of a function (an input builder, an oracle), stable across runs; '' for None."""
    if thing is None:
        return ""
    if isinstance(thing, functools.partial):
        return _code_of(thing.func) + repr(thing.args) + repr(sorted(thing.keywords.items()))
    try:
        return inspect.getsource(thing)
    except (TypeError, OSError):
        return f"{getattr(thing, '__module__', '')}.{getattr(thing, '__qualname__', type(thing).__name__)}"


def _code(path: Path) -> bytes:
    """What a module does: its syntax tree without docstrings (comments are not in it), so that editing
    words that never run changes no fingerprint."""
    source = path.read_bytes()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body and \
                isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
                isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()


@functools.lru_cache(maxsize=4)
def _files_digest(key: tuple[tuple[str, str, int, int], ...]) -> str:
    return digest(*(name.encode() + b"\0" + _code(Path(path)) for name, path, _, _ in key))


def _code_digest(files: list[Path], root: Path) -> str:
    """Of the files' contents and their paths below ``root`` (read again only when a file changes)."""
    key = []
    for path in sorted(files):
        stat = path.stat()
        key.append((str(path.relative_to(root)), str(path), stat.st_mtime_ns, stat.st_size))
    return _files_digest(tuple(key))


def kit_digest(kit_root: Path) -> str:
    """The grader's version and code: see the module's docstring."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("convkit-autograder")
    except PackageNotFoundError:
        release = "unknown"
    package = [path for path in PACKAGE.rglob("*.py")
               if not set(path.relative_to(PACKAGE).parts[:-1]) & set(NOT_GRADING)]
    instructor = sorted((kit_root / "instructor").glob("*.py"))
    return digest(release, _code_digest(package, PACKAGE), _code_digest(instructor, kit_root))


def _points(source: Path) -> dict[str, float]:
    points = {}
    for cell in nbformat.read(source, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and str(meta.get("grade_id", "")).startswith("test_"):
            points[meta["grade_id"].removeprefix("test_")] = float(meta.get("points", 0))
    return points


def _cells(notebook: Path, solution: bool) -> list[str]:
    """The code cells of ``notebook``: its solution cells only, or every code cell with its metadata."""
    cells = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or (solution and not meta.get("solution")):
            continue
        cells.append(json.dumps([meta.get("grade_id"), cell.source] if solution else
                                [cell.source, {k: meta.get(k) for k in ("grade_id", "grade", "solution", "locked",
                                                                          "points")}], sort_keys=True))
    return cells


def function_print(spec: AssignmentSpec, name: str, points: float) -> FunctionPrint:
    """The parts of the plan of graded function ``name`` of assignment ``spec`` (an ``Assignment``)."""
    cases = [repr(case) for case in spec.cases if case.function == name]
    cases += [_code_of(spec.inputs.get(name)), _code_of(spec.gradient_oracles.get(name)),
              repr(tuple(spec.probes.get(name, ()))), repr(tuple(spec.outputs.get(name, ()))),
              repr(tuple(spec.calls.get(name, ()))), repr(spec.trained_models.get(name))]
    breaking = [mistake for mistake in spec.catalogue if name in mistake.breaks]
    mistakes = [repr((m.id, m.function, tuple(m.edits), sorted(m.breaks))) for m in breaking]
    hints = {m.id: digest(json.dumps(dict(m.hints), sort_keys=True, ensure_ascii=False)) for m in breaking}
    return FunctionPrint(digest(*cases), digest(repr(points)), digest(*mistakes), hints)


def take(course: Course, assignment: str, spec: AssignmentSpec, kit_root: Path, secret: bytes | None) -> Fingerprint:
    """The fingerprint of the plan that :func:`~autograder.grading.plan.make_plan` makes of the same things
    (``secret`` None: the course has none yet)."""
    source, released = course.source_notebook(assignment), course.release_notebook(assignment)
    points = _points(source)
    release = _cells(released, solution=False) + [repr(tuple(spec.setup_cells))]
    functions = {name: function_print(spec, name, points[name]) for name in points}
    secret_digest = digest(b"course secret|", secret if secret is not None else b"none")
    return Fingerprint(kit_digest(kit_root), secret_digest, digest(*_cells(source, True)), digest(*release), functions)
