"""The class summary for the instructor: ``reports/<assignment>/summary.md`` and ``summary.html``.

Totals; per function the score distribution and how its marks went (full,
partial, a known mistake, another named cause, not written, too slow, not
accurate, did not finish, cause not named); every lost mark grouped by its
cause (:meth:`~autograder.verdict.Verdict.cause`: the catalogued mistake or the
diagnosis, else an uninterpreted exception's type and message pattern, else
what happened), each with its count, example students, the functions where it
cost marks and what it means, so the instructor sees what to teach again; the
notebooks to look at (flags, problems) and the isolation in force. The HTML
version has a bar chart (full marks per function) as an embedded PNG.
"""
from __future__ import annotations

import base64
import io
import statistics
from collections import Counter
from typing import Any, Mapping

from ...diagnosis import kinds as cause_kinds
from ...verdict import Diagnosis, Outcome, Verdict
from ..result import Result, Scored
from . import Reporting
from .document import Block, Code, Link, number, to_html, to_markdown

# How each function's marks went, one column each in the per-function table.
OUTCOMES = ("full_marks", "partial", "known_mistake", "diagnosed", "not_written", "too_slow", "not_accurate",
            "did_not_finish", "other")
SHOWN_STUDENTS = 8
LEARNERS_OWN = ("fixes_all", "with_helpers", "helpers_used", "tried", "new")  # what one learner's run showed


def outcome(entry: Scored, verdict: Verdict) -> str:
    """Why one function of one result got its score, as one of :data:`OUTCOMES`."""
    if entry.full:
        return "full_marks"
    if entry.score > 0:
        return "partial"
    if verdict.outcome in (Outcome.NOT_WRITTEN, Outcome.MISSING, Outcome.NOT_GRADED):
        return "not_written"
    if verdict.outcome is Outcome.TOO_SLOW:
        return "too_slow"
    if verdict.outcome is Outcome.NOT_ACCURATE:
        return "not_accurate"
    if verdict.outcome is Outcome.DID_NOT_FINISH:
        return "did_not_finish"
    if verdict.mistake:
        return "known_mistake"
    ids = [d.id for d in (verdict.diagnosis, *verdict.more) if d is not None]
    return "diagnosed" if verdict.diagnosis and cause_kinds.named(ids) else "other"


def cause_words(reporting: Reporting, cause: str, example: Verdict,
                diagnosis: Diagnosis | None = None) -> tuple[str, str]:
    """(the cause's name, what it means) for the table of causes, from one verdict that has it (and the
    diagnosis of that verdict that stands for it, when there is one)."""
    renderer = reporting.renderer
    if diagnosis is not None:
        label = reporting.say("cause.generic", cause=cause) if diagnosis.id in cause_kinds.GENERIC else cause
        general = Diagnosis(diagnosis.id, diagnosis.source, {key: value for key, value in diagnosis.values.items()
                                                             if key not in LEARNERS_OWN})
        return label, renderer.diagnosis(general, example.function) or ""
    if reporting.say.has(f"cause.outcome.{cause}"):
        return reporting.say(f"cause.outcome.{cause}"), ""
    if example.diagnosis:
        return cause, ""
    if cause.startswith("raised:"):
        return reporting.say("cause.raised", pattern=cause.removeprefix("raised:")), ""
    return reporting.say(f"cause.outcome.{cause}"), ""


class _Cause:
    """Every lost mark of one cause: who, in which functions, how many points, and a diagnosis that says it."""

    def __init__(self) -> None:
        self.students: set[str] = set()
        self.where: Counter = Counter()
        self.points = 0.0
        self.alone = 0.0  # points lost where it is the only cause
        self.example: Verdict | None = None
        self.diagnosis: Diagnosis | None = None


def _own_diagnoses(verdict: Verdict) -> dict[str, Diagnosis]:
    """{cause key: the diagnosis of ``verdict`` that is that cause itself} (a helper's failure is not)."""
    found = {}
    for diagnosis in (verdict.diagnosis, *verdict.more):
        if diagnosis is None or diagnosis.id in ("helper_fails", "own_code_right"):
            continue
        for key in Verdict(verdict.function, verdict.outcome, diagnosis=diagnosis).causes():
            found.setdefault(key, diagnosis)
    return found


def _gather(results: Mapping[str, Result], verdicts: dict[str, dict[str, Verdict]]) -> dict[str, _Cause]:
    causes: dict[str, _Cause] = {}
    for student, r in results.items():
        for name, entry in r.functions.items():
            verdict = verdicts[student][name]
            if entry.full:
                continue
            keys = list(dict.fromkeys(verdict.causes()))
            lost = entry.max - entry.score
            for key in keys:
                cause = causes.setdefault(key, _Cause())
                cause.students.add(student)
                cause.where[name] += 1
                cause.points += lost
                cause.alone += lost if len(keys) == 1 else 0.0
                if cause.example is None:
                    cause.example = verdict
    for student in results:  # a diagnosis that says each cause, from a verdict that has it as its own
        for verdict in verdicts[student].values():
            for key, diagnosis in _own_diagnoses(verdict).items():
                if key in causes and causes[key].diagnosis is None:
                    causes[key].diagnosis, causes[key].example = diagnosis, verdict
    return causes


def cause_blocks(reporting: Reporting, results: Mapping[str, Result], verdicts: dict[str, dict[str, Verdict]],
                 names: list[str]) -> list[Block]:
    """Every lost mark under each of its causes (a second cause counts too; a helper's failure counts under
    the helper's cause): first the class's environment, with what the instructor can do, then the mistakes
    to teach again."""
    say = reporting.say
    causes = _gather(results, verdicts)

    def who(cause: _Cause) -> str:
        listed = sorted(cause.students)
        shown = ", ".join(listed[:SHOWN_STUDENTS])
        return say("summary.and_more", shown=shown, more=len(listed) - SHOWN_STUDENTS) \
            if len(listed) > SHOWN_STUDENTS else shown

    def lost_in(cause: _Cause) -> str:
        return ", ".join(f"{name} ({n})" for name, n in sorted(
            cause.where.items(), key=lambda item: names.index(item[0]) if item[0] in names else len(names)))

    order = sorted(causes, key=lambda c: (-len(causes[c].students), c))
    environment = [key for key in order if key in cause_kinds.ENVIRONMENT]
    blocks: list[Block] = []
    if environment:
        blocks.append(("h2", [say("summary.environment")]))
        blocks.append(("p", [say("summary.environment_intro")]))
        rows = []
        for key in environment:
            cause = causes[key]
            rows.append([Code(key), str(len(cause.students)), number(round(cause.points, 2)),
                         number(round(cause.alone, 2)), lost_in(cause), who(cause),
                         say(cause_kinds.ENVIRONMENT_ADVICE[key])])
        blocks.append(("table", [say("summary.cause"), say("summary.students"), say("summary.points_lost"),
                                 say("summary.points_alone"), say("summary.lost_in"), say("summary.who"),
                                 say("summary.instructor_can")], rows))
    blocks.append(("h2", [say("summary.causes")]))
    teach = [key for key in order if key not in cause_kinds.ENVIRONMENT]
    if not causes:
        return blocks + [("p", [say("summary.none")])]
    blocks.append(("p", [say("summary.causes_intro")]))
    rows = []
    for key in teach:
        cause = causes[key]
        label, meaning = cause_words(reporting, key, cause.example, cause.diagnosis)
        coded = cause.diagnosis is not None or (cause.example is not None and cause.example.diagnosis is not None
                                                 and not reporting.say.has(f"cause.outcome.{key}"))
        rows.append([Code(label) if coded else label, str(len(cause.students)), lost_in(cause), who(cause), meaning])
    if rows:
        blocks.append(("table", [say("summary.cause"), say("summary.students"), say("summary.lost_in"),
                                 say("summary.who"), say("summary.what_to_do")], rows))
    return blocks


def _students(reporting: Reporting, count: int) -> str:
    return reporting.say("summary.students_one") if count == 1 else reporting.say("summary.students_many",
                                                                                   count=count)


def _chart(reporting: Reporting, names: list[str], full: list[int], count: int) -> str | None:
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
    label = reporting.say("summary.chart_axis", count=count)
    if reporting.renderer.language != "en":
        from ...figures import cjk_family

        family = cjk_family()
        label = label if family else f"students with full marks (of {count})"
        if family:
            axes.xaxis.label.set_fontfamily(["DejaVu Sans", family])
    axes.set_xlabel(label)
    for y, value in zip(positions, full):
        axes.text(value + max(count, 1) * 0.01, y, str(value), va="center", fontsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def summary_blocks(reporting: Reporting, results: Mapping[str, Result], chart: bool = False,
                   similarity: Mapping[str, Any] | None = None, items: list[Block] | None = None) -> list[Block]:
    say = reporting.say
    count = len(results)
    blocks: list[Block] = [("h1", [say("summary.title", assignment=reporting.assignment)])]
    if not results:
        return blocks + [("p", [say("summary.nobody")])]
    first = next(iter(results.values()))
    names = reporting.ordered(first.functions)
    totals = [r.total for r in results.values()]
    maximum = first.max
    blocks.append(("p", [say("summary.graded", students=_students(reporting, count),
                             mean=number(round(statistics.mean(totals), 2)), median=number(statistics.median(totals)),
                             max=number(maximum), full=sum(t >= maximum for t in totals))]))
    isolation = Counter(reporting.isolation(r.isolation) for r in results.values())
    blocks.append(("p", [say("summary.isolation", isolation="; ".join(
        say("summary.isolation_item", text=text, students=_students(reporting, n))
        for text, n in isolation.most_common()))]))
    if similarity:
        line = say("similarity.summary_line", pairs=similarity["pairs"], clusters=similarity["clusters"],
                   known=similarity["known_matches"], threshold=similarity["threshold"], link="\0")
        before, _, after = line.partition("\0")
        blocks.append(("p", [before, Link(similarity["link"]), after]))

    # per function: distribution and how the marks went
    verdicts = {student: r.verdicts() for student, r in results.items()}
    blocks.append(("h2", [say("summary.per_function")]))
    rows, full_counts = [], []
    for name in names:
        entries = [(r.functions[name], verdicts[s][name]) for s, r in results.items() if name in r.functions]
        kinds = Counter(outcome(entry, verdict) for entry, verdict in entries)
        scores = Counter(entry.score for entry, _ in entries)
        full_counts.append(kinds["full_marks"])
        distribution = ", ".join(f"{number(score)}: {n}" for score, n in sorted(scores.items(), reverse=True))
        rows.append([Code(name), number(entries[0][0].max), *[str(kinds[k]) for k in OUTCOMES], distribution])
    blocks.append(("table", [say("feedback.function"), say("summary.points"),
                             *[say(f"outcome.{k}") for k in OUTCOMES], say("summary.scores")], rows))
    if chart:
        image = _chart(reporting, names, full_counts, count)
        if image:
            blocks.append(("img", image, say("summary.chart_alt")))

    blocks += cause_blocks(reporting, results, verdicts, names)

    blocks += items or []
    blocks += late_blocks(reporting, results)
    blocks += regrade_blocks(reporting, results)

    # totals
    blocks.append(("h2", [say("summary.totals")]))
    spread = Counter(totals)
    blocks.append(("table", [say("summary.total"), say("summary.students")],
                   [[number(total), str(n)] for total, n in sorted(spread.items(), reverse=True)]))

    # what needs a look
    flagged = [[Code(s), "; ".join(reporting.flags(r))] for s, r in sorted(results.items()) if r.flags]
    troubled = [[Code(s), "; ".join(reporting.problems(r))] for s, r in sorted(results.items()) if r.problems]
    blocks.append(("h2", [say("summary.look_at")]))
    if flagged:
        blocks.append(("p", [say("summary.flagged")]))
        blocks.append(("table", [say("summary.student"), say("summary.flags")], flagged))
    if troubled:
        blocks.append(("p", [say("summary.troubled")]))
        blocks.append(("table", [say("summary.student"), say("summary.problems")], troubled))
    if not flagged and not troubled:
        blocks.append(("p", [say("summary.all_fine")]))
    return blocks


def late_blocks(reporting: Reporting, results: Mapping[str, Result]) -> list[Block]:
    """Late submissions: due date (with the student's extension), how late, the penalty nbgrader's plugin gave
    and the score after it; nothing when the assignment has no due date."""
    say = reporting.say
    dated = {student: r.late for student, r in results.items() if r.late is not None}
    if not dated:
        return []
    blocks: list[Block] = [("h2", [say("summary.late")])]
    late = {student: lateness for student, lateness in sorted(dated.items()) if lateness.late}
    plugins = ", ".join(sorted({lateness.plugin for lateness in dated.values()}))
    blocks.append(("p", [say("summary.late_intro", late=_students(reporting, len(late)), count=len(dated),
                             plugin=plugins)]))
    if late:
        rows = [[Code(student), lateness.due,
                 reporting.duration(lateness.extension_seconds) if lateness.extension_seconds > 0 else "",
                 reporting.duration(lateness.seconds_late), number(lateness.penalty),
                 f"{number(lateness.after_penalty)} / {number(results[student].max)}"]
                for student, lateness in late.items()]
        blocks.append(("table", [say("summary.student"), say("summary.due"), say("summary.extension"),
                                 say("summary.late_by"), say("summary.penalty"), say("summary.after_penalty")], rows))
    return blocks


def regrade_blocks(reporting: Reporting, results: Mapping[str, Result]) -> list[Block]:
    """Results graded again after the plan changed: per student the grade before and after, the functions
    whose score or feedback changed, and why; nothing when no result was graded again."""
    say = reporting.say
    regraded = {student: r.regrade for student, r in sorted(results.items()) if r.regrade is not None}
    if not regraded:
        return []
    changed = [student for student, regrade in regraded.items() if regrade.grade_changed]
    blocks: list[Block] = [("h2", [say("summary.regrade")]),
                           ("p", [say("summary.regrade_intro", changed=len(changed), count=len(regraded))])]
    rows = []
    for student, regrade in regraded.items():
        if not regrade.anything_changed:
            continue
        functions = ", ".join(f"{change.function} ({number(change.before)} → {number(change.after)})"
                              if abs(change.before - change.after) > 1e-9 else change.function
                              for change in regrade.functions)
        rows.append([Code(student), number(regrade.before), number(regrade.after), functions,
                     reporting.why(regrade.why), regrade.at])
    if rows:
        blocks.append(("table", [say("summary.student"), say("summary.before"), say("summary.after"),
                                 say("summary.changed_functions"), say("summary.why"), say("summary.when")], rows))
    return blocks


def class_summary(reporting: Reporting, results: Mapping[str, Result], similarity: Mapping[str, Any] | None = None,
                  items: list[Block] | None = None) -> str:
    """Markdown: score distribution per function and the causes of lost marks."""
    return to_markdown(summary_blocks(reporting, results, similarity=similarity, items=items))


def class_summary_html(reporting: Reporting, results: Mapping[str, Result], chart: bool = True,
                       similarity: Mapping[str, Any] | None = None, items: list[Block] | None = None) -> str:
    """The same as :func:`class_summary`, as HTML, with a bar chart of full marks per function."""
    return to_html(reporting.say("summary.title", assignment=reporting.assignment),
                   summary_blocks(reporting, results, chart, similarity, items), reporting.renderer.language)


def write_class_summary(reporting: Reporting, results: Mapping[str, Result],
                        similarity: Mapping[str, Any] | None = None, items: tuple[list[Block], list[Block]] = ([], [])):
    """``reports/<assignment>/summary.md`` and ``summary.html``; returns the Markdown's path. ``items`` are the
    item analysis's blocks for the Markdown and for the HTML (which has a plot)."""
    folder = reporting.course.reports(reporting.assignment)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.html").write_text(class_summary_html(reporting, results, similarity=similarity,
                                                            items=items[1]), encoding="utf-8")
    path = folder / "summary.md"
    path.write_text(class_summary(reporting, results, similarity, items[0]), encoding="utf-8")
    return path
