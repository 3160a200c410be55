"""The rules of the timing checks (autograder.speed), apart from any clock: which run counts, what is credited.

``fastest`` decides how often a learner's function runs and which time counts;
``overhead_credit`` how much of the sandbox's own time is taken off, and that a
child's lie gains at most the cap; ``variants`` that each timed run gets new
inputs; ``timing_verdict`` that only a run over the time allowed fails.
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder import casefile, speed
from autograder.verdict import Diagnosis, Outcome, Place, Timing

PLACE = Place("speed", True, 1, 1, "A_prev (8, 64, 64, 16)", "speed")


def scripted(times: list[float | None]):
    """A ``run`` for :func:`speed.fastest` that takes ``times`` in turn, and the list of runs made."""
    made: list[float | None] = []

    def run():
        made.append(times[len(made)])
        return made[-1]
    return run, made


@pytest.mark.parametrize("times, budget, best, runs", [
    ([0.5], 1.0, 0.5, 1),  # under budget at once: one run
    ([1.0], 1.0, 1.0, 1),  # exactly the budget is within it
    ([2.0, 0.9, 0.1], 1.0, 0.9, 2),  # over, then under: stop
    ([2.0, 1.5, 1.2, 1.1, 1.05, 0.1], 1.0, 1.05, speed.ATTEMPTS),  # never under: every attempt, the best counts
    ([4.0, 5.0, 0.1], 1.0, 4.0, 2),  # twice hopeless: stop
    ([4.0, 2.0, 5.0, 0.1], 1.0, 2.0, 3),  # hopeless twice, not in a row
    ([3.0, 3.0, 3.0, 3.0, 3.0], 1.0, 3.0, speed.ATTEMPTS),  # at HOPELESS times the budget is not hopeless
    ([2.0, None, 0.1], 1.0, 2.0, 2),  # a failed run stops
    ([None], 1.0, float("inf"), 1),
    ([4.0, 4.0, 4.0, 4.0, 4.0], 2.0, 4.0, speed.ATTEMPTS),  # over a budget of 2, not 3 times over it
    ([7.0, 6.5, 0.1], 2.0, 6.5, 2),
])
def test_which_runs_are_made_and_which_counts(times, budget, best, runs):
    run, made = scripted(times)
    assert speed.fastest(run, budget) == best
    assert len(made) == runs


def test_the_rule_constants_are_the_documented_ones():
    assert (speed.ATTEMPTS, speed.HOPELESS, speed.OVERHEAD_CREDIT) == (5, 3.0, 0.5)


@pytest.mark.parametrize("measured, own, allowed, credit", [
    (0.010, 0.008, 0.010, 0.002),  # the pipes' share
    (0.010, 0.010, 0.010, 0.0),
    (0.010, 0.0, 0.010, 0.005),  # a child that says it took no time gains at most half the allowance
    (0.010, 0.0, 0.100, 0.010),
    (0.010, -0.001, 0.010, 0.0),  # not in [0, measured]: nothing
    (0.010, 0.011, 0.010, 0.0),
    (0.010, "0.001", 0.010, 0.0), (0.010, None, 0.010, 0.0), (0.010, True, 0.010, 0.0),
    (0.010, float("nan"), 0.010, 0.0),
    (0.010, 1, 2.0, 0.0),
])
def test_the_overhead_credit(measured, own, allowed, credit):
    assert speed.overhead_credit(measured, own, allowed) == pytest.approx(credit, abs=1e-15)


def test_an_integer_own_time_counts():
    assert speed.overhead_credit(3.0, 1, 10.0) == pytest.approx(2.0)


def test_variants_are_new_small_nudges_of_float_arrays_only():
    args = (np.linspace(-1, 1, 24).reshape(2, 3, 4), np.arange(5), {"stride": 2, "W": np.ones((2, 2))}, [np.zeros(3)])
    kwargs = {"mode": "max", "b": np.full(3, 2.0)}
    found = speed.variants(args, kwargs, 4, seed=11)
    assert len(found) == 4
    for new_args, new_kwargs in found:
        assert isinstance(new_args, tuple) and isinstance(new_args[3], list) and new_kwargs["mode"] == "max"
        assert np.array_equal(new_args[1], args[1]) and new_args[2]["stride"] == 2
        for old, new in ((args[0], new_args[0]), (args[2]["W"], new_args[2]["W"]), (args[3][0], new_args[3][0]),
                         (kwargs["b"], new_kwargs["b"])):
            assert new.shape == old.shape and not np.array_equal(new, old)
            scale = np.std(old) or 1.0
            assert np.max(np.abs(new - old)) < 1e-2 * scale
    assert not np.array_equal(found[0][0][0], found[1][0][0])  # each run its own
    again = speed.variants(args, kwargs, 4, seed=11)
    assert all(np.array_equal(a[0][0], b[0][0]) for a, b in zip(found, again))
    assert not np.array_equal(speed.variants(args, kwargs, 1, seed=12)[0][0][0], found[0][0][0])


@pytest.mark.parametrize("spread", [0.0, 4.0])
def test_a_nudge_is_a_thousandth_of_the_arrays_spread(spread):
    """(or a thousandth, when every entry is the same)."""
    array = np.full(20_000, 3.0) + spread * np.random.default_rng(1).standard_normal(20_000)
    (nudged,), _ = speed.variants((array,), {}, 1, seed=5)[0]
    assert np.std(nudged - array) == pytest.approx(1e-3 * (np.std(array) or 1.0), rel=0.05)


def test_the_timed_runs_use_one_blas_thread():
    from threadpoolctl import threadpool_info

    store = casefile.ArrayStore()
    case = casefile.StoredCase("c", kind="speed", args=casefile.encode((np.ones((4, 4)),), store),
                         kwargs=casefile.encode({}, store), budget=casefile.Budget((4, 4, 4), 1e6))
    seen = []
    speed.measure(lambda a: seen.append(threadpool_info()), case, store.arrays)
    blas = [pool for info in seen for pool in info if pool.get("user_api") == "blas"]
    assert blas and {pool["num_threads"] for pool in blas} == {1}


def test_a_fresh_copy_shares_no_array():
    value = (np.zeros(2), [np.ones(2)], {"a": np.full(2, 3.0)}, 5)
    copy = speed.fresh_copy(value)
    copy[0][0], copy[1][0][0], copy[2]["a"][0] = 9.0, 9.0, 9.0
    assert value[0][0] == 0.0 and value[1][0][0] == 1.0 and value[2]["a"][0] == 3.0
    assert isinstance(copy, tuple) and isinstance(copy[1], list) and copy[3] == 5


def test_timed_runs_on_fresh_copies():
    seen = []

    def changes_its_input(a):
        seen.append(a[0])
        a[0] += 1.0
    speed.timed(changes_its_input, (np.zeros(1),), {}, budget=-1.0)  # never under budget, and hopeless: two runs
    assert seen == [0.0, 0.0]


BUDGET = casefile.Budget((10, 20, 30), 30.0)


@pytest.mark.parametrize("took, outcome", [(0.5, Outcome.PASSED), (1.0, Outcome.PASSED), (1.01, Outcome.TOO_SLOW)])
def test_only_a_run_over_the_time_allowed_is_too_slow(took, outcome):
    verdict = speed.timing_verdict("conv_forward", PLACE, took, 1.0, BUDGET)
    assert verdict.outcome is outcome and verdict.place == PLACE
    assert verdict.timing == Timing(took, 1.0, 30.0, (10, 20, 30))
    assert verdict.diagnosis == (Diagnosis("loop_over_positions", "timing") if outcome is Outcome.TOO_SLOW else None)


def test_speed_cases_are_the_timing_cases():
    cases = [{"id": "a"}, {"id": "b", "kind": "speed"}, {"id": "c", "kind": "gradient"}]
    manifest = {"functions": {"f": {"outputs": ["Z"], "cases": cases}}}
    assert [case.id for case in speed.speed_cases(casefile.Manifest(manifest), "f")] == ["b"]


def test_a_calibration_is_a_short_positive_time():
    took = speed.calibration_time(8, 8, 8, runs=3)
    assert 0 < took < 1.0


def test_measure_times_a_case_against_a_calibration_made_now():
    store = casefile.ArrayStore()
    case = casefile.StoredCase("c", kind="speed", args=casefile.encode((np.ones((4, 4)),), store),
                         kwargs=casefile.encode({}, store), budget=casefile.Budget((4, 4, 4), 1e6))
    calls = []
    took, allowed = speed.measure(lambda a: calls.append(a.sum()), case, store.arrays)
    assert calls and calls[0] == 16.0
    assert 0 < took < allowed


def test_inputs_are_drawn_again_with_the_shapes_and_containers_of_the_template():
    """A timed run's inputs are drawn afresh from a template of the case's: float arrays by shape, numbers and
    words as they are, tuples as tuples and lists as lists (a function may test which it was given)."""
    value = (np.zeros((2, 3)), [np.ones(4), 2], {"stride": 2, "mode": "max"}, None)
    template = speed.template_of(value)
    assert template == {"tuple": [{"normal": [2, 3]}, {"list": [{"normal": [4]}, {"value": 2}]},
                                  {"dict": {"stride": {"value": 2}, "mode": {"value": "max"}}}, {"value": None}]}
    drawn = speed.draw(template, seed=7)
    assert type(drawn) is tuple and type(drawn[1]) is list and drawn[2] == {"stride": 2, "mode": "max"}
    assert drawn[0].shape == (2, 3) and drawn[1][0].shape == (4,) and drawn[1][1] == 2 and drawn[3] is None
    again = speed.draw(template, seed=7)
    assert np.array_equal(again[0], drawn[0]) and not np.array_equal(speed.draw(template, seed=8)[0], drawn[0])


def test_the_time_allowed_scales_with_the_calibrations_copy_and_product():
    """work(M, K, N) = M K (1 + N): the copy of an M x K array and its product with a K x N one."""
    assert speed.work((4, 5, 6)) == 4 * 5 + 4 * 5 * 6
    assert speed.scaled(2.0, (4, 5, 6), None) == 2.0  # the same calibration
    assert speed.scaled(2.0, (4, 5, 6), (8, 5, 6)) == pytest.approx(4.0)  # twice the work, twice the time
    longer = (4, 5, 13)
    assert speed.scaled(2.0, (4, 5, 6), longer) == pytest.approx(2.0 * speed.work(longer) / speed.work((4, 5, 6)))
