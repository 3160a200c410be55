"""Grades do not depend on the isolation, nor on where Python is installed.

For every assignment, the bundled examples (and, for assignment 1, a learner
whose solution calls a helper and an import of a cell they added) are graded
by ``autograder grade`` twice: with bubblewrap, by this environment's Python;
then without bubblewrap, by a Python installed under a private folder of mode
0700 that the test makes (a copy of this one's interpreter and standard
library, by hard links, as pyenv under /root is), the case where a job under a
throw-away user once could not import what the sandbox had not imported
before. The two runs must give the same score, the same kind of failure and
the same cause to every graded cell of every student, and each run must say
which isolation it had.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.grading.sandbox import bubblewrap
from instructor import course, reference
from tests.helpers import ASSIGNMENTS, STEP_BY_STEP, link_or_copy

pytestmark = pytest.mark.skipif(bubblewrap() is None, reason="needs bubblewrap (apt-get install bubblewrap)")

HELPER_IN_AN_ADDED_CELL = ("import math\n\ndef my_sum(values):\n    return math.fsum(values.ravel())\n",
                           "def conv_single_step(a_slice_prev, W, b):\n"
                           "    return my_sum(a_slice_prev * W) + float(b.ravel()[0])\n")


@pytest.fixture(scope="module")
def private_python(tmp_path_factory) -> Path:
    """A Python under a folder only its owner may enter: its interpreter and library hard-linked (or copied)
    from this one's, and a virtual environment on it that finds this kit and its packages."""
    private = tmp_path_factory.mktemp("private") / "home"
    private.mkdir(mode=0o700)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    home = private / "python"
    (home / "bin").mkdir(parents=True)
    link_or_copy(os.path.realpath(Path(sys.base_prefix) / "bin" / version), home / "bin" / version)
    shutil.copytree(Path(sys.base_prefix) / "lib", home / "lib", copy_function=link_or_copy, symlinks=True,
                    ignore=lambda folder, names: ["test"] if Path(folder).name == version else [])
    subprocess.run([home / "bin" / version, "-m", "venv", "--without-pip", private / "venv"], check=True)
    site = private / "venv" / "lib" / version / "site-packages"
    packages = next(path for path in map(Path, sys.path) if path.name == "site-packages" and
                    str(path).startswith(sys.prefix))
    (site / "kit.pth").write_text(f"{packages}\n{reference.REPO}\n")
    python = private / "venv" / "bin" / "python"
    if os.geteuid() == 0:  # the case to prove: another user cannot even start it
        other = subprocess.run(["runuser", "-u", "nobody", "--", str(python), "-c", "import math"],
                               capture_output=True)
        assert other.returncode != 0
    return python


def submissions(assignment) -> dict[str, dict[str, str]]:
    cells = {example.student: dict(example.cells) for example in assignment.examples(assignment)
             if assignment.trained_models == {} or example.full_marks}  # one training is enough
    if assignment is STEP_BY_STEP:
        cells["helper_in_an_added_cell"] = {**assignment.sources(), "conv_single_step": HELPER_IN_AN_ADDED_CELL[1]}
    return cells


def grade(python: Path, root: Path, assignment: str, *options: str) -> tuple[subprocess.CompletedProcess, dict]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(python), "-m", "autograder", "grade", assignment, "--course", str(root),
                           "--kit", str(reference.REPO), "--no-progress", "--workers", "2", *options],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done, json.loads((root / "reports" / assignment / "report.json").read_text())["students"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_same_grades_with_bubblewrap_and_without_it_from_a_private_python(assignment, private_python,
                                                                               tmp_path):
    root = course.new_course(tmp_path / "course", assignment)
    release = course.generate_release(root, assignment) / f"{assignment.name}.ipynb"
    for student, cells in submissions(assignment).items():
        notebook = course.fill_notebook(release, cells)
        if student == "helper_in_an_added_cell":
            first = next(i for i, cell in enumerate(notebook.cells)
                         if cell.metadata.get("nbgrader", {}).get("solution"))
            notebook.cells.insert(first, nbformat.v4.new_code_cell(HELPER_IN_AN_ADDED_CELL[0]))
        course.submit(root, student, notebook, assignment)
    copy = Path(shutil.copytree(root, tmp_path / "copy"))
    isolated, with_bubblewrap = grade(Path(sys.executable), root, assignment.name)
    apart, without = grade(private_python, copy, assignment.name, "--no-sandbox")
    assert "isolation: bubblewrap" in isolated.stderr
    assert "isolation: a separate process only" in apart.stderr
    assert "NOT GRADED" not in isolated.stderr + apart.stderr
    for student, entry in with_bubblewrap.items():
        for name, graded in entry["functions"].items():
            other = without[student]["functions"][name]
            assert (graded["score"], graded["kind"], graded["diagnosis"]) == (
                other["score"], other["kind"], other["diagnosis"]), (student, name, graded, other)
        assert without[student]["errors"] == entry["errors"], student
    for example in assignment.examples(assignment):
        if example.student in with_bubblewrap:
            full = {name for name, e in with_bubblewrap[example.student]["functions"].items() if e["score"] == e["max"]}
            assert full == set(example.full_marks), example.student
    if assignment is STEP_BY_STEP:
        assert with_bubblewrap["helper_in_an_added_cell"]["total"] == with_bubblewrap["helper_in_an_added_cell"]["max"]
