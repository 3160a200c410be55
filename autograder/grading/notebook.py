"""Read a submitted notebook without trusting it: which cells run, in which order, and what to flag.

The learner's notebook runs as they wrote it: every code cell, in notebook
order, except the graded test cells, whose place the trusted judge takes (a
*checkpoint*: the graded function is taken as it is defined at that point, as
nbgrader's test cell would see it). That is the solution cells, the cells the
learner added (imports, helpers, experiments), and the given cells they
changed; of the given cells left as released (with nbgrader's metadata or, for
the demos, without), only the assignment's setup cells (its imports) run, not
its figures, demos or benchmarks. The code is taken as
text: even turning its IPython syntax into Python is left to the sandbox
(:mod:`.cells`), where time limits hold.

Locked cells are compared with the released ones (by nbgrader's checksum) and
edits are flagged; a notebook that cannot be read, a deleted or renamed cell,
are reported as notes (:class:`~autograder.verdict.Note`) and cost only what
is missing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import nbformat

from ..verdict import Note
from .plan import Plan

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Cell:
    label: str  # unique in the notebook: the grade id, or "added-<number>"
    code: str
    kind: str  # "solution", "added", "given" (changed by the learner), "setup" (as released) or "checkpoint"
    number: int  # 1-based position among the notebook's cells
    takes: tuple[str, ...] = ()  # a checkpoint: the names the judge takes here

    def describe(self) -> dict:
        """How a note names this cell (see :meth:`autograder.render.Renderer.cell`)."""
        return {"kind": self.kind, "grade_id": self.label, "number": self.number}

    def job(self) -> dict:
        """The cell as the sandbox runs it; ``keep_error``: its error is always kept (a cell of the release's,
        while the sandbox keeps only the first few errors of added cells, see :mod:`.bounds`)."""
        return {"label": self.label, "code": self.code, "takes": list(self.takes), "keep_error": self.kind != "added"}


@dataclass
class Submission:
    cells: list[Cell] = field(default_factory=list)  # what runs, in order (checkpoints included)
    missing: list[str] = field(default_factory=list)  # solution grade_ids not found
    flags: list[Note] = field(default_factory=list)  # tampering, for the instructor
    problems: list[Note] = field(default_factory=list)  # why something could not be graded
    readable: bool = True

    def cell(self, label: str) -> Cell | None:
        """The cell of this label (found by an index: a notebook may have many thousands of cells)."""
        if len(self._index) != len(self.cells):
            self._index = {cell.label: cell for cell in self.cells}
        return self._index.get(label)

    _index: dict[str, Cell] = field(default_factory=dict, repr=False)


def _takes(plan: Plan, graded: str) -> tuple[str, ...]:
    """What the judge takes at the test cell of ``graded``: the function, or the trained model's training."""
    if graded in plan.trained_models:
        return (plan.trained_models[graded].train,)
    return (graded,)


def _cells(text: str) -> list:
    """The notebook's cells, each as nbformat reads it (a multi-line source joined into one string).

    A version 4 notebook is read as the JSON it is: nbformat's reader would also check it against the schema,
    about 5 ms of a worker's time per submission, and it reads an invalid notebook all the same. Any other
    version is read by nbformat, which converts it."""
    try:
        raw = json.loads(text)
    except ValueError:
        raw = None  # nbformat says why, in its own words
    cells = raw.get("cells") if isinstance(raw, dict) and raw.get("nbformat") == 4 else None
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        return list(nbformat.reads(text, as_version=4).cells)
    for cell in cells:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])  # as nbformat's reader does (a TypeError if not all text)
    return cells


def read_submission(data: bytes, plan: Plan) -> Submission:
    from nbgrader.utils import compute_checksum

    submission = Submission()
    if len(data) > MAX_NOTEBOOK_BYTES:
        submission.readable = False
        submission.problems.append(Note("problem.too_big", {"size": len(data), "limit": MAX_NOTEBOOK_BYTES}))
        return submission
    try:
        cells = _cells(data.decode("utf-8"))
    except Exception as error:
        submission.readable = False
        submission.problems.append(Note("problem.unreadable", {"error": f"{type(error).__name__}: {error}"}))
        return submission
    released = {cell.grade_id: cell for cell in plan.released if cell.grade_id}
    tests = {cell.grade_id: cell.grade_id.removeprefix("test_") for cell in plan.released if cell.test}
    given = {cell.code for cell in plan.released if not cell.grade_id}  # demos without nbgrader metadata
    seen: dict[str, object] = {}
    for number, cell in enumerate(cells, start=1):
        meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell, dict) else None
        grade_id = meta.get("grade_id") if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str) else None
        if grade_id is not None and grade_id not in seen:
            seen[grade_id] = cell
        else:
            grade_id = None  # a copy of a cell counts as a cell of the learner's own
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or not isinstance(cell.get("source"), str):
            continue
        code = cell["source"]
        if grade_id in tests:
            graded = tests[grade_id]
            if graded in plan.points:
                submission.cells.append(Cell(grade_id, "", "checkpoint", number, _takes(plan, graded)))
        elif grade_id in released and released[grade_id].solution:
            submission.cells.append(Cell(grade_id, code, "solution", number))
        elif grade_id in released:
            if code != released[grade_id].code:
                submission.cells.append(Cell(grade_id, code, "given", number))
            elif grade_id in plan.setup_cells:
                submission.cells.append(Cell(grade_id, code, "setup", number))
        elif code not in given:  # a cell of the learner's own, or a demo they changed
            submission.cells.append(Cell(f"added-{number}", code, "added", number))
    for grade_id in plan.solution_ids:
        cell = seen.get(grade_id)
        if cell is None or cell.get("cell_type") != "code" or not isinstance(cell.get("source"), str):
            submission.missing.append(grade_id)
            submission.problems.append(Note("problem.cell_missing", {"grade_id": grade_id}))
    for grade_id, checksum in plan.locked_checksums.items():
        cell = seen.get(grade_id)
        if cell is None:
            submission.flags.append(Note("flag.locked_deleted", {"grade_id": grade_id}))
            continue
        try:
            edited = compute_checksum(nbformat.from_dict(cell)) != checksum
        except Exception:
            edited = True
        if edited:
            submission.flags.append(Note("flag.locked_edited", {"grade_id": grade_id}))
    return submission
