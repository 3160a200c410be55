"""Run real nbgrader commands on a course directory of this kit.

A course directory is made fresh for each job (release build, demo, tests):
it gets the repository's ``nbgrader_config.py`` and a copy of ``source/``,
so that nothing a job does touches the repository's own files.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from .reference import ASSIGNMENT, REPO

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def _environment() -> dict[str, str]:
    """nbgrader shells out to ``alembic``: put this interpreter's bin/ first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course``; raise with its log if it fails and ``check``."""
    command = [sys.executable, "-m", "nbgrader", *args]
    done = subprocess.run(command, cwd=course, env=_environment(), capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def new_course(course: Path, assignment: str = ASSIGNMENT) -> Path:
    """A fresh nbgrader course directory at ``course`` holding ``source/<assignment>``."""
    if course.exists():
        shutil.rmtree(course)
    (course / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "source" / assignment, course / "source" / assignment)
    return course


def generate_release(course: Path, assignment: str = ASSIGNMENT) -> Path:
    """``nbgrader generate_assignment``: the student notebook, in ``course/release/<assignment>``."""
    nbgrader(course, "generate_assignment", assignment, "--force")
    return course / "release" / assignment


def strip_markers(code: str) -> str:
    """Solution code as a learner would have typed it: without nbgrader's markers."""
    return "\n".join(line for line in code.splitlines() if line.strip() not in MARKERS)


def fill_notebook(release_notebook: Path, cells: dict[str, str]) -> nbformat.NotebookNode:
    """The release (or self-study) notebook with the solution cells named in ``cells`` replaced by that code."""
    nb = nbformat.read(release_notebook, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") or cell.metadata.get("selfstudy", {})  # see instructor/selfstudy.py
        grade_id = meta.get("grade_id")
        if meta.get("solution") and grade_id in cells:
            cell.source = strip_markers(cells[grade_id])
    return nb


def submit(course: Path, student: str, notebook: nbformat.NotebookNode, assignment: str = ASSIGNMENT) -> Path:
    """Place ``notebook`` where ``nbgrader autograde`` looks for ``student``'s submission."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    nbformat.write(notebook, path)
    return path


def autograde(course: Path, assignment: str = ASSIGNMENT) -> subprocess.CompletedProcess:
    """``nbgrader autograde`` of every submission; students are added to the gradebook as needed."""
    return nbgrader(course, "autograde", assignment, "--create", "--force", check=False)


def scores(course: Path, assignment: str = ASSIGNMENT) -> dict[str, dict[str, float]]:
    """{student: {graded cell: score}} from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    table: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            row = table.setdefault(submission.student.id, {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    row[grade.name] = grade.score
    return table


def failure_messages(course: Path, student: str, assignment: str = ASSIGNMENT) -> dict[str, str]:
    """{graded cell: the error it showed} from ``student``'s autograded notebook."""
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    messages = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            errors = [out for out in cell.outputs if out.output_type == "error"]
            if errors:
                messages[meta["grade_id"]] = f"{errors[0].ename}: {errors[0].evalue}"
    return messages
