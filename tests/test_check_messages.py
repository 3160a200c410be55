"""What a learner reads when a check fails: the case, what came back, what was expected."""
import re

import numpy as np
import pytest

from autograder import CheckFailed, check
from autograder.check import cases_of
from instructor import reference


def message_of(function: str, fn, hidden: bool = False) -> str:
    with pytest.raises(CheckFailed) as failure:
        check(function, fn, hidden=hidden)
    return str(failure.value)


def test_an_unwritten_function_is_named_with_what_to_do():
    def zero_pad(X, pad):
        raise NotImplementedError()

    text = message_of("zero_pad", zero_pad)
    assert text.startswith("zero_pad is not written yet")
    assert "raise NotImplementedError()" in text


def test_a_wrong_shape_names_the_case_and_both_shapes():
    text = message_of("zero_pad", lambda X, pad: X)
    assert "the lesson's example (X (4, 3, 3, 2), pad 2)" in text
    assert "X_pad has shape (4, 3, 3, 2), but it should have shape (4, 7, 7, 2)." in text


def test_wrong_values_show_the_index_and_both_values():
    ref = reference.reference()
    text = message_of("conv_forward", lambda *a: (ref["conv_forward"](*a)[0] + 1e-3, a), hidden=True)
    assert re.search(r"hidden case 1 of \d+ \(A_prev \(2, 7, 5, 3\)", text)
    assert re.search(r"Z differs in \d+ of \d+ entries; at index \(\d+, \d+, \d+, \d+\) it should be -?[\d.]+, but it is", text)
    assert "Hint" not in text  # no catalogued mistake looks like this


def test_a_missing_return_is_called_out():
    text = message_of("distribute_value", lambda dz, shape: None)
    assert "but it is None (did you forget a return statement?)" in text


def test_returning_one_value_where_two_are_due_says_so():
    ref = reference.reference()
    text = message_of("pool_forward", lambda A_prev, hparameters, mode="max": ref["pool_forward"](A_prev, hparameters, mode)[0])
    assert "pool_forward should return 2 values (A, cache)" in text


def test_an_exception_is_reported_with_its_type_and_message():
    def create_mask_from_window(x):
        return x[99]

    text = message_of("create_mask_from_window", create_mask_from_window)
    assert "Calling it raised IndexError: index 99 is out of bounds" in text
    assert "in your line `return x[99]`" in text


def test_a_scalar_may_come_back_as_a_one_element_array():
    ref = reference.reference()
    check("conv_single_step", lambda a, W, b: np.array([[[ref["conv_single_step"](a, W, b)]]]))


def test_the_learners_inputs_are_fresh_copies_each_time():
    def zero_pad(X, pad):
        X[...] = 0  # vandalise the input: must not spoil the stored case
        return np.zeros((X.shape[0], X.shape[1] + 2 * pad, X.shape[2] + 2 * pad, X.shape[3]))

    message_of("zero_pad", zero_pad)
    X = cases_of("zero_pad")[0]
    ref = reference.reference()
    check("zero_pad", ref["zero_pad"])  # still passes: the stored input was not changed
    assert X["hidden"] is False


def test_an_unknown_function_lists_the_checked_ones():
    with pytest.raises(KeyError, match="it checks: conv_backward, conv_forward"):
        check("conv_sideways", lambda: None)
