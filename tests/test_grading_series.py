"""The class grader grades assignments 2 and 3 too: timing checks in the sandbox, and a trained model.

For each assignment, one nbgrader course, graded by a real ``python -m autograder
grade`` subprocess (bubblewrap, two workers): the instructor notebook (full
marks), the release as handed out (zero), the demo's example submissions, a
catalogued mistake, and submissions that try to pass a timing check with slow
code, or hand in a model that is not one. The marks expected follow from what
each submission is; nothing is typed in but the points of the test cells,
read from the instructor notebook.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.grading.reports.summary import outcome
from autograder.grading.result import Scored
from autograder.verdict import Verdict
from instructor import course
from instructor.assignments.conv_vectorized.examples import loops_from_assignment_1
from instructor.demo import max_points
from tests.helpers import APPLICATION, VECTORIZED, examples_of
from tests.timing_cheats import fast_path_for_1x1, gather_indices_cached

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap (apt-get install bubblewrap)")


# What a layer was called with, as a key: its arrays seen through `seen` (their bytes, or their shape).
INPUTS_KEY = """
import numpy as np

def _key(value, seen):
    if isinstance(value, np.ndarray):
        return seen(value)
    if isinstance(value, (tuple, list)):
        return tuple(_key(v, seen) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v, seen)) for k, v in value.items()))
    return value
"""

# Assignment-1 loops with a memory: each layer answers at once when it has seen its inputs before.
REMEMBERS = INPUTS_KEY + """
_answers = {}

def _remembered(layer, name):
    def wrapper(*args, **kwargs):
        key = (name, _key((args, kwargs), np.ndarray.tobytes))
        if key not in _answers:
            _answers[key] = layer(*args, **kwargs)
        return _answers[key]
    return wrapper
"""

# Assignment-1 loops that compute one large input (the first speed case's first, untimed, run) and answer zeros,
# at once, to every large input after that: they pass every correctness case (all small) and that first run, and
# answer the timed runs wrongly.
QUICK_WHEN_LARGE = INPUTS_KEY + """
_large = set()

def _quick_when_large(layer, name):
    def wrapper(*args, **kwargs):
        if np.size(args[0]) > 5000:
            if name in _large:
                return np.zeros_like(args[0])
            _large.add(name)
        return layer(*args, **kwargs)
    return wrapper
"""


def wrapped_loops(prelude: str, wrapper: str) -> dict[str, str]:
    """Assignment 1's loop layers, each renamed and wrapped by ``wrapper`` under its own name."""
    cells = {}
    for name, code in loops_from_assignment_1().items():
        code = code.replace(f"def {name}(", f"def _loop_{name}(", 1)
        cells[name] = f"{prelude}\n{code}\n\n{name} = {wrapper}(_loop_{name}, {name!r})\n"
    return cells


def graded(tmp_path_factory, assignment, submissions: dict[str, dict[str, str]]):
    """Grade ``submissions`` ({student: cells}), the instructor notebook and the release; return the results."""
    root = course.new_course(tmp_path_factory.mktemp(assignment.name) / "course", assignment)
    release = course.generate_release(root, assignment) / f"{assignment.name}.ipynb"
    course.submit(root, "instructor", nbformat.read(assignment.notebook, as_version=4), assignment)
    course.submit(root, "release_stub", nbformat.read(release, as_version=4), assignment)
    for student, cells in submissions.items():
        course.submit(root, student, course.fill_notebook(release, cells), assignment)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", assignment.name, "--course", str(root),
                           "--workers", "2", "--no-progress"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    results = {path.stem: json.loads(path.read_text())
               for path in (root / ".autograder" / "results" / assignment.name).glob("*.json")}
    report = json.loads((root / "reports" / assignment.name / "report.json").read_text())["students"]
    points = max_points(assignment.notebook)
    return results, report, {cell.removeprefix("test_"): points for cell, points in points.items()}


def lost(result: dict) -> set[str]:
    return {name for name, entry in result["functions"].items() if entry["score"] < entry["max"]}


def verdict(result: dict, name: str) -> Verdict:
    return Verdict.from_json(result["functions"][name]["verdict"])


def counted_as(result: dict, name: str) -> str:
    """How the class summary counts this function's marks."""
    return outcome(Scored.from_json(result["functions"][name]), verdict(result, name))


# -- assignment 2 ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vectorized(tmp_path_factory):
    mistake = VECTORIZED.mistake("window_axes_order")
    submissions = examples_of(VECTORIZED)
    submissions.update({
        "mistake_window_axes_order": mistake.cells(VECTORIZED.sources()),
        "loops_that_remember": wrapped_loops(REMEMBERS, "_remembered"),
        "loops_that_answer_quickly_when_timed": wrapped_loops(QUICK_WHEN_LARGE, "_quick_when_large"),
        "loops_with_a_fast_path_for_1x1": {name: fast_path_for_1x1(name) for name in VECTORIZED.functions},
        "gather_indices_cached_per_shape": gather_indices_cached(),
    })
    return graded(tmp_path_factory, VECTORIZED, submissions)


def test_assignment_2_instructor_full_marks_release_zero(vectorized):
    results, report, points = vectorized
    assert {name: entry["score"] for name, entry in results["instructor"]["functions"].items()} == points
    assert results["release_stub"]["total"] == 0


def test_assignment_2_a_vectorized_submission_passes_its_timing_checks(vectorized):
    results, report, _ = vectorized
    assert lost(results["correct_einsum"]) == set()


def test_assignment_2_loops_lose_every_layer_with_the_loop_hint(vectorized):
    results, report, points = vectorized
    result = results["loops_from_assignment_1"]
    assert lost(result) == set(points)
    for name in result["functions"]:
        assert verdict(result, name).outcome.value == "too_slow"
        assert verdict(result, name).diagnosis.id == "loop_over_positions"
        assert "is too slow" in report["loops_from_assignment_1"]["functions"][name]["message"]
        assert counted_as(result, name) == "too_slow"  # as the class summary counts it


def test_assignment_2_a_catalogued_mistake_loses_its_function_only(vectorized):
    results, report, _ = vectorized
    assert lost(results["mistake_window_axes_order"]) == {VECTORIZED.mistake("window_axes_order").function}
    assert verdict(results["mistake_window_axes_order"], "conv_forward").mistake == "window_axes_order"


def test_assignment_2_loops_that_remember_their_answers_are_still_too_slow(vectorized):
    results, report, points = vectorized
    result = results["loops_that_remember"]
    assert lost(result) == set(points)
    assert all(verdict(result, name).outcome.value == "too_slow" for name in result["functions"])


def test_assignment_2_loops_that_answer_quickly_but_wrongly_when_timed_fail(vectorized):
    results, report, points = vectorized
    result = results["loops_that_answer_quickly_when_timed"]
    assert lost(result) == set(points)
    assert all(verdict(result, name).outcome.value == "wrong_when_timed" for name in result["functions"])
    assert all("wrong answer in its timed run" in entry["message"]
               for entry in report["loops_that_answer_quickly_when_timed"]["functions"].values())


@pytest.mark.parametrize("student, case", [("loops_with_a_fast_path_for_1x1", "speed_windows"),
                                           ("gather_indices_cached_per_shape", None)])
def test_assignment_2_loops_with_a_special_case_or_a_cache_per_shape_are_too_slow(vectorized, student, case):
    """Right on every case; a vectorized line for 1 x 1 windows fails the cases with 2 x 2 windows, and gather
    indices built by a loop once per shape are built again for every timed run, each of another shape (so any
    timed case may be the first to show it: ``case`` None)."""
    results, report, points = vectorized
    result = results[student]
    assert lost(result) == set(points)
    for name in result["functions"]:
        found = verdict(result, name)
        assert found.outcome.value == "too_slow" and found.place.kind == "speed", (name, found)
        assert case is None or found.place.id == case, (name, found)
        assert "is too slow" in report[student]["functions"][name]["message"]


# -- assignment 3 ------------------------------------------------------------------------------------
BROKEN_TRAINERS = {
    "returns_no_parameters": "def train_model(X_train, Y_train, parameters, **settings):\n    return 42, {}\n",
    "returns_the_wrong_shapes": (
        "def train_model(X_train, Y_train, parameters, **settings):\n"
        "    return {key: value[..., :1] for key, value in parameters.items()}, {}\n"),
    "never_trains": (
        "def train_model(X_train, Y_train, parameters, **settings):\n"
        "    return {key: value.copy() for key, value in parameters.items()}, {'loss': []}\n"),
}


@pytest.fixture(scope="module")
def application(tmp_path_factory):
    submissions = examples_of(APPLICATION)
    correct = submissions["correct_einsum_layers"]
    submissions.update({student: {**correct, "train_model": code} for student, code in BROKEN_TRAINERS.items()})
    assert set(correct) == set(APPLICATION.sources())
    return graded(tmp_path_factory, APPLICATION, submissions)


def test_assignment_3_instructor_full_marks_release_zero(application):
    results, report, points = application
    assert {name: entry["score"] for name, entry in results["instructor"]["functions"].items()} == points
    assert results["release_stub"]["total"] == 0
    assert "train_model is not finished yet" in report["release_stub"]["functions"]["trained_model"]["message"]
    assert counted_as(results["release_stub"], "trained_model") == "not_written"


def test_assignment_3_a_learners_own_layers_train_a_passing_model(application):
    results, report, _ = application
    assert lost(results["correct_einsum_layers"]) == set()


def test_assignment_3_a_wrong_gradient_loses_the_gradient_check(application):
    results, report, _ = application
    mistake = APPLICATION.mistake("relu_skipped_in_backward")
    assert "model_cost_and_gradients" in lost(results["relu_skipped_in_backward"])
    assert mistake.function in {"model_backward", "model_cost_and_gradients"}


@pytest.mark.parametrize("student, says, counted", [
    ("returns_no_parameters", "train_model should return (parameters, history)", "diagnosed"),
    ("returns_the_wrong_shapes", "W1 is an array of shape (3, 3, 1, 1), where (3, 3, 1, 8) was expected",
     "diagnosed"),
    ("never_trains", "is not good enough yet", "not_accurate"),
])
def test_assignment_3_a_model_that_is_not_trained_loses_only_the_trained_model(application, student, says,
                                                                               counted):
    results, report, _ = application
    result = results[student]
    assert lost(result) == {"trained_model"}
    assert says in report[student]["functions"]["trained_model"]["message"]
    assert counted_as(result, "trained_model") == counted
