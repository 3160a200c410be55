"""The kit's one gradient check (autograder/gradcheck.py) and the notebooks' visible gradient-check cells.

- ``numerical_gradient_array`` estimates what a backward function returns (CS231n's
  ``eval_numerical_gradient_array``), checked against gradients known in closed form;
- ``compare`` and ``check.gradients`` say PASS or ATTENTION per gradient, in the learner's language;
- the gradient-check cells after ``conv_backward`` and ``pool_backward`` in assignments 1 and 2, run as the
  notebook runs them: the reference passes with errors under 1e-9 (the lessons say so), every catalogued mistake
  of those functions is either not shown by the cell's case or shown with an error of 0.3 or more (the lesson
  says so), and the pooling case has no tie and no step that moves a window's maximum.
"""
from __future__ import annotations

import contextlib
import io

import nbformat
import numpy as np
import pytest

import autograder
from autograder import gradcheck, settings
from tests.helpers import STEP_BY_STEP, VECTORIZED


def test_the_numerical_gradient_of_a_layer_is_what_its_backward_pass_returns():
    rng = np.random.default_rng(0)
    x, W, df = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((3, 2))
    dx = gradcheck.numerical_gradient_array(lambda v: np.tanh(v @ W), x, df)
    expected = ((1 - np.tanh(x @ W) ** 2) * df) @ W.T  # the backward pass of tanh(x @ W), in closed form
    assert gradcheck.relative_error(dx, expected) < 1e-8
    before = x.copy()
    gradcheck.numerical_gradient_array(lambda v: v ** 2, x, df[:, :1].repeat(4, axis=1))
    np.testing.assert_array_equal(x, before)  # moved in place, and put back


def test_chosen_entries_only_are_moved():
    x = np.arange(6.0).reshape(2, 3)
    found = gradcheck.numerical_gradient(lambda: float(np.sum(x ** 3)), x, entries=[(1, 2), (0, 1)])
    np.testing.assert_allclose(found, [3 * 5.0 ** 2, 3 * 1.0 ** 2], rtol=1e-8)


def test_a_comparison_passes_at_the_threshold_and_not_above_it_and_never_across_shapes():
    g = np.array([1.0, -2.0, 4.0])
    close, far, flat = gradcheck.compare({"close": (g, g * (1 + 1e-9)), "far": (g, g + 0.5),
                                          "flat": (g.reshape(3, 1), g)})
    assert close.passed and close.error < gradcheck.LAYER_THRESHOLD
    assert not far.passed and far.error == pytest.approx(0.5 / 4.5)
    assert not flat.passed and flat.error == float("inf") and flat.shapes == ((3, 1), (3,))


@pytest.fixture
def language(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.ENVIRONMENT_VARIABLE, raising=False)
    return lambda name: monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, name)


def test_check_gradients_says_pass_or_attention_in_the_learners_language(language, capsys):
    check = autograder.checks(STEP_BY_STEP.name)
    g = np.ones((2, 2))
    check.gradients("conv_backward", dW=(g, g), db=(g, -g), dA_prev=(g, g.ravel()))
    english = capsys.readouterr().out.splitlines()
    assert english == [
        "conv_backward, dW: relative error 0.0e+00, within the threshold of 1e-07: PASS.",
        "conv_backward, db: relative error 2.0e+00, above the threshold of 1e-07: ATTENTION, this gradient is wrong.",
        "conv_backward, dA_prev: shape (2, 2), but the numerical gradient has shape (4,): ATTENTION, this gradient "
        "is wrong."]
    language("zh")
    check.gradients("conv_backward", dW=(g, g), db=(g, -g))
    assert capsys.readouterr().out.splitlines() == [
        "conv_backward，dW：相对误差 0.0e+00，在阈值 1e-07 以内：通过。",
        "conv_backward，db：相对误差 2.0e+00，超过了阈值 1e-07：注意，这个梯度不对。"]


# ---- the notebooks' gradient-check cells ---------------------------------------------------------------------

def gradient_cell(assignment, function: str) -> str:
    (cell,) = [cell for cell in nbformat.read(assignment.notebook, as_version=4).cells
               if cell.metadata.get("nbgrader", {}).get("grade_id") == f"gradient_check_{function}"]
    return cell.source


class Recorder:
    """``check`` of the notebook, which also keeps what it compared (the real check.gradients prints)."""

    def __init__(self, assignment) -> None:
        self.check = autograder.checks(assignment.name)
        self.found: list[gradcheck.Comparison] = []

    def gradients(self, label, threshold=gradcheck.LAYER_THRESHOLD, **pairs):
        self.found += gradcheck.compare(pairs, threshold)
        self.check.gradients(label, threshold, **pairs)


def run_cell(assignment, function: str, notebook: dict) -> tuple[list[gradcheck.Comparison], str]:
    recorder = Recorder(assignment)
    scope = {**notebook, "np": np, "gradcheck": gradcheck, "check": recorder}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(gradient_cell(assignment, function), scope)
    return recorder.found, printed.getvalue()


CELLS = [(assignment, function) for assignment in (STEP_BY_STEP, VECTORIZED)
         for function in ("conv_backward", "pool_backward")]


@pytest.mark.parametrize("assignment, function", CELLS, ids=lambda x: getattr(x, "name", x))
def test_the_reference_passes_the_gradient_check_cell_far_under_its_threshold(assignment, function):
    found, printed = run_cell(assignment, function, assignment.reference())
    names = ["dA_prev", "dW", "db"] if function == "conv_backward" else ["dA_prev", "dA_prev"]
    assert [comparison.name for comparison in found] == names
    assert all(comparison.passed and comparison.error < 1e-9 for comparison in found), found
    assert printed.count("PASS.") == len(names) and "ATTENTION" not in printed


def shown_or_not(assignment, function) -> dict[str, float]:
    """{mistake: the largest relative error the cell gives it} over the catalogued mistakes of ``function``'s
    checks whose code runs through the cell (a mistake that raises shows itself)."""
    found = {}
    for mistake in assignment.catalogue:
        if function not in mistake.breaks:
            continue
        try:
            comparisons, _ = run_cell(assignment, function, assignment.reference(mistake.cells(assignment.sources())))
        except Exception:  # noqa: BLE001 - the cell stops at the learner's error: shown too
            continue
        found[mistake.id] = max(comparison.error for comparison in comparisons)
    return found


@pytest.mark.parametrize("assignment, function", CELLS, ids=lambda x: getattr(x, "name", x))
def test_a_catalogued_mistake_is_missed_or_shown_with_an_error_of_at_least_a_third(assignment, function):
    """The lessons: "each catalogued mistake that this case shows gets 0.3 or more"; nothing in between."""
    errors = shown_or_not(assignment, function)
    shown = {mistake: error for mistake, error in errors.items() if error > gradcheck.LAYER_THRESHOLD}
    assert len(shown) >= 4, errors
    assert all(error >= 0.3 for error in shown.values()), shown
    assert all(error < 1e-9 for mistake, error in errors.items() if mistake not in shown), errors


@pytest.mark.parametrize("assignment", [STEP_BY_STEP, VECTORIZED], ids=lambda a: a.name)
def test_the_pooling_case_has_no_tie_and_no_step_moves_a_maximum(assignment):
    """The lessons: the input is random, so no window ties and no step of +/- epsilon changes its maximum."""
    cell = gradient_cell(assignment, "pool_backward")
    scope = {"np": np}
    exec(cell.split("for mode in")[0], scope)  # the cell's own input: its seed, shape and hyperparameters
    A_prev, f, stride = scope["A_prev"], scope["hparameters"]["f"], scope["hparameters"]["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    top = np.sort(windows.reshape(*windows.shape[:4], -1), axis=-1)
    assert np.min(top[..., -1] - top[..., -2]) > 2 * gradcheck.EPSILON
