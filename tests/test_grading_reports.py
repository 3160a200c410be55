"""Per-student feedback and the class summary, on results of the real grader on real submission notebooks.

A small cohort is graded with :func:`autograder.grading.runner.grade` (sandbox
as in a real run) in a course directory holding this kit's ``source/`` and
committed ``release/``: the demo's submissions, a few catalogued mistakes, two
learners who convert the bias with ``float()`` (numpy 2 refuses it), a
truncated notebook, a notebook with an edited locked cell and one whose cell
raises. The results then go through JSON, as the grader stores them, and are
rendered in English and in Chinese.
"""
from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil

import nbformat
import numpy as np
import pytest

from autograder.course import Course
from autograder.grading.kit import load_kit
from autograder.grading.plan import make_plan
from autograder.grading.reports import Reporting, lesson_order
from autograder.grading.reports import feedback as pages
from autograder.grading.reports.document import markdown_text
from autograder.grading.reports.report import report_entry
from autograder.grading.reports.summary import OUTCOMES, class_summary, class_summary_html, write_class_summary
from autograder.grading.result import Result
from autograder.grading.runner import grade
from autograder.grading.sandbox import Limits
from autograder.verdict import Verdict
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
FUNCTIONS = list(STEP_BY_STEP.functions)
HINTS = {m.id: dict(m.hints) for m in STEP_BY_STEP.catalogue}
CHOSEN = ("bias_per_element", "mask_from_min", "average_not_divided", "conv_stride_ignored")
FLOAT_B = "Z = float(np.sum(a_slice_prev * W) + b)\n    return Z\n"  # the most common real failure


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """(course directory, {student: result}) with results as stored (through JSON, keys sorted)."""
    root = course.new_course(tmp_path_factory.mktemp("reports") / "course", STEP_BY_STEP)
    shutil.copytree(reference.REPO / "release" / ASSIGNMENT, root / "release" / ASSIGNMENT)
    plan = make_plan(Course(root), ASSIGNMENT, load_kit(root, reference.REPO))
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    sources = STEP_BY_STEP.sources()
    notebooks = {example.student: course.fill_notebook(release, dict(example.cells))
                 for example in STEP_BY_STEP.examples(STEP_BY_STEP)}
    for mistake_id in CHOSEN:
        notebooks[f"mistake_{mistake_id}"] = course.fill_notebook(
            release, STEP_BY_STEP.mistake(mistake_id).cells(sources))
    float_b = sources["conv_single_step"].split("    ### BEGIN SOLUTION")[0] + "    " + FLOAT_B
    for student in ("float_b_1", "float_b_2"):
        notebooks[student] = course.fill_notebook(release, {**sources, "conv_single_step": float_b})
    notebooks["two_causes"] = course.fill_notebook(release, {
        **STEP_BY_STEP.mistake("conv_stride_ignored").cells(sources), "conv_single_step": float_b})
    # conv_forward computes each window's sum inline and never calls her conv_single_step (which is wrong)
    stride_ignored = STEP_BY_STEP.mistake("conv_stride_ignored").cells(sources)
    inline = stride_ignored["conv_forward"].replace(
        "conv_single_step(a_slice_prev, W[:, :, :, c], b[:, :, :, c])",
        "np.sum(a_slice_prev * W[:, :, :, c]) + b[0, 0, 0, c].item()")
    assert inline != stride_ignored["conv_forward"]
    notebooks["inline_sum"] = course.fill_notebook(release, {
        **STEP_BY_STEP.mistake("bias_per_element").cells(sources), "conv_forward": inline})
    tampered = course.fill_notebook(release, sources)
    test_cell = next(c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_zero_pad")
    test_cell.source += "\nprint('all good')"
    notebooks["tamperer"] = tampered
    notebooks["crasher"] = course.fill_notebook(
        release, {**sources, "zero_pad": "raise RuntimeError('my cell is broken')\n" + sources["zero_pad"]})
    data = {student: nbformat.writes(nb).encode() for student, nb in notebooks.items()}
    data["truncated"] = nbformat.writes(notebooks["correct_vectorized"]).encode()[:5000]
    results = {student: grade(plan, student, notebook, Limits(), True) for student, notebook in data.items()}
    return root, {student: Result.from_json(json.loads(json.dumps(result.to_json(), sort_keys=True)))
                  for student, result in results.items()}


def reporting(root, language: str = "en") -> Reporting:
    return Reporting.of(Course(root), ASSIGNMENT, language, HINTS)


def verdict(result: Result, function: str) -> Verdict:
    return result.functions[function].verdict


def _text(page: str) -> str:
    """What a reader of an HTML page sees: no tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<head>.*?</head>", "", page, flags=re.S)))


def _md_rows(markdown: str, first_cell: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is ``first_cell``, each as the text it shows
    (backslash escapes undone: the pages escape every character a viewer could act on)."""
    for line in markdown.splitlines():
        cells = [re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", cell.strip())
                 for cell in re.split(r"(?<!\\) \| ", line.strip().strip("|"))]
        if line.startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in:\n{markdown}")


# -- what was graded --------------------------------------------------------------------------------------
def test_the_cohort_was_graded_as_expected(cohort):
    root, results = cohort
    english = reporting(root)
    assert results["correct_vectorized"].total == results["correct_vectorized"].max == 25
    assert results["tamperer"].total == 25
    assert english.flags(results["tamperer"]) == ["locked cell 'test_zero_pad' was edited"]
    assert results["truncated"].total == 0
    assert "could not be read" in english.problems(results["truncated"])[0]
    assert any("my cell is broken" in problem for problem in english.problems(results["crasher"]))
    for mistake_id in CHOSEN:
        entries = results[f"mistake_{mistake_id}"].functions
        assert {f for f, e in entries.items() if e.score < e.max} == set(STEP_BY_STEP.mistake(mistake_id).breaks)
        function = STEP_BY_STEP.mistake(mistake_id).function
        assert verdict(results[f"mistake_{mistake_id}"], function).mistake == mistake_id
    for student in ("float_b_1", "float_b_2"):
        assert verdict(results[student], "conv_single_step").diagnosis.id == "numpy2_scalar_conversion"


def test_the_fix_of_an_exception_is_tried_in_the_sandbox_before_it_is_offered(cohort):
    """float_b's conv_single_step: the line with float(...) is changed in a copy of her cell, run on every case and
    probe in the sandbox, and only then offered, with what it did."""
    root, results = cohort
    found = verdict(results["float_b_1"], "conv_single_step").diagnosis
    assert found.values["tried"] == "passes"
    assert found.values["new"] == "Z = (np.sum(a_slice_prev * W) + b).item()"
    text = _text(pages.student_html(reporting(root), results["float_b_1"]))
    assert "Write `Z = (np.sum(a_slice_prev * W) + b).item()` there (it works on numpy 1 and 2): with that change, " \
           "your function passes every case." in text


def test_report_json_keeps_its_fields_and_adds_kind_and_diagnosis(cohort):
    root, results = cohort
    entry = report_entry(reporting(root), results["seed_lesson_code"])
    assert set(entry) == {"total", "max", "functions", "flags", "errors", "isolation", "late", "regrade", "review"}
    assert entry["late"] is None and entry["regrade"] is None and entry["review"] is None  # as graded, once
    single = entry["functions"]["conv_single_step"]
    assert set(single) == {"score", "max", "message", "mistake", "kind", "diagnosis", "causes"}
    assert single["kind"] == "wrong_value" and single["mistake"] == single["diagnosis"] == "bias_per_element"
    assert single["causes"] == entry["functions"]["conv_forward"]["causes"] == ["bias_per_element"]
    assert "Hint: the bias was added to every element" in single["message"]
    assert entry["functions"]["zero_pad"] == {"score": 2.0, "max": 2.0, "message": None, "mistake": None,
                                               "kind": "passed", "diagnosis": None, "causes": []}


# -- per-student feedback ---------------------------------------------------------------------------------
def test_feedback_shows_score_per_function_and_the_hint_of_each_failure(cohort):
    root, results = cohort
    english = reporting(root)
    result = results["seed_lesson_code"]
    markdown = pages.student_markdown(english, result)
    page = pages.student_html(english, result)
    text = _text(page)
    assert "Score: 10 / 25" in markdown and "Score: 10 / 25" in text
    failing = {f for f, e in result.functions.items() if e.score < e.max}
    assert failing == {"conv_single_step", "conv_forward", "conv_backward", "pool_backward"}
    for function, entry in result.functions.items():
        score = f"{entry.score:g} / {entry.max:g}"
        assert _md_rows(markdown, f"`{function}`")[1:] == [score, "not yet" if function in failing else "passed"]
        assert f"<td><code>{function}</code></td><td>{score}</td>" in page
        heading_md = f"## `{function}`: {score}"
        heading_html = f"<h2><code>{function}</code>: {score}</h2>"
        if function in failing:
            hint = english.renderer.hint(verdict(result, function))
            problem = english.renderer.message(verdict(result, function))
            assert hint, function  # every seed bug is catalogued
            assert heading_md in markdown and heading_html in page
            assert problem in markdown and f"> **Hint:** {markdown_text(hint)}" in markdown  # escaped: inert
            assert html.escape(problem) in page and f"<b>Hint:</b> {html.escape(hint)}" in page
        else:
            assert heading_md not in markdown and heading_html not in page
    assert "the bias was added to every element" in markdown and "the bias was added to every element" in text
    assert markdown.count("**Hint:**") == text.count("Hint:") == 4
    # functions in lesson order, not in the stored (alphabetical) order
    assert markdown.index("`zero_pad`") < markdown.index("`conv_single_step`") < markdown.index("`pool_backward`")


def test_the_chinese_feedback_page_is_chinese_throughout(cohort):
    root, results = cohort
    chinese = reporting(root, "zh")
    for student in ("seed_lesson_code", "truncated", "crasher", "float_b_1"):
        page = pages.student_html(chinese, results[student])
        text = _text(page)
        for english in ("Score", "passed", "not yet", "hidden tests", "Problems with the notebook", "Hint",
                        "feedback for", "is not right yet", "Each function", "could not be read", "did not run"):
            assert english not in text, (student, english)
        assert "<html lang='zh'>" in page and "得分" in text
    seed = pages.student_markdown(chinese, results["seed_lesson_code"])
    assert "提示" in seed and markdown_text(STEP_BY_STEP.mistake("bias_per_element").hints["zh"]) in seed


def test_markdown_and_html_say_the_same(cohort):
    root, results = cohort
    for language in ("en", "zh"):
        reports = reporting(root, language)
        for student, result in results.items():
            markdown = pages.student_markdown(reports, result)
            text = _text(pages.student_html(reports, result))
            markup = re.compile(r"[`*#>|\\\s-]")  # Markdown's markup, and all spacing, set aside on both sides
            assert markup.sub("", markdown) == markup.sub("", text), student


def test_a_correct_submission_gets_no_hint_and_an_unfinished_one_is_told_what_to_write(cohort):
    root, results = cohort
    english = reporting(root)
    correct = pages.student_markdown(english, results["correct_vectorized"])
    assert "Score: 25 / 25" in correct and "Hint" not in correct and "not yet" not in correct
    assert correct.count("| passed |") == len(FUNCTIONS)
    unfinished = pages.student_markdown(english, results["unfinished"])
    for function in FUNCTIONS[3:]:
        assert f"{function} is not finished yet" in unfinished
    for function in FUNCTIONS[:3]:
        assert f"{function} is not finished yet" not in unfinished


def test_problems_with_the_notebook_are_explained_but_flags_stay_with_the_instructor(cohort):
    root, results = cohort
    english = reporting(root)
    truncated = pages.student_markdown(english, results["truncated"])
    assert "## Problems with the notebook" in truncated and "could not be read" in truncated
    assert "Score: 0 / 25" in truncated
    crasher = pages.student_markdown(english, results["crasher"])
    assert "RuntimeError: my cell is broken" in crasher
    assert _md_rows(crasher, "`zero_pad`")[1] == "0 / 2"
    tamperer = pages.student_markdown(english, results["tamperer"])
    assert "Score: 25 / 25" in tamperer and "locked" not in tamperer and "test_zero_pad" not in tamperer


def test_a_function_that_fails_through_its_helper_points_at_it_and_is_judged_with_the_reference_helper(cohort):
    """float_b_1's conv_forward is the reference's, and fails only because her conv_single_step raises: it is
    judged again with correct answers from conv_single_step, passes, and is told that its own code is right."""
    root, results = cohort
    result = results["float_b_1"]
    found = verdict(result, "conv_forward")
    assert (found.diagnosis.id, found.diagnosis.values["helper"]) == ("helper_fails", "conv_single_step")
    assert found.diagnosis.values["causes"] == ["numpy2_scalar_conversion"]
    assert [d.id for d in found.more] == ["own_code_right"]
    assert result.functions["conv_forward"].score == 0  # the grading policy does not change
    for language, words in (("en", "With correct answers from conv_single_step in place of yours, conv_forward "
                                   "passes every case: the rest of conv_forward is right."),
                            ("zh", "把你的 conv_single_step 换成正确的返回值后，conv_forward 通过了所有用例")):
        markdown = pages.student_markdown(reporting(root, language), result)
        assert words in markdown, language


def test_a_function_that_never_calls_the_failing_helper_is_not_sent_to_it(cohort):
    """inline_sum's conv_single_step adds the bias per element, but her conv_forward sums each window inline (the
    calls it makes are traced in the sandbox): conv_forward is told of its own mistake, the stride, not the helper."""
    root, results = cohort
    found = verdict(results["inline_sum"], "conv_forward")
    assert (found.diagnosis.id, found.diagnosis.source) == ("conv_stride_ignored", "mistake") and not found.more
    assert verdict(results["inline_sum"], "conv_single_step").mistake == "bias_per_element"
    assert "conv_single_step" not in reporting(root).renderer.hint(found)


def test_two_causes_in_one_function_are_both_named_in_the_order_to_fix_them(cohort):
    """two_causes: conv_single_step converts the bias with float() (numpy 2 refuses it) and conv_forward ignores
    the stride. conv_forward is told to fix its helper first, then its own stride, with the catalogue's hint."""
    root, results = cohort
    found = verdict(results["two_causes"], "conv_forward")
    assert found.diagnosis.id == "helper_fails" and found.diagnosis.values["causes"] == ["numpy2_scalar_conversion"]
    assert [(d.id, d.source) for d in found.more] == [("conv_stride_ignored", "mistake")]
    text = reporting(root).renderer.text(found)
    assert "2 things to fix, in this order: (1) conv_forward calls your conv_single_step" in text
    assert "(2) With correct answers from conv_single_step in place of yours, conv_forward still fails: the window " \
           "did not move by the stride" in text
    chinese = reporting(root, "zh").renderer.text(found)
    assert "有 2 处要改，按这个顺序" in chinese and "窗口没有按步幅移动" in chinese


def test_feedback_states_no_number_beyond_the_failure_messages(cohort):
    """No hidden input or expected value slips in: every long number shown is in one of the student's messages."""
    root, results = cohort
    english = reporting(root)
    for student, result in results.items():
        entry = report_entry(english, result)
        messages = " ".join(e["message"] or "" for e in entry["functions"].values()) + " ".join(entry["errors"])
        for page in (pages.student_markdown(english, result), _text(pages.student_html(english, result))):
            assert "hidden=True" not in page and "BEGIN HIDDEN TESTS" not in page
            for number in re.findall(r"-?\d+\.\d{3,}(?:e[-+]?\d+)?", page):
                assert number in messages, (student, number)


def test_write_student_feedback_brings_what_release_feedback_needs(cohort, tmp_path):
    root, results = cohort
    place = tmp_path / "course"
    shutil.copytree(root / "source", place / "source")
    shutil.copy(root / "nbgrader_config.py", place / "nbgrader_config.py")
    submitted = place / "submitted" / "seed_lesson_code" / ASSIGNMENT
    submitted.mkdir(parents=True)
    (submitted / "timestamp.txt").write_text("2026-01-02 03:04:05.678901 UTC")
    (submitted / "submission_secret.txt").write_text("f" * 128)
    (submitted / f"{ASSIGNMENT}.ipynb").write_text("{}")
    (tmp_path / "instructor-only.txt").write_text("secret")
    (submitted / "peek.txt").symlink_to(tmp_path / "instructor-only.txt")
    reports = reporting(place)
    assert not pages.has_feedback(reports, "seed_lesson_code")
    path = pages.write_student_feedback(reports, results["seed_lesson_code"])
    folder = place / "feedback" / "seed_lesson_code" / ASSIGNMENT
    assert path == folder / f"{ASSIGNMENT}.html" and pages.has_feedback(reports, "seed_lesson_code")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{ASSIGNMENT}.html", f"{ASSIGNMENT}.md", "submission_secret.txt", "timestamp.txt"])
    assert (folder / "submission_secret.txt").read_text() == "f" * 128
    assert (folder / "timestamp.txt").read_text() == "2026-01-02 03:04:05.678901 UTC"
    assert "Submitted at 2026-01-02 03:04:05.678901 UTC." in (folder / f"{ASSIGNMENT}.md").read_text()
    # formgrader counts a submission as autograded when autograded/<student>/<assignment>/ exists: a plain copy
    autograded = place / "autograded" / "seed_lesson_code" / ASSIGNMENT
    assert sorted(p.name for p in autograded.iterdir()) == sorted(
        [f"{ASSIGNMENT}.ipynb", "submission_secret.txt", "timestamp.txt"])  # the link is not copied
    # the submission is replaced by one placed by hand: no old secret may stay behind to release it under
    (submitted / "submission_secret.txt").unlink()
    (submitted / "timestamp.txt").unlink()
    pages.write_student_feedback(reports, results["seed_lesson_code"])
    assert sorted(p.name for p in folder.iterdir()) == [f"{ASSIGNMENT}.html", f"{ASSIGNMENT}.md"]


# -- the class summary --------------------------------------------------------------------------------------
def test_the_summary_gives_the_score_distribution_per_function(cohort):
    root, results = cohort
    summary = class_summary(reporting(root), results)
    count = len(results)
    assert f"{count} students graded" in summary
    header = _md_rows(summary, "function")
    for function in FUNCTIONS:
        row = dict(zip(header, _md_rows(summary, f"`{function}`")))
        entries = [r.functions[function] for r in results.values()]
        assert int(row["full marks"]) == sum(e.score == e.max for e in entries)
        assert int(row["known mistake"]) == sum(bool(verdict(r, function).mistake) for r in results.values())
        assert sum(int(row[reporting(root).say(f"outcome.{kind}")]) for kind in OUTCOMES) == count
        parts = row["scores (score: students)"].split(", ")
        scores = {float(s): int(n) for s, n in (part.split(": ") for part in parts)}
        assert scores == {s: sum(e.score == s for e in entries) for s in {e.score for e in entries}}
    pool_forward = dict(zip(header, _md_rows(summary, "`pool_forward`")))
    # unfinished and the truncated notebook did not write it; one student averaged without dividing
    assert pool_forward["not written or missing"] == "2" and pool_forward["known mistake"] == "1"
    assert pool_forward["full marks"] == str(count - 3)
    assert summary.index("| `zero_pad` |") < summary.index("| `pool_backward` |")  # lesson order


def _table(summary: str, heading: str) -> dict[str, dict[str, str]]:
    """{first cell: {column: cell}} of the table under ``## heading``, each cell as the text it shows (backslash
    escapes undone: the pages escape every character a viewer could act on)."""
    part = summary.split(f"## {heading}")[1].split("\n## ")[0]

    def cells(line: str) -> list[str]:
        return [re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", cell.strip())
                for cell in re.split(r"(?<!\\) \| ", line.strip().strip("|"))]
    lines = [line for line in part.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    header = cells(lines[0])
    return {row[0].strip("`"): dict(zip(header, row)) for row in map(cells, lines[1:])}


def test_the_summary_groups_lost_marks_by_cause(cohort):
    root, results = cohort
    english = reporting(root)
    summary = class_summary(english, results)
    rows = _table(summary, "Why marks were lost: what to teach again")
    # the seed code and the planted bias_per_element both add the bias per element; their conv_forward fails
    # through that helper, and counts under the helper's cause
    assert rows["bias_per_element"]["students"] == "3"
    assert rows["bias_per_element"]["who"] == "inline_sum, mistake_bias_per_element, seed_lesson_code"
    # inline_sum's conv_forward never calls her conv_single_step: it is not counted there
    assert rows["bias_per_element"]["marks lost in (students)"] == "conv_single_step (3), conv_forward (2)"
    assert rows["bias_per_element"]["hint"] == HINTS["bias_per_element"]["en"]
    assert "helper_fails" not in rows
    # a second cause counts too: two_causes's conv_forward ignores the stride besides its failing helper
    assert rows["conv_stride_ignored"]["who"] == "inline_sum, mistake_conv_stride_ignored, two_causes"
    assert rows["conv_stride_ignored"]["marks lost in (students)"] == "conv_forward (3)"
    assert rows["mask_from_min"]["students"] == "1"
    assert rows["not finished yet"]["who"] == "unfinished"
    assert "numpy2_scalar_conversion" not in rows
    counts = [int(row["students"]) for row in rows.values()]
    assert counts == sorted(counts, reverse=True)  # the most frequent cause first


def test_the_environment_is_one_group_with_its_cost_and_what_the_instructor_can_do(cohort):
    """numpy 2 refusing float() of the bias: the students' conv_single_step and the conv_forward that fails
    through it, one row, apart from the mistakes to teach again, with the points it cost and what to do."""
    root, results = cohort
    summary = class_summary(reporting(root), results)
    assert summary.index("## Lost to the class's environment") < summary.index("## Why marks were lost")
    rows = _table(summary, "Lost to the class's environment, not to the lesson")
    assert list(rows) == ["numpy2_scalar_conversion"]
    row = rows["numpy2_scalar_conversion"]
    assert row["who"] == "float_b_1, float_b_2, two_causes"
    assert row["marks lost in (students)"] == "conv_single_step (3), conv_forward (3)"
    points = {name: results["float_b_1"].functions[name].max for name in ("conv_single_step", "conv_forward")}
    assert float(row["points lost"]) == 3 * (points["conv_single_step"] + points["conv_forward"])
    assert float(row["of which by this cause alone"]) == 3 * points["conv_single_step"] + 2 * points["conv_forward"]
    assert "numpy<2" in row["what you can do"] and "b.item()" in row["what you can do"]
    chinese = _text(class_summary_html(reporting(root, "zh"), results, chart=False))
    assert "因全班的运行环境而失分" in chinese and "numpy<2" in chinese


def test_the_chinese_summary_is_chinese_throughout(cohort):
    root, results = cohort
    chinese = reporting(root, "zh")
    page = class_summary_html(chinese, results)
    text = _text(page)
    for english in ("students graded", "Per function", "full marks", "Why marks were lost", "Totals",
                    "Notebooks to look at", "Isolation in force", "not written", "students with full marks",
                    "the bias was added", "locked cell"):
        assert english not in text, english
    assert "全班汇总" in text and "失分原因" in text
    assert HINTS["bias_per_element"]["zh"] in text


def test_the_summary_points_at_notebooks_to_look_at_and_says_which_isolation_ran(cohort):
    root, results = cohort
    english = reporting(root)
    summary = class_summary(english, results)
    look = summary.split("## Notebooks to look at")[1]
    assert "| `tamperer` | locked cell 'test_zero_pad' was edited |" in look
    assert "`truncated`" in look and "`crasher`" in look and "my cell is broken" in look
    assert "`seed_lesson_code`" not in look
    isolation = {english.isolation(r.isolation) for r in results.values() if r.isolation}
    assert len(isolation) == 1
    assert f"Isolation in force: {isolation.pop()} ({len(results) - 1} students)" in summary
    totals = dict(line.strip("|").replace(" ", "").split("|") for line in summary.split("## Totals")[1]
                  .split("##")[0].splitlines() if re.match(r"\| \d", line))
    assert totals == {f"{t:g}": str(sum(r.total == t for r in results.values()))
                      for t in {r.total for r in results.values()}}


def test_the_html_summary_has_the_same_tables_and_a_bar_chart(cohort):
    import matplotlib.image

    root, results = cohort
    english = reporting(root)
    page = class_summary_html(english, results)
    markdown = class_summary(english, results)
    text = _text(page)
    row = _md_rows(markdown, "`bias_per_element`")
    assert "<tr><td><code>bias_per_element</code></td>{}</tr>".format(
        "".join(f"<td>{html.escape(c)}</td>" for c in row[1:])) in page
    assert "Why marks were lost: what to teach again" in text and "Notebooks to look at" in text
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert len(images) == 1
    png = base64.b64decode(images[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = matplotlib.image.imread(io.BytesIO(png))
    assert pixels.shape[0] > 200 and pixels.shape[1] > 400
    green = np.all(np.abs(pixels[..., :3] - np.array([0x3A, 0x7D, 0x44]) / 255) < 0.02, axis=-1)
    assert green.sum() > 1000  # the bars of full marks are drawn
    assert "data:image" not in markdown


def test_write_class_summary_writes_markdown_and_html_in_lesson_order(cohort, tmp_path):
    root, results = cohort
    place = tmp_path / "course"
    shutil.copytree(root / "source", place / "source")
    shutil.copy(root / "nbgrader_config.py", place / "nbgrader_config.py")
    reports = reporting(place)
    path = write_class_summary(reports, results)
    assert path == place / "reports" / ASSIGNMENT / "summary.md"
    assert path.read_text() == class_summary(reports, results)
    assert (path.parent / "summary.html").read_text().count("data:image/png;base64,") == 1
    assert lesson_order(Course(place), ASSIGNMENT) == FUNCTIONS


def test_an_empty_class_gets_a_summary_that_says_so(tmp_path):
    reports = reporting(tmp_path)
    assert "No submission has been graded yet." in class_summary(reports, {})
    assert "No submission has been graded yet." in class_summary_html(reports, {})
