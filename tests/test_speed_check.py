"""The timing check of assignment 2 tells loops from vectorized layers, by a wide margin on both sides.

``check.speed`` allows a factor times a calibration measured on the spot, both
in CPU time (see autograder/speed.py), on three timing cases per layer whose
shapes are drawn from their seeds: one of about 190 x 190 positions with 1 x 1
windows and one channel, where the number of output positions decides the
time, and two with 2 x 2 windows over two channels (stride 1, stride 2). Here,
on the same machine and under the same load as the rest of the suite:

- the reference and a second vectorized hand use at most a third of the time
  allowed, on every case; backward passes written as a full convolution (the
  corpus's) at most half, for which conv_backward's strides cases allow
  stride ** 2 times as much;
- assignment 1's loops fail every case, by at least three times on the
  positions case, and fail with the hint that names the loop; so does a layer
  that uses them except for 1 x 1 windows, where it has a vectorized line;
- loops over the positions (h, w) whose body is vectorized (even the lightest:
  one small matrix product per position) take at least three times the time
  allowed on the positions case.

(Measured under a load average of 9 on 2 cores: vectorized layers of the corpus 2% to 51%,
assignment 1's loops at least 3.2 times the time allowed, the lightest loop over positions
21 times on the positions case.)

A share is the best of a few measurements (each itself the best of several runs),
so that one hiccup of a busy machine does not decide.
"""
from __future__ import annotations

import numpy as np
import pytest

import autograder
from autograder import CheckFailed, speed
from autograder.verdict import Outcome
from instructor import corpus
from instructor.assignments.conv_vectorized import cases
from instructor.assignments.conv_vectorized.examples import EINSUM, loops_from_assignment_1
from instructor.assignments.conv_step_by_step.examples import function_sources
from instructor.reference import namespace
from tests.helpers import VECTORIZED
from tests.timing_cheats import fast_path_for_1x1

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


def share(function: str, fn, tries: int = 3, kind: str = "speed_positions") -> float:
    """Time taken over time allowed on the speed case ``kind`` of ``function``: the best of ``tries``."""
    (case,) = [case for case in speed.speed_cases(CHECK.case_file, function) if case.id == kind]
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


KINDS = ("speed_positions", "speed_windows", "speed_strides")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("function", VECTORIZED.functions)
def test_vectorized_layers_use_at_most_a_third_of_the_time_allowed(function, kind):
    for hand, notebook in fast_hands():
        assert share(function, notebook[function], kind=kind) < FAST, hand


@pytest.mark.parametrize("learner", ["learner_41", "learner_46"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_backward_pass_written_as_a_full_convolution_uses_at_most_half_the_time_allowed(learner, kind):
    """Corpus learners 41 to 48 convolve dZ, spread out by the stride, with the flipped filters over every position
    of the padded input: with a stride of 2, 4 times the positions of a patch matrix. (Measured: 0.22 to 0.26 of
    the allowance on the strides case, idle; 0.87 to 1.03 when it allowed what the windows case allows.)"""
    conv_backward = corpus.load(corpus.CORPUS / VECTORIZED.name / f"{learner}.py").conv_backward
    assert share("conv_backward", conv_backward, kind=kind) < 1 / 2


def test_a_backward_pass_vectorized_for_stride_1_only_fails_the_strides_case():
    """Above stride 1 it runs assignment 1's loops: the strides case's larger allowance, made for full
    convolutions, still fails it."""
    vectorized = VECTORIZED.reference()["conv_backward"]
    looping = namespace(VECTORIZED.sources(), **loops_from_assignment_1())["conv_backward"]

    def conv_backward(dZ, cache):
        return (vectorized if cache[3]["stride"] == 1 else looping)(dZ, cache)

    verdict, _ = CHECK.verdict("conv_backward", conv_backward, hidden=True)
    assert verdict.passed  # correct: only its speed is at stake
    assert share("conv_backward", conv_backward) < FAST  # the positions case has stride 1
    assert share("conv_backward", conv_backward, tries=1, kind="speed_strides") > 1
    with pytest.raises(CheckFailed, match="is too slow"):
        CHECK.speed("conv_backward", conv_backward)


@pytest.mark.parametrize("function", VECTORIZED.functions)
def test_assignment_1s_loops_take_far_more_than_the_time_allowed_and_get_the_hint(function):
    loops = namespace(VECTORIZED.sources(), **loops_from_assignment_1())
    assert share(function, loops[function], tries=1) > SLOW
    assert all(share(function, loops[function], tries=1, kind=kind) > 1 for kind in KINDS[1:])
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


@pytest.mark.parametrize("function", VECTORIZED.functions)
def test_a_layer_that_special_cases_1x1_windows_fails_the_cases_with_larger_windows(function):
    notebook = namespace(VECTORIZED.sources(), **{function: fast_path_for_1x1(function)})
    verdict, _ = CHECK.verdict(function, notebook[function], hidden=True)
    assert verdict.passed  # correct: only its speed is at stake
    assert share(function, notebook[function]) < FAST  # its vectorized line takes the positions case
    assert share(function, notebook[function], tries=1, kind="speed_windows") > 1
    with pytest.raises(CheckFailed, match="is too slow"):
        CHECK.speed(function, notebook[function])


def shapes(args: dict) -> list:
    """The shapes of the arrays in an encoded value or a template (see autograder.speed.template_of)."""
    if isinstance(args, dict):
        if "normal" in args:
            return [tuple(args["normal"])]
        if "array" in args:
            return [CHECK.arrays[args["array"]].shape]
        return [shape for value in args.values() for shape in shapes(value)]
    if isinstance(args, list):
        return [shape for value in args for shape in shapes(value)]
    return []


def test_every_layer_has_three_hidden_speed_cases_last_whose_timed_runs_each_have_another_shape():
    for function in VECTORIZED.functions:
        entries = CHECK.case_file.function(function).cases
        timed = entries[-3:]
        assert [c.kind for c in entries].count("speed") == 3 and [c.id for c in timed] == list(KINDS)
        assert all(c.hidden for c in timed)
        M, K, N = timed[0].budget.calibration
        assert M >= 30_000 and K * N == 1 and timed[0].budget.factor == cases.SPEED_FACTOR
        for case in timed[1:]:
            assert case.facts["f"] == 2 and shapes(case.args)[0][3] >= 2  # channels
        # a full-convolution backward pass works at every position of the padded input: stride ** 2 times more
        strides = cases.WINDOWS_FACTOR * (2 ** 2 if function == "conv_backward" else 1)
        assert [case.budget.factor for case in timed[1:]] == [cases.WINDOWS_FACTOR, strides]
        for case in timed:
            runs = [shapes(run.args) for run in case.runs]
            assert len(case.runs) == cases.RUNS >= speed.ATTEMPTS
            assert len({str(run) for run in runs}) == len(runs) and str(shapes(case.args)) not in map(str, runs)


def test_the_timed_shapes_come_from_the_seed():
    """The class grader gives hidden cases seeds from the course secret: other seeds, other shapes."""
    for case in cases.SPEED:
        drawn = {str(case.drawn(seed)[0].params) for seed in range(20)}
        assert len(drawn) > 10, case.id
