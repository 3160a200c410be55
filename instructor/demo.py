"""The main job: ``python -m instructor.demo`` (``make demo``), and a smoke test of the whole kit.

For each assignment of the series, in one nbgrader course directory: build the
student release with ``nbgrader generate_assignment``, submit the assignment's
bundled example submissions, grade them with the kit's class grader
(``python -m autograder grade``: sandboxed, into nbgrader's gradebook), and
print a grade table (one row per student, one column per graded function, read
back from the gradebook) followed by the feedback each failing check gave.

Every example is meant to get a known grade (``Example.full_marks``); when one
does not, the demo says which and exits 1, as it does when the grader fails.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import nbformat

from autograder.course import Course
from autograder.messages import LANGUAGES

from .assignment import Assignment
from .assignments import REGISTRY
from .course import add_source, fill_notebook, generate_release, new_course, scores, submit
from .reference import REPO


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


def max_points(notebook: Path) -> dict[str, float]:
    """{graded cell: points}, in the order of the instructor notebook."""
    nb = nbformat.read(notebook, as_version=4)
    return {cell.metadata.nbgrader["grade_id"]: float(cell.metadata.nbgrader["points"])
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def unexpected_grades(assignment: Assignment, table: dict[str, dict[str, float]],
                      points: dict[str, float]) -> list[str]:
    """Where an example's grade is not the one it is meant to get, one line each."""
    lines = []
    for example in assignment.examples(assignment):
        got = table.get(example.student)
        if got is None:
            lines.append(f"{example.student}: not graded at all")
            continue
        for cell, most in points.items():
            name = cell.removeprefix("test_")
            meant = most if name in example.full_marks else 0.0
            if abs(got.get(cell, 0.0) - meant) > 1e-9:
                lines.append(f"{example.student} ({example.description}): {name} got {got.get(cell, 0.0):g}, "
                             f"meant to get {meant:g}")
    return lines


def run_assignment(course: Path, assignment: Assignment, sandbox: bool = True, language: str = "en") -> int:
    """Release, submit the examples, grade them and print the results of one assignment; 1 if anything is off."""
    add_source(course, assignment)
    release = generate_release(course, assignment)
    print(f"\n=== {assignment.name}: built the student release {release.relative_to(course)}")
    for example in assignment.examples(assignment):
        notebook = fill_notebook(Course(course).notebook(release, assignment.name), dict(example.cells))
        submit(course, example.student, notebook, assignment)
        print(f"submitted {example.student}: {example.description}")
    print("grading with python -m autograder grade ...", flush=True)
    command = [sys.executable, "-m", "autograder", "grade", assignment.name, "--course", str(course),
               "--kit", str(REPO), "--language", language, "--force"]
    done = subprocess.run(command + ([] if sandbox else ["--no-sandbox"]))
    table = scores(course, assignment.name)
    points = max_points(Course(course).source_notebook(assignment.name))
    print()
    print(grade_table(table, points))
    report = json.loads((Course(course).reports(assignment.name) / "report.json").read_text())["students"]
    for student, result in sorted(report.items()):
        failing = {name: entry["message"] for name, entry in result["functions"].items() if entry["message"]
                   and entry["score"] < entry["max"]}
        if failing:
            print(f"\nfeedback for {student}:")
            for name, message in failing.items():
                print(f"  {name}: " + message.replace("\n", "\n    "))
    problems = unexpected_grades(assignment, table, points)
    if done.returncode != 0:
        problems.append(f"the grader exited with status {done.returncode}")
    for line in problems:
        print(f"DEMO FAILED, {assignment.name}: {line}", file=sys.stderr)
    return 1 if problems else 0


def run(course: Path, names: list[str] | None = None, sandbox: bool = True, language: str = "en") -> int:
    print(f"course directory: {course}")
    new_course(course)
    chosen = [REGISTRY[name] for name in (names or list(REGISTRY))]
    status = max(run_assignment(course, assignment, sandbox, language) for assignment in chosen)
    print("\nevery example got the grade it is meant to get" if status == 0 else
          "\nsome examples did not get the grade they are meant to get (see DEMO FAILED above)")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, default=REPO / "build" / "demo-course",
                        help="where to make the nbgrader course directory (replaced if it exists)")
    parser.add_argument("--assignment", action="append", choices=list(REGISTRY),
                        help="demo only this assignment (repeatable; default: all of them)")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap")
    parser.add_argument("--language", choices=LANGUAGES, default="en", help="language of the feedback shown")
    options = parser.parse_args(argv)
    return run(options.course, options.assignment, not options.no_sandbox, options.language)


if __name__ == "__main__":
    sys.exit(main())
