"""Feedback for each student (Markdown and HTML) and a class summary for the instructor.

Feedback gives the score per function and the hint for each failure, never the
hidden tests' code. The summary gives, per function, how many students got it
right, and how many made each catalogued mistake, so an instructor knows what
to teach again.
"""
from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import Any


def student_markdown(assignment: str, result: dict[str, Any]) -> str:
    lines = [f"# {assignment}: feedback for {result['student']}", "",
             f"Score: **{result['total']:g} / {result['max']:g}**", "",
             "| function | score |", "| --- | --- |"]
    for name, entry in result["functions"].items():
        lines.append(f"| `{name}` | {entry['score']:g} / {entry['max']:g} |")
    for name, entry in result["functions"].items():
        if entry["message"]:
            lines += ["", f"## `{name}`", "", "```", entry["message"], "```"]
    if result["errors"]:
        lines += ["", "## Problems with the notebook", ""] + [f"- {error}" for error in result["errors"]]
    return "\n".join(lines) + "\n"


def student_html(assignment: str, result: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td><code>{html.escape(name)}</code></td><td>{entry['score']:g} / {entry['max']:g}</td></tr>"
                   for name, entry in result["functions"].items())
    failures = "".join(f"<h2><code>{html.escape(name)}</code></h2><pre>{html.escape(entry['message'])}</pre>"
                       for name, entry in result["functions"].items() if entry["message"])
    errors = "".join(f"<li>{html.escape(error)}</li>" for error in result["errors"])
    title = html.escape(f"{assignment}: feedback for {result['student']}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h1>{title}</h1><p>Score: <b>{result['total']:g} / {result['max']:g}</b></p>"
            f"<table border='1' cellpadding='4'><tr><th>function</th><th>score</th></tr>{rows}</table>"
            f"{failures}{'<h2>Problems with the notebook</h2><ul>' + errors + '</ul>' if errors else ''}"
            "</body></html>\n")


def write_student_feedback(course: Path, assignment: str, result: dict[str, Any]) -> Path:
    """``feedback/<student>/<assignment>/<assignment>.html`` (where nbgrader looks) and ``.md``."""
    folder = course / "feedback" / result["student"] / assignment
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{assignment}.md").write_text(student_markdown(assignment, result))
    path = folder / f"{assignment}.html"
    path.write_text(student_html(assignment, result))
    return path


def class_summary(assignment: str, results: dict[str, dict[str, Any]]) -> str:
    """Markdown: score distribution per function and how often each known mistake was made."""
    count = len(results)
    lines = [f"# {assignment}: class summary ({count} students)", "",
             "| function | full marks | zero | most common mistake |", "| --- | --- | --- | --- |"]
    functions = next(iter(results.values()))["functions"] if results else {}
    for name in functions:
        entries = [r["functions"][name] for r in results.values()]
        full = sum(e["score"] == e["max"] for e in entries)
        mistakes = Counter(e["mistake"] for e in entries if e.get("mistake"))
        common = ", ".join(f"{m} ({n})" for m, n in mistakes.most_common(2)) or "-"
        lines.append(f"| `{name}` | {full} | {count - full} | {common} |")
    totals = Counter(r["total"] for r in results.values())
    lines += ["", "## Totals", "", "| total | students |", "| --- | --- |"]
    lines += [f"| {total:g} | {n} |" for total, n in sorted(totals.items(), reverse=True)]
    mistakes = Counter(m for r in results.values()
                       for m in {e["mistake"] for e in r["functions"].values() if e.get("mistake")})
    lines += ["", "## Known mistakes made", "", "| mistake | students |", "| --- | --- |"]
    lines += [f"| {m} | {n} |" for m, n in mistakes.most_common()] or ["| none | 0 |"]
    return "\n".join(lines) + "\n"


def write_class_summary(course: Path, assignment: str, results: dict[str, dict[str, Any]]) -> Path:
    folder = course / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "summary.md"
    path.write_text(class_summary(assignment, results))
    return path
