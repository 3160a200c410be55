"""Feedback for each student (Markdown and HTML), the class summary and report.json, from results only.

Everything here is made from the grader's results (per graded cell a score
and a :class:`~autograder.verdict.Verdict`, per notebook its flags and
problems as :class:`~autograder.verdict.Note`), never from the notebooks, and
rendered in one language (:class:`Reporting`). A student's feedback shows
their score per function, the failure message and the hint of each function
that lost marks, and the problems with their notebook; it never holds the
hidden tests' code or their inputs and expected arrays, only what the failure
message itself states (the failing case's shapes, and at most one expected
entry beside the learner's own). Flags are for the instructor and appear in
the class summary only. What a learner controls is bounded (the number of
notes, the length of a text: :mod:`..bounds`) and inert on every page
(:mod:`.document`).

Files, in the course directory (paths from :class:`~autograder.course.Course`):

- ``feedback/<student>/<assignment>/<assignment>.html`` and ``.md`` (:mod:`.feedback`);
- ``autograded/<student>/<assignment>/``: a plain copy of the submission folder, which
  formgrader needs to count a submission as autograded (:mod:`.feedback`);
- ``reports/<assignment>/summary.md`` and ``summary.html``: the class summary (:mod:`.summary`);
- ``reports/<assignment>/report.json`` (:mod:`.report`).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ...render import Renderer
from ...verdict import Note, Verdict
from ..bounds import MAX_MESSAGE, bounded_notes, cut
from ...course import Course
from ..fingerprint import Change
from ..result import Result
from ..sandbox import Isolation


@dataclass
class Reporting:
    """What every report of one assignment is written with: the course, the words, the lesson's order."""

    course: Course
    assignment: str
    renderer: Renderer
    order: list[str] = field(default_factory=list)

    @staticmethod
    def of(course: Course, assignment: str, language: str, hints: Mapping[str, Mapping[str, str]]) -> "Reporting":
        return Reporting(course, assignment, Renderer(language, hints), lesson_order(course, assignment))

    @property
    def say(self):
        return self.renderer.say

    def ordered(self, names) -> list[str]:
        names = list(names)
        return [name for name in self.order if name in names] + [name for name in names if name not in self.order]

    def notes(self, notes: tuple[Note, ...]) -> list[str]:
        """Notes in words, bounded (:mod:`..bounds`): also those of a result stored by an older grader."""
        return [self.renderer.note(note) for note in bounded_notes(notes)]

    def message(self, verdict: Verdict, hint: bool = False) -> str:
        """A failed function's message (with its hint if ``hint``), bounded (:data:`..bounds.MAX_MESSAGE`)."""
        return cut(self.renderer.text(verdict) if hint else self.renderer.message(verdict), MAX_MESSAGE)

    def flags(self, result: Result) -> list[str]:
        return self.notes(result.flags)

    def problems(self, result: Result) -> list[str]:
        return self.notes(result.problems)

    def isolation(self, isolation: Isolation | None) -> str:
        """The protections a submission ran under, in words."""
        if not isolation:
            return self.say("summary.nothing_ran")
        parts = [self.say("isolation.bubblewrap" if isolation.bubblewrap else "isolation.process")]
        parts.append(self.say("isolation.own_user" if isolation.own_user else "isolation.no_own_user"))
        parts.append(self.say("isolation.ipc" if isolation.ipc_namespace else "isolation.no_ipc"))
        parts.append(self.say("isolation.watchdog"))
        return "; ".join(parts)

    # -- deadlines and regrades, in words -----------------------------------------------------------------
    def duration(self, seconds: float) -> str:
        """``1 day 3 hours``, ``2 hours 5 minutes``, ``40 seconds``: the two largest units."""
        seconds = max(0, int(round(seconds)))
        units = [("day", seconds // 86400), ("hour", seconds % 86400 // 3600), ("minute", seconds % 3600 // 60),
                 ("second", seconds % 60)]
        shown = [(unit, n) for unit, n in units if n][:2] or [("second", 0)]
        return self.say("duration.join").join(
            self.say(f"duration.{unit}_one" if n == 1 else f"duration.{unit}_many", n=n) for unit, n in shown)

    def why(self, changes: tuple[Change, ...]) -> str:
        """Why a result was graded again, in words: one phrase per change."""
        phrases = []
        for change in changes:
            phrase = self.say(f"why.{change.part}", function=change.function or "")
            if phrase not in phrases:
                phrases.append(phrase)
        return self.say("why.separator").join(phrases)


def lesson_order(course: Course, assignment: str) -> list[str]:
    """Graded cells in the order of the source notebook's test cells (results files sort them by name)."""
    source = course.source_notebook(assignment)
    try:
        return list(_test_cell_order(str(source), source.stat().st_mtime_ns))
    except (OSError, ValueError, KeyError, TypeError):
        return []


@functools.lru_cache(maxsize=8)
def _test_cell_order(source: str, modified: int) -> tuple[str, ...]:
    cells = json.loads(Path(source).read_text())["cells"]
    order = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and str(meta.get("grade_id", "")).startswith("test_"):
            order.append(meta["grade_id"].removeprefix("test_"))
    return tuple(order)
