"""Regrade after a fix: plain ``autograder grade`` (no ``--force``) grades again what an older plan graded.

A real course of the tiny assignment of ``tests/fixtures/tiny_assignment/``
(nbgrader's release and gradebook), four learners: ``right``, ``squares`` (the
catalogued mistake), ``stub`` (the release as handed out) and ``low_rank``,
whose ``double`` only doubles arrays of rank 1 and 2. The instructor changes
the assignment between runs, as they would edit its folder:

1. first plan: no hidden case of rank 3; ``low_rank`` gets full marks;
2. the same plan again: nothing is graded;
3. the instructor adds the hidden case ``block`` (2, 2, 2): every result is
   stale and graded again, without ``--force``; ``low_rank`` loses the point,
   the console says "1 of 4 students' grades changed", report.json, the
   summary, the gradebook and ``low_rank``'s feedback say so (and why), in
   English and in Chinese, and no one else's feedback mentions a regrade;
4. the mistake's hint is reworded: nothing runs in a sandbox, the feedback of
   ``squares`` (the only one whose verdict names that mistake) shows the new
   hint and says it changed;
5. a visible case changes shape, which no grade depends on: everyone is graded
   again and the console says that no grade changed.
"""
from __future__ import annotations

import dataclasses
import json
import re

import nbformat
import pytest

from autograder.grading import cli
from autograder.grading.kit import Kit
from autograder.grading.sandbox import Limits
from instructor import build, course, reference
from instructor.assignments import REGISTRY
from instructor.mistake import hints
from tests.helpers import tiny

NAME = "tiny_double"
LOW_RANK = "def double(x):\n    return x + x if x.ndim < 3 else x\n"
NEW_HINT = hints(en="x was multiplied by itself: double it instead, x + x.",
                 zh="x 被自乘了：应该把它加倍，即 x + x。")


def plans():
    """The assignment as the instructor has it at each step."""
    full = tiny()
    first = dataclasses.replace(full, cases=tuple(case for case in full.cases if case.id != "block"))
    reworded = dataclasses.replace(full, catalogue=(dataclasses.replace(full.catalogue[0], hints=NEW_HINT),))
    vector = tuple(dataclasses.replace(case, params={"shape": (6,)}) if case.id == "vector" else case
                   for case in full.cases)
    return {"first": first, "block_added": full, "hint_reworded": reworded,
            "vector_reshaped": dataclasses.replace(reworded, cases=vector)}


def results(root) -> dict[str, dict]:
    folder = root / ".autograder" / "results" / NAME
    return {path.stem: json.loads(path.read_text()) for path in folder.glob("*.json")}


def feedback(root, student: str, suffix: str = ".md") -> str:
    return (root / "feedback" / student / NAME / f"{NAME}{suffix}").read_text()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{step: (exit status, console, results, report, summary, {student: feedback}, gradebook scores)}."""
    steps = plans()
    root = course.new_course(tmp_path_factory.mktemp("regrade") / "course", steps["first"])
    release = course.generate_release(root, steps["first"]) / f"{NAME}.ipynb"
    learners = {"right": {"double": "def double(x):\n    return 2 * x\n"},
                "squares": steps["first"].catalogue[0].cells(steps["first"].sources()),
                "low_rank": {"double": LOW_RANK}}
    for student, cells in learners.items():
        course.submit(root, student, course.fill_notebook(release, cells), steps["first"])
    course.submit(root, "stub", nbformat.read(release, as_version=4), steps["first"])
    seen = {}
    with pytest.MonkeyPatch.context() as patch:
        for step in ("first", "again", "block_added", "hint_reworded", "vector_reshaped"):
            assignment = steps["first" if step == "again" else step]
            kit = Kit(reference.REPO, REGISTRY.with_assignment(assignment), build)
            errors = []
            patch.setattr("sys.stderr", _Tee(errors))
            status = cli.run(cli.GradeOptions(root, NAME, workers=2, limits=Limits(), progress=False, kit=kit))
            report = json.loads((root / "reports" / NAME / "report.json").read_text())
            seen[step] = {"status": status, "console": "".join(errors), "results": results(root),
                          "report": report["students"], "summary": (root / "reports" / NAME / "summary.md").read_text(),
                          "feedback": {s: feedback(root, s) for s in (*learners, "stub")},
                          "scores": course.scores(root, NAME)}
    return root, seen


class _Tee:
    def __init__(self, into: list[str]) -> None:
        self.into = into

    def write(self, text: str) -> int:
        self.into.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_the_first_plan_gives_low_rank_full_marks(runs):
    _, seen = runs
    first = seen["first"]
    assert first["status"] == 0, first["console"]
    assert {s: r["total"] for s, r in first["results"].items()} == {"right": 1, "squares": 0, "stub": 0,
                                                                     "low_rank": 1}
    assert all(r["regrade"] is None for r in first["report"].values())
    assert "graded again" not in first["console"] and "Graded again" not in first["summary"]


def test_the_same_plan_again_grades_nothing(runs):
    _, seen = runs
    again = seen["again"]
    assert "0 to grade" in again["console"] and "graded against an older plan" not in again["console"]
    assert {s: r["seconds"] for s, r in again["results"].items()} == \
        {s: r["seconds"] for s, r in seen["first"]["results"].items()}


def test_a_hidden_case_added_regrades_everyone_without_force_and_shows_who_changed(runs):
    root, seen = runs
    step = seen["block_added"]
    assert step["status"] == 0, step["console"]
    console = step["console"]
    assert "4 results were graded against an older plan (the checks of double were corrected or extended): " \
           "they are graded again" in console
    assert "1 of 4 students' grades changed; the list is in reports/tiny_double/report.json" in console
    assert {s: r["total"] for s, r in step["results"].items()} == {"right": 1, "squares": 0, "stub": 0,
                                                                    "low_rank": 0}
    assert step["scores"]["low_rank"] == {"test_double": 0.0}  # the gradebook too
    regrade = step["report"]["low_rank"]["regrade"]
    assert (regrade["before"], regrade["after"], regrade["grade_changed"]) == (1.0, 0.0, True)
    assert regrade["why"] == [{"part": "cases", "function": "double", "mistakes": []}]
    assert regrade["functions"] == [{"function": "double", "before": 1.0, "after": 0.0, "max": 1.0,
                                     "feedback_changed": True}]
    for student in ("right", "squares", "stub"):
        entry = step["report"][student]["regrade"]
        assert entry["grade_changed"] is False and entry["functions"] == [], student
        assert "graded again" not in step["feedback"][student], student
    assert "Your grade changed from 1 to 0 (out of 1) when your submission was graded again, because the " \
           "checks of double were corrected or extended." in step["feedback"]["low_rank"]
    assert "- `double`: 1 → 0 / 1" in step["feedback"]["low_rank"]
    summary = step["summary"]
    assert "## Graded again after a change" in summary and "1 of 4 students' grades changed." in summary
    rows = [line for line in summary.split("## Graded again after a change")[1].split("##")[0].splitlines()
            if line.startswith("| `")]
    assert len(rows) == 1 and rows[0].startswith("| `low_rank` | 1 | 0 | double (1 → 0) | the checks of double")


def test_the_chinese_feedback_says_the_grade_changed_and_why(runs, tmp_path):
    import shutil

    root, seen = runs
    place = tmp_path / "course"
    shutil.copytree(root, place)
    from autograder.grading.reports import Reporting
    from autograder.grading.reports.feedback import student_markdown
    from autograder.grading.result import Result
    from autograder.course import Course

    result = Result.from_json(seen["block_added"]["results"]["low_rank"])
    page = student_markdown(Reporting.of(Course(place), NAME, "zh", {}), result)
    assert "你的提交被重新评分后，成绩从 1 变为 0（满分 1），原因是：double 的检查被修正或补充了。" in page


def test_a_reworded_hint_rewrites_the_feedback_it_appears_in_without_grading(runs):
    _, seen = runs
    step = seen["hint_reworded"]
    assert step["status"] == 0, step["console"]
    assert "4 results differ only in hints (the hints for double were rewritten)" in step["console"]
    assert "0 to grade" in step["console"]
    assert "the feedback of 1 student(s) changed, not their grades" in step["console"]
    before = seen["block_added"]["results"]
    assert {s: r["seconds"] for s, r in step["results"].items()} == {s: r["seconds"] for s, r in before.items()}
    squares = step["feedback"]["squares"]
    assert NEW_HINT["en"] in squares and tiny().catalogue[0].hints["en"] not in squares
    assert "Your submission was graded again, because the hints for double were rewritten. Your grade is the " \
           "same (0 / 1)" in squares
    for student in ("right", "stub", "low_rank"):
        assert "hints for double" not in step["feedback"][student], student
    assert step["report"]["squares"]["regrade"]["why"] == [{"part": "hints", "function": "double",
                                                            "mistakes": ["tiny_squared"]}]


def test_a_change_that_moves_no_grade_says_so(runs):
    _, seen = runs
    step = seen["vector_reshaped"]
    assert step["status"] == 0, step["console"]
    assert "4 results were graded against an older plan (the checks of double were corrected or extended)" \
        in step["console"]
    assert "4 students graded again: no grade changed" in step["console"]
    assert not re.search(r"\d+ of \d+ students' grades changed;", step["console"])
    assert {s: r["total"] for s, r in step["results"].items()} == \
        {s: r["total"] for s, r in seen["block_added"]["results"].items()}


def test_the_kit_part_counts_what_runs_not_comments_or_docstrings(tmp_path):
    from autograder.grading import fingerprint

    one, two, three = tmp_path / "one.py", tmp_path / "two.py", tmp_path / "three.py"
    one.write_text('"""A module."""\n\ndef f(x):\n    """Twice x."""\n    return 2 * x  # double\n')
    two.write_text('"""The same module, reworded."""\n\n\ndef f(x):\n    # no docstring now\n    return 2 * x\n')
    three.write_text('"""A module."""\n\ndef f(x):\n    """Twice x."""\n    return x + x\n')
    assert fingerprint._code(one) == fingerprint._code(two) != fingerprint._code(three)


def test_a_fingerprint_names_each_part_that_changed_and_survives_json():
    from autograder.grading.fingerprint import Change, Fingerprint, FunctionPrint, words_only

    old = Fingerprint("k", "s", "r", "l", {"f": FunctionPrint("c", "p", "m", {"m1": "h1", "m2": "h2"}),
                                           "g": FunctionPrint("c", "p", "m", {})})
    new = Fingerprint("k", "s2", "r", "l", {"f": FunctionPrint("c2", "p", "m", {"m1": "h1", "m2": "h3"}),
                                            "h": FunctionPrint("c", "p", "m", {})})
    assert new.changes(old) == (Change("secret"), Change("cases", "f"), Change("hints", "f", ("m2",)),
                                Change("added", "h"), Change("removed", "g"))
    assert Fingerprint.from_json(new.to_json()) == new and new.changes(new) == ()
    assert new.changes(None) == (Change("unrecorded"),)
    assert words_only([Change("hints", "f", ("m2",))]) and not words_only(new.changes(old)) and not words_only([])
