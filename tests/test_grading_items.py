"""Item analysis in the class summary, on results of the real grader on real notebooks.

A class of assignment 1 where ten learners make the same catalogued mistake
(``conv_stride_ignored``: conv_forward's windows do not move by the stride),
beside the correct example, the seed lesson's code (its bias is added per
element) and the release as handed out (nothing written). Each is graded by the class grader's
runner in its sandbox. Then:

- each case's pass or fail is in the result, and a function's share passed and
  each hidden-case family's (stride > 1, stride 1, pad 0, ...) are counted from
  them: conv_forward's stride > 1 family is passed by the correct learner
  only, its stride 1 family by the ten too;
- the discrimination index is the point-biserial correlation of passing with
  the rest of the grade, checked against numpy's own correlation of the same
  vectors, and is not computed where everyone passes;
- conv_forward's hidden cases with stride > 1 are named as cases that nearly
  everyone fails (one of twelve learners whose conv_forward ran passes them),
  its stride 1 cases are not;
- summary.md shows the table and the hard cases, summary.html a plot, and
  report.json holds the same data.
"""
from __future__ import annotations

import base64
import io
import json
import shutil

import nbformat
import numpy as np
import pytest

from autograder.course import Course
from autograder.grading.kit import load_kit
from autograder.grading.plan import make_plan
from autograder.grading.reports import Reporting
from autograder.grading.reports.items import MIN_STUDENTS, item_analysis, items_blocks, point_biserial
from autograder.grading.reports.report import write_report
from autograder.grading.reports.summary import class_summary, class_summary_html
from autograder.grading.runner import grade, plan_preload
from autograder.grading.sandbox import Limits, Sandbox
from instructor import course, reference
from tests.helpers import STEP_BY_STEP

ASSIGNMENT = STEP_BY_STEP.name
STRIDE_IGNORED = [f"stride_ignored_{n}" for n in range(10)]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = course.new_course(tmp_path_factory.mktemp("items") / "course", STEP_BY_STEP)
    shutil.copytree(reference.REPO / "release" / ASSIGNMENT, root / "release" / ASSIGNMENT)
    plan = make_plan(Course(root), ASSIGNMENT, load_kit(root, reference.REPO))
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    examples = {example.student: dict(example.cells) for example in STEP_BY_STEP.examples(STEP_BY_STEP)}
    cells = {student: examples[student] for student in ("correct_vectorized", "seed_lesson_code")}
    cells["release_stub"] = {}
    mistake = STEP_BY_STEP.mistake("conv_stride_ignored").cells(STEP_BY_STEP.sources())
    cells.update({student: mistake for student in STRIDE_IGNORED})
    with Sandbox(Limits(), True, plan_preload(plan)) as sandbox:
        results = {student: grade(plan, student, nbformat.writes(course.fill_notebook(release, code)).encode(),
                                  sandbox=sandbox)
                   for student, code in cells.items()}
    return root, results, plan


def items_of(analysis, function: str) -> dict:
    return {item.family: item for item in analysis.items if item.function == function}


def test_every_case_is_recorded_as_passed_or_not(graded):
    _, results, _ = graded
    hidden_stride = {case.id for case in STEP_BY_STEP.cases_of("conv_forward")
                     if case.hidden and case.params["stride"] > 1}
    for student in STRIDE_IGNORED:
        cases = results[student].functions["conv_forward"].cases
        assert len(cases) == len(STEP_BY_STEP.cases_of("conv_forward"))
        assert {key for key, passed in cases.items() if key.startswith("hidden:") and not passed} == \
            {f"hidden:{case}" for case in hidden_stride}
        assert cases["visible:lesson"] is True and cases["visible:stride2_pad1"] is False
    assert all(results["correct_vectorized"].functions["conv_forward"].cases.values())


def test_shares_per_function_and_per_hidden_case_family(graded):
    _, results, _ = graded
    analysis = item_analysis(results, STEP_BY_STEP, list(STEP_BY_STEP.functions))
    conv = items_of(analysis, "conv_forward")
    assert (conv[None].passed, conv[None].count) == (1, 13)  # only the correct learner has full marks
    assert (conv["stride_2plus"].passed, conv["stride_2plus"].count) == (1, 13)
    assert conv["stride_1"].passed == 11  # the ten pass where the stride is 1 (the seed's bias and the stub do not)
    assert set(conv["stride_2plus"].cases) == {f"hidden:{case.id}" for case in STEP_BY_STEP.cases_of("conv_forward")
                                               if case.hidden and case.params["stride"] > 1}
    assert items_of(analysis, "zero_pad")[None].passed == 12  # all but the stub
    written = {student: result for student, result in results.items() if student != "release_stub"}
    zero_pad = items_of(item_analysis(written, STEP_BY_STEP), "zero_pad")
    assert zero_pad[None].passed == 12 and zero_pad[None].discrimination is None  # everyone passes: not computed
    assert [item.function for item in analysis.items if item.family is None] == list(STEP_BY_STEP.functions)


def test_the_discrimination_index_is_the_point_biserial_correlation_with_the_rest_of_the_grade(graded):
    _, results, _ = graded
    analysis = item_analysis(results, STEP_BY_STEP, list(STEP_BY_STEP.functions))
    ordered = list(results.values())
    for function in ("conv_forward", "conv_single_step", "pool_forward"):
        full = np.array([r.functions[function].full for r in ordered], dtype=float)
        rest = np.array([r.total - r.functions[function].score for r in ordered])
        assert items_of(analysis, function)[None].discrimination == pytest.approx(np.corrcoef(full, rest)[0, 1])
    conv = items_of(analysis, "conv_forward")
    keys = conv["stride_1"].cases
    passed = np.array([all(r.functions["conv_forward"].cases[k] for k in keys) for r in ordered], dtype=float)
    rest = np.array([r.total - r.functions["conv_forward"].score for r in ordered])
    assert conv["stride_1"].discrimination == pytest.approx(np.corrcoef(passed, rest)[0, 1])
    assert point_biserial([True, False] * 2, [1.0, 0.0] * 2) is None  # fewer than MIN_STUDENTS
    assert MIN_STUDENTS == 5


def test_cases_nearly_everyone_fails_are_named(graded):
    _, results, _ = graded
    analysis = item_analysis(results, STEP_BY_STEP, list(STEP_BY_STEP.functions))
    hard = {(case.function, case.case): (case.passed, case.attempted) for case in analysis.hard}
    stride = {f"hidden:{case.id}" for case in STEP_BY_STEP.cases_of("conv_forward")
              if case.hidden and case.params["stride"] > 1}
    stride.add("visible:stride2_pad1")
    assert {key for function, key in hard if function == "conv_forward"} == stride
    assert all(hard["conv_forward", key] == (1, 12) for key in stride)  # the seed's ran, the stub's did not
    assert ("conv_forward", "visible:lesson") not in hard


def test_the_summary_and_report_show_the_item_analysis(graded, tmp_path):
    import matplotlib.image

    root, results, _ = graded
    reporting = Reporting.of(Course(root), ASSIGNMENT, "en", {m.id: dict(m.hints) for m in STEP_BY_STEP.catalogue})
    analysis = item_analysis(results, STEP_BY_STEP, reporting.order)
    markdown = class_summary(reporting, results, items=items_blocks(reporting, analysis))
    assert "## What the class got wrong: item analysis" in markdown
    assert "| `conv_forward` | 1 / 13 (8%) |" in markdown and "| · stride 1 | 11 / 13 (85%) |" in markdown
    assert "| · stride > 1 |" not in markdown  # passed exactly as often as conv_forward: in report.json only
    assert "- `conv_forward`: hidden case stride2_pad0 — 1 of 12 pass" in markdown
    page = class_summary_html(reporting, results, items=items_blocks(reporting, analysis, chart=True))
    images = page.count("data:image/png;base64,")
    assert images == 2  # full marks per function, and the items
    alt = "share of the class that passed each function and family of hidden cases"
    encoded = page.split(f"alt='{alt}, coloured by discrimination' src='data:image/png;base64,")[1].split("'")[0]
    pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(encoded)))
    assert pixels.shape[0] > 300
    chinese = Reporting.of(Course(root), ASSIGNMENT, "zh", {})
    text = class_summary(chinese, results, items=items_blocks(chinese, analysis))
    assert "全班错在哪里：题目分析" in text and "· 步幅为 1 |" in text and "item analysis" not in text
    path = write_report(reporting, results, analysis.to_json())
    report = json.loads(path.read_text())
    entry = next(item for item in report["items"]["items"]
                 if item["function"] == "conv_forward" and item["family"] == "stride_2plus")
    assert (entry["passed"], entry["count"]) == (1, 13)
    assert {(case["function"], case["case"]) for case in report["items"]["hard_cases"]} >= \
        {("conv_forward", "hidden:stride2_pad0")}


def test_a_failing_case_is_placed_among_the_cases_of_its_own_visibility(graded):
    """conv_forward's visible case stride1_pad0 (hidden stride1_pad0_f3 fails too) is visible case 3 of 3."""
    root, _, plan = graded
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    code = STEP_BY_STEP.sources()["conv_forward"].replace(
        "    ### BEGIN SOLUTION",
        "    ### BEGIN SOLUTION\n    if hparameters['pad'] == 0:\n        raise ValueError('no pad')", 1)
    notebook = nbformat.writes(course.fill_notebook(release, {**STEP_BY_STEP.sources(), "conv_forward": code}))
    with Sandbox(Limits(), True, plan_preload(plan)) as sandbox:
        verdict = grade(plan, "pad0", notebook.encode(), sandbox=sandbox).functions["conv_forward"].verdict
    place = verdict.place
    assert place is not None, verdict
    visible = [case for case in STEP_BY_STEP.cases_of("conv_forward") if not case.hidden]
    assert (place.id, place.hidden, place.position, place.count) == ("stride1_pad0", False, 3, len(visible))
