"""The grader works however it is started: from the course directory, through a relative interpreter path."""
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.grading.sandbox import Call, Limits, Sandbox, SandboxError
from autograder.messages import Words

from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name


def test_a_relative_interpreter_path_still_starts_the_sandbox(tmp_path):
    root = course.new_course(tmp_path / "course", STEP_BY_STEP)
    release = course.generate_release(root, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    course.submit(root, "ada", course.fill_notebook(release, STEP_BY_STEP.sources()), STEP_BY_STEP)
    python = os.path.relpath(sys.executable, root)  # e.g. ../../.venv/bin/python
    assert ".." in python
    done = subprocess.run([python, "-m", "autograder", "grade", ASSIGNMENT, "--workers", "1", "--no-progress"],
                          cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "NOT GRADED" not in done.stderr
    scores = course.scores(root, ASSIGNMENT)["ada"]
    assert scores and all(score > 0 for score in scores.values())


def test_a_graded_cell_the_kit_has_no_check_for_is_refused_not_misgraded(tmp_path):
    """An instructor adds a test cell of their own: the grader cannot grade it, and says so instead of
    giving everyone its points or none (nbgrader autograde, which runs the notebook, still can)."""
    root = course.new_course(tmp_path / "course", STEP_BY_STEP)
    path = root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell("assert zero_pad(np.zeros((1, 1, 1, 1)), 1).shape == (1, 3, 3, 1)")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1,
                                 "grade_id": "test_my_own_check", "schema_version": 3}
    notebook.cells.append(cell)
    nbformat.write(notebook, path)
    course.generate_release(root, STEP_BY_STEP)
    course.submit(root, "ada", course.fill_notebook(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                                    STEP_BY_STEP.sources()), STEP_BY_STEP)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(root)],
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert "my_own_check" in done.stderr and f"nbgrader autograde {ASSIGNMENT}" in done.stderr
    assert not (root / ".autograder" / "results" / ASSIGNMENT / "ada.json").exists()


def test_python_m_autograder_grades_a_course_that_holds_a_copy_of_the_kit(tmp_path):
    """A course made by copying the kit's folder (its own autograder/ beside the notebooks), graded with this
    environment's Python from inside it: the copy shadows the installed package, and must still grade."""
    root = tmp_path / "course"
    shutil.copytree(reference.REPO / "autograder", root / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__"))
    course.new_course(root, STEP_BY_STEP)
    release = course.generate_release(root, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    course.submit(root, "ada", course.fill_notebook(release, STEP_BY_STEP.sources()), STEP_BY_STEP)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--workers", "1",
                           "--no-progress", "--kit", str(reference.REPO)],
                          cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "NOT GRADED" not in done.stderr and "sandbox" not in done.stdout.lower()
    scores = course.scores(root, ASSIGNMENT)["ada"]
    assert scores and all(score > 0 for score in scores.values())


FAKE_BWRAP = "#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n"


@pytest.mark.parametrize("bwrap, key, shown", [
    ("fake", "sandbox.bwrap_failed", "Creating new namespace failed"),
    ("/nonexistent/bwrap", "sandbox.cannot_run", "/nonexistent/bwrap"),
])
def test_a_sandbox_that_cannot_start_says_why_and_what_to_do(tmp_path, bwrap, key, shown):
    if bwrap == "fake":
        bwrap = tmp_path / "bwrap"
        bwrap.write_text(FAKE_BWRAP)
        bwrap.chmod(0o755)
    sandbox = Sandbox(Limits())
    sandbox.bwrap = str(bwrap)
    with pytest.raises(SandboxError) as failure:
        sandbox.run([("f", "def f():\n    return 1\n")], [Call(0, "f", (), {})])
    assert failure.value.key == key
    for language in ("en", "zh"):
        text = Words(language)(failure.value.key, **failure.value.values)
        assert shown in text and not re.search(r"\{[a-z_]+\}", text), text
    if key == "sandbox.bwrap_failed":
        assert "--no-sandbox" in Words("en")(key, **failure.value.values)
