"""The cases of every assignment cover what learners get wrong, on both sides of each factor.

For every layer function, the hidden cases include, for each factor of the
differential diagnosis, at least one case on each side of it (stride 1 and
more, no padding and some, one example and several, one channel and several,
square and not, windows that overlap and windows that do not, 1 x 1 windows
and larger, both pooling modes), so that a mistake that shows only on one side
(a real learner's conv_forward broke only when f = 1) still loses its marks.
The visible cases show the pitfalls before submission: a stride above 1, no
padding, and overlapping pooling windows.
"""
import pytest

from tests.helpers import ASSIGNMENTS

LAYERS = ("conv_forward", "conv_backward", "pool_forward", "pool_backward")


def factors(params: dict) -> dict[str, bool]:
    """For each factor, which side a case is on (True: the side that is not the simplest)."""
    m, n_H, n_W, n_C_prev = params["A_prev"]
    f = params["W"][0] if "W" in params else params["f"]
    n_C = params["W"][3] if "W" in params else n_C_prev
    sides = {"stride": params["stride"] > 1, "m": m > 1, "n_C": n_C > 1, "n_C_prev": n_C_prev > 1,
             "shape": n_H != n_W, "overlap": f > params["stride"], "f": f > 1}
    if "W" in params:
        sides["pad"] = params["pad"] > 0
    else:
        sides["mode"] = params.get("mode") == "average"
    return sides


CASES = [(assignment, name) for assignment in ASSIGNMENTS for name in LAYERS if name in assignment.functions]


@pytest.mark.parametrize("assignment, function", CASES, ids=lambda x: getattr(x, "name", x))
def test_the_hidden_cases_are_on_both_sides_of_every_factor(assignment, function):
    hidden = [factors(case.params) for case in assignment.cases_of(function) if case.hidden and case.kind != "speed"]
    for factor in hidden[0]:
        assert {sides[factor] for sides in hidden} == {False, True}, factor


@pytest.mark.parametrize("assignment, function", CASES, ids=lambda x: getattr(x, "name", x))
def test_the_visible_cases_show_a_stride_no_padding_and_overlapping_windows(assignment, function):
    visible = [case.params for case in assignment.cases_of(function) if not case.hidden]
    assert any(params["stride"] > 1 for params in visible)
    assert any(params.get("pad", 0) == 0 for params in visible)
    if function.startswith("pool"):
        assert any(params["f"] > params["stride"] > 1 for params in visible)
    hidden_seeds = {case.seed for case in assignment.cases_of(function) if case.hidden}
    assert not {case.seed for case in assignment.cases_of(function) if not case.hidden} & hidden_seeds
