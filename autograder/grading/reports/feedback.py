"""Each student's feedback: ``feedback/<student>/<assignment>/<assignment>.html`` and ``.md``.

The HTML is where nbgrader's ``release_feedback`` looks. That command also
needs, beside it, the submission's ``timestamp.txt`` and
``submission_secret.txt`` (``nbgrader submit`` writes them, ``collect`` copies
them into ``submitted/``); they are copied here straight from the submission.
A submission placed by hand, without those files, still gets feedback files,
but ``release_feedback`` cannot release them (stock nbgrader fails the same
way). ``autograded/<student>/<assignment>/`` gets a plain copy of the
submission folder: nbgrader's formgrader counts a submission as autograded,
and shows its score, only when that folder exists. Do not run ``nbgrader
generate_feedback`` afterwards: it would replace this feedback with an HTML
rendering of that copy, which holds no results.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ..bounds import MAX_MESSAGE, cut
from . import Reporting
from .document import Block, Code, number, to_html, to_markdown

EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")  # what release_feedback reads beside the HTML
MAX_EXCHANGE_FILE = 4096  # bytes: nbgrader writes a time and a secret; a learner may put anything there


def student_blocks(reporting: Reporting, result: dict[str, Any], submitted_at: str | None = None) -> list[Block]:
    say, renderer = reporting.say, reporting.renderer
    functions = result["functions"]
    names = reporting.ordered(functions)
    blocks: list[Block] = [("h1", [say("feedback.title", assignment=reporting.assignment, student=result["student"])])]
    if submitted_at:
        blocks.append(("p", [say("feedback.submitted_at", timestamp=submitted_at)]))
    blocks.append(("p", [say("feedback.score", score=number(result["total"]), max=number(result["max"]))]))
    rows = []
    for name in names:
        entry = functions[name]
        state = say("feedback.passed" if entry["score"] >= entry["max"] else "feedback.not_yet")
        rows.append([Code(name), f"{number(entry['score'])} / {number(entry['max'])}", state])
    blocks.append(("table", [say("feedback.function"), say("feedback.points"), say("feedback.hidden_tests")], rows))
    for name in names:
        verdict = reporting.verdict(functions[name])
        if verdict.passed:
            continue
        entry = functions[name]
        blocks.append(("h2", [Code(name), f": {number(entry['score'])} / {number(entry['max'])}"]))
        blocks.append(("pre", reporting.message(verdict)))
        hint = renderer.hint(verdict)
        if hint:
            blocks.append(("hint", say("hint_label"), cut(hint, MAX_MESSAGE)))
    problems = reporting.notes(result, "problems")
    if problems:
        blocks.append(("h2", [say("feedback.problems")]))
        blocks.append(("ul", [[problem] for problem in problems]))
    blocks.append(("p", [say("feedback.closing")]))
    return blocks


def student_markdown(reporting: Reporting, result: dict[str, Any], submitted_at: str | None = None) -> str:
    return to_markdown(student_blocks(reporting, result, submitted_at))


def student_html(reporting: Reporting, result: dict[str, Any], submitted_at: str | None = None) -> str:
    title = reporting.say("feedback.title", assignment=reporting.assignment, student=result["student"])
    return to_html(title, student_blocks(reporting, result, submitted_at), reporting.renderer.language)


def has_feedback(reporting: Reporting, student: str) -> bool:
    """Whether ``student``'s feedback was written completely (the HTML is written last, atomically)."""
    folder = reporting.course.feedback(student, reporting.assignment)
    return reporting.course.notebook(folder, reporting.assignment).with_suffix(".html").is_file()


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.partial")  # no *.html a release_feedback could pick up
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _plain(path: Path) -> bool:
    """A regular file or folder, not a link (what a learner sends is not trusted)."""
    return not path.is_symlink() and (path.is_file() or path.is_dir())


def mirror_autograded(reporting: Reporting, student: str) -> Path | None:
    """``autograded/<student>/<assignment>/``: a copy of the submission folder, which formgrader requires.

    Only regular files and folders are copied: no links (never followed), no pipes or devices.
    """
    submitted = reporting.course.submitted(student, reporting.assignment)
    if not _plain(submitted) or not submitted.is_dir():
        return None
    target = reporting.course.autograded(student, reporting.assignment)
    if target.exists() or target.is_symlink():
        shutil.rmtree(target)
    shutil.copytree(submitted, target,
                    ignore=lambda folder, names: [n for n in names if not _plain(Path(folder) / n)])
    return target


def write_student_feedback(reporting: Reporting, result: dict[str, Any]) -> Path:
    """``feedback/<student>/<assignment>/<assignment>.html`` (what release_feedback sends) and ``.md``.

    Copies ``timestamp.txt`` and ``submission_secret.txt`` of the submission beside them, which
    ``nbgrader release_feedback`` needs.
    """
    course, assignment, student = reporting.course, reporting.assignment, result["student"]
    submitted = course.submitted(student, assignment)
    folder = course.feedback(student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXCHANGE_FILES:
        if (_plain(submitted / name) and (submitted / name).is_file()
                and (submitted / name).stat().st_size <= MAX_EXCHANGE_FILE):
            shutil.copyfile(submitted / name, folder / name)
        else:
            (folder / name).unlink(missing_ok=True)  # never leave another submission's secret behind
    mirror_autograded(reporting, student)
    stamp = folder / "timestamp.txt"
    submitted_at = stamp.read_text(errors="replace").strip()[:64] if stamp.exists() else None  # at most 4 KB
    page = course.notebook(folder, assignment)
    page.with_suffix(".md").write_text(student_markdown(reporting, result, submitted_at), encoding="utf-8")
    path = page.with_suffix(".html")
    _write_atomically(path, student_html(reporting, result, submitted_at))
    return path
