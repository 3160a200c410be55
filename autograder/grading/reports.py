"""Feedback for each student (Markdown and HTML) and a class summary for the instructor.

Both are made from the grader's results only (``{student, total, max,
functions: {name: {score, max, message, mistake}}, flags, errors, isolation}``),
never from the notebooks: a student's feedback shows their score per function,
the failure message and hint of each function that lost marks, and the problems
with their notebook. It never holds the hidden tests' code or their inputs and
expected arrays; only what the failure message itself states (the failing
case's shapes, and at most one expected entry beside the learner's own).
Locked-cell flags are for the instructor and appear in the class summary only.

Files, in the course directory:

- ``feedback/<student>/<assignment>/<assignment>.html`` and ``.md``: the same
  feedback in two forms. The HTML is where nbgrader's ``release_feedback``
  looks. That command also needs, beside the HTML, the submission's
  ``timestamp.txt`` and ``submission_secret.txt`` (``nbgrader submit`` writes
  them, ``collect`` copies them into ``submitted/``; stock nbgrader passes them
  on through ``autograded/`` and ``generate_feedback``). They are copied here
  straight from ``submitted/<student>/<assignment>/``; release_feedback needs
  nothing else (no ``autograded/`` notebook): ``fetch_feedback`` finds the
  HTML by a hash of that secret and the notebook's name. A submission placed by hand, without
  those files, still gets feedback files, but ``release_feedback`` cannot
  release them (stock nbgrader fails the same way); release the others with
  ``--student``.
- ``autograded/<student>/<assignment>/``: a plain copy of the submission
  folder (notebook, ``timestamp.txt``, ...), made with the feedback. Nothing
  runs it; it is there because nbgrader's formgrader (``NbGraderAPI``) counts a
  submission as autograded, and shows its score and notebook, only when that
  folder exists. Without it formgrader lists every student as "needs
  autograding" with 0 points, although the gradebook holds their grades. Do not
  run ``nbgrader generate_feedback`` afterwards: it would replace this
  feedback with an HTML rendering of that copy, which holds no results.
- ``reports/<assignment>/summary.md`` and ``summary.html``: the class summary:
  totals, per function the score distribution and why marks were lost, how
  many students made each catalogued mistake (with its hint, so the instructor
  knows what to teach again), flagged notebooks and the isolation in force.
  The HTML version has a bar chart (full marks per function) as an embedded PNG.
"""
from __future__ import annotations

import base64
import functools
import html
import io
import json
import os
import shutil
import statistics
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import feedback

EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")  # what release_feedback reads beside the HTML


# -- a tiny document model, rendered both as Markdown and as HTML -----------------------------
class Code(str):
    """Inline code: `name` in Markdown, <code>name</code> in HTML."""


Block = tuple  # ("h1"|"h2"|"p"|"hint"|"pre"|"ul"|"table"|"img", ...)


def _inline_md(text: Any, in_table: bool = False) -> str:
    text = f"`{text}`" if isinstance(text, Code) else str(text)
    if in_table:
        text = text.replace("|", "\\|").replace("\n", " ")
    return text


def _inline_html(text: Any) -> str:
    escaped = html.escape(str(text))
    return f"<code>{escaped}</code>" if isinstance(text, Code) else escaped


def to_markdown(blocks: Iterable[Block]) -> str:
    out: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            out.append(("#" if kind == "h1" else "##") + " " + "".join(_inline_md(part) for part in rest[0]))
        elif kind == "p":
            out.append("".join(_inline_md(part) for part in rest[0]))
        elif kind == "hint":
            out.append(f"> **Hint:** {rest[0]}")
        elif kind == "pre":
            out.append("```\n" + rest[0].replace("```", "` ` `") + "\n```")
        elif kind == "ul":
            out.append("\n".join("- " + "".join(_inline_md(part) for part in item) for item in rest[0]))
        elif kind == "table":
            header, rows = rest
            lines = ["| " + " | ".join(_inline_md(h, True) for h in header) + " |",
                     "| " + " | ".join("---" for _ in header) + " |"]
            lines += ["| " + " | ".join(_inline_md(c, True) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            continue  # pictures are for the HTML version; its tables say the same in Markdown
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_STYLE = ("body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
          "text-align:left;vertical-align:top}th{background:#eee}pre{background:#f6f6f6;padding:.8em;"
          "white-space:pre-wrap}.hint{background:#fff6d6;border-left:4px solid #e0b000;padding:.5em .8em}")


def to_html(title: str, blocks: Iterable[Block]) -> str:
    out = [f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
           f"<style>{_STYLE}</style></head><body>"]
    for kind, *rest in blocks:
        if kind in ("h1", "h2"):
            out.append(f"<{kind}>" + "".join(_inline_html(part) for part in rest[0]) + f"</{kind}>")
        elif kind == "p":
            out.append("<p>" + "".join(_inline_html(part) for part in rest[0]) + "</p>")
        elif kind == "hint":
            out.append(f"<p class='hint'><b>Hint:</b> {html.escape(rest[0])}</p>")
        elif kind == "pre":
            out.append(f"<pre>{html.escape(rest[0])}</pre>")
        elif kind == "ul":
            out.append("<ul>" + "".join("<li>" + "".join(_inline_html(p) for p in item) + "</li>"
                                        for item in rest[0]) + "</ul>")
        elif kind == "table":
            header, rows = rest
            out.append("<table><tr>" + "".join(f"<th>{_inline_html(h)}</th>" for h in header) + "</tr>"
                       + "".join("<tr>" + "".join(f"<td>{_inline_html(c)}</td>" for c in row) + "</tr>"
                                 for row in rows) + "</table>")
        elif kind == "img":
            data, alt = rest
            out.append(f"<p><img alt='{html.escape(alt, quote=True)}' src='data:image/png;base64,{data}'></p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _n(x: float) -> str:
    return f"{x:g}"


def _students(n: int) -> str:
    return f"{n} student" + ("" if n == 1 else "s")


# -- what went wrong with one function -------------------------------------------------------
FULL_MARKS, PARTIAL, KNOWN_MISTAKE, NOT_WRITTEN, TOO_SLOW, NOT_ACCURATE, DID_NOT_FINISH, OTHER = (
    "full marks", "partial marks", "known mistake", "not written or missing", "too slow", "model not accurate",
    "did not finish", "other error")
OUTCOMES = (FULL_MARKS, PARTIAL, KNOWN_MISTAKE, NOT_WRITTEN, TOO_SLOW, NOT_ACCURATE, DID_NOT_FINISH, OTHER)


def _says(message: str, template: Callable[[str], str]) -> bool:
    """Whether ``message`` holds a message made by ``template(function)``, whatever the function's name."""
    marker = "FUNCTIONNAME"
    return all(piece in message for piece in template(marker).split(marker))


def outcome(name: str, entry: dict[str, Any]) -> str:
    """Why ``entry`` (one function of one result) got its score, as one of :data:`OUTCOMES`."""
    if entry["score"] >= entry["max"]:
        return FULL_MARKS
    if entry["score"] > 0:
        return PARTIAL
    if entry.get("mistake"):
        return KNOWN_MISTAKE
    message = entry.get("message") or ""
    if (_says(message, feedback.not_written) or _says(message, feedback.missing_function)  # the function, or
            or message.startswith("The notebook could not be read")):  # the train_model of a trained model
        return NOT_WRITTEN
    if f"{name} is too slow, on " in message:
        return TOO_SLOW
    if f"{name} is not good enough yet: " in message:
        return NOT_ACCURATE
    if f"{name} did not finish, on " in message:
        return DID_NOT_FINISH
    return OTHER


def split_hint(message: str) -> tuple[str, str | None]:
    """(the message without its hint, the hint) of a failure message."""
    lines = message.splitlines()
    hints = [line.removeprefix("Hint: ") for line in lines if line.startswith("Hint: ")]
    rest = "\n".join(line for line in lines if not line.startswith("Hint: "))
    return rest, (hints[0] if hints else None)


def _ordered(functions: dict[str, Any], order: list[str] | None) -> list[str]:
    order = [name for name in (order or []) if name in functions]
    return order + [name for name in functions if name not in order]


# -- per student --------------------------------------------------------------------------------
def student_blocks(assignment: str, result: dict[str, Any], order: list[str] | None = None,
                   submitted_at: str | None = None) -> list[Block]:
    functions = result["functions"]
    names = _ordered(functions, order)
    blocks: list[Block] = [("h1", [f"{assignment}: feedback for {result['student']}"])]
    if submitted_at:
        blocks.append(("p", [f"Submitted at {submitted_at}."]))
    blocks.append(("p", [f"Score: {_n(result['total'])} / {_n(result['max'])}"]))
    rows = []
    for name in names:
        entry = functions[name]
        state = "passed" if outcome(name, entry) == FULL_MARKS else "not yet"
        rows.append([Code(name), f"{_n(entry['score'])} / {_n(entry['max'])}", state])
    blocks.append(("table", ["function", "score", "hidden tests"], rows))
    for name in names:
        message = functions[name].get("message")
        if not message:
            continue
        text, hint = split_hint(message)
        blocks.append(("h2", [Code(name), f": {_n(functions[name]['score'])} / {_n(functions[name]['max'])}"]))
        blocks.append(("pre", text))
        if hint:
            blocks.append(("hint", hint))
    if result.get("errors"):
        blocks.append(("h2", ["Problems with the notebook"]))
        blocks.append(("ul", [[error] for error in result["errors"]]))
    blocks.append(("p", ["Each function was run on hidden cases; a function scores its points when every "
                         "case is right. Run the check cells in your notebook to try your fixes."]))
    return blocks


def student_markdown(assignment: str, result: dict[str, Any], order: list[str] | None = None,
                     submitted_at: str | None = None) -> str:
    return to_markdown(student_blocks(assignment, result, order, submitted_at))


def student_html(assignment: str, result: dict[str, Any], order: list[str] | None = None,
                 submitted_at: str | None = None) -> str:
    title = f"{assignment}: feedback for {result['student']}"
    return to_html(title, student_blocks(assignment, result, order, submitted_at))


def feedback_folder(course: Path, assignment: str, student: str) -> Path:
    return course / "feedback" / student / assignment


def has_feedback(course: Path, assignment: str, student: str) -> bool:
    """Whether ``student``'s feedback was written completely (the HTML is written last, atomically)."""
    return (feedback_folder(course, assignment, student) / f"{assignment}.html").is_file()


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.partial")  # no *.html a release_feedback could pick up
    temporary.write_text(text)
    os.replace(temporary, path)


def _plain(path: Path) -> bool:
    """A regular file or folder, not a link (what a learner sends is not trusted)."""
    return not path.is_symlink() and (path.is_file() or path.is_dir())


def mirror_autograded(course: Path, assignment: str, student: str) -> Path | None:
    """``autograded/<student>/<assignment>/``: a copy of the submission folder, which formgrader requires.

    Only regular files and folders are copied: no links (never followed), no pipes or devices.
    """
    submitted = course / "submitted" / student / assignment
    if not _plain(submitted) or not submitted.is_dir():
        return None
    target = course / "autograded" / student / assignment
    if target.exists() or target.is_symlink():
        shutil.rmtree(target)
    shutil.copytree(submitted, target,
                    ignore=lambda folder, names: [n for n in names if not _plain(Path(folder) / n)])
    return target


def write_student_feedback(course: Path, assignment: str, result: dict[str, Any]) -> Path:
    """``feedback/<student>/<assignment>/<assignment>.html`` (what release_feedback sends) and ``.md``.

    Copies ``timestamp.txt`` and ``submission_secret.txt`` of the submission beside them, which
    ``nbgrader release_feedback`` needs.
    """
    submitted = course / "submitted" / result["student"] / assignment
    folder = feedback_folder(course, assignment, result["student"])
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXCHANGE_FILES:
        if _plain(submitted / name) and (submitted / name).is_file():
            shutil.copyfile(submitted / name, folder / name)
        else:
            (folder / name).unlink(missing_ok=True)  # never leave another submission's secret behind
    mirror_autograded(course, assignment, result["student"])
    stamp = folder / "timestamp.txt"
    submitted_at = stamp.read_text(errors="replace").strip()[:64] if stamp.exists() else None
    order = lesson_order(course, assignment)
    (folder / f"{assignment}.md").write_text(student_markdown(assignment, result, order, submitted_at))
    path = folder / f"{assignment}.html"
    _write_atomically(path, student_html(assignment, result, order, submitted_at))
    return path


# -- the class ----------------------------------------------------------------------------------
def lesson_order(course: Path, assignment: str) -> list[str] | None:
    """Graded functions in the order of the source notebook's test cells (results files sort them)."""
    source = course / "source" / assignment / f"{assignment}.ipynb"
    try:
        return list(_test_cell_order(str(source), source.stat().st_mtime_ns))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@functools.lru_cache(maxsize=8)
def _test_cell_order(source: str, modified: int) -> tuple[str, ...]:
    cells = json.loads(Path(source).read_text())["cells"]
    order = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and str(meta.get("grade_id", "")).startswith("test_"):
            order.append(meta["grade_id"].removeprefix("test_"))
    return tuple(order)


def catalogue(assignment: str) -> dict[str, dict[str, Any]]:
    """{mistake id: {"hint", "functions"}} from the kit's public case file, in catalogue order; {} if none."""
    from .. import casefile

    try:
        manifest, _ = casefile.read(assignment)
    except Exception:
        return {}
    known: dict[str, dict[str, Any]] = {}
    for function, entry in manifest.get("functions", {}).items():
        for case in entry.get("cases", []):
            for mistake in case.get("mistakes", []):
                item = known.setdefault(mistake["id"], {"hint": mistake.get("hint", ""), "functions": []})
                if function not in item["functions"]:
                    item["functions"].append(function)
    return known


def _chart(names: list[str], full: list[int], count: int) -> str | None:
    """A horizontal bar chart of full marks per function, as base64 PNG; None without matplotlib."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        return None
    figure = Figure(figsize=(6.4, 0.42 * len(names) + 1.1), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(names))[::-1]
    axes.barh(list(positions), full, color="#3a7d44")
    axes.barh(list(positions), [count - f for f in full], left=full, color="#e8e8e8")
    axes.set_yticks(list(positions), names, fontfamily="monospace")
    axes.set_xlim(0, max(count, 1))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(f"students with full marks (of {count})")
    for y, value in zip(positions, full):
        axes.text(value + max(count, 1) * 0.01, y, str(value), va="center", fontsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def summary_blocks(assignment: str, results: dict[str, dict[str, Any]], order: list[str] | None = None,
                   known: dict[str, dict[str, Any]] | None = None, chart: bool = False) -> list[Block]:
    known = catalogue(assignment) if known is None else known
    count = len(results)
    blocks: list[Block] = [("h1", [f"{assignment}: class summary"])]
    if not results:
        return blocks + [("p", ["No submission has been graded yet."])]
    first = next(iter(results.values()))
    names = _ordered(first["functions"], order)
    totals = [r["total"] for r in results.values()]
    maximum = first["max"]
    blocks.append(("p", [f"{_students(count)} graded. Total: mean {_n(round(statistics.mean(totals), 2))}, "
                         f"median {_n(statistics.median(totals))}, out of {_n(maximum)}; "
                         f"{sum(t >= maximum for t in totals)} with full marks."]))
    isolation = Counter(r.get("isolation") or "none (the notebook could not be read, nothing ran)"
                        for r in results.values())
    blocks.append(("p", ["Isolation in force: " + "; ".join(
        f"{text} ({_students(n)})" for text, n in isolation.most_common())]))

    # per function: distribution and why marks were lost
    blocks.append(("h2", ["Per function"]))
    rows, full_counts = [], []
    for name in names:
        entries = [r["functions"][name] for r in results.values() if name in r["functions"]]
        kinds = Counter(outcome(name, e) for e in entries)
        scores = Counter(e["score"] for e in entries)
        full_counts.append(kinds[FULL_MARKS])
        distribution = ", ".join(f"{_n(score)}: {n}" for score, n in sorted(scores.items(), reverse=True))
        rows.append([Code(name), _n(entries[0]["max"]), *[str(kinds[k]) for k in OUTCOMES], distribution])
    blocks.append(("table", ["function", "points", *OUTCOMES, "scores (score: students)"], rows))
    if chart:
        image = _chart(names, full_counts, count)
        if image:
            blocks.append(("img", image, "students with full marks, per function"))

    # the mistake catalogue
    made: dict[str, set[str]] = {}
    where: dict[str, Counter] = {}
    hints: dict[str, str] = {}
    for student, result in results.items():
        for name, entry in result["functions"].items():
            if entry.get("mistake"):
                made.setdefault(entry["mistake"], set()).add(student)
                where.setdefault(entry["mistake"], Counter())[name] += 1
                hints.setdefault(entry["mistake"], split_hint(entry.get("message") or "")[1] or "")
    ids = sorted(set(known) | set(made), key=lambda m: (-len(made.get(m, ())), list(known).index(m)
                                                          if m in known else len(known), m))
    blocks.append(("h2", ["Known mistakes: what to teach again"]))
    blocks.append(("p", ["Students whose output matched a catalogued mistake; a mistake in one function can "
                         "also cost the functions that call it (they are listed with how many lost marks there)."]))
    rows = []
    for mistake in ids:
        students = sorted(made.get(mistake, ()))
        lost = ", ".join(f"{name} ({n})" for name, n in sorted(where.get(mistake, Counter()).items(),
                                                                key=lambda item: names.index(item[0])
                                                                if item[0] in names else len(names)))
        shown = ", ".join(students[:8]) + (f" and {len(students) - 8} more" if len(students) > 8 else "")
        hint = known.get(mistake, {}).get("hint") or hints.get(mistake, "")
        rows.append([Code(mistake), str(len(students)), lost or "-", shown or "-", hint])
    blocks.append(("table", ["mistake", "students", "marks lost in (students)", "who", "hint"], rows))

    # totals
    blocks.append(("h2", ["Totals"]))
    spread = Counter(totals)
    blocks.append(("table", ["total", "students"],
                   [[_n(total), str(n)] for total, n in sorted(spread.items(), reverse=True)]))

    # what needs a look
    flagged = [[Code(s), "; ".join(r["flags"])] for s, r in sorted(results.items()) if r.get("flags")]
    troubled = [[Code(s), "; ".join(r["errors"])] for s, r in sorted(results.items()) if r.get("errors")]
    blocks.append(("h2", ["Notebooks to look at"]))
    if flagged:
        blocks.append(("p", ["Locked cells changed (flagged in the gradebook; only solution cells are graded):"]))
        blocks.append(("table", ["student", "flags"], flagged))
    if troubled:
        blocks.append(("p", ["Problems while grading (shown to the student too):"]))
        blocks.append(("table", ["student", "problems"], troubled))
    if not flagged and not troubled:
        blocks.append(("p", ["None: no locked cell was changed and every notebook ran."]))
    return blocks


def class_summary(assignment: str, results: dict[str, dict[str, Any]], order: list[str] | None = None,
                  known: dict[str, dict[str, Any]] | None = None) -> str:
    """Markdown: score distribution per function and how many students made each known mistake."""
    return to_markdown(summary_blocks(assignment, results, order, known))


def class_summary_html(assignment: str, results: dict[str, dict[str, Any]], order: list[str] | None = None,
                       known: dict[str, dict[str, Any]] | None = None, chart: bool = True) -> str:
    """The same as :func:`class_summary`, as HTML, with a bar chart of full marks per function."""
    return to_html(f"{assignment}: class summary", summary_blocks(assignment, results, order, known, chart))


def write_class_summary(course: Path, assignment: str, results: dict[str, dict[str, Any]]) -> Path:
    """``reports/<assignment>/summary.md`` and ``summary.html``; returns the Markdown's path."""
    folder = course / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    order = lesson_order(course, assignment)
    known = catalogue(assignment)
    (folder / "summary.html").write_text(class_summary_html(assignment, results, order, known))
    path = folder / "summary.md"
    path.write_text(class_summary(assignment, results, order, known))
    return path
