"""The main job: ``python -m instructor.demo`` (``make demo``).

Builds the student release with ``nbgrader generate_assignment``, puts the
bundled example submissions into an nbgrader course directory, grades them with
``nbgrader autograde``, and prints a grade table per student and function,
followed by the feedback each student's failing checks gave. Then it does the
same, in the same course directory, for the example submissions of assignments 2
and 3 (:mod:`instructor.demo_series`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import demo_series
from .course import autograde, failure_messages, fill_notebook, generate_release, new_course, scores, submit
from .examples import example_submissions
from .reference import ASSIGNMENT, GRADED_FUNCTIONS, REPO


def grade_table(table: dict[str, dict[str, float]], points: dict[str, float]) -> str:
    """A plain-text table: one row per student, one column per graded function, and the total."""
    header = ["student", *GRADED_FUNCTIONS, "total"]
    rows = []
    for student in sorted(table):
        cells = table[student]
        row = [student] + [f"{cells.get('test_' + f, 0):g}/{points['test_' + f]:g}" for f in GRADED_FUNCTIONS]
        row.append(f"{sum(cells.values()):g}/{sum(points.values()):g}")
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(r, widths)) for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def max_points(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_notebook(ASSIGNMENT, ASSIGNMENT)
        return {cell.name: cell.max_score for cell in notebook.grade_cells}


def run(course: Path) -> int:
    print(f"course directory: {course}")
    new_course(course)
    release = generate_release(course)
    print(f"built the student release: {release.relative_to(course)}")
    examples = example_submissions()
    for student, (what, cells) in examples.items():
        submit(course, student, fill_notebook(release / f"{ASSIGNMENT}.ipynb", cells))
        print(f"submitted {student}: {what}")
    print("grading with nbgrader autograde ...", flush=True)
    done = autograde(course)
    table = scores(course)
    print()
    print(grade_table(table, max_points(course)))
    for student in sorted(table):
        messages = failure_messages(course, student)
        if messages:
            print(f"\nfeedback for {student}:")
            for cell, message in messages.items():
                print(f"  {cell}: " + message.replace("\n", "\n    "))
    missing = set(examples) - set(table)
    if missing or done.returncode != 0:
        print(f"\nautograde did not grade {sorted(missing)} (exit {done.returncode}):\n{done.stderr}", file=sys.stderr)
        return 1
    return demo_series.run(course)  # assignments 2 and 3, in the same course, after assignment 1's output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, default=REPO / "build" / "demo-course",
                        help="where to make the nbgrader course directory (replaced if it exists)")
    return run(parser.parse_args(argv).course)


if __name__ == "__main__":
    sys.exit(main())
