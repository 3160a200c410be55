"""Per-student feedback and the class summary, on results of the real grader on real submission notebooks.

A small cohort is graded with :func:`autograder.grading.runner.grade` (sandbox
as in a real run) in a course directory holding this kit's ``source/`` and
committed ``release/``: the demo's submissions, a few catalogued mistakes, a
truncated notebook, a notebook with an edited locked cell and one whose cell
raises. The results then go through JSON, as the grader stores them.
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

from autograder.grading import reports
from autograder.grading.plan import make_plan
from autograder.grading.runner import grade
from autograder.grading.sandbox import Limits
from instructor import course, reference
from instructor.examples import example_submissions
from instructor.mistakes import CATALOGUE

ASSIGNMENT = reference.ASSIGNMENT
FUNCTIONS = list(reference.GRADED_FUNCTIONS)
MISTAKES = {m.id: m for m in CATALOGUE}
CHOSEN = ("bias_per_element", "mask_from_min", "average_not_divided", "conv_stride_ignored")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """(course directory, {student: result}) with results as stored (JSON, keys sorted)."""
    root = course.new_course(tmp_path_factory.mktemp("reports") / "course")
    shutil.copytree(reference.REPO / "release" / ASSIGNMENT, root / "release" / ASSIGNMENT)
    plan = make_plan(root, ASSIGNMENT)
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    sources = reference.solution_sources()
    notebooks = {student: course.fill_notebook(release, cells) for student, (_, cells) in example_submissions().items()}
    for mistake_id in CHOSEN:
        mistake = MISTAKES[mistake_id]
        notebooks[f"mistake_{mistake_id}"] = course.fill_notebook(
            release, {**sources, mistake.function: mistake.wrong_source(sources)})
    tampered = course.fill_notebook(release, sources)
    test_cell = next(c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_zero_pad")
    test_cell.source += "\nprint('all good')"
    notebooks["tamperer"] = tampered
    notebooks["crasher"] = course.fill_notebook(
        release, {**sources, "zero_pad": "raise RuntimeError('my cell is broken')\n" + sources["zero_pad"]})
    data = {student: nbformat.writes(nb).encode() for student, nb in notebooks.items()}
    data["truncated"] = nbformat.writes(notebooks["correct_vectorized"]).encode()[:5000]
    results = {student: grade(plan, student, notebook, Limits(), True) for student, notebook in data.items()}
    return root, json.loads(json.dumps(results, sort_keys=True))


def _text(page: str) -> str:
    """What a reader of an HTML page sees: no tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<head>.*?</head>", "", page, flags=re.S)))


def _md_rows(markdown: str, first_cell: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is ``first_cell``."""
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if line.startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in:\n{markdown}")


# -- per-student feedback --------------------------------------------------------------------------
def test_the_cohort_was_graded_as_expected(cohort):
    _, results = cohort
    assert results["correct_vectorized"]["total"] == results["correct_vectorized"]["max"] == 25
    assert results["tamperer"]["total"] == 25 and results["tamperer"]["flags"] == [
        "locked cell 'test_zero_pad' was edited"]
    assert results["truncated"]["total"] == 0 and "could not be read" in results["truncated"]["errors"][0]
    assert any("my cell is broken" in error for error in results["crasher"]["errors"])
    for mistake_id in CHOSEN:
        entries = results[f"mistake_{mistake_id}"]["functions"]
        assert {f for f, e in entries.items() if e["score"] < e["max"]} == set(MISTAKES[mistake_id].breaks)


def test_feedback_shows_score_per_function_and_the_hint_of_each_failure(cohort):
    _, results = cohort
    result = results["seed_lesson_code"]
    markdown = reports.student_markdown(ASSIGNMENT, result, FUNCTIONS)
    page = reports.student_html(ASSIGNMENT, result, FUNCTIONS)
    text = _text(page)
    assert "Score: 10 / 25" in markdown and "Score: 10 / 25" in text
    failing = {f for f, e in result["functions"].items() if e["score"] < e["max"]}
    assert failing == {"conv_single_step", "conv_forward", "conv_backward", "pool_backward"}
    for function, entry in result["functions"].items():
        score = f"{entry['score']:g} / {entry['max']:g}"
        assert _md_rows(markdown, f"`{function}`")[1:] == [score, "not yet" if function in failing else "passed"]
        assert f"<td><code>{function}</code></td><td>{score}</td>" in page
        heading_md = f"## `{function}`: {score}"
        heading_html = f"<h2><code>{function}</code>: {score}</h2>"
        if function in failing:
            problem, hint = reports.split_hint(entry["message"])
            assert hint, function  # every seed bug is catalogued
            assert heading_md in markdown and heading_html in page
            assert problem in markdown and f"> **Hint:** {hint}" in markdown
            assert html.escape(problem) in page and f"<b>Hint:</b> {html.escape(hint)}" in page
        else:
            assert heading_md not in markdown and heading_html not in page
    assert "the bias was added to every element" in markdown and "the bias was added to every element" in text
    assert markdown.count("**Hint:**") == text.count("Hint:") == 4
    # functions in lesson order, not in the stored (alphabetical) order
    assert markdown.index("`zero_pad`") < markdown.index("`conv_single_step`") < markdown.index("`pool_backward`")


def test_markdown_and_html_say_the_same(cohort):
    _, results = cohort
    for student, result in results.items():
        markdown = reports.student_markdown(ASSIGNMENT, result, FUNCTIONS)
        text = _text(reports.student_html(ASSIGNMENT, result, FUNCTIONS))
        markup = re.compile(r"[`*#>|\\\s-]")  # Markdown's markup, and all spacing, set aside on both sides
        assert markup.sub("", markdown) == markup.sub("", text), student


def test_a_correct_submission_gets_no_hint_and_an_unfinished_one_is_told_what_to_write(cohort):
    _, results = cohort
    correct = reports.student_markdown(ASSIGNMENT, results["correct_vectorized"], FUNCTIONS)
    assert "Score: 25 / 25" in correct and "Hint" not in correct and "not yet" not in correct
    assert correct.count("| passed |") == len(FUNCTIONS)
    unfinished = reports.student_markdown(ASSIGNMENT, results["unfinished"], FUNCTIONS)
    for function in FUNCTIONS[3:]:
        assert f"{function} is not written yet" in unfinished
    for function in FUNCTIONS[:3]:
        assert f"{function} is not written yet" not in unfinished


def test_problems_with_the_notebook_are_explained_but_flags_stay_with_the_instructor(cohort):
    _, results = cohort
    truncated = reports.student_markdown(ASSIGNMENT, results["truncated"], FUNCTIONS)
    assert "## Problems with the notebook" in truncated and "could not be read" in truncated
    assert "Score: 0 / 25" in truncated
    crasher = reports.student_markdown(ASSIGNMENT, results["crasher"], FUNCTIONS)
    assert "RuntimeError: my cell is broken" in crasher
    assert _md_rows(crasher, "`zero_pad`")[1] == "0 / 2"
    tamperer = reports.student_markdown(ASSIGNMENT, results["tamperer"], FUNCTIONS)
    assert "Score: 25 / 25" in tamperer and "locked" not in tamperer and "test_zero_pad" not in tamperer


def test_feedback_states_no_number_beyond_the_failure_messages(cohort):
    """No hidden input or expected value slips in: every long number shown is in one of the student's messages."""
    _, results = cohort
    for student, result in results.items():
        messages = " ".join(e["message"] or "" for e in result["functions"].values()) + " ".join(result["errors"])
        for page in (reports.student_markdown(ASSIGNMENT, result, FUNCTIONS),
                     _text(reports.student_html(ASSIGNMENT, result, FUNCTIONS))):
            assert "hidden=True" not in page and "BEGIN HIDDEN TESTS" not in page
            for number in re.findall(r"-?\d+\.\d{3,}(?:e[-+]?\d+)?", page):
                assert number in messages, (student, number)


def test_write_student_feedback_brings_what_release_feedback_needs(cohort, tmp_path):
    root, results = cohort
    place = tmp_path / "course"
    shutil.copytree(root / "source", place / "source")
    submitted = place / "submitted" / "seed_lesson_code" / ASSIGNMENT
    submitted.mkdir(parents=True)
    (submitted / "timestamp.txt").write_text("2026-01-02 03:04:05.678901 UTC")
    (submitted / "submission_secret.txt").write_text("f" * 128)
    (submitted / f"{ASSIGNMENT}.ipynb").write_text("{}")
    (tmp_path / "instructor-only.txt").write_text("secret")
    (submitted / "peek.txt").symlink_to(tmp_path / "instructor-only.txt")
    assert not reports.has_feedback(place, ASSIGNMENT, "seed_lesson_code")
    path = reports.write_student_feedback(place, ASSIGNMENT, results["seed_lesson_code"])
    folder = place / "feedback" / "seed_lesson_code" / ASSIGNMENT
    assert path == folder / f"{ASSIGNMENT}.html" and reports.has_feedback(place, ASSIGNMENT, "seed_lesson_code")
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
    reports.write_student_feedback(place, ASSIGNMENT, results["seed_lesson_code"])
    assert sorted(p.name for p in folder.iterdir()) == [f"{ASSIGNMENT}.html", f"{ASSIGNMENT}.md"]


# -- the class summary -------------------------------------------------------------------------------
def test_the_summary_gives_the_score_distribution_per_function(cohort):
    _, results = cohort
    summary = reports.class_summary(ASSIGNMENT, results, FUNCTIONS)
    count = len(results)
    assert f"{count} students graded" in summary
    header = _md_rows(summary, "function")
    for function in FUNCTIONS:
        row = dict(zip(header, _md_rows(summary, f"`{function}`")))
        entries = [r["functions"][function] for r in results.values()]
        assert int(row["full marks"]) == sum(e["score"] == e["max"] for e in entries)
        assert int(row["known mistake"]) == sum(bool(e["mistake"]) for e in entries)
        assert sum(int(row[kind]) for kind in reports.OUTCOMES) == count
        scores = {float(s): int(n) for s, n in (part.split(": ") for part in row["scores (score: students)"].split(", "))}
        assert scores == {s: sum(e["score"] == s for e in entries) for s in {e["score"] for e in entries}}
    pool_forward = dict(zip(header, _md_rows(summary, "`pool_forward`")))
    # unfinished and the truncated notebook did not write it; one student averaged without dividing
    assert pool_forward["not written or missing"] == "2" and pool_forward["known mistake"] == "1"
    assert pool_forward["full marks"] == str(count - 3)
    assert summary.index("| `zero_pad` |") < summary.index("| `pool_backward` |")  # lesson order


def test_the_summary_counts_each_catalogued_mistake(cohort):
    _, results = cohort
    summary = reports.class_summary(ASSIGNMENT, results, FUNCTIONS)
    header = _md_rows(summary, "mistake")
    rows = {mistake: dict(zip(header, _md_rows(summary, f"`{mistake}`"))) for mistake in MISTAKES}
    # the seed code and the planted bias_per_element both add the bias per element
    assert rows["bias_per_element"]["students"] == "2"
    assert rows["bias_per_element"]["who"] == "mistake_bias_per_element, seed_lesson_code"
    assert rows["bias_per_element"]["marks lost in (students)"] == "conv_single_step (2), conv_forward (2)"
    assert rows["bias_per_element"]["hint"] == MISTAKES["bias_per_element"].hint.replace("|", "\\|")
    assert rows["mask_from_min"]["students"] == "1"
    assert "create_mask_from_window (1)" in rows["mask_from_min"]["marks lost in (students)"]
    for mistake in ("unpad_with_negative_index", "dA_read_at_window_corner", "average_not_divided",
                    "conv_stride_ignored"):
        assert rows[mistake]["students"] == "1", mistake
    for mistake in set(MISTAKES) - set(CHOSEN) - {"unpad_with_negative_index", "dA_read_at_window_corner"}:
        assert rows[mistake]["students"] == "0" and rows[mistake]["who"] == "-", mistake
    order = [line.split("`")[1] for line in summary.split("## Known mistakes")[1].split("## Totals")[0].splitlines()
             if line.startswith("| `")]
    assert order[0] == "bias_per_element" and set(order) == set(MISTAKES)  # most made first, then the rest


def test_the_summary_points_at_notebooks_to_look_at_and_says_which_isolation_ran(cohort):
    _, results = cohort
    summary = reports.class_summary(ASSIGNMENT, results, FUNCTIONS)
    look = summary.split("## Notebooks to look at")[1]
    assert "| `tamperer` | locked cell 'test_zero_pad' was edited |" in look
    assert "`truncated`" in look and "`crasher`" in look and "my cell is broken" in look
    assert "`seed_lesson_code`" not in look
    isolation = {r["isolation"] for r in results.values() if r["isolation"]}
    assert len(isolation) == 1
    assert f"Isolation in force: {isolation.pop()} ({len(results) - 1} students)" in summary
    totals = dict(line.strip("|").replace(" ", "").split("|") for line in summary.split("## Totals")[1]
                  .split("##")[0].splitlines() if re.match(r"\| \d", line))
    assert totals == {f"{t:g}": str(sum(r["total"] == t for r in results.values()))
                      for t in {r["total"] for r in results.values()}}


def test_the_html_summary_has_the_same_tables_and_a_bar_chart(cohort):
    import matplotlib.image

    _, results = cohort
    page = reports.class_summary_html(ASSIGNMENT, results, FUNCTIONS)
    markdown = reports.class_summary(ASSIGNMENT, results, FUNCTIONS)
    text = _text(page)
    for mistake in MISTAKES:
        row = _md_rows(markdown, f"`{mistake}`")
        assert "<tr><td><code>{}</code></td>{}</tr>".format(
            mistake, "".join(f"<td>{html.escape(c.replace(chr(92) + '|', '|'))}</td>" for c in row[1:])) in page
    assert "Known mistakes: what to teach again" in text and "Notebooks to look at" in text
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
    path = reports.write_class_summary(place, ASSIGNMENT, results)
    assert path == place / "reports" / ASSIGNMENT / "summary.md"
    assert path.read_text() == reports.class_summary(ASSIGNMENT, results, FUNCTIONS)
    assert (path.parent / "summary.html").read_text().count("data:image/png;base64,") == 1
    assert reports.lesson_order(place, ASSIGNMENT) == FUNCTIONS


def test_an_empty_class_gets_a_summary_that_says_so():
    assert "No submission has been graded yet." in reports.class_summary(ASSIGNMENT, {})
    assert "No submission has been graded yet." in reports.class_summary_html(ASSIGNMENT, {})
