"""Where results go: one file per student (the commit point), and nbgrader's gradebook.

A student's result file is written atomically the moment they are graded, so
a grader killed at any point loses nothing and grades nobody twice: the next
run skips every student who has a file and copies into the gradebook any
result that had not reached it yet.
"""
from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from . import Refused
from .course import Course


def shown_url(db_url: str) -> str:
    """The gradebook's address as the console may show it: any password masked."""
    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # not an address at all: SQLAlchemy will say so when it is opened
        return db_url


class ResultStore:
    """``.autograder/results/<assignment>/<student>.json`` in the course directory."""

    def __init__(self, course: Course, assignment: str) -> None:
        self.folder = course.results(assignment)  # made at the first save: a refused run leaves nothing behind

    def path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def graded(self) -> set[str]:
        return {path.stem for path in self.folder.glob("*.json")}

    def save(self, result: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".partial-")
        with os.fdopen(descriptor, "w") as handle:
            json.dump(result, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path(result["student"]))

    def load(self, student: str) -> dict[str, Any]:
        return json.loads(self.path(student).read_text())

    def load_all(self) -> dict[str, dict[str, Any]]:
        return {student: self.load(student) for student in sorted(self.graded())}

    def forget(self, students: list[str]) -> None:
        for student in students:
            self.path(student).unlink(missing_ok=True)


class GradebookWriter:
    """Puts results into nbgrader's gradebook (wherever the course keeps it), so that export, formgrader and
    feedback keep working."""

    def __init__(self, db_url: str, assignment: str) -> None:
        from nbgrader.api import Gradebook, MissingEntry

        self.assignment = assignment
        self.shown = shown_url(db_url)
        url = make_url(db_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
                and not Path(url.database).exists():  # Gradebook() would make an empty one
            raise Refused("refused.no_gradebook", url=self.shown, assignment=assignment)
        try:
            self.gradebook = Gradebook(db_url)
        except Exception as error:  # no driver, no server, no such database, no access
            raise Refused("refused.gradebook_unreachable", url=self.shown, assignment=assignment,
                          error=f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"
                          ) from None
        try:
            self.gradebook.find_assignment(assignment)
        except MissingEntry:
            self.gradebook.close()
            raise Refused("refused.not_in_gradebook", url=self.shown, assignment=assignment) from None

    def recorded(self) -> set[str]:
        """Students whose submission already has automatic scores."""
        done = set()
        for submission in self.gradebook.assignment_submissions(self.assignment):
            grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
            if grades and all(grade.auto_score is not None for grade in grades):
                done.add(submission.student.id)
        return done

    def record(self, result: dict[str, Any], timestamp: str | None = None) -> None:
        from nbgrader.api import BaseCell, Grade, SubmittedNotebook

        student = result["student"]
        self.gradebook.update_or_create_student(student)
        with warnings.catch_warnings():
            # nbgrader's add_submission warns (SAWarning, "not in session") on every new submission, as it does
            # under nbgrader autograde; the rows are written all the same (tests/test_grading_exchange.py)
            warnings.filterwarnings("ignore", message=".*not in session.*")
            # the timestamp is updated too: formgrader shows a submission as graded only while it matches submitted/
            submission = self.gradebook.update_or_create_submission(
                self.assignment, student, **({"timestamp": timestamp} if timestamp else {}))
        scores = {f"test_{name}": entry["score"] for name, entry in result["functions"].items()}
        for notebook in submission.notebooks:
            notebook.flagged = bool(result["flags"])
        # every grade of the submission with its cell's name, in one query (grade.name would load each cell)
        for grade, name in (self.gradebook.db.query(Grade, BaseCell.name)
                            .join(BaseCell, Grade.cell_id == BaseCell.id)
                            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                            .filter(SubmittedNotebook.assignment_id == submission.id)):
            if name in scores:
                grade.auto_score = scores[name]
                grade.manual_score = None
                grade.needs_manual_grade = False
        self.gradebook.db.commit()

    def close(self) -> None:
        self.gradebook.close()
