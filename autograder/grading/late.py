"""Late submissions, as ``nbgrader autograde`` handles them: nbgrader's own preprocessor and plugin.

nbgrader keeps the due date on the assignment (``nbgrader db assignment add
NAME --duedate=...``), each student's extension on their submission
(``Gradebook.grant_extension``) and the submission's time from its
``timestamp.txt``; ``SubmittedAssignment.total_seconds_late`` is how far the
time is past the due date with the extension. After the automatic scores are
saved, ``nbgrader autograde`` runs nbgrader's ``AssignLatePenalties``
preprocessor on each notebook: it loads ``AssignLatePenalties.plugin_class``
from the course's configuration (``nbgrader.plugins.LateSubmissionPlugin``,
whose ``penalty_method`` is ``"none"`` or ``"zero"``, or an instructor's own
class, e.g. ``late.SubMarks`` in the course directory), asks it for the
penalty of a late notebook (given its score, manual grades and extra credit
included), clamps it to [0, score] and records it as the notebook's
``late_submission_penalty``, or clears it when the notebook is on time.

:class:`LatePenalties` runs that very preprocessor, configured by nbgrader's
own config loading of the course, with the course directory on the import
path as the ``nbgrader`` command has it. It runs only where it could change
something (a late submission, or one with a penalty to clear): on the others
the preprocessor would set nothing.
"""
from __future__ import annotations

import contextlib
import logging
import sys
from typing import Any, Callable

from sqlalchemy import func, select

from . import Refused
from ..course import Course
from .result import Lateness

LOG = logging.getLogger("autograder.late")  # nbgrader's warnings ("... is N seconds late") stay off the console
LOG.addHandler(logging.NullHandler())
LOG.propagate = False


class PluginFailed(RuntimeError):
    """The instructor's late-submission plugin raised: the student is not graded until it is fixed."""


@contextlib.contextmanager
def _course_on_path(course: Course):
    """The course directory first on ``sys.path``, as the ``nbgrader`` command has its working directory."""
    root = str(course.root)
    sys.path.insert(0, root)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(root)


class LatePenalties:
    """nbgrader's ``AssignLatePenalties`` for one course, checked once before any grading."""

    def __init__(self, course: Course, db_url: str) -> None:
        from nbgrader.preprocessors import AssignLatePenalties

        self.course, self.db_url = course, db_url
        try:
            with _course_on_path(course):  # the configured class is imported as the config is loaded
                self.preprocessor = AssignLatePenalties(config=course.nbgrader.config, log=LOG)
                self.preprocessor.init_plugin()
        except Exception as error:  # a class that cannot be imported or made: the instructor's to fix
            raise Refused("refused.late_plugin", plugin=self._configured(),
                          error=f"{type(error).__name__}: {error}") from None
        self.plugin = f"{type(self.preprocessor.plugin_inst).__module__}.{type(self.preprocessor.plugin_inst).__name__}"

    def _configured(self) -> str:
        config = self.course.nbgrader.config
        value = config.AssignLatePenalties.get("plugin_class", "nbgrader.plugins.LateSubmissionPlugin") \
            if "AssignLatePenalties" in config else "nbgrader.plugins.LateSubmissionPlugin"
        return value if isinstance(value, str) else f"{value.__module__}.{value.__name__}"

    def apply(self, gradebook: Any, assignment: str, student: str,
              before_plugin: Callable[[], None] = lambda: None) -> Lateness | None:
        """Assign the penalty of ``student``'s submission (its scores already in ``gradebook``, an open
        ``nbgrader.api.Gradebook``) as ``nbgrader autograde`` does; the lateness as recorded, or None
        when the assignment has no due date. ``before_plugin`` commits the scores: the preprocessor reads
        them through a connection of its own.

        Read with a few light queries first (loading a submission makes the database add up all its scores,
        several times): the preprocessor runs, and the submission is loaded, only where it could change
        something."""
        import nbformat
        from nbgrader.api import Assignment, Grade, SubmittedAssignment, SubmittedNotebook

        db = gradebook.db
        penalties = (select(func.count(SubmittedNotebook.late_submission_penalty))  # those not null
                     .where(SubmittedNotebook.assignment_id == SubmittedAssignment.id).scalar_subquery())
        row = (db.query(SubmittedAssignment.id, SubmittedAssignment.timestamp, SubmittedAssignment.extension,
                        Assignment.duedate, penalties.label("penalties"))
               .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
               .filter(Assignment.name == assignment, SubmittedAssignment.student_id == student).one())
        due = _with_extension(row.duedate, row.extension)
        late = row.timestamp is not None and due is not None and row.timestamp > due  # total_seconds_late > 0
        if late or row.penalties:
            before_plugin()
            for notebook in gradebook.find_submission(assignment, student).notebooks:
                resources = {"nbgrader": {"notebook": notebook.name, "assignment": assignment,
                                          "student": student, "db_url": self.db_url}}
                try:
                    with _course_on_path(self.course):
                        self.preprocessor.preprocess(nbformat.v4.new_notebook(), resources)
                except Exception as error:
                    raise PluginFailed(f"{self.plugin}: {type(error).__name__}: {error}") from error
            db.expire_all()  # the preprocessor wrote through a connection of its own
            submission = gradebook.find_submission(assignment, student)
            if submission.duedate is None:
                return None
            extension = submission.extension.total_seconds() if submission.extension is not None else 0.0
            return Lateness(submission.duedate.isoformat(sep=" "), extension, float(submission.total_seconds_late),
                            float(submission.score or 0.0), float(submission.late_submission_penalty or 0.0),
                            self.plugin)
        if due is None:
            return None
        score = (db.query(func.sum(Grade.score)).join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                 .filter(SubmittedNotebook.assignment_id == row.id).scalar())
        extension = row.extension.total_seconds() if row.extension is not None else 0.0
        return Lateness(due.isoformat(sep=" "), extension, 0.0, float(score or 0.0), 0.0, self.plugin)

    def due(self, gradebook: Any, assignment: str) -> dict[str, str | None]:
        """{student: their due date with any extension}, for every submission of ``assignment`` (in one query,
        as nbgrader's ``SubmittedAssignment.duedate`` reckons it): a result whose recorded due date differs has
        its penalty assigned again (an extension granted after grading)."""
        from nbgrader.api import Assignment, SubmittedAssignment

        rows = (gradebook.db.query(SubmittedAssignment.student_id, Assignment.duedate, SubmittedAssignment.extension)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .filter(Assignment.name == assignment))
        found = {}
        for student, duedate, extension in rows:
            due = _with_extension(duedate, extension)
            found[student] = due.isoformat(sep=" ") if due else None
        return found


def _with_extension(duedate: Any, extension: Any) -> Any:
    """The due date of a submission: the assignment's, plus the student's extension (None without a due date)."""
    return duedate + extension if duedate is not None and extension is not None else duedate
