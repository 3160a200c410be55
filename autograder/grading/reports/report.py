"""``reports/<assignment>/report.json``: the class's results, as data an instructor's scripts can read.

    {"format": 2, "assignment": NAME,
     "students": {student: {"total", "max", "isolation", "flags": [text], "errors": [text],
                            "functions": {name: {"score", "max", "message", "mistake", "kind", "diagnosis",
                                                  "causes"}},
                            "late": null | {"due", "extension_seconds", "seconds_late", "score", "penalty",
                                            "after_penalty", "plugin"},
                            "regrade": null | {"at", "before", "after", "max", "grade_changed", "why": [...],
                                               "why_text", "functions": [{"function", "before", "after", "max",
                                                                          "feedback_changed"}]},
                            "review": null | {"manual": {name: score}, "extra": {name: credit},
                                              "comments": {cell: text}, "total"}}},
     "items": {...}}   # the class's item analysis (reports.items)

``message`` is the failure in words (in the report's language, hint included), ``mistake`` the
catalogued mistake it matched, ``kind`` what happened (:class:`~autograder.verdict.Outcome`) and
``diagnosis`` the id of its first cause (a catalogued mistake or a diagnosis), or null, and ``causes``
every cause the class summary counts it under, in the order to fix them (a helper's failure under the
helper's cause). ``total`` is the
automatic score; ``late`` what nbgrader's late-submission plugin decided (``after_penalty`` is the score
``nbgrader export`` shows: the gradebook's score, manual grades included, less the penalty); ``regrade``
the last time the result was graded again after the plan changed (or by ``--force``): the total before,
and each function whose score or feedback changed; ``review`` what the instructor set in formgrader (its
``total`` counts manual scores and extra credit, as the gradebook does).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from ..result import Result
from . import Reporting

FORMAT = 2


def report_entry(reporting: Reporting, result: Result) -> dict[str, Any]:
    functions = {}
    for name, entry in result.functions.items():
        verdict = entry.verdict
        functions[name] = {
            "score": entry.score, "max": entry.max,
            "message": None if verdict.passed else reporting.message(verdict, hint=True),
            "mistake": verdict.mistake, "kind": verdict.outcome.value,
            "diagnosis": verdict.diagnosis.id if verdict.diagnosis else None,
            "causes": [] if verdict.passed else verdict.causes(),
        }
    late = result.late
    regrade = result.regrade
    return {"total": result.total, "max": result.max, "functions": functions,
            "flags": reporting.flags(result), "errors": reporting.problems(result),
            "isolation": reporting.isolation(result.isolation),
            "late": {**late.to_json(), "after_penalty": late.after_penalty} if late else None,
            "regrade": {**regrade.to_json(), "grade_changed": regrade.grade_changed,
                        "why_text": reporting.why(regrade.why)} if regrade else None,
            "review": {**result.review.to_json(), "total": result.reviewed_total} if result.review else None}


def write_report(reporting: Reporting, results: Mapping[str, Result],
                 items: Mapping[str, Any] | None = None) -> Path:
    folder = reporting.course.reports(reporting.assignment)
    folder.mkdir(parents=True, exist_ok=True)
    report = {"format": FORMAT, "assignment": reporting.assignment,
              "students": {student: report_entry(reporting, result) for student, result in sorted(results.items())},
              "items": dict(items or {})}
    path = folder / "report.json"
    path.write_text(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
