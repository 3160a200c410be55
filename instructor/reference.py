"""The reference implementation: the instructor notebook's own solution cells.

There is no second copy of the solutions. The graded functions are taken from
the cells of ``source/<assignment>/<assignment>.ipynb`` marked as nbgrader
solution cells, and executed into a fresh namespace.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "conv_step_by_step"
GRADED_FUNCTIONS = (
    "zero_pad",
    "conv_single_step",
    "conv_forward",
    "pool_forward",
    "conv_backward",
    "create_mask_from_window",
    "distribute_value",
    "pool_backward",
)


def source_notebook(assignment: str = ASSIGNMENT) -> Path:
    """Path of the instructor notebook of ``assignment``."""
    return REPO / "source" / assignment / f"{assignment}.ipynb"


def solution_sources(notebook: Path | None = None) -> dict[str, str]:
    """Map each solution cell's ``grade_id`` to its code, in notebook order."""
    nb = nbformat.read(notebook or source_notebook(), as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }


def namespace(sources: dict[str, str] | None = None, **replacements: str) -> dict:
    """Execute solution code into a fresh namespace and return it.

    ``replacements`` maps a grade_id to other code for that cell, as a learner's
    notebook would hold it: the other functions then call the replacement, just
    as they would in the notebook.
    """
    cells = dict(sources or solution_sources())
    unknown = set(replacements) - set(cells)
    if unknown:
        raise KeyError(f"no solution cell named {sorted(unknown)}")
    cells.update(replacements)
    scope: dict = {"__name__": "reference"}
    exec("import numpy as np", scope)
    for grade_id, code in cells.items():
        exec(compile(code, f"<solution cell {grade_id}>", "exec"), scope)
    return scope


def reference() -> dict:
    """The eight graded functions of the reference, by name."""
    scope = namespace()
    return {name: scope[name] for name in GRADED_FUNCTIONS}
