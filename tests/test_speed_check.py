"""The timing check of assignment 2 tells loops from vectorized layers, by a wide margin on both sides.

``check.speed`` allows SPEED_FACTOR times a calibration measured on the spot
(see autograder/speed.py) on a 192 x 192 image with 1 x 1 windows, where the
number of output positions decides the time. Here, on the same machine and
under the same load as the rest of the suite:

- the reference and a second vectorized hand use at most a third of the time allowed;
- assignment 1's loops, and loops over the positions (h, w) whose body is
  vectorized (even the lightest: one small matrix product per position), take
  at least three times the time allowed, and fail with the hint that names the loop.

(On an idle machine the shares are far apart: vectorized layers 1% to 20%,
the lightest loop over positions about 14 times the time allowed.)

A share is the best of a few measurements (each itself the best of several runs),
so that one hiccup of a busy machine does not decide.
"""
from __future__ import annotations

import numpy as np
import pytest

import autograder
from autograder import CheckFailed, speed
from autograder.verdict import Outcome
from instructor.assignments.conv_vectorized import cases
from instructor.assignments.conv_vectorized.examples import EINSUM, loops_from_assignment_1
from instructor.assignments.conv_step_by_step.examples import function_sources
from instructor.reference import namespace
from tests.helpers import VECTORIZED

CHECK = autograder.checks(VECTORIZED.name)
FAST = 1 / 3  # at most this share of the time allowed
SLOW = 3.0  # at least this share


def conv_forward_hw(A_prev, W, b, hparameters):
    """A loop over the output positions, with the lightest body: one small matrix product per position."""
    s, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    A = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    m, n_H, n_W = A.shape[0], (A.shape[1] - f) // s + 1, (A.shape[2] - f) // s + 1
    W_col = W.reshape(-1, W.shape[3])
    Z = np.empty((m, n_H, n_W, W.shape[3]))
    for h in range(n_H):
        for w in range(n_W):
            Z[:, h, w, :] = A[:, h * s:h * s + f, w * s:w * s + f, :].reshape(m, -1) @ W_col + b[0, 0, 0]
    return Z, (A_prev, W, b, hparameters)


def pool_backward_hw(dA, cache, mode="max"):
    A_prev, hparameters = cache
    s, f = hparameters["stride"], hparameters["f"]
    dA_prev = np.zeros(A_prev.shape)
    for h in range(dA.shape[1]):
        for w in range(dA.shape[2]):
            window = A_prev[:, h * s:h * s + f, w * s:w * s + f, :]
            share = (window == window.max(axis=(1, 2), keepdims=True)) if mode == "max" else 1 / (f * f)
            dA_prev[:, h * s:h * s + f, w * s:w * s + f, :] += share * dA[:, h:h + 1, w:w + 1, :]
    return dA_prev


def share(function: str, fn, tries: int = 3) -> float:
    """Time taken over time allowed on the speed case of ``function``: the best of ``tries``."""
    (case,) = speed.speed_cases(CHECK.manifest, function)
    best = float("inf")
    for _ in range(tries):
        took, allowed = speed.measure(fn, case, CHECK.arrays)
        best = min(best, took / allowed)
        if best < FAST:
            break
    return best


def fast_hands():
    yield "reference", VECTORIZED.reference()
    yield "einsum", namespace(VECTORIZED.sources(), **function_sources(EINSUM))


@pytest.mark.parametrize("function", VECTORIZED.functions)
def test_vectorized_layers_use_at_most_a_third_of_the_time_allowed(function):
    for hand, notebook in fast_hands():
        assert share(function, notebook[function]) < FAST, hand


@pytest.mark.parametrize("function", VECTORIZED.functions)
def test_assignment_1s_loops_take_far_more_than_the_time_allowed_and_get_the_hint(function):
    loops = namespace(VECTORIZED.sources(), **loops_from_assignment_1())
    assert share(function, loops[function], tries=1) > SLOW
    with pytest.raises(CheckFailed) as failure:
        CHECK.speed(function, loops[function])
    assert failure.value.verdict.outcome is Outcome.TOO_SLOW
    assert failure.value.verdict.diagnosis.id == "loop_over_positions"
    assert "is too slow" in str(failure.value) and "sliding_window_view" in str(failure.value)


@pytest.mark.parametrize("function, fn", [("conv_forward", conv_forward_hw), ("pool_backward", pool_backward_hw)])
def test_a_loop_over_positions_with_a_vectorized_body_fails_by_a_wide_margin(function, fn):
    verdict, _ = CHECK.verdict(function, fn, hidden=True)
    assert verdict.passed  # correct: only its speed is at stake
    assert share(function, fn, tries=1) > SLOW
    with pytest.raises(CheckFailed, match="is too slow"):
        CHECK.speed(function, fn)


def test_every_speed_case_is_hidden_last_and_dominated_by_its_positions():
    for function in VECTORIZED.functions:
        entries = CHECK.manifest["functions"][function]["cases"]
        assert entries[-1]["kind"] == "speed" and entries[-1]["hidden"]
        assert [c["kind"] for c in entries].count("speed") == 1
        M, K, N = entries[-1]["budget"]["calibration"]
        assert M >= 30_000 and K * N == 1 and entries[-1]["budget"]["factor"] == cases.SPEED_FACTOR
