"""Where results go: one file per student (the commit point), and nbgrader's gradebook.

A student's result file is written atomically the moment they are graded, so
a grader killed at any point loses nothing and grades nobody twice: the next
run skips every student who has a file and copies into the gradebook any
result that had not reached it yet.

In the gradebook only what autograding owns is written: each graded cell's
automatic score, as ``nbgrader autograde`` writes it. What the instructor set
in formgrader stays: a manual score (which then counts instead of the automatic
one, and the cell is marked for review again, as nbgrader does), extra credit,
comments and flags set by hand. The late penalty is assigned by nbgrader's own
preprocessor (:mod:`.late`).

A run writes the gradebook in batches (:meth:`GradebookWriter.batch`): one
transaction for the students of about a second, not one for each (nbgrader's
API commits after every change, three times a student, each a disk sync or a
round trip to the server). A result file may so be written before its scores
are committed: a run killed then leaves results whose scores are not in the
gradebook, and the next run writes them (the result file stays the commit point).
"""
from __future__ import annotations

import contextlib
import json
import time
import warnings
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy.engine import make_url

from ..files import write_atomically
from . import Refused
from ..course import Course
from .late import LatePenalties
from .result import Lateness, Result, Review


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

    def save(self, result: Result) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(result.to_json(), indent=1, sort_keys=True)
        write_atomically(self.path(result.student), text, mode=0o600, sync=True)  # the commit point; private

    def load(self, student: str) -> Result | None:
        """The stored result of ``student``; None if it cannot be read (it is then graded again)."""
        try:
            return Result.from_json(json.loads(self.path(student).read_text()))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def load_all(self) -> dict[str, Result]:
        found = {student: self.load(student) for student in sorted(self.graded())}
        return {student: result for student, result in found.items() if result is not None}

    def forget(self, students: list[str]) -> None:
        for student in students:
            self.path(student).unlink(missing_ok=True)


class _HeldCommits:
    """nbgrader's session (``Gradebook.db``) whose commits, while ``held``, only flush: the changes stay in the
    open transaction until :meth:`commit_now`. Everything else is the session's own (queries see what was
    flushed; nbgrader's rollback on a database error rolls the whole transaction back)."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self.held = False

    def commit(self) -> None:
        if self.held:
            self._session.flush()
        else:
            self._session.commit()

    def commit_now(self) -> None:
        self._session.commit()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class GradebookWriter:
    """Puts results into nbgrader's gradebook (wherever the course keeps it), so that export, formgrader and
    feedback keep working.

    Each :meth:`record` is committed at once, unless inside :meth:`batch`."""

    def __init__(self, course: Course, assignment: str) -> None:
        from nbgrader.api import Gradebook, MissingEntry

        db_url = course.db_url
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
        self._session = self.gradebook.db = _HeldCommits(self.gradebook.db)
        self._pending, self._since = 0, 0.0  # students recorded and not committed, since when (monotonic)
        try:
            self._assignment_id = self.gradebook.find_assignment(assignment).id
        except MissingEntry:
            self.gradebook.close()
            raise Refused("refused.not_in_gradebook", url=self.shown, assignment=assignment) from None
        try:
            self.late = LatePenalties(course, db_url)
        except BaseException:
            self.gradebook.close()
            raise

    def auto_scores(self) -> dict[str, dict[str, float | None]]:
        """{student: {graded cell: its automatic score}} of every submission of the assignment, in one query: a
        result whose scores are not there (a run killed between its result and the gradebook) is written again."""
        from nbgrader.api import BaseCell, Grade, Student, SubmittedAssignment, SubmittedNotebook

        found: dict[str, dict[str, float | None]] = {}
        query = (self.gradebook.db.query(Student.id, BaseCell.name, Grade.auto_score)
                 .join(SubmittedAssignment, SubmittedAssignment.student_id == Student.id)
                 .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                 .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
                 .join(BaseCell, Grade.cell_id == BaseCell.id)
                 .filter(SubmittedAssignment.assignment_id == self._assignment_id))
        for student, cell, score in query:
            found.setdefault(student, {})[cell] = score
        return found

    def reviews(self) -> dict[str, Review]:
        """{student: what the instructor set in formgrader} for every submission of the assignment that has
        something set: manual scores and extra credit of the graded cells, comments on any cell."""
        from nbgrader.api import BaseCell, Comment, Grade, SubmittedAssignment, SubmittedNotebook

        manual: dict[str, dict[str, float]] = {}
        extra: dict[str, dict[str, float]] = {}
        comments: dict[str, dict[str, str]] = {}
        grades = (self.gradebook.db.query(SubmittedAssignment.student_id, BaseCell.name, Grade.manual_score,
                                          Grade.extra_credit)
                  .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                  .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
                  .join(BaseCell, Grade.cell_id == BaseCell.id)
                  .filter(SubmittedAssignment.assignment_id == self._assignment_id)
                  .filter((Grade.manual_score.isnot(None)) | (Grade.extra_credit.isnot(None))))
        for student, cell, score, credit in grades:
            name = cell.removeprefix("test_")
            if score is not None:
                manual.setdefault(student, {})[name] = float(score)
            if credit:
                extra.setdefault(student, {})[name] = float(credit)
        written = (self.gradebook.db.query(SubmittedAssignment.student_id, BaseCell.name, Comment.manual_comment)
                   .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                   .join(Comment, Comment.notebook_id == SubmittedNotebook.id)
                   .join(BaseCell, Comment.cell_id == BaseCell.id)
                   .filter(SubmittedAssignment.assignment_id == self._assignment_id)
                   .filter(Comment.manual_comment.isnot(None)))
        for student, cell, text in written:
            if text.strip():
                comments.setdefault(student, {})[cell] = text
        return {student: Review(manual.get(student, {}), extra.get(student, {}), comments.get(student, {}))
                for student in set(manual) | set(extra) | set(comments)}

    def in_sync(self, result: Result, recorded: dict[str, float | None] | None) -> bool:
        """Whether the gradebook holds ``result``'s automatic scores."""
        if not recorded:
            return False
        return all(recorded.get(f"test_{name}") is not None and abs(recorded[f"test_{name}"] - entry.score) < 1e-9
                   for name, entry in result.functions.items())

    def due_dates(self) -> dict[str, str | None]:
        """{student: due date with any extension} of every submission (see :meth:`.late.LatePenalties.due`)."""
        return self.late.due(self.gradebook, self.assignment)

    @contextlib.contextmanager
    def batch(self, seconds: float = 1.0, most: int = 100) -> Iterator[None]:
        """Within: each :meth:`record` joins one transaction, committed once it holds ``most`` students or is
        ``seconds`` old (at the next record), before nbgrader's late plugin runs, and at the end. An exception
        commits nothing more: what is not committed is rolled back when the gradebook closes, and the next run
        writes it again from the results."""
        self._session.held, self._batch = True, (seconds, most)
        try:
            yield
            self.commit()
        finally:
            self._session.held = False

    def commit(self) -> None:
        """Commit what was recorded."""
        self._session.commit_now()
        self._pending = 0

    def _recorded(self) -> None:
        """One more student in the transaction: commit it unless it is held, and not yet full or old."""
        if not self._session.held:
            self.commit()
            return
        now = time.monotonic()
        self._pending, self._since = self._pending + 1, self._since if self._pending else now
        seconds, most = self._batch
        if self._pending >= most or now - self._since >= seconds:
            self.commit()

    def record(self, result: Result, timestamp: str | None = None, unflag: bool = False) -> Lateness | None:
        """Write ``result``'s automatic scores and flags, then assign the late penalty as nbgrader does; the
        lateness recorded (None without a due date). May raise :class:`~.late.PluginFailed`.

        A flag is set when the result has flags, and cleared only when ``unflag`` (the grader set it for an
        earlier submission of the student's): a flag the instructor set by hand stays."""
        from nbgrader.api import BaseCell, Grade, SubmittedNotebook

        student = result.student
        self.gradebook.update_or_create_student(student)
        with warnings.catch_warnings():
            # nbgrader's add_submission warns (SAWarning, "not in session") on every new submission, as it does
            # under nbgrader autograde; the rows are written all the same (tests/test_grading_exchange.py)
            warnings.filterwarnings("ignore", message=".*not in session.*")
            # the timestamp is updated too: formgrader shows a submission as graded only while it matches submitted/
            submission = self.gradebook.update_or_create_submission(
                self.assignment, student, **({"timestamp": timestamp} if timestamp else {}))
        scores = {f"test_{name}": entry.score for name, entry in result.functions.items()}
        for notebook in submission.notebooks:
            if result.flags or unflag:
                notebook.flagged = bool(result.flags)
        # every grade of the submission with its cell's name, in one query (grade.name would load each cell)
        for grade, name in (self.gradebook.db.query(Grade, BaseCell.name)
                            .join(BaseCell, Grade.cell_id == BaseCell.id)
                            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                            .filter(SubmittedNotebook.assignment_id == submission.id)):
            if name in scores:
                # as nbgrader's SaveAutoGrades: the automatic score only; a manual score stays (and counts), and
                # its cell is marked for review again; extra credit stays
                grade.auto_score = scores[name]
                grade.needs_manual_grade = grade.manual_score is not None
        self._session.flush()
        lateness = self.late.apply(self.gradebook, self.assignment, student, before_plugin=self.commit)
        self._recorded()
        return lateness

    def close(self) -> None:
        self.gradebook.close()
