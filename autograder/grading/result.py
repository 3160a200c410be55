"""One student's result, as typed data: what :func:`~autograder.grading.runner.grade` returns.

The store keeps it (``.autograder/results/<assignment>/<student>.json``, the
JSON of :meth:`Result.to_json`), and the gradebook, the feedback, report.json
and the class summary are all written from it::

    Result(student="alice",
           functions={"zero_pad": Scored(score=2.0, max=2.0, verdict=Verdict(...),
                                         cases={"visible:lesson": True, "hidden:pad0": True, ...}), ...},
           flags=(Note, ...), problems=(Note, ...), isolation=Isolation(...), output="...", output_bytes=12,
           seconds=0.4,
           submitted_at="2024-03-01 12:00:00 UTC",   # the submission's timestamp.txt
           plan=Fingerprint(...),                    # what it was graded against (.fingerprint)
           late=Lateness(...),                       # after a due date: how late, and the penalty (.late)
           regrade=Regrade(...),                     # after a regrade: the grade before, and what changed
           review=Review(...))                       # what the instructor set in formgrader

A grader that fails on one submission (a worker died) gives a :class:`Failure`,
never a result: it is reported, not scored. Results stored by an older kit (a
plain dict with the same keys, and no ``plan``) read the same way.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..verdict import Note, Verdict
from .fingerprint import Change, Fingerprint
from .sandbox import Isolation

SAME = 1e-9  # two scores closer than this are the same grade


@dataclass(frozen=True)
class Scored:
    """One graded cell of one submission: its score, its verdict, and which of its cases passed."""

    score: float
    max: float
    verdict: Verdict
    cases: Mapping[str, bool] = field(default_factory=dict)  # case_key -> passed; empty when nothing ran

    @property
    def full(self) -> bool:
        return self.score >= self.max - SAME

    def to_json(self) -> dict:
        return {"score": self.score, "max": self.max, "verdict": self.verdict.to_json(), "cases": dict(self.cases)}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Scored":
        return Scored(float(data["score"]), float(data["max"]), Verdict.from_json(data["verdict"]),
                      {str(k): bool(v) for k, v in (data.get("cases") or {}).items()})


@dataclass(frozen=True)
class Lateness:
    """How late a submission was, and the penalty nbgrader's late-submission plugin gave it (in the gradebook).

    ``due`` is the student's due date with any extension, ``extension_seconds`` that extension (0 without),
    both as nbgrader records them (UTC); ``score`` the submission's score in the gradebook when the penalty
    was assigned (manual grades and extra credit included), ``penalty`` the points taken off it (0 for none),
    ``plugin`` the plugin class that decided it (``AssignLatePenalties.plugin_class``). ``nbgrader export``
    shows ``score - penalty`` (at least 0) as the score."""

    due: str
    extension_seconds: float
    seconds_late: float
    score: float
    penalty: float
    plugin: str

    @property
    def late(self) -> bool:
        return self.seconds_late > 0

    @property
    def after_penalty(self) -> float:
        return max(0.0, self.score - self.penalty)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Lateness":
        return Lateness(str(data["due"]), float(data["extension_seconds"]), float(data["seconds_late"]),
                        float(data["score"]), float(data["penalty"]), str(data["plugin"]))


@dataclass(frozen=True)
class FunctionChange:
    """A graded function whose score or feedback a regrade changed."""

    function: str
    before: float
    after: float
    max: float
    feedback_changed: bool  # its message or hint is not the one shown before

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "FunctionChange":
        return FunctionChange(str(data["function"]), float(data["before"]), float(data["after"]),
                              float(data["max"]), bool(data["feedback_changed"]))


@dataclass(frozen=True)
class Regrade:
    """A result graded again against a changed plan (or by ``--force``): the grade before, and why."""

    at: str  # when, ISO 8601 UTC
    before: float  # the total before
    after: float
    max: float
    why: tuple[Change, ...]
    functions: tuple[FunctionChange, ...]  # those whose score or feedback changed, in the lesson's order

    @property
    def grade_changed(self) -> bool:
        return abs(self.after - self.before) > SAME

    @property
    def anything_changed(self) -> bool:
        return self.grade_changed or bool(self.functions)

    def to_json(self) -> dict:
        return {"at": self.at, "before": self.before, "after": self.after, "max": self.max,
                "why": [change.to_json() for change in self.why],
                "functions": [change.to_json() for change in self.functions]}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Regrade":
        return Regrade(str(data["at"]), float(data["before"]), float(data["after"]), float(data["max"]),
                       tuple(Change.from_json(c) for c in data["why"]),
                       tuple(FunctionChange.from_json(f) for f in data["functions"]))


@dataclass(frozen=True)
class Review:
    """What the instructor set by hand in formgrader, as the gradebook holds it (read again on every run):
    manual scores and extra credit by graded function, comments by cell (grade id)."""

    manual: Mapping[str, float] = field(default_factory=dict)
    extra: Mapping[str, float] = field(default_factory=dict)
    comments: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.manual or self.extra or self.comments)

    def score(self, function: str, automatic: float) -> float:
        """The function's score in the gradebook: the manual score if there is one, else the automatic one,
        plus extra credit (nbgrader's ``Grade.score``)."""
        return self.manual.get(function, automatic) + self.extra.get(function, 0.0)

    def to_json(self) -> dict:
        return {"manual": dict(self.manual), "extra": dict(self.extra), "comments": dict(self.comments)}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Review":
        return Review({str(k): float(v) for k, v in (data.get("manual") or {}).items()},
                      {str(k): float(v) for k, v in (data.get("extra") or {}).items()},
                      {str(k): str(v) for k, v in (data.get("comments") or {}).items()})


def _isolation(data: Mapping[str, Any] | None) -> Isolation | None:
    if not data:
        return None
    known = {f.name for f in dataclasses.fields(Isolation)}
    return Isolation(**{k: bool(v) for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Result:
    student: str
    functions: Mapping[str, Scored]  # in the notebook's order
    flags: tuple[Note, ...] = ()  # for the instructor (edited locked cells, ...)
    problems: tuple[Note, ...] = ()  # shown to the learner too (a cell that failed, a notebook not readable, ...)
    isolation: Isolation | None = None  # None: nothing ran (the notebook could not be read)
    output: str = ""  # what the notebook printed, capped
    output_bytes: int = 0
    seconds: float = 0.0
    submitted_at: str | None = None  # the submission's timestamp.txt, as written
    plan: Fingerprint | None = None
    late: Lateness | None = None
    regrade: Regrade | None = None
    review: Review | None = None

    @property
    def total(self) -> float:
        return sum(entry.score for entry in self.functions.values())

    @property
    def reviewed_total(self) -> float:
        """The total with the instructor's manual scores and extra credit, as the gradebook counts it."""
        review = self.review or Review()
        return sum(review.score(name, entry.score) for name, entry in self.functions.items())

    @property
    def max(self) -> float:
        return sum(entry.max for entry in self.functions.values())

    @property
    def penalty(self) -> float:
        return self.late.penalty if self.late else 0.0

    def verdicts(self) -> dict[str, Verdict]:
        return {name: entry.verdict for name, entry in self.functions.items()}

    def replace(self, **changes: Any) -> "Result":
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict:
        return {
            "student": self.student,
            "functions": {name: entry.to_json() for name, entry in self.functions.items()},
            "total": self.total, "max": self.max,
            "flags": [note.to_json() for note in self.flags],
            "problems": [note.to_json() for note in self.problems],
            "isolation": self.isolation.to_json() if self.isolation else None,
            "output": self.output, "output_bytes": self.output_bytes, "seconds": self.seconds,
            "submitted_at": self.submitted_at,
            "plan": self.plan.to_json() if self.plan else None,
            "late": self.late.to_json() if self.late else None,
            "regrade": self.regrade.to_json() if self.regrade else None,
            "review": self.review.to_json() if self.review else None,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Result":
        return Result(
            student=str(data["student"]),
            functions={name: Scored.from_json(entry) for name, entry in data["functions"].items()},
            flags=tuple(Note.from_json(note) for note in data.get("flags") or ()),
            problems=tuple(Note.from_json(note) for note in data.get("problems") or ()),
            isolation=_isolation(data.get("isolation")),
            output=str(data.get("output") or ""), output_bytes=int(data.get("output_bytes") or 0),
            seconds=float(data.get("seconds") or 0.0), submitted_at=data.get("submitted_at"),
            plan=Fingerprint.from_json(data["plan"]) if data.get("plan") else None,
            late=Lateness.from_json(data["late"]) if data.get("late") else None,
            regrade=Regrade.from_json(data["regrade"]) if data.get("regrade") else None,
            review=Review.from_json(data["review"]) if data.get("review") else None,
        )


@dataclass(frozen=True)
class Failure:
    """The grader failed on a submission (not the submission's doing): reported, never scored.

    ``key`` and ``values`` name the reason in the catalogue; without a key, ``text`` is the error."""

    student: str
    key: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""
