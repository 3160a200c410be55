"""``reports/<assignment>/report.json``: every graded student, as data an instructor's scripts can read.

    {student: {"total", "max", "isolation", "flags": [text], "errors": [text],
               "functions": {name: {"score", "max", "message", "mistake", "kind", "diagnosis", "causes"}}}}

``message`` is the failure in words (in the report's language, hint included), ``mistake`` the
catalogued mistake it matched, ``kind`` what happened (:class:`~autograder.verdict.Outcome`) and
``diagnosis`` the id of its first cause (a catalogued mistake or a diagnosis), or null, and ``causes`` every
cause the class summary counts it under, in the order to fix them (a helper's failure under the helper's
cause).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import Reporting


def report_entry(reporting: Reporting, result: dict[str, Any]) -> dict[str, Any]:
    functions = {}
    for name, entry in result["functions"].items():
        verdict = reporting.verdict(entry)
        functions[name] = {
            "score": entry["score"], "max": entry["max"],
            "message": None if verdict.passed else reporting.message(verdict, hint=True),
            "mistake": verdict.mistake, "kind": verdict.outcome.value,
            "diagnosis": verdict.diagnosis.id if verdict.diagnosis else None,
            "causes": [] if verdict.passed else verdict.causes(),
        }
    return {"total": result["total"], "max": result["max"], "functions": functions,
            "flags": reporting.notes(result, "flags"), "errors": reporting.notes(result, "problems"),
            "isolation": reporting.isolation(result.get("isolation"))}


def write_report(reporting: Reporting, results: dict[str, dict[str, Any]]) -> Path:
    folder = reporting.course.reports(reporting.assignment)
    folder.mkdir(parents=True, exist_ok=True)
    report = {student: report_entry(reporting, result) for student, result in sorted(results.items())}
    path = folder / "report.json"
    path.write_text(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
