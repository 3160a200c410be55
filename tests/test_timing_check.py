"""The visible timing check of assignment 2 (autograder/timing.py, ``check.timing``) tells loops from vectorized layers.

Like the hidden check (tests/test_speed_check.py), on the same machine and under the same load as the rest of
the suite:

- the reference and a second vectorized hand use less than a third of the time allowed;
- assignment 1's loops, and loops over the positions (h, w) whose body is vectorized, take more than three
  times the time allowed, and fail with the hint that names the loop, in the learner's language;

which is what the lesson says. And the check is where the lesson puts it: in every check cell of the release,
visible, before the hidden checks, on the inputs the lesson describes.
"""
from __future__ import annotations

import nbformat
import numpy as np
import pytest

import autograder
from autograder import CheckFailed, settings, speed, timing
from autograder.casefile import Budget
from autograder.verdict import Outcome
from instructor import reference
from instructor.assignments.conv_vectorized import cases
from instructor.assignments.conv_step_by_step.examples import function_sources
from instructor.assignments.conv_vectorized.examples import EINSUM, loops_from_assignment_1
from instructor.reference import namespace
from tests.helpers import VECTORIZED
from tests.test_speed_check import conv_forward_hw, pool_backward_hw

CHECK = autograder.checks(VECTORIZED.name)
FAST = 1 / 3  # at most this share of the time allowed
SLOW = 3.0  # at least this share


def share(function: str, fn, tries: int = 3) -> float:
    """Time taken over time allowed on the visible timing case of ``function``: the best of ``tries``."""
    case, arrays = timing.case(function)
    best = float("inf")
    for _ in range(tries):
        took, allowed = speed.measure(fn, case, arrays)
        best = min(best, took / allowed)
        if best < FAST:
            break
    return best


@pytest.mark.parametrize("function", VECTORIZED.functions)
def test_vectorized_layers_use_less_than_a_third_of_the_time_allowed(function, capsys):
    for hand, notebook in (("reference", VECTORIZED.reference()),
                           ("einsum", namespace(VECTORIZED.sources(), **function_sources(EINSUM)))):
        assert share(function, notebook[function]) < FAST, hand
    CHECK.timing(function, VECTORIZED.reference()[function])
    assert capsys.readouterr().out.startswith(f"{function}: fast enough on the visible timing case (")


@pytest.mark.parametrize("function", VECTORIZED.functions)
def test_assignment_1s_loops_take_more_than_three_times_the_time_allowed_and_get_the_hint(function):
    loops = namespace(VECTORIZED.sources(), **loops_from_assignment_1())
    assert share(function, loops[function], tries=1) > SLOW
    with pytest.raises(CheckFailed) as failure:
        CHECK.timing(function, loops[function])
    assert failure.value.verdict.outcome is Outcome.TOO_SLOW
    assert failure.value.verdict.diagnosis.id == "loop_over_positions"
    assert str(failure.value).startswith(f"{function} is too slow, on the visible timing case (")


@pytest.mark.parametrize("function, fn", [("conv_forward", conv_forward_hw), ("pool_backward", pool_backward_hw)])
def test_a_loop_over_positions_with_a_vectorized_body_fails_it_too(function, fn):
    assert share(function, fn, tries=1) > SLOW


def test_it_tells_every_loop_of_the_corpus_from_every_vectorized_layer():
    """The kit's corpus of real-looking layers (tests/corpus/conv_vectorized/): each layer that is right passes the
    visible timing check if it does not loop over the output positions (by the corpus's own count of the lines it
    runs), and fails it by more than three times if it does."""
    from instructor import corpus

    looping, vectorized = {}, {}
    for learner, path in corpus.files(VECTORIZED).items():
        module = corpus.load(path)
        for function in VECTORIZED.functions:
            fn = getattr(module, function, None)
            if fn is None or not corpus._right_on_random_inputs(VECTORIZED, function, fn, VECTORIZED.reference()):
                continue
            loops = corpus._loops_over_positions(VECTORIZED, function, fn, str(path))
            (looping if loops else vectorized)[learner, function] = share(function, fn, tries=1 if loops else 3)
    assert len(vectorized) > 50 and len(looping) > 5
    assert {hand: found for hand, found in vectorized.items() if found >= 1} == {}
    assert {hand: found for hand, found in looping.items() if found <= SLOW} == {}


def test_a_too_slow_layer_is_told_so_in_chinese(monkeypatch):
    monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, "zh")
    loops = namespace(VECTORIZED.sources(), **loops_from_assignment_1())
    with pytest.raises(CheckFailed) as failure:
        CHECK.timing("pool_backward", loops["pool_backward"])
    assert str(failure.value).startswith("pool_backward 太慢了，出错的是公开的计时用例（")
    assert "\n提示：" in str(failure.value)


def test_a_layer_that_raises_is_told_where_to_look_not_timed():
    with pytest.raises(CheckFailed) as failure:
        CHECK.timing("conv_forward", lambda A_prev, W, b, hparameters: np.zeros(3)[5])
    assert failure.value.verdict.outcome is Outcome.RAISED


def test_the_inputs_are_those_the_lesson_describes_and_the_same_for_everyone():
    first, arrays = timing.case("conv_backward")
    again, arrays_again = timing.case("conv_backward")
    assert first == again and all(np.array_equal(arrays[key], arrays_again[key]) for key in arrays)
    assert first.budget == Budget((192 * 192, 1, 1), 2 * cases.SPEED_FACTOR)
    assert timing.case("pool_forward")[0].budget == Budget((192 * 192, 1, 1), 120)
    text = " ".join(cell.source for cell in nbformat.read(VECTORIZED.notebook, as_version=4).cells
                    if cell.source.startswith("**The timing check.**"))
    for said in ("one 192 × 192 image with one channel", "1 × 1 windows", "`stride = 1`", "120 times",
                 "less than a third", "more than three times", "60 times for inputs of this kind"):
        assert said in " ".join(text.split()), said
    assert timing.CONV_IMAGE == timing.POOL_IMAGE == (1, 192, 192, 1) and timing.CONV_FILTER[:2] == (1, 1)
    assert cases.SPEED_FACTOR == 60  # the hidden check's, for the same kind of input: the lesson says so


def test_every_check_cell_of_the_release_runs_the_visible_timing_check_before_the_hidden_ones():
    release = nbformat.read(reference.REPO / "release" / VECTORIZED.name / f"{VECTORIZED.name}.ipynb", as_version=4)
    checks = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in release.cells
              if cell.metadata.get("nbgrader", {}).get("grade")}
    assert checks == {f"test_{name}": f'check("{name}", {name})\ncheck.timing("{name}", {name})'
                      for name in VECTORIZED.functions}
