"""Read a submitted notebook without trusting it.

Only the code of the solution cells is taken, as text: even turning its IPython
syntax into Python is left to the sandbox (:mod:`.zygote`), where time limits
hold. Locked cells are compared with the released ones (by nbgrader's
checksum) and edits are reported as flags; a notebook that cannot be read, a
deleted or renamed cell, are reported in plain words and cost only what is
missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import nbformat

from .plan import Plan

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass
class Submission:
    cells: list[tuple[str, str]] = field(default_factory=list)  # (grade_id, code) of solution cells
    missing: list[str] = field(default_factory=list)  # solution grade_ids not found
    flags: list[str] = field(default_factory=list)  # tampering, for the instructor
    errors: list[str] = field(default_factory=list)  # why something could not be graded
    readable: bool = True


def read_submission(data: bytes, plan: Plan) -> Submission:
    from nbgrader.utils import compute_checksum

    submission = Submission()
    if len(data) > MAX_NOTEBOOK_BYTES:
        submission.readable = False
        submission.errors.append(f"the notebook is {len(data)} bytes, over the limit of {MAX_NOTEBOOK_BYTES}")
        return submission
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        cells = list(notebook.cells)
    except Exception as error:
        submission.readable = False
        submission.errors.append(f"the notebook file could not be read ({type(error).__name__}: {error}); "
                                 "it may be truncated or not a notebook")
        return submission
    found: dict[str, object] = {}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
            found.setdefault(meta["grade_id"], cell)
    for grade_id in plan.solution_ids:
        cell = found.get(grade_id)
        if cell is None or cell.get("cell_type") != "code" or not isinstance(cell.get("source"), str):
            submission.missing.append(grade_id)
            submission.errors.append(f"the cell {grade_id!r} is missing (deleted, renamed or changed type)")
        else:
            submission.cells.append((grade_id, cell["source"]))
    for grade_id, checksum in plan.locked_checksums.items():
        cell = found.get(grade_id)
        if cell is None:
            submission.flags.append(f"locked cell {grade_id!r} was deleted")
            continue
        try:
            edited = compute_checksum(cell) != checksum
        except Exception:
            edited = True
        if edited:
            submission.flags.append(f"locked cell {grade_id!r} was edited")
    return submission
