"""The one reference loader: an instructor notebook's solution cells, executed into a namespace.

There is no second copy of the solutions anywhere: the reference is the code of
the cells that nbgrader marks as solution cells in the instructor notebook. The
kit's build (``instructor.build``, through ``instructor.reference``) and the
class grader (:mod:`autograder.grading.plan`, in the trusted process, also on
Dask workers) both load it here. This module holds no solution; it only runs the notebook's.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import nbformat


def solution_sources(notebook: Path) -> dict[str, str]:
    """Map each solution cell's ``grade_id`` to its code, in notebook order."""
    nb = nbformat.read(notebook, as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }


def namespace(sources: Mapping[str, str], **replacements: str) -> dict:
    """Execute solution cells (grade id -> code, in notebook order) into a fresh namespace and return it.

    ``replacements`` maps a grade id to other code for that cell, as a learner's
    notebook would hold it: the other functions then call the replacement, just
    as they would in the notebook.
    """
    cells = dict(sources)
    unknown = set(replacements) - set(cells)
    if unknown:
        raise KeyError(f"no solution cell named {sorted(unknown)}")
    cells.update(replacements)
    scope: dict = {"__name__": "reference"}
    exec("import numpy as np", scope)
    for grade_id, code in cells.items():
        exec(compile(code, f"<solution cell {grade_id}>", "exec"), scope)
    return scope
