"""Grades out to a learning management system: CSV files that Canvas and Moodle import.

Two nbgrader export plugins (``nbgrader.plugins.ExportPlugin``), so that
``nbgrader export`` itself writes them::

    nbgrader export --exporter=autograder.grading.export.CanvasExportPlugin --to canvas.csv
    nbgrader export --exporter=autograder.grading.export.MoodleExportPlugin --to moodle.csv

and the same through the kit's command, ``autograder export --format canvas|moodle``.
Both read nbgrader's gradebook only, the way nbgrader's own CSV export does:
one row per student of the gradebook, one column per assignment (or those
given with ``--assignment``), holding the submission's score **after the late
penalty**, ``max(0, score - late_submission_penalty)`` (the score counts
manual grades and extra credit), and 0 for a student who did not submit, as
``nbgrader export`` writes it.

Canvas (the gradebook's "Import" of a CSV file; its header is the one Canvas
exports)::

    Student,ID,SIS User ID,SIS Login ID,Section,conv_step_by_step
        Points Possible,,,,,25
    "Lovelace, Ada",,,ada,,23.5

``Student`` is "last name, first name" from the gradebook (the student id when
it has no name); the nbgrader student id goes in the column named by
``CanvasExportPlugin.id_column`` (``SIS Login ID`` by default, or ``SIS User
ID`` or ``ID``), which Canvas matches students by; the other identity columns
stay empty. The second row gives each column's points possible (the
assignment's maximum). An assignment's column is headed by its name, or by
``CanvasExportPlugin.columns[name]`` (e.g. ``"Lab 1 (123456)"``, the name and
Canvas id of an existing assignment, which Canvas then updates instead of
making a new one).

Moodle (Grades > Import > CSV file; the user is identified by "Map from" a
column "to" a user field: username, ID number or email address)::

    Username,Email address,First name,Last name,conv_step_by_step
    ada,ada@example.org,Ada,Lovelace,23.5

the nbgrader id in ``MoodleExportPlugin.id_column`` (``Username`` by default,
or ``ID number``), then the gradebook's email and names, then one column per
assignment (map it to a grade item whose maximum is the assignment's).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Dict, Enum

from ..arguments import subcommand
from ..messages import Words
from ..course import Course

FORMATS = ("canvas", "moodle")
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS = "    Points Possible"  # as Canvas writes it: four spaces first
MOODLE_IDENTITY = ("Email address", "First name", "Last name")


def number(x: float) -> str:
    """A score as an LMS reads it: up to 4 decimals, no trailing zeros (``25``, ``23.5``)."""
    text = f"{round(float(x), 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _LmsExportPlugin(ExportPlugin):
    """One row per student, one column per assignment: the score after the late penalty."""

    columns = Dict({}, help="Column header per assignment name (default: the assignment's name).").tag(config=True)

    def _assignments(self, gradebook) -> list:
        wanted = [str(name) for name in self.assignment]
        return [a for a in gradebook.assignments if not wanted or a.name in wanted]

    def _students(self, gradebook) -> list:
        wanted = [str(name) for name in self.student]
        return [s for s in gradebook.students if not wanted or s.id in wanted]

    def scores(self, gradebook) -> tuple[list, list, dict[tuple[str, str], float]]:
        """(assignments, students, {(student, assignment): score after the late penalty})."""
        assignments, students = self._assignments(gradebook), self._students(gradebook)
        found = {}
        for assignment in assignments:
            for student in students:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    found[student.id, assignment.name] = 0.0  # did not submit: 0, as nbgrader export writes it
                else:
                    found[student.id, assignment.name] = max(0.0, submission.score -
                                                             (submission.late_submission_penalty or 0.0))
        return assignments, students, found

    def header(self, assignment) -> str:
        return str(self.columns.get(assignment.name, assignment.name))

    def destination(self, default: str) -> str:
        return self.to or default

    def export(self, gradebook) -> None:
        dest = self.destination(self.default_file)
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as handle:
            self.write(csv.writer(handle), *self.scores(gradebook))

    default_file = "grades.csv"

    def write(self, writer, assignments: list, students: list, scores: dict) -> None:
        raise NotImplementedError


class CanvasExportPlugin(_LmsExportPlugin):
    """A CSV that Canvas's gradebook imports: see :mod:`autograder.grading.export`."""

    id_column = Enum(["SIS Login ID", "SIS User ID", "ID"], default_value="SIS Login ID",
                     help="The Canvas column that holds the nbgrader student id.").tag(config=True)
    default_file = "canvas.csv"

    def write(self, writer, assignments: list, students: list, scores: dict) -> None:
        writer.writerow([*CANVAS_IDENTITY, *(self.header(a) for a in assignments)])
        writer.writerow([CANVAS_POINTS, "", "", "", "", *(number(a.max_score) for a in assignments)])
        for student in students:
            name = ", ".join(part for part in (student.last_name, student.first_name) if part) or student.id
            identity = {"Student": name, self.id_column: student.id}
            writer.writerow([identity.get(column, "") for column in CANVAS_IDENTITY] +
                            [number(scores[student.id, a.name]) for a in assignments])


class MoodleExportPlugin(_LmsExportPlugin):
    """A CSV that Moodle's grade import (CSV file) reads: see :mod:`autograder.grading.export`."""

    id_column = Enum(["Username", "ID number"], default_value="Username",
                     help="The column that holds the nbgrader student id (map it to the same user field in "
                          "Moodle's import).").tag(config=True)
    default_file = "moodle.csv"

    def write(self, writer, assignments: list, students: list, scores: dict) -> None:
        writer.writerow([self.id_column, *MOODLE_IDENTITY, *(self.header(a) for a in assignments)])
        for student in students:
            writer.writerow([student.id, student.email or "", student.first_name or "", student.last_name or ""] +
                            [number(scores[student.id, a.name]) for a in assignments])


PLUGINS = {"canvas": CanvasExportPlugin, "moodle": MoodleExportPlugin}


# -- autograder export --------------------------------------------------------------------------------------
def add_command(commands, words: Words) -> None:
    command = subcommand(commands, "export", words, help=words("export.help"),
                                   description=words("export.description"))
    command.add_argument("--format", choices=FORMATS, required=True, help=words("export.help_format"))
    command.add_argument("--to", type=Path, metavar=words("cli.metavar_file"), help=words("export.help_to"))
    command.add_argument("--course", type=Path, default=Path.cwd(), metavar=words("cli.metavar_dir"),
                         help=words("grade.help_course"))
    command.add_argument("--assignment", action="append", metavar=words("cli.metavar_assignment"),
                         help=words("export.help_assignment"))
    command.add_argument("--student", action="append", metavar=words("cli.metavar_student"),
                         help=words("export.help_student"))


def export(course: Path, format: str, to: Path | None = None, assignments: list[str] | None = None,
           students: list[str] | None = None) -> Path:
    """Write the ``format`` CSV of the course's gradebook; its path. The plugin is configured by the course's
    nbgrader configuration (e.g. ``c.CanvasExportPlugin.id_column``), as under ``nbgrader export``."""
    from nbgrader.api import Gradebook
    from sqlalchemy.engine import make_url

    from . import Refused
    from .store import shown_url

    place = Course(course)
    url = make_url(place.db_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise Refused("export.no_gradebook", url=shown_url(place.db_url))  # Gradebook() would make an empty one
    plugin: Any = PLUGINS[format](config=place.nbgrader.config)
    target = Path(to) if to else place.root / plugin.default_file
    plugin.to = str(target)
    plugin.assignment = list(assignments or [])
    plugin.student = list(students or [])
    with Gradebook(place.db_url, place.nbgrader.course_id) as gradebook:
        plugin.export(gradebook)
    return target


def run(parsed: argparse.Namespace) -> int:
    from ..settings import language as configured_language

    from . import Refused

    words = Words(configured_language(Path(parsed.course)))
    try:
        path = export(parsed.course, parsed.format, parsed.to, parsed.assignment, parsed.student)
    except Refused as refusal:
        raise SystemExit(words(refusal.key, **refusal.values)) from None
    print(words("export.written", format=parsed.format, path=path), file=sys.stderr)
    return 0
