"""What a learner reads when a check fails: the case, what came back, what was expected, and why."""
import re

import numpy as np
import pytest

import autograder
from autograder import CheckFailed, settings
from autograder.verdict import Outcome
from tests.helpers import STEP_BY_STEP

CHECK = autograder.checks(STEP_BY_STEP.name)
REFERENCE = STEP_BY_STEP.reference()


def message_of(function: str, fn, hidden: bool = False) -> str:
    with pytest.raises(CheckFailed) as failure:
        CHECK(function, fn, hidden=hidden)
    return str(failure.value)


def test_an_unwritten_function_is_named_with_what_to_do():
    def zero_pad(X, pad):
        raise NotImplementedError()

    text = message_of("zero_pad", zero_pad)
    assert text.startswith("zero_pad is not finished yet")
    assert "raise NotImplementedError()" in text


def test_a_wrong_shape_names_the_case_and_both_shapes():
    text = message_of("zero_pad", lambda X, pad: X)
    assert "the lesson's example (X (4, 3, 3, 2), pad 2)" in text
    assert "X_pad has shape (4, 3, 3, 2), but it should have shape (4, 7, 7, 2)." in text


def test_wrong_values_show_the_index_and_both_values():
    def conv_forward(*args):
        return REFERENCE["conv_forward"](*args)[0] + 1e-3 * np.arange(1, 2), args
    text = message_of("conv_forward", conv_forward, hidden=True)
    assert re.search(r"hidden case 1 of \d+ \(A_prev \(\d+, \d+, \d+, \d+\)", text)
    assert re.search(r"Z differs in \d+ of \d+ entries; at index \(\d+, \d+, \d+, \d+\) it should be -?[\d.]+, "
                     r"but it is", text)


def test_a_missing_return_is_called_out():
    text = message_of("distribute_value", lambda dz, shape: None)
    assert "but it is None" in text
    assert "returned None: is its `return` statement missing" in text


def test_returning_one_value_where_two_are_due_says_so():
    text = message_of("pool_forward", lambda A_prev, hparameters, mode="max":
                      REFERENCE["pool_forward"](A_prev, hparameters, mode)[0])
    assert "pool_forward should return 2 values (A, cache)" in text


def test_an_exception_is_reported_with_its_type_message_and_line():
    def create_mask_from_window(x):
        return x[99]

    text = message_of("create_mask_from_window", create_mask_from_window)
    assert "Calling it raised IndexError: index 99 is out of bounds" in text
    assert "in your line `return x[99]`" in text


def test_a_scalar_may_come_back_as_a_one_element_array():
    CHECK("conv_single_step", lambda a, W, b: np.array([[[REFERENCE["conv_single_step"](a, W, b)]]]))


def test_the_learners_inputs_are_fresh_copies_each_time():
    def zero_pad(X, pad):
        X[...] = 0  # vandalise the input: must not spoil the stored case
        return np.zeros((X.shape[0], X.shape[1] + 2 * pad, X.shape[2] + 2 * pad, X.shape[3]))

    message_of("zero_pad", zero_pad)
    CHECK("zero_pad", REFERENCE["zero_pad"])  # still passes: the stored input was not changed


def test_an_unknown_function_lists_the_checked_ones():
    with pytest.raises(KeyError, match="it checks: conv_backward, conv_forward"):
        CHECK("conv_sideways", lambda: None)


@pytest.mark.parametrize("language, timed, none", [
    ("en", "it times: conv_backward, conv_forward, pool_backward, pool_forward",
     "'conv_step_by_step' has no timing checks."),
    ("zh", "有计时检查的函数：conv_backward, conv_forward, pool_backward, pool_forward",
     "'conv_step_by_step' 没有计时检查。"),
])
def test_a_function_with_no_timing_check_is_told_so_in_the_learners_language(monkeypatch, language, timed, none):
    monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, language)
    with pytest.raises(KeyError, match=timed):
        autograder.checks("conv_vectorized").speed("zero_pad", lambda X, pad: X)
    with pytest.raises(KeyError, match=re.escape(none)):
        CHECK.speed("conv_forward", lambda *args: None)


def test_an_unknown_assignment_lists_the_installed_ones():
    check = autograder.checks("conv_nonesuch")  # a notebook's imports cell runs
    with pytest.raises(KeyError, match="conv_step_by_step"):  # its first check says what is installed
        check("zero_pad", lambda X, pad: X)


def test_a_failing_check_is_an_assertion_that_carries_its_verdict():
    with pytest.raises(AssertionError) as failure:
        CHECK("zero_pad", lambda X, pad: X)
    assert failure.value.verdict.outcome is Outcome.WRONG_SHAPE
    assert failure.value.verdict.difference.name == "X_pad"


def test_a_mask_that_holds_other_values_than_one_fails():
    text = message_of("create_mask_from_window", lambda x: x * (x == np.max(x)))
    assert "should hold only True and False (or 1 and 0)" in text


def test_a_mask_of_ones_and_zeros_passes():
    CHECK("create_mask_from_window", lambda x: (x == np.max(x)).astype(float))


@pytest.mark.parametrize("language, words", [("en", "is not right yet"), ("zh", "的结果还不对")])
def test_the_message_is_in_the_learners_language(monkeypatch, language, words):
    monkeypatch.setenv("AUTOGRADER_LANGUAGE", language)
    assert words in message_of("zero_pad", lambda X, pad: X)


def test_a_passing_check_prints_one_line(capsys):
    CHECK("zero_pad", REFERENCE["zero_pad"], hidden=True)
    assert capsys.readouterr().out.strip().count("\n") == 0
