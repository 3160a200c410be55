"""The main job: ``python -m instructor.demo`` (``make demo``).

For each assignment of the series, in one nbgrader course directory: build the
student release with ``nbgrader generate_assignment``, submit the bundled
example submissions, grade them with the kit's class grader (``python -m
autograder grade``: sandboxed, into nbgrader's gradebook), and print a grade
table (one row per student, one column per graded function, read back from the
gradebook) followed by the feedback each failing check gave.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from . import examples, examples_series
from .assignments import ASSIGNMENTS
from .course import fill_notebook, generate_release, new_course, scores, submit
from .reference import ASSIGNMENT, REPO


def grade_table(table: dict[str, dict[str, float]], points: dict[str, float]) -> str:
    """One row per student, one column per graded test cell (in notebook order), and the total."""
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


def example_submissions(assignment: str) -> dict[str, tuple[str, dict[str, str]]]:
    if assignment == ASSIGNMENT:
        return examples.example_submissions()
    return examples_series.example_submissions(assignment)


def run_assignment(course: Path, assignment: str) -> int:
    """Release, submit the examples, grade them and print the results of one assignment."""
    target = course / "source" / assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "source" / assignment, target)
    release = generate_release(course, assignment)
    print(f"\n=== {assignment}: built the student release {release.relative_to(course)}")
    submissions = example_submissions(assignment)
    for student, (what, cells) in submissions.items():
        notebook = fill_notebook(release / f"{assignment}.ipynb", cells)
        folder = submit(course, student, notebook, assignment).parent
        for extra in release.iterdir():  # data files beside the notebook, as a learner's folder has them
            if extra.is_dir() and not (folder / extra.name).exists():
                shutil.copytree(extra, folder / extra.name)
        print(f"submitted {student}: {what}")
    print("grading with python -m autograder grade ...", flush=True)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", assignment, "--course", str(course)])
    table = scores(course, assignment)
    print()
    print(grade_table(table, max_points(course, assignment)))
    report = json.loads((course / "reports" / assignment / "report.json").read_text())
    for student, result in sorted(report.items()):
        failing = {name: entry["message"] for name, entry in result["functions"].items() if entry["message"]
                   and entry["score"] < entry["max"]}
        if failing:
            print(f"\nfeedback for {student}:")
            for name, message in failing.items():
                print(f"  {name}: " + message.replace("\n", "\n    "))
    missing = set(submissions) - set(table)
    if missing or done.returncode != 0:
        print(f"\nthe grader did not grade {sorted(missing)} (exit {done.returncode})", file=sys.stderr)
        return 1
    return 0


def run(course: Path) -> int:
    print(f"course directory: {course}")
    new_course(course)
    return max(run_assignment(course, name) for name in ASSIGNMENTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, default=REPO / "build" / "demo-course",
                        help="where to make the nbgrader course directory (replaced if it exists)")
    return run(parser.parse_args(argv).course)


if __name__ == "__main__":
    sys.exit(main())
