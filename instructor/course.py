"""Run real nbgrader commands on a course directory of this kit (the demo, the release build, the tests).

A course directory is made fresh for each job: it gets the kit's
``nbgrader_config.py`` and a copy of each assignment's ``source/`` folder, so
that nothing a job does touches the kit's own files. Paths inside it come
from :class:`autograder.course.Course`, nbgrader's own layout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from autograder.course import Course

from .assignment import Assignment
from .reference import REPO

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


def new_course(course: Path, *assignments: Assignment) -> Path:
    """A fresh nbgrader course directory at ``course`` holding ``source/<name>`` of each of ``assignments``."""
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    for assignment in assignments:
        add_source(course, assignment)
    return course


def add_source(course: Path, assignment: Assignment) -> Path:
    """Copy (again) the instructor notebook's folder of ``assignment`` into the course's ``source/``."""
    target = Course(course).source(assignment.name)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(assignment.notebook.parent, target)
    return target


def generate_release(course: Path, assignment: Assignment) -> Path:
    """``nbgrader generate_assignment``, through nbgrader's own API in this process (the same app as the
    command, without its seconds of start-up): the student notebook, in ``course/release/<assignment>``."""
    from nbgrader.apps import NbGraderAPI

    place = Course(course)
    directory = place.nbgrader
    done = NbGraderAPI(coursedir=directory, config=directory.config).generate_assignment(assignment.name, force=True)
    if not done["success"]:
        raise RuntimeError(f"generate_assignment {assignment.name} failed:\n{done.get('log', '')}\n"
                           f"{done.get('error', '')}")
    return place.release(assignment.name)


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


def submit(course: Path, student: str, notebook: nbformat.NotebookNode, assignment: Assignment) -> Path:
    """Place ``notebook`` where ``nbgrader autograde`` looks for ``student``'s submission, with the data files
    the release holds beside its notebook (as a learner's folder has them)."""
    place = Course(course)
    folder = place.submitted(student, assignment.name)
    folder.mkdir(parents=True, exist_ok=True)
    release = place.release(assignment.name)
    if release.is_dir():
        for extra in release.iterdir():
            if extra.is_dir() and not (folder / extra.name).exists():
                shutil.copytree(extra, folder / extra.name)
    path = place.notebook(folder, assignment.name)
    nbformat.write(notebook, path)
    return path


def autograde(course: Path, assignment: Assignment) -> subprocess.CompletedProcess:
    """``nbgrader autograde`` of every submission; students are added to the gradebook as needed."""
    return nbgrader(course, "autograde", assignment.name, "--create", "--force", check=False)


def scores(course: Path, assignment: str) -> dict[str, dict[str, float]]:
    """{student: {graded cell: score}} from the course's nbgrader gradebook."""
    from nbgrader.api import Gradebook

    table: dict[str, dict[str, float]] = {}
    with Gradebook(Course(course).db_url) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            row = table.setdefault(submission.student.id, {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    row[grade.name] = grade.score
    return table


def failure_messages(course: Path, student: str, assignment: str) -> dict[str, str]:
    """{graded cell: the error it showed} from ``student``'s autograded notebook."""
    place = Course(course)
    nb = nbformat.read(place.notebook(place.autograded(student, assignment), assignment), as_version=4)
    messages = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            errors = [out for out in cell.outputs if out.output_type == "error"]
            if errors:
                messages[meta["grade_id"]] = f"{errors[0].ename}: {errors[0].evalue}"
    return messages
