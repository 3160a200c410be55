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

import shutil
from pathlib import Path

from ...files import write_atomically
from ..bounds import MAX_MESSAGE, cut
from ..result import Result
from . import Reporting
from .document import Block, Code, number, to_html, to_markdown

EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")  # what release_feedback reads beside the HTML
MAX_EXCHANGE_FILE = 4096  # bytes: nbgrader writes a time and a secret; a learner may put anything there


def lateness_blocks(reporting: Reporting, result: Result) -> list[Block]:
    """The due date, how late, and the penalty nbgrader's plugin gave (a notebook's score, after which
    manual grades and extra credit count too, is in the gradebook)."""
    late, say = result.late, reporting.say
    if late is None:
        return []
    extension = say("feedback.extension", extension=reporting.duration(late.extension_seconds)) \
        if late.extension_seconds > 0 else ""
    if not late.late:
        return [("p", [say("feedback.due_on_time", due=late.due, extension=extension)])]
    blocks: list[Block] = [("p", [say("feedback.due_late", due=late.due, extension=extension,
                                      late=reporting.duration(late.seconds_late))])]
    if late.penalty > 0:
        blocks.append(("p", [say("feedback.penalty", penalty=number(late.penalty),
                                 after=number(late.after_penalty), max=number(result.max))]))
    else:
        blocks.append(("p", [say("feedback.no_penalty")]))
    return blocks


def regrade_blocks(reporting: Reporting, result: Result) -> list[Block]:
    """After a regrade that changed this learner's grade or feedback: the grade before and after, and why."""
    regrade, say = result.regrade, reporting.say
    if regrade is None or not regrade.anything_changed:
        return []
    why = reporting.why(regrade.why)
    if regrade.grade_changed:
        blocks: list[Block] = [("p", [say("feedback.regrade_changed", before=number(regrade.before),
                                          after=number(regrade.after), max=number(regrade.max), why=why)])]
    else:
        blocks = [("p", [say("feedback.regrade_same", after=number(regrade.after), max=number(regrade.max),
                             why=why)])]
    items = [[Code(change.function), ": " + say("feedback.regrade_function", before=number(change.before),
                                                after=number(change.after), max=number(change.max))]
             for change in regrade.functions]
    return blocks + ([("ul", items)] if items else [])


def student_blocks(reporting: Reporting, result: Result, submitted_at: str | None = None) -> list[Block]:
    say, renderer = reporting.say, reporting.renderer
    functions = result.functions
    names = reporting.ordered(functions)
    blocks: list[Block] = [("h1", [say("feedback.title", assignment=reporting.assignment, student=result.student)])]
    if submitted_at:
        blocks.append(("p", [say("feedback.submitted_at", timestamp=submitted_at)]))
    blocks.append(("p", [say("feedback.score", score=number(result.total), max=number(result.max))]))
    review = result.review
    if review and (review.manual or review.extra):
        blocks.append(("p", [say("feedback.reviewed", score=number(result.reviewed_total), max=number(result.max))]))
    blocks += lateness_blocks(reporting, result)
    blocks += regrade_blocks(reporting, result)
    rows = []
    for name in names:
        entry = functions[name]
        state = say("feedback.passed" if entry.full else "feedback.not_yet")
        points = f"{number(entry.score)} / {number(entry.max)}"
        if review and (name in review.manual or name in review.extra):
            points = say("feedback.points_reviewed", score=number(review.score(name, entry.score)),
                         max=number(entry.max), automatic=points)
        rows.append([Code(name), points, state])
    blocks.append(("table", [say("feedback.function"), say("feedback.points"), say("feedback.hidden_tests")], rows))
    for name in names:
        entry = functions[name]
        if entry.verdict.passed:
            continue
        blocks.append(("h2", [Code(name), f": {number(entry.score)} / {number(entry.max)}"]))
        blocks.append(("pre", reporting.message(entry.verdict)))
        hint = renderer.hint(entry.verdict)
        if hint:
            blocks.append(("hint", say("hint_label"), cut(hint, MAX_MESSAGE)))
    if review and review.comments:
        blocks.append(("h2", [say("feedback.comments")]))
        blocks.append(("ul", [[Code(cell), ": ", text] for cell, text in review.comments.items()]))
    problems = reporting.problems(result)
    if problems:
        blocks.append(("h2", [say("feedback.problems")]))
        blocks.append(("ul", [[problem] for problem in problems]))
    blocks.append(("p", [say("feedback.closing")]))
    return blocks


def student_markdown(reporting: Reporting, result: Result, submitted_at: str | None = None) -> str:
    return to_markdown(student_blocks(reporting, result, submitted_at))


def student_html(reporting: Reporting, result: Result, submitted_at: str | None = None) -> str:
    title = reporting.say("feedback.title", assignment=reporting.assignment, student=result.student)
    return to_html(title, student_blocks(reporting, result, submitted_at), reporting.renderer.language)


def has_feedback(reporting: Reporting, student: str) -> bool:
    """Whether ``student``'s feedback was written completely (the HTML is written last, atomically)."""
    folder = reporting.course.feedback(student, reporting.assignment)
    return reporting.course.notebook(folder, reporting.assignment).with_suffix(".html").is_file()


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


def write_student_feedback(reporting: Reporting, result: Result) -> Path:
    """``feedback/<student>/<assignment>/<assignment>.html`` (what release_feedback sends) and ``.md``.

    Copies ``timestamp.txt`` and ``submission_secret.txt`` of the submission beside them, which
    ``nbgrader release_feedback`` needs.
    """
    course, assignment, student = reporting.course, reporting.assignment, result.student
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
    write_atomically(path, student_html(reporting, result, submitted_at))  # no half page for release_feedback
    return path
