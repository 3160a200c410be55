"""The grader writes to the gradebook the course is configured with, and nbgrader reads the grades from there.

Three gradebooks, each set the way an instructor sets it: the default
``gradebook.db`` of the course directory; an SQLite file in another folder
(``c.CourseDirectory.db_url = "sqlite:////abs/path/other.db"`` in the course's
``nbgrader_config.py``); a database on a PostgreSQL server the test starts (the
binaries of Debian's ``postgresql``, in a temporary folder, on a unix socket,
trust authentication; always stopped).

For each: the real ``nbgrader generate_assignment`` puts assignment 1 into that
gradebook, two students submit (the bundled correct example and the seed
lesson's code, which has mistakes), ``autograder grade`` grades them (in this
process, through the command's entry point), and then

- ``nbgrader export`` (nbgrader's export app, started in the course directory as
  the command starts it, in this process) writes a CSV whose score and maximum
  per student are the totals of ``reports/<assignment>/report.json``;
- formgrader shows the same: nbgrader's ``NbGraderAPI`` (what formgrader's
  handlers call), configured as a server started in the course directory, lists
  both students as autograded with those scores, and every graded cell holds the
  score the report gives its function;
- a gradebook set elsewhere leaves no ``gradebook.db`` in the course directory.

A course whose configured gradebook does not hold the assignment (none made yet,
or one holding another assignment only) is refused before any grading, with a
message naming that gradebook and the command to run, and the refused run leaves
no file behind: no gradebook made, nothing new in the course directory, nothing
written into the gradebook. A gradebook that cannot be opened (here: a
PostgreSQL database that does not exist, with a password in its address) is
refused with the reason and what to check, the password masked.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import itertools
import json
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest
from sqlalchemy.engine import make_url

from autograder.grading import cli
from autograder.course import Course
from autograder.grading.store import shown_url
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
EXAMPLES = {example.student: example for example in STEP_BY_STEP.examples(STEP_BY_STEP)}
STUDENTS = ("correct_vectorized", "seed_lesson_code")  # full marks; four functions right, four wrong
KINDS = ("default", "sqlite_elsewhere", "postgresql")
DATABASE_USER = "postgres"  # the server's superuser (initdb -U), whoever runs it
DATABASES = itertools.count()


# -- a PostgreSQL server of the test's own ------------------------------------------------------------------
def postgres_binaries() -> Path | None:
    """The folder holding Debian's initdb and pg_ctl (the newest installed), or PATH's."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class Postgres:
    """A throw-away PostgreSQL cluster in ``home``, listening only on a unix socket in ``home``."""

    def __init__(self, binaries: Path, home: Path) -> None:
        self.binaries, self.home, self.data = binaries, home, home / "data"
        self.as_root = os.geteuid() == 0  # initdb refuses root: the cluster then belongs to `postgres`

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.binaries / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.home / "server.log"
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                               f"{log.read_text() if log.exists() else ''}")

    def start(self) -> None:
        if self.as_root:
            owner = pwd.getpwnam("postgres")
            os.chown(self.home, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", DATABASE_USER, "-E", "UTF8", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.home / "server.log"), "-w", "-t", "60",
                  "-o", f"-k '{self.home}' -c listen_addresses='' -F", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        # the driver named: SQLAlchemy 2.1 takes a bare postgresql:// to mean psycopg 3
        return f"postgresql+psycopg2://{DATABASE_USER}@/{database}?host={self.home}"

    def create_database(self, name: str) -> str:
        import psycopg2

        connection = psycopg2.connect(dbname="postgres", user=DATABASE_USER, host=str(self.home))
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.url(name)


@pytest.fixture(scope="module")
def postgres():
    binaries = postgres_binaries()
    if binaries is None:
        if os.environ.get("CI"):
            pytest.fail("the gradebook tests need PostgreSQL's initdb and pg_ctl (.ci/run installs postgresql)")
        pytest.skip("needs a PostgreSQL server's binaries (apt-get install postgresql)")
    # not under pytest's tmp_path: its folders are root's only, and the server may run as `postgres`
    server = Postgres(binaries, Path(tempfile.mkdtemp(prefix="gradebook-pg-")))
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(server.home, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def alembic_head_asked_once():
    """nbgrader stamps each new gradebook with the output of `alembic heads`, a subprocess of seconds: ask it
    once for the module (the same answer for every gradebook)."""
    import nbgrader.api

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nbgrader.api, "get_alembic_version", functools.cache(nbgrader.api.get_alembic_version))
        yield


# -- a course on each gradebook ---------------------------------------------------------------------------
def gradebook_url(kind: str, request, tmp_path: Path) -> str:
    """Where the course at ``tmp_path / 'course'`` keeps its gradebook, for ``kind``; an empty PostgreSQL
    database is made for the test."""
    if kind == "default":
        return f"sqlite:///{tmp_path / 'course' / 'gradebook.db'}"
    if kind == "sqlite_elsewhere":
        (tmp_path / "elsewhere").mkdir()
        return f"sqlite:///{tmp_path / 'elsewhere' / 'other.db'}"
    server = request.getfixturevalue("postgres")
    return server.create_database(f"gradebook_{next(DATABASES)}")  # one for each test


def configured_course(tmp_path: Path, kind: str, url: str) -> Path:
    """A fresh course directory of assignment 1 whose nbgrader_config.py sets ``url`` (except by default)."""
    root = course.new_course(tmp_path / "course", STEP_BY_STEP)
    if kind != "default":
        with open(root / "nbgrader_config.py", "a") as config:
            config.write(f"\n# the gradebook, somewhere else\nc.CourseDirectory.db_url = {url!r}\n")
    assert Course(root).db_url == url
    return root


def grade(root: Path) -> int:
    return cli.main(["grade", ASSIGNMENT, "--course", str(root), "--kit", str(reference.REPO),
                     "--workers", "2", "--no-progress"])


def nbgrader_export(root: Path, csv_file: Path) -> None:
    """``nbgrader export --to CSV_FILE`` run in ``root``: nbgrader's export app, started as the ``nbgrader``
    command starts it, in this process (the command's seconds of start-up, saved)."""
    from nbgrader.apps.exportapp import ExportApp

    with contextlib.chdir(root):
        app = ExportApp()
        app.initialize(["--to", str(csv_file)])
        app.start()


@contextlib.contextmanager
def formgrader_api(root: Path):
    """nbgrader's API as formgrader makes it for a server started in the course directory: nbgrader's own
    config loading there (this kit's config sets the course root to '.')."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.coursedir import CourseDirectory

    with contextlib.chdir(root):
        app = NbGrader()
        app.load_config_file()
        yield NbGraderAPI(coursedir=CourseDirectory(config=app.config), config=app.config)


def contents(gradebook) -> dict[str, list[str]]:
    from nbgrader.api import Course as CourseRow

    return {"courses": sorted(row.id for row in gradebook.db.query(CourseRow)),
            "assignments": [assignment.name for assignment in gradebook.assignments],
            "students": [student.id for student in gradebook.students],
            "submissions": [f"{s.student.id}/{s.assignment.name}" for a in gradebook.assignments
                            for s in a.submissions]}


def files(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


# -- the tests -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_the_grades_land_in_the_configured_gradebook_for_export_and_formgrader(kind, request, tmp_path, capsys):
    url = gradebook_url(kind, request, tmp_path)
    root = configured_course(tmp_path, kind, url)
    release = course.generate_release(root, STEP_BY_STEP) / f"{ASSIGNMENT}.ipynb"
    for student in STUDENTS:
        course.submit(root, student, course.fill_notebook(release, dict(EXAMPLES[student].cells)), STEP_BY_STEP)

    assert grade(root) == 0, capsys.readouterr().err
    report = json.loads((root / "reports" / ASSIGNMENT / "report.json").read_text())["students"]
    totals = {student: (entry["total"], entry["max"]) for student, entry in report.items()}
    assert set(totals) == set(STUDENTS)
    for student in STUDENTS:  # the grades are the grader's, not a default
        full = {name for name, entry in report[student]["functions"].items() if entry["score"] == entry["max"]}
        assert full == set(EXAMPLES[student].full_marks), student
    assert totals["correct_vectorized"][0] == totals["correct_vectorized"][1] > totals["seed_lesson_code"][0] > 0

    # nbgrader export, run in the course directory: it finds the gradebook by itself
    csv_file = tmp_path / "grades.csv"
    nbgrader_export(root, csv_file)
    with open(csv_file, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT]
    assert {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in rows} == totals

    # formgrader: its list of submissions, each submission, and each graded cell
    with formgrader_api(root) as api:
        listed = api.get_submissions(ASSIGNMENT)
        assert {entry["student"]: (entry["score"], entry["max_score"]) for entry in listed} == totals
        assert all(entry["autograded"] and not entry["needs_manual_grade"] for entry in listed), listed
        for student, (total, maximum) in totals.items():
            shown = api.get_submission(ASSIGNMENT, student)
            assert (shown["score"], shown["max_score"], shown["autograded"]) == (total, maximum, True)
        with api.gradebook as gradebook:
            assert gradebook.engine.url == make_url(url)
            for student in STUDENTS:
                notebooks = gradebook.find_submission(ASSIGNMENT, student).notebooks
                cells = {grade.name: grade.score for notebook in notebooks for grade in notebook.grades}
                functions = report[student]["functions"]
                assert cells == {f"test_{name}": entry["score"] for name, entry in functions.items()}, student

    if kind != "default":
        assert not (root / "gradebook.db").exists()
        assert not list(root.rglob("*.db"))
    if kind == "sqlite_elsewhere":
        assert (tmp_path / "elsewhere" / "other.db").exists()


def submitted_course(tmp_path: Path, kind: str, url: str) -> Path:
    """A course with one submission (the instructor's notebook) and no `nbgrader generate_assignment` run."""
    root = configured_course(tmp_path, kind, url)
    course.submit(root, "learner", nbformat.read(STEP_BY_STEP.notebook, as_version=4), STEP_BY_STEP)
    return root


def refused(root: Path) -> str:
    with pytest.raises(SystemExit) as stopped:
        grade(root)
    return str(stopped.value)


@pytest.mark.parametrize("kind", ("default", "sqlite_elsewhere"))
def test_a_course_without_its_gradebook_is_refused_and_none_is_made(kind, request, tmp_path):
    url = gradebook_url(kind, request, tmp_path)
    root = submitted_course(tmp_path, kind, url)
    before = files(tmp_path)

    message = refused(root)

    assert shown_url(url) in message and f"nbgrader generate_assignment {ASSIGNMENT}" in message, message
    assert files(tmp_path) == before
    assert not Path(url.removeprefix("sqlite:///")).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_gradebook_without_the_assignment_is_refused_and_left_as_it_was(kind, request, tmp_path):
    from nbgrader.api import Gradebook

    url = gradebook_url(kind, request, tmp_path)
    root = submitted_course(tmp_path, kind, url)
    with Gradebook(url) as gradebook:  # in use for another assignment only
        gradebook.add_assignment("another_assignment")
        gradebook.add_student("someone")
        before = contents(gradebook), files(tmp_path)

    message = refused(root)

    assert shown_url(url) in message and f"nbgrader generate_assignment {ASSIGNMENT}" in message, message
    with Gradebook(url) as gradebook:
        assert (contents(gradebook), files(tmp_path)) == before


def test_a_gradebook_that_cannot_be_opened_is_refused_with_the_reason_and_no_password(postgres, tmp_path):
    url = postgres.url("no_such_database").replace(f"{DATABASE_USER}@", f"{DATABASE_USER}:s3cret-word@")
    root = submitted_course(tmp_path, "postgresql", url)

    message = refused(root)

    assert "no_such_database" in message and "does not exist" in message, message
    assert "c.CourseDirectory.db_url" in message and "s3cret-word" not in message and "***" in message
