"""The judge (autograder.judge) on the shipped case file: right, wrong, a catalogued mistake, an exception.

A returned value that matches a catalogued mistake's fingerprint is named as
that mistake; an exception whose text is a mistake's fingerprint too; the
stub's NotImplementedError is "not written"; anything else wrong is judged by
the comparison, with the pattern or the exception read for a cause.
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder import casefile
from autograder.judge import judge, matching_mistake, matching_mistakes, place_of, raised_of
from autograder.verdict import Outcome, Place, Raised

RAW, ARRAYS = casefile.read("conv_step_by_step", casefile.DATA_DIR)
MANIFEST = casefile.Manifest(RAW)


def case_with(function: str, kind: str) -> tuple[casefile.StoredCase, tuple[str, ...], casefile.MistakeMark]:
    """The first case of ``function`` holding a mistake fingerprinted by ``kind`` ("output" or "raises")."""
    entry = MANIFEST.function(function)
    for case in entry.cases:
        for mistake in case.mistakes:
            if getattr(mistake, kind) is not None:
                return case, entry.outputs, mistake
    raise LookupError(function)


def test_a_right_answer_passes_where_it_was_judged():
    entry = MANIFEST.function("conv_forward")
    case = entry.cases[1]
    place = place_of(case, 2, 3)
    got = casefile.decode(case.expected, ARRAYS)
    verdict = judge("conv_forward", entry.outputs, case, ARRAYS, place, got=got)
    assert verdict.outcome is Outcome.PASSED and verdict.place == place
    assert place == Place(case.id, case.hidden, 2, 3, case.description, case.kind)


@pytest.mark.parametrize("function", ["conv_single_step", "pool_forward", "conv_forward", "distribute_value"])
def test_an_output_that_is_a_catalogued_mistakes_is_named(function):
    case, outputs, mistake = case_with(function, "output")
    got = casefile.decode(mistake.output, ARRAYS)
    verdict = judge(function, outputs, case, ARRAYS, place_of(case, 1, 1), got=got)
    assert not verdict.passed and verdict.mistake == mistake.id
    assert verdict.difference is not None
    assert matching_mistake(case, outputs, ARRAYS, got=got) == mistake.id


def test_a_wrong_output_that_is_no_mistakes_is_not_named_as_one():
    case, outputs, mistake = case_with("conv_single_step", "output")
    got = casefile.decode(case.expected, ARRAYS) + 1000.0
    verdict = judge("conv_single_step", outputs, case, ARRAYS, place_of(case, 1, 1), got=got)
    assert verdict.outcome is Outcome.WRONG_VALUE and verdict.mistake is None
    assert matching_mistake(case, outputs, ARRAYS, got=got) is None


def test_an_exception_that_is_a_catalogued_mistakes_is_named():
    case, outputs, mistake = case_with("conv_backward", "raises")
    raised = Raised.parse(mistake.raises, "dA_prev_pad[...] += ...")
    verdict = judge("conv_backward", outputs, case, ARRAYS, place_of(case, 1, 1), raised=raised)
    assert verdict.outcome is Outcome.RAISED and verdict.raised == raised
    assert verdict.mistake == mistake.id


def test_another_exception_is_read_for_its_cause_not_named_as_a_mistake():
    case, outputs, mistake = case_with("conv_backward", "raises")
    raised = Raised("NameError", "name 'zero_pad' is not defined", "A_prev_pad = zero_pad(A_prev, pad)")
    verdict = judge("conv_backward", outputs, case, ARRAYS, place_of(case, 1, 1), raised=raised,
                    known=["zero_pad", "conv_backward"])
    assert verdict.outcome is Outcome.RAISED and verdict.mistake is None
    assert verdict.diagnosis is not None and verdict.diagnosis.source == "exception"
    assert matching_mistake(case, outputs, ARRAYS, raised=raised) is None


def test_the_stub_is_not_written():
    case, outputs, _ = case_with("conv_backward", "raises")
    verdict = judge("conv_backward", outputs, case, ARRAYS, place_of(case, 1, 1),
                    raised=Raised("NotImplementedError", ""))
    assert verdict.outcome is Outcome.NOT_WRITTEN and verdict.diagnosis is None


def test_an_exception_caught_here_is_data():
    try:
        {}["W"]
    except KeyError as error:
        assert raised_of(error, "W = parameters['W']") == Raised("KeyError", "'W'", "W = parameters['W']")


def test_a_case_is_keyed_by_its_visibility_and_a_timed_one_apart():
    from autograder.judge import case_key

    assert case_key(casefile.StoredCase("lesson", hidden=False)) == "visible:lesson"
    assert case_key(casefile.StoredCase("pad0", hidden=True)) == "hidden:pad0"
    assert case_key(casefile.StoredCase("layer", hidden=True, kind="speed")) == "timing:layer"


def test_cases_are_numbered_from_one_within_their_visibility_as_the_notebook_counts_them():
    from autograder.judge import positions

    Case = casefile.StoredCase
    cases = [Case("a", hidden=False), Case("b", hidden=True), Case("c", hidden=False),
             Case("t", hidden=True, kind="speed"), Case("a", hidden=True)]
    assert positions(cases) == {"visible:a": (1, 2), "visible:c": (2, 2), "hidden:b": (1, 2), "hidden:a": (2, 2),
                                "timing:t": (1, 1)}


def test_a_mistakes_fingerprint_with_nan_matches_the_same_nan():
    """pool_forward's window sizes read from the other axis average over nothing on one case: NaN, which the same
    mistake gives again (a fingerprint is compared with NaN equal to NaN)."""
    entry = MANIFEST.function("pool_forward")
    found = [(case, mistake) for case in entry.cases for mistake in case.mistakes
             if mistake.output is not None and mistake.id == "pool_size_from_other_axis"]
    matched = 0
    for case, mistake in found:
        got = casefile.decode(mistake.output, ARRAYS)
        if any(np.isnan(np.asarray(value, dtype=float)).any() for value in got[:1]):
            assert mistake.id in matching_mistakes(case, entry.outputs, ARRAYS, got=got)
            matched += 1
    assert matched  # the case file holds such a fingerprint
