"""The learner's notebook runs as they wrote it: the cells they added count, as with ``nbgrader autograde``.

A cohort of assignment 1 notebooks, each the reference solution with cells
the learner added (no nbgrader metadata) at chosen places, is graded by the
class grader's own runner in a real sandbox (bubblewrap where installed).
What must hold, as nbgrader would grade the same notebook:

- a helper or an import from an added cell, before or after the solution cell
  (and before its test cell), serves the solution: full marks;
- IPython magics and shell escapes in added cells (``%matplotlib``, ``%timeit``,
  ``%%time``, ``!pip``) neither fail nor cost marks;
- an added cell that redefines a graded function after its solution cell
  decides the grade (the last definition before the test cell counts), both ways;
- a slow, failing or hanging added cell, or one that ends the process, is
  blamed on that cell and costs nothing else.
"""
from __future__ import annotations

import shutil

import nbformat
import pytest

from autograder.course import Course
from autograder.grading.kit import load_kit
from autograder.grading.plan import make_plan
from autograder.grading.result import Result
from autograder.grading.runner import grade, plan_preload
from autograder.grading.sandbox import Limits, Sandbox, bubblewrap
from autograder.verdict import Note
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
LIMITS = Limits(call_seconds=3.0, submission_seconds=40.0)  # a hanging cell costs its 3 s, not the run

HELPER = "import math\n\ndef my_sum(values):\n    return math.fsum(values.ravel())\n"
USES_HELPER = ("def conv_single_step(a_slice_prev, W, b):\n"
               "    return my_sum(a_slice_prev * W) + b.item()\n")
BROKEN_POOL = "def pool_forward(A_prev, hparameters, mode='max'):\n    return A_prev\n"


def added(where: str, code: str) -> tuple[str, str]:
    """An added cell at a place named by a graded cell: "before:<grade id>" or "after:<grade id>"."""
    return where, code


# {student: (cells to replace in the solution, added cells)}
COHORT: dict[str, tuple[dict[str, str], list[tuple[str, str]]]] = {
    "helper_before_the_solution": ({"conv_single_step": USES_HELPER}, [added("before:conv_single_step", HELPER)]),
    "helper_after_the_solution": ({"conv_single_step": USES_HELPER}, [added("after:conv_single_step", HELPER)]),
    "magics": ({}, [
        added("before:zero_pad", "%matplotlib inline\n%config InlineBackend.figure_format = 'retina'\n"),
        added("after:zero_pad", "%timeit -n 3 -r 1 zero_pad(np.zeros((1, 3, 3, 1)), 1)\n"),
        added("after:conv_forward", "%%time\nsquare = lambda x: x * x\n"),
        added("after:pool_forward", "!pip install --quiet scipy\nfiles = !ls\n"),
        added("after:pool_backward", "assert square(3) == 9\n"),
    ]),
    "fixed_in_an_added_cell": ({"pool_forward": BROKEN_POOL}, [
        added("after:pool_forward", STEP_BY_STEP.sources()["pool_forward"])]),
    "broken_in_an_added_cell": ({}, [added("after:pool_forward", BROKEN_POOL)]),
    "slow_and_failing_added_cells": ({}, [
        added("after:zero_pad", "import time\ntime.sleep(1.5)\n"),
        added("after:conv_single_step", "print(1 / 0)\n"),
        added("after:conv_forward", "undefined_name.plot()\n"),
    ]),
    "hanging_added_cell": ({}, [added("after:conv_forward", "while True:\n    pass\n")]),
    "added_cell_ends_the_process": ({}, [added("after:pool_forward", "import os\nos._exit(3)\n")]),
}


def notebook_of(release, replaced: dict[str, str], extra: list[tuple[str, str]]) -> bytes:
    notebook = course.fill_notebook(release, {**STEP_BY_STEP.sources(), **replaced})
    for where, code in extra:
        side, grade_id = where.split(":")
        index = next(i for i, cell in enumerate(notebook.cells)
                     if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        notebook.cells.insert(index + (side == "after"), nbformat.v4.new_code_cell(code))
    return nbformat.writes(notebook).encode()


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Result]:
    root = course.new_course(tmp_path_factory.mktemp("added") / "course", STEP_BY_STEP)
    shutil.copytree(reference.REPO / "release" / ASSIGNMENT, root / "release" / ASSIGNMENT)
    plan = make_plan(Course(root), ASSIGNMENT, load_kit(root, reference.REPO))
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    isolate = bubblewrap() is not None
    with Sandbox(LIMITS, isolate, plan_preload(plan)) as sandbox:
        return {student: grade(plan, student, notebook_of(release, *cells), LIMITS, isolate, sandbox)
                for student, cells in COHORT.items()}


def lost(result: Result) -> set[str]:
    return {name for name, entry in result.functions.items() if entry.score < entry.max}


def added_cell_problems(result: Result) -> list[Note]:
    return [note for note in result.problems if note.values.get("cell", {}).get("kind") == "added"]


def blamed_for(note: Note) -> str:
    """What a note blames the cell for: the exception's type, or why the sandbox stopped it."""
    if note.key == "problem.cell_failed":
        return note.values["error"].partition(":")[0]
    return note.values["stop"]["reason"]


@pytest.mark.parametrize("student", ["helper_before_the_solution", "helper_after_the_solution", "magics",
                                     "fixed_in_an_added_cell"])
def test_added_cells_serve_the_solution_as_in_nbgrader(graded, student):
    result = graded[student]
    assert lost(result) == set(), {n: e.verdict.outcome for n, e in result.functions.items()}
    assert result.total == result.max > 0
    assert added_cell_problems(result) == []


def test_a_graded_function_redefined_after_its_solution_is_graded_as_redefined(graded):
    assert lost(graded["broken_in_an_added_cell"]) == {"pool_forward"}


@pytest.mark.parametrize("student, blamed", [
    ("slow_and_failing_added_cells", {"ZeroDivisionError", "NameError"}),
    ("hanging_added_cell", {"call_timeout"}),
    ("added_cell_ends_the_process", {"exited"}),
])
def test_a_broken_added_cell_is_blamed_on_that_cell_and_costs_nothing_else(graded, student, blamed):
    result = graded[student]
    assert lost(result) == set()
    problems = added_cell_problems(result)
    assert {blamed_for(note) for note in problems} == blamed, problems
    assert all(note.values["cell"]["number"] > 0 for note in problems)  # the learner can find the cell
