"""The class summary's causes of lost marks, on verdicts written here by hand (issue 17, point 7).

- the environment's causes (numpy 2 refusing float() of the bias, a removed alias) form one group, with
  the points they cost and what the instructor can do, apart from the mistakes to teach again;
- a function that fails through its helper counts under the helper's cause, never as "helper fails";
- a second cause counts too;
- a lost mark whose only diagnoses name no cause counts as "cause not named".
"""
from __future__ import annotations

import re

import pytest

from autograder.course import Course
from autograder.grading.reports import Reporting
from autograder.grading.reports.summary import class_summary, outcome
from autograder.grading.result import Result, Scored
from autograder.render import Renderer
from autograder.verdict import Diagnosis, Outcome, Place, Verdict
from tests.helpers import STEP_BY_STEP

HINTS = {m.id: dict(m.hints) for m in STEP_BY_STEP.catalogue}
POINTS = {"zero_pad": 2.0, "conv_single_step": 3.0, "conv_forward": 5.0, "pool_forward": 4.0}
PLACE = Place("lesson", False, 1, 1, "A_prev (10, 4, 4, 3)")


def _wrong(function: str, *diagnoses: Diagnosis) -> Verdict:
    return Verdict(function, Outcome.WRONG_VALUE, PLACE, diagnosis=diagnoses[0] if diagnoses else None,
                   more=tuple(diagnoses[1:]))


def _helper(helper: str, *causes: str) -> Diagnosis:
    return Diagnosis("helper_fails", "helper", {"helper": helper, "helpers": [helper], "causes": list(causes)})


RIGHT = Diagnosis("own_code_right", "helper", {"helpers": ["conv_single_step"], "own_code_right": True})
FLOAT_B = Diagnosis("numpy2_scalar_conversion", "exception", {"call": "float(b)"})
STUDENTS = {
    # float(b): the helper and the function that calls it, whose own code is right
    "ada": {"conv_single_step": _wrong("conv_single_step", FLOAT_B),
            "conv_forward": _wrong("conv_forward", _helper("conv_single_step", "numpy2_scalar_conversion"), RIGHT)},
    # the bias per element in the helper, and the function's own stride besides
    "bo": {"conv_single_step": _wrong("conv_single_step", Diagnosis("bias_per_element", "mistake")),
           "conv_forward": _wrong("conv_forward", _helper("conv_single_step", "bias_per_element"),
                                  Diagnosis("conv_stride_ignored", "mistake", {"with_helpers": True,
                                                                               "helpers_used": ["conv_single_step"]}))},
    # a diagnosis that names no cause
    "cy": {"pool_forward": _wrong("pool_forward", Diagnosis("simplest_probe_fails", "probe", {"described": "A_prev"}))},
    # a removed alias
    "dee": {"zero_pad": _wrong("zero_pad", Diagnosis("numpy_alias_removed", "exception",
                                                     {"alias": "float", "builtin": "float"}))},
}


def _results() -> dict[str, Result]:
    results = {}
    for student, wrong in STUDENTS.items():
        functions = {}
        for name, points in POINTS.items():
            verdict = wrong.get(name, Verdict(name, Outcome.PASSED))
            functions[name] = Scored(points if verdict.passed else 0.0, points, verdict)
        results[student] = Result(student, functions, (), (), None, "", 0, 0.0)
    return results


def _reporting(tmp_path, language: str) -> Reporting:
    return Reporting(Course(tmp_path), STEP_BY_STEP.name, Renderer(language, HINTS), list(POINTS))


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


def test_the_environment_is_one_group_with_its_points_and_what_to_do(tmp_path):
    summary = class_summary(_reporting(tmp_path, "en"), _results())
    environment = _table(summary, "Lost to the class's environment, not to the lesson")
    assert set(environment) == {"numpy2_scalar_conversion", "numpy_alias_removed"}
    numpy2 = environment["numpy2_scalar_conversion"]
    assert numpy2["students"] == "1" and numpy2["marks lost in (students)"] == "conv_single_step (1), conv_forward (1)"
    assert float(numpy2["points lost"]) == 8 and float(numpy2["of which by this cause alone"]) == 8
    assert "numpy<2" in numpy2["what you can do"] and "b.item()" in numpy2["what you can do"]
    assert float(environment["numpy_alias_removed"]["points lost"]) == 2
    teach = _table(summary, "Why marks were lost: what to teach again")
    assert not set(teach) & set(environment)


def test_a_helpers_failure_counts_under_its_cause_and_a_second_cause_counts_too(tmp_path):
    teach = _table(class_summary(_reporting(tmp_path, "en"), _results()), "Why marks were lost: what to teach again")
    assert "helper_fails" not in teach and "own_code_right" not in teach
    assert teach["bias_per_element"]["marks lost in (students)"] == "conv_single_step (1), conv_forward (1)"
    assert teach["bias_per_element"]["hint"] == HINTS["bias_per_element"]["en"]
    assert teach["conv_stride_ignored"]["marks lost in (students)"] == "conv_forward (1)"
    assert "With correct answers" not in teach["conv_stride_ignored"]["hint"]  # the class's words, not bo's


def test_a_diagnosis_that_names_no_cause_counts_as_cause_not_named(tmp_path):
    results = _results()
    reporting = _reporting(tmp_path, "en")
    entry = results["cy"].functions["pool_forward"]
    assert outcome(entry, entry.verdict) == "other"
    summary = class_summary(reporting, results)
    teach = _table(summary, "Why marks were lost: what to teach again")
    assert "cause not named (simplest_probe_fails)" in teach
    rows = _table(summary, "Per function")
    assert rows["pool_forward"]["cause not named"] == "1" and rows["conv_forward"]["other named cause"] == "2"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_cause_groups_read_in_each_language(tmp_path, language):
    summary = class_summary(_reporting(tmp_path, language), _results())
    if language == "zh":
        assert "因全班的运行环境而失分" in summary and "原因未指明（simplest_probe_fails）" in summary
        assert HINTS["bias_per_element"]["zh"] in re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", summary)
        assert "Lost to the class" not in summary and "cause not named" not in summary
    else:
        assert "Lost to the class's environment" in summary
