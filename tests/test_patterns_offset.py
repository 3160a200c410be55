"""Two claims of the output patterns (autograder.diagnosis.patterns) that must hold whatever the engine.

A constant offset is not a factor: ``off_by_factor`` is named only when the
entries share one multiple and could not be an offset as well (entries that
all have the same value fit both). And a function that returns another number
of values is judged ``wrong_count`` without the pattern reader failing on it.
Written against the public ``explain_output`` and ``judge``.
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder import casefile
from autograder.compare import difference
from autograder.diagnosis import explain_output
from autograder.judge import judge, place_of
from autograder.verdict import Outcome

RNG = np.random.default_rng(7)
EXPECTED = RNG.normal(size=(2, 4, 4, 3))  # entries that differ from one another


def diagnosis_of(expected, got):
    return explain_output("conv_forward", ["Z"], expected, got, difference("Z", expected, got))


def test_a_factor_is_named_when_the_entries_share_one():
    """The control: the same reader does name a factor it can prove."""
    found = diagnosis_of(EXPECTED, 2.0 * EXPECTED)
    assert (found.id, found.values["factor"]) == ("off_by_factor", 2.0)


@pytest.mark.parametrize("offset", [0.3, -1.0, 1e-3])
def test_a_constant_offset_is_an_offset_not_a_factor(offset):
    found = diagnosis_of(EXPECTED, EXPECTED + offset)
    assert found is not None and found.id == "constant_offset"
    assert found.values["offset"] == pytest.approx(offset)


def test_an_offset_per_channel_is_not_a_factor():
    found = diagnosis_of(EXPECTED, EXPECTED + np.array([0.5, -0.25, 2.0]))
    assert found is not None and found.id == "constant_offset" and found.values.get("per_channel") is True


@pytest.mark.parametrize("value", [3.0, -0.25])
def test_entries_all_alike_prove_no_factor(value):
    """Every entry the same (as distribute_value's): ``value + 1`` is as much an offset as a factor."""
    expected = np.full((2, 3, 3), value)
    for got in (expected + 1.0, expected * 1.5):
        found = diagnosis_of(expected, got)
        assert found is None or found.id != "off_by_factor"


def test_a_factor_with_one_entry_off_it_is_not_a_factor():
    got = 2.0 * EXPECTED
    got[0, 0, 0, 0] += 1.0
    found = diagnosis_of(EXPECTED, got)
    assert found is None or found.id != "off_by_factor"


@pytest.mark.parametrize("got", [(), (None,), ("Z", "cache", "extra")], ids=["none", "one", "three"])
def test_another_number_of_values_is_judged_without_failing(got):
    manifest, arrays = casefile.read("conv_step_by_step", casefile.DATA_DIR)
    entry = casefile.Manifest(manifest).function("conv_forward")
    case = entry.cases[0]
    verdict = judge("conv_forward", entry.outputs, case, arrays, place_of(case, 1, 1), got=got)
    assert verdict.outcome is Outcome.WRONG_COUNT
