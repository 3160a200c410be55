"""autograder.render: every outcome, difference, stop and place renders in English and in Chinese, whole.

Whole: every blank of the catalogue's entry filled with the verdict's own values (none left as ``{x}``, none
rendered as ``None`` or as the ``?`` that stands for a field the verdict lacks), Chinese in the Chinese text,
and the values that the learner needs (the function, the case, the numbers) present in both languages.
The words of the diagnoses are tested by tests/test_diagnosis.py and tests/test_summary_causes.py.
"""
from __future__ import annotations

import re

import pytest

from autograder.messages import CATALOGUES
from autograder.render import Renderer
from autograder.verdict import (Accuracy, Difference, Outcome, Place, Raised, Shown, Stop, Timing,
                                Verdict)

PLACE = Place("stride_2", True, 3, 7, "A_prev (2, 7, 5, 3), W (3, 3, 3, 4)")
ARRAY = Shown("array", shape=(2, 7, 5, 4), dtype="float64")
NUMBER = Shown("number", number=1.25)
DIFFERENCES = {
    "not_array": Difference("not_array", "Z", ARRAY, Shown("list", length=2)),
    "wrong_shape": Difference("wrong_shape", "Z", ARRAY, Shown("array", shape=(2, 7, 5), dtype="float64")),
    "not_numbers": Difference("not_numbers", "Z", ARRAY, Shown("array", shape=(2, 7, 5, 4), dtype="<U3")),
    "not_boolean": Difference("not_boolean", "mask", Shown("array", shape=(2, 2), dtype="bool"),
                              Shown("number", number=0.5), index=(1, 0)),
    "wrong_value": Difference("wrong_value", "Z", Shown("number", number=-6.999089), Shown("number", number=-23.16)),
    "wrong_entries": Difference("wrong_entries", "Z", NUMBER, Shown("number", number=2.5), index=(0, 1, 2, 3),
                                wrong=4, size=280),
    "not_number": Difference("not_number", "Z", NUMBER, ARRAY),
    "not_tuple": Difference("not_tuple", "conv_forward", Shown("tuple", length=2, keys=("Z", "cache")), ARRAY),
    "not_dict": Difference("not_dict", "grads", Shown("dict", keys=("dW1", "db1")), Shown("list", length=2)),
    "wrong_length": Difference("wrong_length", "cache", Shown("tuple", length=4), Shown("tuple", length=3)),
    "missing_key": Difference("missing_key", "grads", Shown("dict", keys=("dW1",)), Shown("dict", keys=()),
                              key="dW1"),
    "too_large": Difference("too_large", "Z", ARRAY, ARRAY, size=100 * 2**20),
    "wrong_count": Difference("wrong_count", "conv_forward", Shown("tuple", length=2, keys=("Z", "cache")),
                              Shown("tuple", length=3)),
}
STOPS = {reason: Stop(reason, seconds=10.0, limit_mib=1536, used_mib=1600, status=3)
         for reason in sorted(key.removeprefix("stop_") for key in CATALOGUES["en"] if key.startswith("stop_"))}
PLACES = {
    "example": Place("lesson", False, 1, 1, "X (4, 3, 3, 2), pad 2"),
    "visible": Place("two", False, 2, 3, "X (4, 3, 3, 2), pad 1"),
    "hidden": PLACE,
    "gradient": Place("grad", True, 1, 2, "dZ (2, 3, 3, 4)", "gradient"),
    "timing_visible": Place("timing", False, 1, 1, "A_prev (1, 192, 192, 1)", "speed"),
    "timing_hidden": Place("t2", True, 2, 3, "A_prev (1, 190, 187, 1)", "speed"),
    **{f"training_{which}": Place(which, True, 1, 1, "", "training") for which in ("test", "validation")},
}
VERDICTS = {
    **{f"outcome_{outcome.value}": verdict for outcome, verdict in {
        Outcome.WRONG_VALUE: Verdict("conv_forward", Outcome.WRONG_VALUE, PLACE,
                                     difference=DIFFERENCES["wrong_entries"]),
        Outcome.WRONG_SHAPE: Verdict("conv_forward", Outcome.WRONG_SHAPE, PLACE, difference=DIFFERENCES["wrong_shape"]),
        Outcome.WRONG_TYPE: Verdict("conv_forward", Outcome.WRONG_TYPE, PLACE, difference=DIFFERENCES["not_array"]),
        Outcome.WRONG_COUNT: Verdict("conv_forward", Outcome.WRONG_COUNT, PLACE, difference=DIFFERENCES["wrong_count"]),
        Outcome.RAISED: Verdict("conv_forward", Outcome.RAISED, PLACE,
                                raised=Raised("IndexError", "index 7 is out of bounds for axis 1 with size 7",
                                              "a_slice = A_prev[i, h:h + f]")),
        Outcome.NOT_WRITTEN: Verdict("conv_forward", Outcome.NOT_WRITTEN, PLACE,
                                     raised=Raised("NotImplementedError", "")),
        Outcome.MISSING: Verdict("conv_forward", Outcome.MISSING, cell_error=Raised("SyntaxError", "invalid syntax")),
        Outcome.DID_NOT_FINISH: Verdict("conv_forward", Outcome.DID_NOT_FINISH, PLACE, stop=STOPS["call_timeout"]),
        Outcome.TOO_SLOW: Verdict("conv_forward", Outcome.TOO_SLOW, PLACES["timing_hidden"],
                                  timing=Timing(2.5, 0.25, 60.0, (9216, 9, 4))),
        Outcome.WRONG_WHEN_TIMED: Verdict("conv_forward", Outcome.WRONG_WHEN_TIMED, PLACES["timing_hidden"]),
        Outcome.NOT_ACCURATE: Verdict("trained_model", Outcome.NOT_ACCURATE, PLACES["training_test"],
                                      accuracy=Accuracy(0.9, 360, 0.95, "test")),
        Outcome.NOT_GRADED: Verdict("conv_forward", Outcome.NOT_GRADED),
    }.items()},
    **{f"difference_{what}": Verdict("conv_forward", Outcome.WRONG_VALUE, PLACE, difference=difference)
       for what, difference in DIFFERENCES.items()},
    **{f"stop_{reason}": Verdict("conv_forward", Outcome.DID_NOT_FINISH, PLACE, stop=stop)
       for reason, stop in STOPS.items()},
    **{f"place_{name}": Verdict("conv_forward", Outcome.WRONG_WHEN_TIMED if place.kind == "speed"
                                else Outcome.WRONG_VALUE, place, difference=DIFFERENCES["wrong_entries"])
       for name, place in PLACES.items() if place.kind != "training"},
    "missing_stopped": Verdict("conv_forward", Outcome.MISSING, stop=STOPS["exited"]),
}
BLANK = re.compile(r"\{[^{}]*\}")  # a blank left unfilled ({x}, {x!r}, {})
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_cases_cover_every_outcome_difference_and_stop():
    assert {verdict.outcome for verdict in VERDICTS.values()} == set(Outcome) - {Outcome.PASSED}
    difference_keys = {"not_array", "wrong_shape", "not_numbers", "not_boolean", "wrong_value", "wrong_entries",
                       "not_number", "not_tuple", "not_dict", "wrong_length", "missing_key", "too_large"}
    assert difference_keys <= set(CATALOGUES["en"]) and set(DIFFERENCES) == difference_keys | {"wrong_count"}
    assert len(STOPS) >= 7


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("name", list(VERDICTS))
def test_a_verdict_renders_whole(name, language):
    verdict = VERDICTS[name]
    renderer = Renderer(language)
    text = renderer.text(verdict)
    assert text and verdict.function in text
    assert BLANK.findall(text) == []
    assert "None" not in text and "?" not in text and "？" not in text
    assert bool(CJK.search(text)) is (language == "zh")
    assert BLANK.findall(renderer.html(verdict)) == [] and "None" not in renderer.html(verdict)
    if verdict.place and verdict.place.kind != "training" and verdict.outcome is not Outcome.NOT_WRITTEN:
        assert verdict.place.description in text
    if verdict.difference and verdict.difference.what == "wrong_entries":
        assert all(str(n) in text for n in (4, 280, "(0, 1, 2, 3)", "1.25", "2.5"))


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("count, hidden", [(1, False), (3, False), (5, True)])
def test_a_pass_renders_whole(language, count, hidden):
    text = Renderer(language).passed("zero_pad", count, hidden)
    assert "zero_pad" in text and (str(count) in text or count == 1)
    assert BLANK.findall(text) == [] and bool(CJK.search(text)) is (language == "zh")
