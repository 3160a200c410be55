"""The comparison that decides every grade (autograder.compare): where right ends, and what counts as wrong.

The tolerance is the line between a mark and none: an output off by 1e-4 of
its size must fail and one off by 1e-8 (rounding) must pass, for arrays and
for single numbers, under both tolerances the kit uses. A function must
return as many values as the lesson's, no more and no fewer: ``(Z,)`` and
``(Z, cache, extra)`` are the wrong count, not a pass. The expected values of
the judged cases are the shipped case file's (made by the reference).
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder import casefile
from autograder.compare import EXACT_REFERENCE, GRADIENT_CHECK, Tolerance, difference, outputs_difference
from autograder.judge import judge, place_of
from autograder.verdict import Outcome, Shown

TOLERANCES = {"reference": EXACT_REFERENCE, "gradient": GRADIENT_CHECK}
RNG = np.random.default_rng(22)
SIGNED = RNG.uniform(0.5, 2.0, size=(2, 3, 4)) * RNG.choice([-1.0, 1.0], size=(2, 3, 4))  # no entry near 0


def off_by(value, relative: float):
    return value * (1 + relative)


# -- the tolerance's boundary ---------------------------------------------------------------------------------
@pytest.mark.parametrize("tol", TOLERANCES.values(), ids=TOLERANCES)
@pytest.mark.parametrize("relative", [1e-4, -1e-4, 1e-3])
def test_an_array_off_by_a_ten_thousandth_fails(tol, relative):
    found = difference("Z", SIGNED, off_by(SIGNED, relative), tol)
    assert found is not None and found.what == "wrong_entries"
    assert found.wrong == found.size == SIGNED.size


@pytest.mark.parametrize("tol", TOLERANCES.values(), ids=TOLERANCES)
@pytest.mark.parametrize("relative", [1e-8, -1e-8, 1e-7])
def test_an_array_off_by_rounding_passes(tol, relative):
    assert difference("Z", SIGNED, off_by(SIGNED, relative), tol) is None


SCALARS = {"float": float, "numpy": np.float64, "0-d array": np.array, "1x1x1 array": lambda v: np.full((1, 1, 1), v)}


@pytest.mark.parametrize("tol", TOLERANCES.values(), ids=TOLERANCES)
@pytest.mark.parametrize("form", SCALARS.values(), ids=SCALARS)
@pytest.mark.parametrize("expected", [-6.999089450680221, 0.37, 123.5])
def test_a_number_off_by_a_ten_thousandth_fails_and_by_rounding_passes(tol, form, expected):
    """``expected`` as the case file stores a function's single number; ``got`` in any form a learner returns."""
    for relative in (1e-4, -1e-4):
        found = difference("Z", expected, form(off_by(expected, relative)), tol)
        assert found is not None and found.what == "wrong_value"
        assert found.expected == Shown.of_number(expected)
    for relative in (1e-8, -1e-8):
        assert difference("Z", expected, form(off_by(expected, relative)), tol) is None


@pytest.mark.parametrize("tol", TOLERANCES.values(), ids=TOLERANCES)
def test_near_zero_the_absolute_tolerance_decides(tol):
    zeros = np.zeros(5)
    assert difference("dA", zeros, zeros + tol.atol / 10, tol) is None
    assert difference("dA", zeros, zeros + tol.atol * 10, tol).what == "wrong_entries"
    assert difference("db", 0.0, tol.atol / 10, tol) is None
    assert difference("db", 0.0, tol.atol * 10, tol).what == "wrong_value"


def test_the_tolerance_is_relative_to_the_expected_value_not_the_returned_one():
    """|got - expected| <= atol + rtol * |expected|: a wrong value ten times too large is not saved by its size."""
    tol = Tolerance(rtol=0.5, atol=0.0)
    assert difference("Z", np.array([1.0]), np.array([1.4]), tol) is None
    assert difference("Z", np.array([1.0]), np.array([1.6]), tol) is not None
    assert difference("Z", np.array([1.0]), np.array([10.0]), tol) is not None


def test_one_wrong_entry_is_found_and_the_worst_one_shown():
    got = SIGNED.copy()
    got[1, 2, 3] += 1e-3 * abs(got[1, 2, 3])
    got[0, 1, 2] += 0.5
    found = difference("Z", SIGNED, got)
    assert (found.what, found.index, found.wrong, found.size) == ("wrong_entries", (0, 1, 2), 2, SIGNED.size)
    assert found.expected == Shown.of_number(SIGNED[0, 1, 2]) and found.got == Shown.of_number(got[0, 1, 2])


def test_the_worst_entry_is_the_farthest_from_its_expected_value():
    found = difference("Z", np.array([10.0, 0.1, -3.0]), np.array([10.001, 1.1, -3.0]))
    assert (found.index, found.wrong) == ((1,), 2)


def test_a_tolerance_is_a_value_that_does_not_change():
    assert Tolerance() == EXACT_REFERENCE and hash(Tolerance(1e-5, 1e-7)) == hash(GRADIENT_CHECK)
    with pytest.raises(AttributeError):
        EXACT_REFERENCE.rtol = 1.0


def test_a_nan_is_wrong_and_shown_first():
    got = SIGNED.copy()
    got[1, 0, 0] += 100.0
    got[0, 2, 1] = np.nan
    found = difference("Z", SIGNED, got)
    assert (found.what, found.index, found.wrong) == ("wrong_entries", (0, 2, 1), 2)


# -- how many values a function returns --------------------------------------------------------------------
@pytest.fixture(scope="module")
def conv_forward_case():
    """The first case of conv_forward in the shipped case file, its arrays, and its expected (Z, cache)."""
    manifest, arrays = casefile.read("conv_step_by_step", casefile.DATA_DIR)
    entry = casefile.Manifest(manifest).function("conv_forward")
    case = entry.cases[0]
    return case, arrays, entry.outputs, casefile.decode(case.expected, arrays)


def returned(case_data, shape: str):
    """What a learner's conv_forward returns, right values in the wrong number (or right)."""
    _, _, _, (Z, cache) = case_data
    return {"(Z, cache)": (Z, cache), "[Z, cache]": [Z, cache], "(Z,)": (Z,), "Z": Z,
            "(Z, cache, extra)": (Z, cache, Z), "(cache, Z, Z)": (cache, Z, Z), "None": None, "()": ()}[shape]


@pytest.mark.parametrize("shape", ["(Z,)", "Z", "(Z, cache, extra)", "()", "None"])
def test_the_wrong_number_of_returned_values_is_wrong_count(conv_forward_case, shape):
    case, arrays, names, expected = conv_forward_case
    got = returned(conv_forward_case, shape)
    found = outputs_difference("conv_forward", names, expected, got, EXACT_REFERENCE)
    assert found is not None and found.what == "wrong_count"
    assert found.name == "conv_forward" and found.expected == Shown("tuple", length=2, keys=("Z", "cache"))
    assert found.got == Shown.of(got)
    verdict = judge("conv_forward", names, case, arrays, place_of(case, 1, 1), got=got)
    assert verdict.outcome is Outcome.WRONG_COUNT and not verdict.passed


@pytest.mark.parametrize("shape", ["(Z, cache)", "[Z, cache]"])
def test_the_right_values_pass(conv_forward_case, shape):
    case, arrays, names, expected = conv_forward_case
    got = returned(conv_forward_case, shape)
    assert outputs_difference("conv_forward", names, expected, got, EXACT_REFERENCE) is None
    assert judge("conv_forward", names, case, arrays, place_of(case, 1, 1), got=got).outcome is Outcome.PASSED


def test_values_in_the_wrong_order_are_wrong_not_passed(conv_forward_case):
    case, arrays, names, expected = conv_forward_case
    found = outputs_difference("conv_forward", names, expected, returned(conv_forward_case, "(cache, Z, Z)")[:2],
                               EXACT_REFERENCE)
    assert found is not None and found.name == "Z"


@pytest.mark.parametrize("change", ["extra", "short", "list"])
def test_a_cache_of_the_wrong_length_is_found(conv_forward_case, change):
    case, arrays, names, (Z, cache) = conv_forward_case
    wrong = {"extra": cache + (0,), "short": cache[:-1], "list": list(cache) + [0]}[change]
    found = outputs_difference("conv_forward", names, (Z, cache), (Z, wrong), EXACT_REFERENCE)
    assert (found.what, found.name) == ("wrong_length", "cache")
    assert found.expected == Shown("tuple", length=4) and found.got == Shown.of(wrong)


def test_the_first_wrong_item_of_a_cache_is_named(conv_forward_case):
    case, arrays, names, (Z, cache) = conv_forward_case
    A_prev, W, b, hparameters = cache
    for wrong, name in (((A_prev, W, b + 1, hparameters), "cache[2]"),
                        ((A_prev, W, b, {**hparameters, "stride": hparameters["stride"] + 1}), "cache[3]['stride']"),
                        ((A_prev, W, b, {"pad": hparameters["pad"]}), "cache[3]")):
        found = outputs_difference("conv_forward", names, (Z, cache), (Z, wrong), EXACT_REFERENCE)
        assert found.name == name, (found, name)
    found = outputs_difference("conv_forward", names, (Z, cache), (Z, (A_prev, W, b, {**hparameters, "x": 1})),
                               EXACT_REFERENCE)
    assert found is None  # a key more in a dict of hyper-parameters is not an error


# -- what is not a number, not an array, not the shape ---------------------------------------------------
@pytest.mark.parametrize("got, what", [
    (None, "not_array"), ([1.0, 2.0], "not_array"), ("Z", "not_array"), (3.0, "not_array"),
    (np.float64(3.0), "not_array"), (np.zeros((2, 3)), "wrong_shape"), (np.zeros((4, 3, 2)), "wrong_shape"),
    (np.full((2, 3, 4), "a"), "not_numbers"), (np.full((2, 3, 4), None), "not_numbers"),
], ids=["None", "list", "str", "float", "numpy_float", "fewer_axes", "transposed", "strings", "objects"])
def test_what_is_not_an_array_of_numbers_of_the_shape(got, what):
    found = difference("Z", SIGNED, got)
    assert found.what == what
    assert found.expected == Shown.of(SIGNED)


@pytest.mark.parametrize("got", [SIGNED + 0j, SIGNED * 2 + 1j], ids=["right_real_part", "wrong"])
def test_complex_numbers_are_not_an_answer(got):
    """A complex array once passed when its real part was right, and made the comparison raise when not."""
    found = difference("Z", SIGNED, got)
    assert found.what == "not_numbers" and found.got == Shown.of(got)


@pytest.mark.parametrize("got", [np.array(-6.99 + 2j), np.complex128(-6.99), -6.99 + 0j],
                         ids=["array", "numpy", "python"])
def test_a_complex_number_where_a_number_belongs_is_not_a_number(got):
    found = difference("Z", -6.99, got)
    assert found.what == "not_numbers"


def test_a_complex_mask_is_not_a_mask():
    assert difference("mask", np.array([True, False]), np.array([1 + 0j, 0j])).what == "not_numbers"


@pytest.mark.parametrize("shape", [(2,), (1, 2), (2, 2)])
def test_one_number_where_an_array_of_several_belongs_is_not_an_array(shape):
    found = difference("a", np.ones(shape), 1.0)
    assert found.what == "not_array" and found.got == Shown.of_number(1.0)


@pytest.mark.parametrize("expected, got", [(np.zeros((1, 1)), np.zeros(2)), (np.zeros(3), np.zeros(1)),
                                           (np.zeros(()), np.zeros((2, 1)))])
def test_one_element_against_several_is_the_wrong_shape(expected, got):
    assert difference("a", expected, got).what == "wrong_shape"


def test_a_single_number_fits_any_shape_of_one_element():
    for expected, got in ((np.full((1, 1), 2.5), 2.5), (np.full((1, 1, 1), 2.5), np.float64(2.5)),
                          (np.array(2.5), np.array([[2.5]]))):
        assert difference("x", expected, got) is None
        assert difference("x", expected, np.asarray(got) + 1).what in ("wrong_value", "wrong_entries")


def test_an_array_of_one_entry_with_an_axis_too_many_is_a_wrong_shape():
    """A held-out tester's conv_backward kept the batch axis in dW: (1, 1, 1, 1, 1) where (1, 1, 1, 1) belongs
    passed the one case whose dW has one entry, and the diagnosis read that pass as a factor that matters."""
    assert difference("dW", np.full((1, 1, 1, 1), 2.5), np.full((1, 1, 1, 1, 1), 2.5)).what == "wrong_shape"
    assert difference("x", np.array([2.5]), np.full((1, 1, 1), 2.5)).what == "wrong_shape"


def test_a_number_where_a_number_belongs_but_something_else_came():
    for got in ("6.99", None, [6.99], np.array([6.99, 1.0]), (6.99,)):
        found = difference("Z", 6.99, got)
        assert found.what == "not_number" and found.expected == Shown.of_number(6.99)


def test_booleans_compared_as_booleans():
    mask = np.array([[True, False], [False, False]])
    assert difference("mask", mask, mask.copy()) is None
    assert difference("mask", mask, mask.astype(int)) is None  # 1/0 is a mask too
    assert difference("mask", mask, mask.astype(float)) is None
    wrong = difference("mask", mask, ~mask)
    assert (wrong.what, wrong.wrong) == ("wrong_entries", 4)
    odd = mask.astype(float)
    odd[1, 0] = 0.5
    found = difference("mask", mask, odd)
    assert (found.what, found.index, found.got) == ("not_boolean", (1, 0), Shown.of_number(0.5))
    assert difference("mask", mask, np.full((2, 2), "x")).what == "not_numbers"
    assert difference("mask", mask, np.full((2, 2), None)).what == "not_numbers"


def test_numbers_compared_with_a_boolean_array():
    """Booleans where numbers belong are numbers (True is 1)."""
    assert difference("a", np.array([1.0, 0.0]), np.array([True, False])) is None
    assert difference("a", np.array([1.0, 1.0]), np.array([True, False])).what == "wrong_entries"


def test_dicts_by_key():
    expected = {"W1": SIGNED, "b1": np.zeros(3)}
    assert difference("grads", expected, {"b1": np.zeros(3), "W1": SIGNED.copy()}) is None
    assert difference("grads", expected, [SIGNED, np.zeros(3)]).what == "not_dict"
    missing = difference("grads", expected, {"W1": SIGNED})
    assert (missing.what, missing.key) == ("missing_key", "b1")
    wrong = difference("grads", expected, {"W1": SIGNED, "b1": np.ones(3)})
    assert (wrong.what, wrong.name) == ("wrong_entries", "grads['b1']")


def test_other_values_compared_with_equality():
    assert difference("mode", "max", "max") is None
    assert difference("mode", "max", "average").what == "wrong_value"
    assert difference("stride", 2, 2) is None
    assert difference("stride", 2, "2").what == "wrong_value"
    assert difference("stride", 2, np.array([2, 2])).what == "wrong_value"  # no truth value: not equal


def test_tuples_item_by_item():
    assert difference("t", (1, SIGNED), [1, SIGNED.copy()]) is None
    assert difference("t", (1, SIGNED), {"a": 1}).what == "not_tuple"
    assert difference("t", (1, SIGNED), SIGNED).what == "not_tuple"
    found = difference("t", (1, SIGNED), (2, SIGNED))
    assert (found.what, found.name) == ("wrong_value", "t[0]")
    found = difference("t", (1, SIGNED), (1, SIGNED + 1))
    assert (found.what, found.name) == ("wrong_entries", "t[1]")


def test_one_named_output_is_compared_whole():
    assert outputs_difference("zero_pad", ["X_pad"], SIGNED, SIGNED.copy(), EXACT_REFERENCE) is None
    found = outputs_difference("zero_pad", ["X_pad"], SIGNED, (SIGNED,), EXACT_REFERENCE)
    assert (found.what, found.name) == ("not_array", "X_pad")


def test_the_tolerance_rule_is_numpys_isclose_entry_by_entry():
    """compare._close is np.isclose without its checks: the same answer on every pair of awkward values."""
    from autograder.compare import _close

    values = np.array([0.0, 1e-10, -1e-10, 1.0, 1 + 1e-7, 1 + 1e-5, np.inf, -np.inf, np.nan, 1e308, -1e308, -0.0])
    got, expected = np.meshgrid(values, values)
    for tol in (Tolerance(), Tolerance(rtol=1e-5, atol=1e-7), Tolerance(equal_nan=True)):
        with np.errstate(over="ignore"):
            assert np.array_equal(_close(got, expected, tol),
                                  np.isclose(got, expected, rtol=tol.rtol, atol=tol.atol, equal_nan=tol.equal_nan))
        on_the_line = np.array([tol.atol, -tol.atol])  # |got - expected| == atol + rtol * |0|: still agrees
        assert _close(on_the_line, np.zeros(2), tol).all() and np.isclose(on_the_line, 0, tol.rtol, tol.atol).all()


def test_a_nan_never_agrees_unless_the_tolerance_says_so():
    """A NaN answer is wrong, even where the expected value is NaN, unless the tolerance allows it (only the
    fingerprints of catalogued mistakes do: a mean of nothing)."""
    nan = np.array([np.nan, 1.0])
    assert difference("dA", nan, nan.copy(), Tolerance()).what == "wrong_entries"
    assert difference("dA", nan, nan.copy(), Tolerance(equal_nan=True)) is None
