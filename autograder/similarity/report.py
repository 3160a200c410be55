"""``reports/<assignment>/similarity.json`` and ``similarity.html``, and the class summary's line about them.

The JSON holds the data (scores in 0..1, ids, matched line numbers); the
HTML, one self-contained file (no script, no outside resource), shows:
the notice that similarity is a reason to look and not proof of copying,
the method, pairs ranked overall and per function, matches with known
solutions, clusters, and for the best pairs the two functions side by side
with the matching lines marked, one colour per matching region. Every text
a person reads comes from :mod:`.words`; everything from a submission (ids,
code) is escaped.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ..files import write_atomically
from ..course import Course
from .compare import KNOWN, STUDENT, Comparison, Entry, Pair
from .entries import Skipped
from .fingerprint import KGRAM, WINDOW, fingerprints
from .words import percent, say

GENERATED_BY = "autograder similarity (autograder/similarity), from submitted/ and release/; do not edit"
REFERENCE = ("S. Schleimer, D. S. Wilkerson, A. Aiken. Winnowing: local algorithms for document fingerprinting. "
             "Proceedings of SIGMOD 2003, pp. 76-85.")
EXCERPT_PAIRS = 40  # pairs (and known matches) shown side by side in the HTML
TABLE_ROWS = 200  # rows of each ranked table in the HTML
COLOURS = ("#ffe08a", "#a8e6a1", "#9fd3ff", "#f7b2d9", "#d5c4ff", "#ffc49b")


# -- matched regions ---------------------------------------------------------------------------------
def matched_lines(source_a: str, source_b: str, base: frozenset[int],
                  ignored: frozenset[int]) -> tuple[dict[int, int], dict[int, int]]:
    """({line of a: region}, {line of b: region}): lines (1-based) holding shared fingerprints.

    Shared fingerprints are grouped into regions by their order in ``a``: fingerprints closer than a k-gram
    apart are one region; both sides mark a region's lines with the same number.
    """
    print_a, print_b = fingerprints(source_a, base), fingerprints(source_b, base)
    shared = (print_a.hashes & print_b.hashes) - ignored
    ordered = sorted(shared, key=lambda value: print_a.positions[value][0])
    lines_a: dict[int, int] = {}
    lines_b: dict[int, int] = {}
    region, last = -1, None
    for value in ordered:
        position = print_a.positions[value][0]
        if last is None or position - last > KGRAM:
            region += 1
        last = position
        for line in sorted(print_a.lines({value})[value]):
            lines_a.setdefault(line, region)
        for line in sorted(print_b.lines({value})[value]):
            lines_b.setdefault(line, region)
    return lines_a, lines_b


def _ranges(lines: dict[int, int]) -> list[list[int]]:
    """Sorted line numbers as [first, last] runs."""
    runs: list[list[int]] = []
    for line in sorted(lines):
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    return runs


def _regions(pair: Pair, a: Entry, b: Entry, bases: dict[str, frozenset[int]],
             common: dict[str, frozenset[int]]) -> dict[str, tuple[dict[int, int], dict[int, int]]]:
    """{function: matched lines of each side} for the functions both sides hold."""
    out = {}
    for name in pair.functions:
        if name in a.sources and name in b.sources:
            try:
                out[name] = matched_lines(a.sources[name], b.sources[name], bases.get(name, frozenset()),
                                          common.get(name, frozenset()))
            except Exception:  # it was fingerprinted once already; never let the report fail on one pair
                continue
    return out


def _by_id(entries: list[Entry]) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """({id: student entry}, {id: known entry}): a student and a known file may share a name."""
    return ({entry.id: entry for entry in entries if entry.kind == STUDENT},
            {entry.id: entry for entry in entries if entry.kind == KNOWN})


# -- JSON -----------------------------------------------------------------------------------------------
def _round(score: float | None) -> float | None:
    return None if score is None else round(score, 4)


def _pair_data(pair: Pair, regions: dict | None = None, known: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {("student" if known else "a"): pair.a, ("known" if known else "b"): pair.b,
                            "overall": _round(pair.overall),
                            "functions": {name: _round(score) for name, score in pair.functions.items()},
                            "shared_fingerprints": pair.shared}
    if regions is not None:
        data["matched_lines"] = {name: {"a": _ranges(sides[0]), "b": _ranges(sides[1])}
                                 for name, sides in regions.items()}
    return data


def _reason(language: str, reason: str, detail: dict[str, Any]) -> str:
    try:
        return say(language, f"reason_{reason}", **detail)
    except (KeyError, IndexError):
        return reason


def report_data(assignment: str, comparison: Comparison, skipped: list[Skipped], entries: list[Entry],
                regions: dict[tuple[str, str], dict], language: str) -> dict[str, Any]:
    """The JSON report as a dict (see the module's docstring)."""
    return {
        "generated_by": GENERATED_BY,
        "assignment": assignment,
        "language": language,
        "notice": say(language, "notice"),
        "method": {"name": "winnowing of normalized token streams", "reference": REFERENCE, "kgram": KGRAM,
                   "window": WINDOW, "score": "2 * shared / (fingerprints of a + fingerprints of b)",
                   "base_code": "release", "common_limit": comparison.common_limit},
        "threshold": comparison.threshold,
        "functions": comparison.functions,
        "students": len(comparison.students),
        "known_solutions": comparison.known,
        "pairs_total": comparison.pairs_total,
        "pairs": [_pair_data(pair, regions.get(("pair", pair.a, pair.b))) for pair in comparison.pairs],
        "function_pairs_total": comparison.function_pairs_total,
        "function_pairs": {name: [{"a": pair.a, "b": pair.b, "score": _round(pair.functions[name])}
                                  for pair in pairs] for name, pairs in comparison.function_pairs.items()},
        "known_matches_total": comparison.known_matches_total,
        "known_matches": [_pair_data(pair, regions.get(("known", pair.a, pair.b)), known=True)
                          for pair in comparison.known_matches],
        "clusters": [{"students": cluster.students, "size": len(cluster.students), "known": cluster.known,
                      "mean_overall": _round(cluster.mean_overall),
                      "functions": {name: _round(score) for name, score in cluster.functions.items()}}
                     for cluster in comparison.clusters],
        "skipped": [{"id": item.id, "kind": item.kind, "reason": item.reason, "detail": item.detail,
                     "message": _reason(language, item.reason, item.detail)} for item in skipped],
        "notes": [{"id": entry.id, "reason": reason, "detail": detail, "message": _reason(language, reason, detail)}
                  for entry in entries for reason, detail in entry.notes],
    }


# -- HTML -----------------------------------------------------------------------------------------------
_STYLE = ("body{font-family:system-ui,sans-serif;max-width:90em;margin:2em auto;padding:0 1em;color:#222}"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
          "text-align:left;vertical-align:top}th{background:#eee}.notice{background:#fff6d6;"
          "border-left:4px solid #e0b000;padding:.6em .9em;font-weight:600}.side{table-layout:fixed;width:100%}"
          ".side td{width:50%;padding:0}pre{margin:0;padding:.5em;background:#f8f8f8;white-space:pre-wrap;"
          "font-size:.85em}pre span.n{color:#999;user-select:none}mark{display:inline-block;width:100%}"
          "details{margin:.6em 0}summary{cursor:pointer;font-weight:600}"
          + "".join(f"mark.r{i}{{background:{colour}}}" for i, colour in enumerate(COLOURS)))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _code(source: str, marks: dict[int, int]) -> str:
    rows = []
    width = len(str(source.count("\n") + 1))
    for number, line in enumerate(source.split("\n"), start=1):
        text = f"<span class='n'>{number:>{width}}</span> {_e(line)}"
        if number in marks:
            text = f"<mark class='r{marks[number] % len(COLOURS)}'>{text}</mark>"
        rows.append(text)
    return "<pre>" + "\n".join(rows) + "</pre>"


def _table(header: list[str], rows: list[list[str]]) -> str:
    """``rows`` hold HTML already escaped."""
    return ("<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows) + "</table>")


def _side_by_side(language: str, pair: Pair, anchor: str, a: Entry, b: Entry, regions: dict,
                  is_open: bool) -> str:
    title = say(language, "pair", a=pair.a, b=pair.b, overall=percent(pair.overall))
    parts = [f"<details id='{anchor}'{' open' if is_open else ''}><summary>{_e(title)}</summary>",
             f"<p>{_e(say(language, 'legend'))}</p>"]
    for name in pair.ranked() + [name for name, score in pair.functions.items() if score is None]:
        score = pair.functions[name]
        if name not in a.sources or name not in b.sources:
            continue
        heading = (say(language, "not_comparable", function=name) if score is None
                   else say(language, "function_score", function=name, score=percent(score)))
        marks_a, marks_b = regions.get(name, ({}, {}))
        parts.append(f"<h4>{_e(heading)}</h4>"
                     f"<table class='side'><tr><th>{_e(pair.a)}</th><th>{_e(pair.b)}</th></tr><tr>"
                     f"<td>{_code(a.sources[name], marks_a)}</td><td>{_code(b.sources[name], marks_b)}</td>"
                     "</tr></table>")
    return "\n".join(parts) + "</details>"


def _shown(language: str, shown: int, total: int, listed: int) -> str:
    return f"<p>{_e(say(language, 'shown', shown=shown, total=total, listed=listed))}</p>" if total > shown else ""


def _ranked_pairs(language: str, pairs: list[Pair], total: int, anchor: str, other_column: str) -> list[str]:
    """The table of the first :data:`TABLE_ROWS` pairs, ranked (each of the first :data:`EXCERPT_PAIRS` linked to
    its excerpts, ``#<anchor>-<rank>``), and the line that says how many are shown of how many."""
    rows = []
    for rank, pair in enumerate(pairs[:TABLE_ROWS], start=1):
        name, score = pair.best()
        link = f" <a href='#{anchor}-{rank}'>{_e(say(language, 'excerpts_link'))}</a>" if rank <= EXCERPT_PAIRS else ""
        rows.append([str(rank), _e(pair.a), _e(pair.b), percent(pair.overall) + link,
                     _e(say(language, "function_score", function=name, score=percent(score))) if name else ""])
    header = [say(language, key) for key in ("col_rank", "col_student", other_column, "col_overall", "col_closest")]
    return [_table(header, rows), _shown(language, min(TABLE_ROWS, len(pairs)), total, len(pairs))]


def report_html(assignment: str, comparison: Comparison, skipped: list[Skipped], entries: list[Entry],
                regions: dict[tuple[str, str], dict], language: str) -> str:
    say_ = lambda key, **values: _e(say(language, key, **values))  # noqa: E731
    students, known = _by_id(entries)
    out = [f"<!DOCTYPE html>\n<html lang='{_e(language)}'><head><meta charset='utf-8'>"
           f"<title>{say_('title', assignment=assignment)}</title><style>{_STYLE}</style></head><body>",
           f"<!-- {_e(GENERATED_BY)} -->",
           f"<h1>{say_('title', assignment=assignment)}</h1>",
           f"<p class='notice'>{say_('notice')}</p>",
           f"<p>{say_('method', common_limit=comparison.common_limit)}</p>",
           "<p>" + say_("counts", students=len(comparison.students), functions=", ".join(comparison.functions),
                        known=len(comparison.known), skipped=len(skipped)) + " "
           f"{say_('threshold', threshold=percent(comparison.threshold))}</p>"]
    # pairs, overall
    out.append(f"<h2>{say_('heading_pairs')}</h2>")
    if comparison.pairs:
        out += _ranked_pairs(language, comparison.pairs, comparison.pairs_total, "pair", "col_other")
    else:
        out.append(f"<p>{say_('no_pairs')}</p>")
    # clusters
    out.append(f"<h2>{say_('heading_clusters')}</h2>")
    if comparison.clusters:
        rows = [[", ".join(_e(s) for s in cluster.students) + (" (" + ", ".join(_e(k) for k in cluster.known) + ")"
                                                                if cluster.known else ""),
                 percent(cluster.mean_overall),
                 ", ".join(f"{_e(name)} {percent(score)}" for name, score in cluster.functions.items())]
                for cluster in comparison.clusters]
        out.append(_table([say(language, "col_students"), say(language, "col_mean"), say(language, "col_functions")],
                          rows))
    else:
        out.append(f"<p>{say_('no_clusters')}</p>")
    # known solutions
    out.append(f"<h2>{say_('heading_known')}</h2>")
    if not comparison.known:
        out.append(f"<p>{say_('no_known_given')}</p>")
    elif comparison.known_matches:
        out += _ranked_pairs(language, comparison.known_matches, comparison.known_matches_total, "known", "col_known")
    else:
        out.append(f"<p>{say_('no_known')}</p>")
    # per function
    out.append(f"<h2>{say_('heading_function_pairs')}</h2>")
    for name in comparison.functions:
        pairs = comparison.function_pairs.get(name, [])
        out.append(f"<h3>{_e(name)}</h3>")
        if not pairs:
            out.append(f"<p>{say_('no_function_pairs')}</p>")
            continue
        rows = [[str(rank), _e(pair.a), _e(pair.b), percent(pair.functions[name] or 0.0)]
                for rank, pair in enumerate(pairs[:TABLE_ROWS], start=1)]
        out.append(_table([say(language, key) for key in ("col_rank", "col_student", "col_other", "col_score")], rows))
        out.append(_shown(language, min(TABLE_ROWS, len(pairs)), comparison.function_pairs_total[name], len(pairs)))
    # side by side
    if comparison.pairs:
        out.append(f"<h2>{say_('heading_excerpts')}</h2>")
        for rank, pair in enumerate(comparison.pairs[:EXCERPT_PAIRS], start=1):
            out.append(_side_by_side(language, pair, f"pair-{rank}", students[pair.a], students[pair.b],
                                     regions.get(("pair", pair.a, pair.b), {}), rank <= 5))
    if comparison.known_matches:
        out.append(f"<h2>{say_('heading_known_excerpts')}</h2>")
        for rank, pair in enumerate(comparison.known_matches[:EXCERPT_PAIRS], start=1):
            out.append(_side_by_side(language, pair, f"known-{rank}", students[pair.a], known[pair.b],
                                     regions.get(("known", pair.a, pair.b), {}), rank <= 5))
    # what was left out
    if skipped:
        out.append(f"<h2>{say_('heading_skipped')}</h2>")
        out.append(_table([say(language, "col_file"), say(language, "col_reason")],
                          [[_e(item.id), _e(_reason(language, item.reason, item.detail))] for item in skipped]))
    notes = [(entry.id, reason, detail) for entry in entries for reason, detail in entry.notes]
    if notes:
        out.append(f"<h2>{say_('heading_notes')}</h2>")
        out.append(_table([say(language, "col_file"), say(language, "col_reason")],
                          [[_e(id_), _e(_reason(language, reason, detail))] for id_, reason, detail in notes]))
    out.append("</body></html>\n")
    return "\n".join(out)


# -- files ------------------------------------------------------------------------------------------------
def write_report(course: Path, assignment: str, comparison: Comparison, entries: list[Entry],
                 skipped: list[Skipped], bases: dict[str, frozenset[int]], language: str = "en") -> tuple[Path, Path]:
    """Write ``reports/<assignment>/similarity.json`` and ``.html``; return their paths."""
    students, known = _by_id(entries)
    regions = {}
    for pair in comparison.pairs[:EXCERPT_PAIRS]:
        regions[("pair", pair.a, pair.b)] = _regions(pair, students[pair.a], students[pair.b], bases,
                                                     comparison.common)
    for pair in comparison.known_matches[:EXCERPT_PAIRS]:
        regions[("known", pair.a, pair.b)] = _regions(pair, students[pair.a], known[pair.b], bases, {})
    folder = Course(course).reports(assignment)
    folder.mkdir(parents=True, exist_ok=True)
    json_path, html_path = folder / "similarity.json", folder / "similarity.html"
    data = report_data(assignment, comparison, skipped, entries, regions, language)
    write_atomically(json_path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    write_atomically(html_path, report_html(assignment, comparison, skipped, entries, regions, language))
    return json_path, html_path


def summary_line_data(course: Path, assignment: str) -> dict[str, Any] | None:
    """Counts for the class summary's line about similarity, or None when there is no similarity report.

    ``{"pairs", "clusters", "known_matches", "threshold", "students", "skipped", "link", "json"}``: ``link`` and
    ``json`` are relative to ``reports/<assignment>/`` (where the class summary is); words.py's
    ``summary_line`` renders it.
    """
    path = Course(course).reports(assignment) / "similarity.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {"pairs": int(data["pairs_total"]), "clusters": len(data["clusters"]),
                "known_matches": int(data["known_matches_total"]), "threshold": float(data["threshold"]),
                "students": int(data["students"]), "skipped": len(data["skipped"]),
                "link": "similarity.html", "json": "similarity.json"}
    except (OSError, ValueError, KeyError, TypeError):
        return None
