"""The demo's second part: assignments 2 and 3, graded in the same nbgrader course directory.

Called by :mod:`instructor.demo` after assignment 1, whose output it leaves as it
is. For each later assignment of the series it adds ``source/<assignment>`` to
the course, builds the release with ``nbgrader generate_assignment``, submits
the example submissions of :mod:`instructor.examples_series`, grades them with
``nbgrader autograde`` and prints a grade table and the feedback of failing checks.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat

from . import assignments
from .course import autograde, failure_messages, fill_notebook, generate_release, scores, submit
from .examples_series import example_submissions
from .reference import REPO

SERIES = tuple(name for name in ("conv_vectorized", "conv_application") if name in assignments.ASSIGNMENTS)


def grade_table(table: dict[str, dict[str, float]], points: dict[str, float]) -> str:
    """One row per student, one column per graded test cell, and the total."""
    cells = list(points)
    header = ["student", *[cell.removeprefix("test_") for cell in cells], "total"]
    rows = []
    for student in sorted(table):
        row = [student] + [f"{table[student].get(cell, 0):g}/{points[cell]:g}" for cell in cells]
        rows.append(row + [f"{sum(table[student].values()):g}/{sum(points.values()):g}"])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(r, widths)) for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def max_points(course: Path, assignment: str) -> dict[str, float]:
    """{graded cell: points}, in the order of the notebook."""
    notebook = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return {cell.metadata.nbgrader["grade_id"]: float(cell.metadata.nbgrader["points"])
            for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def run_assignment(course: Path, assignment: str) -> int:
    target = course / "source" / assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "source" / assignment, target)
    release = generate_release(course, assignment)
    print(f"\n=== {assignment}: built the student release {release.relative_to(course)}")
    examples = example_submissions(assignment)
    for student, (what, cells) in examples.items():
        folder = submit(course, student, fill_notebook(release / f"{assignment}.ipynb", cells), assignment).parent
        for extra in release.iterdir():  # data files beside the notebook, as a learner's folder has them
            if extra.is_dir() and not (folder / extra.name).exists():
                shutil.copytree(extra, folder / extra.name)
        print(f"submitted {student}: {what}")
    print("grading with nbgrader autograde ...", flush=True)
    done = autograde(course, assignment)
    table = scores(course, assignment)
    points = max_points(course, assignment)
    print()
    print(grade_table(table, points))
    for student in sorted(table):
        messages = failure_messages(course, student, assignment)
        if messages:
            print(f"\nfeedback for {student}:")
            for cell, message in messages.items():
                print(f"  {cell}: " + message.replace("\n", "\n    "))
    missing = set(examples) - set(table)
    if missing or done.returncode != 0:
        print(f"\nautograde did not grade {sorted(missing)} (exit {done.returncode}):\n{done.stderr}", file=sys.stderr)
        return 1
    return 0


def run(course: Path) -> int:
    return max([run_assignment(course, name) for name in SERIES], default=0)
