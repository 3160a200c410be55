"""Verdicts are data that survive JSON (autograder.verdict): the grader stores them and renders them later.

Every field of every part comes back as it was (tuples as tuples, enums as
enums, nested verdicts as verdicts, nothing for what was None); the class
summary's grouping key (``cause``) and the blanking of an exception's
particulars are exact.
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from autograder.verdict import (Accuracy, Diagnosis, Difference, Note, Outcome, Place, Raised, Shown, Stop, Timing,
                                Verdict, message_pattern)

PLACE = Place("stride_2", True, 3, 7, "A_prev (2, 7, 5, 3), W (3, 3, 3, 4)", "gradient")
FULL = Verdict(
    "conv_forward", Outcome.WRONG_VALUE, PLACE,
    difference=Difference("wrong_entries", "Z", Shown.of_number(1.5), Shown.of_number(np.float64(2.5)),
                          index=(0, 1, 2, 3), wrong=4, size=120),
    raised=Raised("TypeError", "bad", "Z = 1"), stop=Stop("memory", limit_mib=1024, used_mib=1500),
    timing=Timing(0.5, 0.25, 30.0, (10, 20, 30)), accuracy=Accuracy(0.8, 100, 0.9, "test"),
    diagnosis=Diagnosis("off_by_factor", "pattern", {"name": "Z", "factor": 2.0, "axes": [0, 1]}),
    cell_error=Raised("SyntaxError", "invalid syntax"),
    also=(Verdict("conv_forward", Outcome.PASSED), Verdict("zero_pad", Outcome.MISSING, stop=Stop("exited", status=3))),
)


def through_json(verdict: Verdict) -> Verdict:
    return Verdict.from_json(json.loads(json.dumps(verdict.to_json())))


@pytest.mark.parametrize("verdict", [
    FULL, Verdict("zero_pad", Outcome.PASSED), Verdict("f", Outcome.NOT_GRADED),
    Verdict("f", Outcome.WRONG_COUNT, difference=Difference("wrong_count", "f",
                                                            Shown("tuple", length=2, keys=("Z", "cache")),
                                                            Shown("array", shape=(2, 3), dtype="float64"))),
    Verdict("f", Outcome.WRONG_TYPE, difference=Difference("missing_key", "grads", Shown("dict", keys=("W1",)),
                                                             Shown("other", type="str"), key="W1")),
], ids=["every_field", "passed", "not_graded", "wrong_count", "missing_key"])
def test_a_verdict_comes_back_from_json_as_it_was(verdict):
    back = through_json(verdict)
    assert back == verdict
    assert isinstance(back.outcome, Outcome)
    if verdict.difference and verdict.difference.index:
        assert isinstance(back.difference.index, tuple)
    if verdict.also:
        assert isinstance(back.also, tuple) and all(isinstance(v, Verdict) for v in back.also)


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("kind", ["reference", "gradient", "speed", "training"])
def test_every_outcome_and_kind_of_case_comes_back_from_json(outcome, kind):
    verdict = dataclasses.replace(FULL, outcome=outcome, place=dataclasses.replace(PLACE, kind=kind))
    back = through_json(verdict)
    assert back == verdict and back.outcome is outcome and back.place.kind == kind


def test_several_causes_come_back_from_json_in_their_order():
    causes = (Diagnosis("bias_counted", "pattern", {"count": 9}),
              Diagnosis("factor", "probes", {"factor": "stride", "right": 1, "when": {"factors": ["stride"]}}))
    verdict = dataclasses.replace(FULL, more=causes)
    back = through_json(verdict)
    assert back == verdict and isinstance(back.more, tuple) and [d.id for d in back.more] == ["bias_counted", "factor"]
    assert all(isinstance(d, Diagnosis) for d in back.more)


@pytest.mark.parametrize("part, field", [
    (FULL, "outcome"), (PLACE, "hidden"), (FULL.difference, "wrong"), (FULL.difference.got, "number"),
    (FULL.raised, "line"), (FULL.stop, "reason"), (FULL.timing, "took"), (FULL.accuracy, "accuracy"),
    (FULL.diagnosis, "id"), (Note("flag.x"), "key"),
], ids=lambda value: type(value).__name__ if not isinstance(value, str) else value)
def test_a_verdict_is_never_changed_once_made(part, field):
    """Shared by every reader (the report, the feedback, the summary): none of them may change it."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(part, field, None)


def test_json_leaves_out_what_is_not_there():
    plain = Verdict("zero_pad", Outcome.PASSED).to_json()
    assert plain == {"function": "zero_pad", "outcome": "passed"}
    assert FULL.to_json()["difference"]["got"] == {"kind": "number", "number": 2.5}
    assert FULL.to_json()["also"][1] == {"function": "zero_pad", "outcome": "missing",
                                          "stop": {"reason": "exited", "status": 3}}
    assert json.dumps(FULL.to_json())  # plain JSON: numpy numbers are Python numbers
    assert Verdict("f", Outcome.PASSED, diagnosis=Diagnosis("x", "pattern", {"n": np.int64(3)})).to_json()[
        "diagnosis"]["values"] == {"n": 3}


def test_a_note_comes_back_from_json():
    note = Note("problem.cell_failed", {"cell": {"kind": "added", "grade_id": None, "number": 4}, "error": "E"})
    assert Note.from_json(json.loads(json.dumps(note.to_json()))) == note
    assert Note.from_json({"key": "flag.locked_edited"}) == Note("flag.locked_edited")


def test_passed_and_mistake():
    assert Verdict("f", Outcome.PASSED).passed and not Verdict("f", Outcome.WRONG_VALUE).passed
    assert Verdict("f", Outcome.WRONG_VALUE, diagnosis=Diagnosis("bias_per_element", "mistake")).mistake == \
        "bias_per_element"
    assert Verdict("f", Outcome.WRONG_VALUE, diagnosis=Diagnosis("off_by_factor", "pattern")).mistake is None
    assert Verdict("f", Outcome.WRONG_VALUE).mistake is None


def test_the_cause_a_summary_groups_by():
    assert Verdict("f", Outcome.WRONG_VALUE, diagnosis=Diagnosis("bias_per_element", "mistake")).cause() == \
        "bias_per_element"
    assert Verdict("f", Outcome.WRONG_VALUE, diagnosis=Diagnosis("factor", "probe", {"factor": "stride"})).cause() \
        == "factor:stride"
    raised = Verdict("f", Outcome.RAISED, raised=Raised("TypeError", "'float' object cannot be interpreted (3, 4)"))
    assert raised.cause() == "raised:TypeError: '...' object cannot be interpreted (...)"
    assert Verdict("f", Outcome.RAISED).cause() == "raised"
    assert Verdict("f", Outcome.NOT_WRITTEN, raised=Raised("NotImplementedError", "")).cause() == "not_written"


def test_with_diagnosis_keeps_the_verdict_when_there_is_none():
    verdict = Verdict("f", Outcome.WRONG_VALUE)
    assert verdict.with_diagnosis(None) is verdict
    assert verdict.with_diagnosis(Diagnosis("x", "pattern")).diagnosis == Diagnosis("x", "pattern")


@pytest.mark.parametrize("message, pattern", [
    ("operands could not be broadcast together with shapes (2,3) (4,5)", "operands could not be broadcast together "
     "with shapes (...) (...)"),
    ("index 7 is out of bounds for axis 0 with size 5", "index N is out of bounds for axis N with size N"),
    ("name 'A_prev_pad' is not defined", "name '...' is not defined"),
    ("could not convert -1.5e3 to", "could not convert NeN to"),
    ("first line 1\nsecond line 2", "first line N"),
    ("", ""),
])
def test_an_exceptions_particulars_are_blanked(message, pattern):
    assert message_pattern(message) == pattern


def test_a_long_message_pattern_is_cut():
    assert len(message_pattern("x" * 500)) == 160


def test_a_raised_error_is_read_from_the_text_a_sandbox_sends():
    assert Raised.parse("ValueError: bad value: 3", "x = 1") == Raised("ValueError", "bad value: 3", "x = 1")
    assert Raised.parse("numpy.core.ValueError: x") == Raised("numpy.core.ValueError", "x")
    assert Raised.parse("not an error: at all") == Raised("Exception", "not an error: at all")
    assert Raised.parse("KeyError") == Raised("KeyError", "")
    assert Raised("KeyError", "").text == "KeyError" and Raised("KeyError", "'a'").text == "KeyError: 'a'"


@pytest.mark.parametrize("value, shown", [
    (None, Shown("none")), (np.zeros((2, 3), dtype=np.float32), Shown("array", shape=(2, 3), dtype="float32")),
    (True, Shown("number", number=True)), (np.int64(4), Shown("number", number=4)), (2.5, Shown("number", number=2.5)),
    ((1, 2), Shown("tuple", length=2)), ([1], Shown("list", length=1)),
    ({"a": 1, 2: 3}, Shown("dict", keys=("a", "2"))),
    ("text", Shown("other", type="str")), (np.complex128(1j), Shown("other", type="complex128")),
    (1j, Shown("other", type="complex")),
])
def test_a_value_is_shown_by_what_it_is(value, shown):
    assert Shown.of(value) == shown
    assert type(Shown.of(value).number) is type(shown.number)  # 4, not 4.0: shown as the learner returned it
