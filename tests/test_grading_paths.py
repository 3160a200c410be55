"""The grader works however it is started: from the course directory, through a relative interpreter path."""
import os
import subprocess
import sys

from instructor import course, reference

ASSIGNMENT = reference.ASSIGNMENT


def test_a_relative_interpreter_path_still_starts_the_sandbox(tmp_path):
    root = course.new_course(tmp_path / "course")
    release = course.generate_release(root) / f"{ASSIGNMENT}.ipynb"
    course.submit(root, "ada", course.fill_notebook(release, reference.solution_sources()))
    python = os.path.relpath(sys.executable, root)  # e.g. ../../.venv/bin/python
    assert ".." in python
    done = subprocess.run([python, "-m", "autograder", "grade", ASSIGNMENT, "--workers", "1", "--no-progress"],
                          cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "NOT GRADED" not in done.stderr
    scores = course.scores(root)["ada"]
    assert scores and all(score > 0 for score in scores.values())


def test_an_assignment_with_checks_it_cannot_run_is_refused_not_misgraded(tmp_path):
    """Assignment 2's timing check runs only in the notebook: the grader says so instead of passing loops."""
    root = course.new_course(tmp_path / "course", "conv_vectorized")
    course.generate_release(root, "conv_vectorized")
    (root / "submitted" / "ada" / "conv_vectorized").mkdir(parents=True)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "conv_vectorized", "--course", str(root)],
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert "nbgrader autograde conv_vectorized" in done.stderr
    assert not (root / ".autograder" / "results" / "conv_vectorized" / "ada.json").exists()
