"""The timing check of assignment 2 tells loops from vectorized layers, by a wide margin on both sides.

``check_speed`` allows SPEED_FACTOR times a calibration measured on the spot
(see autograder/speed.py). Here, on the same machine and under the same load
as the rest of the suite:

- the reference and a second vectorized hand use at most half of the time allowed;
- assignment 1's loops take at least 1.5 times the time allowed, and fail with
  the hint that names the loop; a loop over the positions (h, w) whose body is
  vectorized over the examples and channels fails too (it is only about twice
  over: the margin on that side is narrow).

(Measured on an idle machine the shares are far apart: a few percent against
4 to 45 times; the margins here leave room for a loaded CI machine.)

A share is the best of a few measurements (each itself the best of several runs),
so that one hiccup of a busy machine does not decide.
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder import CheckFailed, check
from autograder.check import _load
from autograder.speed import check_speed, measure, speed_cases
from instructor import cases_vectorized, reference
from instructor.examples_series import vectorized_submissions

ASSIGNMENT = "conv_vectorized"
SOURCES = reference.solution_sources(reference.source_notebook(ASSIGNMENT))
FAST = 0.5  # at most this share of the time allowed
SLOW = 1.5  # at least this share


def conv_forward_hw(A_prev, W, b, hparameters):
    """A loop over the output positions, vectorized over examples and filters inside."""
    s, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    A = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H, n_W = (A.shape[1] - f) // s + 1, (A.shape[2] - f) // s + 1
    Z = np.empty((A.shape[0], n_H, n_W, W.shape[3]))
    for h in range(n_H):
        for w in range(n_W):
            Z[:, h, w, :] = np.tensordot(A[:, h * s:h * s + f, w * s:w * s + f, :], W, axes=3) + b[0, 0]
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
    _, arrays = _load(ASSIGNMENT)
    (case,) = speed_cases(function, ASSIGNMENT)
    best = float("inf")
    for _ in range(tries):
        took, allowed = measure(fn, case, arrays)
        best = min(best, took / allowed)
        if best < FAST:
            break
    return best


def fast_hands():
    yield "reference", reference.namespace(SOURCES)
    yield "einsum", reference.namespace(SOURCES, **vectorized_submissions()["correct_einsum"][1])


@pytest.mark.parametrize("function", cases_vectorized.FUNCTIONS)
def test_vectorized_layers_use_at_most_half_of_the_time_allowed(function):
    for hand, notebook in fast_hands():
        assert share(function, notebook[function]) < FAST, hand


@pytest.mark.parametrize("function", cases_vectorized.FUNCTIONS)
def test_assignment_1s_loops_take_far_more_than_the_time_allowed_and_get_the_hint(function):
    loops = reference.namespace(SOURCES, **vectorized_submissions()["loops_from_assignment_1"][1])
    assert share(function, loops[function], tries=1) > SLOW
    with pytest.raises(CheckFailed) as failure:
        check_speed(function, loops[function])
    assert "is too slow" in str(failure.value)
    assert cases_vectorized.LOOP_HINT in str(failure.value)


@pytest.mark.parametrize("function, fn", [("conv_forward", conv_forward_hw), ("pool_backward", pool_backward_hw)])
def test_a_loop_over_positions_with_a_vectorized_body_also_fails(function, fn):
    check(function, fn, hidden=True, assignment=ASSIGNMENT)  # correct: only its speed is at stake
    # about 2x over the time allowed on an idle machine: the check fails it, but without SLOW's margin
    with pytest.raises(CheckFailed, match="is too slow"):
        check_speed(function, fn)


def test_every_speed_case_is_hidden_last_and_large():
    manifest, arrays = _load(ASSIGNMENT)
    for function in cases_vectorized.FUNCTIONS:
        cases = manifest["functions"][function]["cases"]
        assert cases[-1]["kind"] == "speed" and cases[-1]["hidden"]
        assert [c["kind"] for c in cases].count("speed") == 1
        M, K, N = cases[-1]["budget"]["calibration"]
        assert M >= 4096 and cases[-1]["budget"]["factor"] == cases_vectorized.SPEED_FACTOR
