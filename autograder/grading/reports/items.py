"""Item analysis for the class summary: what the class got right, what it got wrong, and what tells them apart.

An *item* is something a student passes or not:

- a graded function: full marks on it;
- a family of its hidden cases (stride > 1, pad 0, overlapping windows, one
  channel, ...: :attr:`instructor.case.Case.families`, read from each case's
  params): every hidden case of that family passed.

For each item the summary shows the share of the class that passed it and a
**discrimination index**: the point-biserial correlation between passing the
item (1 or 0) and the student's *rest score* (their total less the points of
the item's function, so that an item is not correlated with itself), across
the students who were graded on it. It runs from -1 to 1: near 1, the students
who pass the item are those who do well elsewhere; near 0 or below, passing it
has little to do with the rest of the grade, which is worth a look (a case
that tests something the lesson never taught, or a wrong case). It is not
computed with fewer than :data:`MIN_STUDENTS` students, nor when everyone (or
no one) passes the item or everyone has the same rest score.

A case is named as **nearly everyone fails** when at least
:data:`MIN_STUDENTS` students wrote the function (their code ran: not
unfinished, not missing) and at most :data:`HARD_SHARE` of them pass that
case: a lesson problem, or a wrong case.

The data goes into report.json (``items``); the summary shows a table, the
hard cases, and in its HTML a small plot (share passed per item, coloured by
discrimination).
"""
from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from ...messages import en
from ...verdict import Outcome
from ...judge import key_of
from ..kit import AssignmentSpec
from ..result import Result
from . import Reporting
from .document import Block, Code

MIN_STUDENTS = 5
HARD_SHARE = 0.1
NOT_ATTEMPTED = (Outcome.NOT_WRITTEN, Outcome.MISSING, Outcome.NOT_GRADED)
FAMILY_ORDER = [key.removeprefix("family.") for key in en.WORDS if key.startswith("family.")]  # as the words list them


@dataclass(frozen=True)
class Item:
    function: str
    family: str | None  # None: the whole function (full marks)
    cases: tuple[str, ...]  # the case keys a family covers (its hidden cases); () for a whole function
    passed: int
    count: int  # students graded on it
    discrimination: float | None

    @property
    def share(self) -> float | None:
        return self.passed / self.count if self.count else None

    def to_json(self) -> dict:
        return {"function": self.function, "family": self.family, "cases": list(self.cases), "passed": self.passed,
                "count": self.count, "share": self.share,
                "discrimination": None if self.discrimination is None else round(self.discrimination, 4)}


@dataclass(frozen=True)
class HardCase:
    function: str
    case: str  # its case key, e.g. "hidden:stride2_pad0"
    attempted: int  # students whose function ran
    passed: int

    @property
    def share(self) -> float:
        return self.passed / self.attempted if self.attempted else 0.0

    def to_json(self) -> dict:
        return {"function": self.function, "case": self.case, "attempted": self.attempted, "passed": self.passed,
                "share": self.share}


@dataclass(frozen=True)
class ItemAnalysis:
    students: int
    items: tuple[Item, ...]
    hard: tuple[HardCase, ...]

    def to_json(self) -> dict:
        return {"students": self.students, "min_students": MIN_STUDENTS, "hard_share": HARD_SHARE,
                "discrimination": "point-biserial correlation of passing the item with the total less the "
                                  "item's function's points",
                "items": [item.to_json() for item in self.items], "hard_cases": [case.to_json() for case in self.hard]}


def point_biserial(passed: Sequence[bool], rest: Sequence[float]) -> float | None:
    """Pearson's correlation of a 0/1 item with a score; None below :data:`MIN_STUDENTS` or without spread."""
    n = len(passed)
    if n < MIN_STUDENTS or n != len(rest):
        return None
    x = [1.0 if p else 0.0 for p in passed]
    mean_x, mean_y = sum(x) / n, sum(rest) / n
    sxx = sum((v - mean_x) ** 2 for v in x)
    syy = sum((v - mean_y) ** 2 for v in rest)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sum((a - mean_x) * (b - mean_y) for a, b in zip(x, rest)) / math.sqrt(sxx * syy)


def case_families(spec: AssignmentSpec) -> dict[str, dict[str, tuple[str, ...]]]:
    """{function: {case key: its families}} of the hidden cases of assignment ``spec`` (an ``Assignment``)."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for case in spec.cases:
        if case.hidden:
            key = key_of(case.id, True, case.kind)
            found.setdefault(case.function, {})[key] = tuple(case.families)
    return found


def item_analysis(results: Mapping[str, Result], spec: AssignmentSpec, order: Sequence[str] = ()) -> ItemAnalysis:
    """The items of the class's ``results`` (graded against assignment ``spec``), in the lesson's ``order``."""
    families = case_families(spec)
    names: list[str] = []
    for result in results.values():
        names += [name for name in result.functions if name not in names]
    names = [name for name in order if name in names] + [name for name in names if name not in order]
    items, hard = [], []
    for name in names:
        graded = [r for r in results.values() if name in r.functions]
        rest = {r.student: r.total - r.functions[name].score for r in graded}
        full = [r.functions[name].full for r in graded]
        items.append(Item(name, None, (), sum(full), len(graded),
                          point_biserial(full, [rest[r.student] for r in graded])))
        by_family: dict[str, list[str]] = {}
        for key, tags in families.get(name, {}).items():
            for tag in tags:
                by_family.setdefault(tag, []).append(key)
        for family, keys in sorted(by_family.items(), key=lambda item: _rank(item[0])):
            counted = [r for r in graded if all(key in r.functions[name].cases for key in keys)]
            passed = [all(r.functions[name].cases[key] for key in keys) for r in counted]
            items.append(Item(name, family, tuple(keys), sum(passed), len(counted),
                              point_biserial(passed, [rest[r.student] for r in counted])))
        attempted = [r.functions[name] for r in graded if r.functions[name].verdict.outcome not in NOT_ATTEMPTED]
        keys = list(dict.fromkeys(key for entry in attempted for key in entry.cases))
        for key in keys:
            ran = [entry.cases[key] for entry in attempted if key in entry.cases]
            if len(ran) >= MIN_STUDENTS and sum(ran) <= HARD_SHARE * len(ran):
                hard.append(HardCase(name, key, len(ran), sum(ran)))
    return ItemAnalysis(len(results), tuple(items), tuple(hard))


def _rank(family: str) -> int:
    return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)


def telling(analysis: ItemAnalysis) -> list[Item]:
    """The items worth a row: every function, and the families whose share differs from their function's (a
    family passed exactly as often as its function as a whole says nothing more; report.json has it)."""
    whole = {item.function: item for item in analysis.items if item.family is None}
    return [item for item in analysis.items if item.family is None or
            (item.passed, item.count) != (whole[item.function].passed, whole[item.function].count)]


# -- in words and a picture -----------------------------------------------------------------------------------
def _label(reporting: Reporting, item: Item) -> str:
    return item.function if item.family is None else reporting.say(f"family.{item.family}")


def _share(item: Item) -> str:
    return "" if item.share is None else f"{item.passed} / {item.count} ({round(100 * item.share)}%)"


def _discrimination(item: Item) -> str:
    return "—" if item.discrimination is None else f"{item.discrimination:+.2f}"


def _case_words(reporting: Reporting, key: str) -> str:
    visibility, _, case = key.partition(":")
    return reporting.say(f"items.case_{visibility}", case=case)


def items_blocks(reporting: Reporting, analysis: ItemAnalysis, chart: bool = False) -> list[Block]:
    """The item analysis section of the class summary (with a plot when ``chart``, for the HTML)."""
    say = reporting.say
    if not analysis.items:
        return []
    blocks: list[Block] = [("h2", [say("items.title")]),
                           ("p", [say("items.intro", min=MIN_STUDENTS)])]
    rows = []
    for item in telling(analysis):
        label: list = [Code(item.function)] if item.family is None else ["· " + _label(reporting, item)]
        rows.append([*label, _share(item), _discrimination(item)])
    blocks.append(("table", [say("items.item"), say("items.passed"), say("items.discrimination")], rows))
    if chart:
        image = _plot(reporting, analysis)
        if image:
            blocks.append(("img", image, say("items.chart_alt")))
    if analysis.hard:
        blocks.append(("p", [say("items.hard_intro", share=round(100 * HARD_SHARE), min=MIN_STUDENTS)]))
        blocks.append(("ul", [[Code(case.function), ": ", _case_words(reporting, case.case), " — ",
                               say("items.hard_case", passed=case.passed, attempted=case.attempted)]
                              for case in analysis.hard]))
    else:
        blocks.append(("p", [say("items.no_hard", share=round(100 * HARD_SHARE), min=MIN_STUDENTS)]))
    return blocks


def _plot(reporting: Reporting, analysis: ItemAnalysis) -> str | None:
    """Horizontal bars: the share of the class that passed each function and telling family, coloured by its
    discrimination (grey where none is computed), with a colour bar; base64 PNG, None without matplotlib."""
    try:
        from matplotlib import colormaps
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize
        from matplotlib.figure import Figure
        from matplotlib.ticker import PercentFormatter
    except ImportError:
        return None
    items = [item for item in telling(analysis) if item.count]
    if not items:
        return None
    english = reporting.renderer.language == "en"
    family = None
    if not english:
        from ...figures import cjk_family

        family = cjk_family()
    words = english or family is not None  # without a CJK font, figure texts stay English
    fonts = ["DejaVu Sans", *([family] if family else [])]
    labels = [item.function if item.family is None else
              "· " + (_label(reporting, item) if words else en.WORDS[f"family.{item.family}"]) for item in items]
    colours, scale = colormaps["RdYlGn"], Normalize(-1, 1)
    figure = Figure(figsize=(6.4, 0.2 * len(items) + 1.3), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(items)))[::-1]
    axes.barh(positions, [item.share for item in items], height=0.75,
              color=["#bbbbbb" if item.discrimination is None else colours(scale(item.discrimination))
                     for item in items], edgecolor=["#333333" if item.family is None else "none" for item in items])
    axes.set_yticks(positions, labels, fontsize=7)
    for tick, item in zip(axes.get_yticklabels(), items):
        tick.set_fontfamily(["monospace"] if item.family is None else fonts)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.tick_params(axis="x", labelsize=8)
    axes.set_xlabel(reporting.say("items.chart_axis") if words else en.WORDS["items.chart_axis"], fontsize=8,
                    fontfamily=fonts)
    bar = figure.colorbar(ScalarMappable(scale, colours), ax=axes, fraction=0.04, pad=0.02)
    bar.set_label(reporting.say("items.discrimination") if words else en.WORDS["items.discrimination"], fontsize=8,
                  fontfamily=fonts)
    bar.ax.tick_params(labelsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")
