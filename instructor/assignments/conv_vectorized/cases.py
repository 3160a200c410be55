"""The test cases of assignment 2, "Vectorize it", as data.

The four layers keep the names, signatures and caches of assignment 1, so they
keep its cases too: every case of ``conv_forward``, ``pool_forward``,
``conv_backward`` and ``pool_backward`` of assignment 1 (the lesson's
examples, the hidden strides and pads, the numerical-gradient cases), drawn by
the same input builders. Their expected values come from this assignment's
reference (the vectorized solution cells), which tests/test_vectorized_reference.py
holds equal to assignment 1's loops and to PyTorch: so passing these cases means
agreeing with the loop versions.

Added here:

- hidden cases with a channel count different from the filter size (a window
  view lists a window's axes as ``(n_C_prev, f, f)``, a filter as
  ``(f, f, n_C_prev)``; mixing the two orders only shows when they differ),
  and a larger batch;
- one ``kind="speed"`` case per function, for the timing check (:mod:`autograder.speed`): one
  192 x 192 image with a single channel and 1 x 1 windows (filters of one weight, pooling windows of
  one entry), so that the layer has 36,864 output positions and almost no arithmetic at each: the
  number of positions decides the time. A vectorized layer spends its time moving data, much as the
  calibration does (a copy and a product of a matrix the size of the patch matrix, 36,864 x 1); a
  Python loop over the positions pays the interpreter at every one of them, whatever its body.
"""
from __future__ import annotations

from ...case import Case, output_size
from ..conv_step_by_step import cases as step_by_step
from ..conv_step_by_step.cases import _conv, _pool

FUNCTIONS = ("conv_forward", "pool_forward", "conv_backward", "pool_backward")

# The time allowed is SPEED_FACTOR times the calibration. Measured here (1 BLAS thread, /tmp/speedprobe
# in the closing note of issue #10) on the kit's corpus of real-looking submissions: vectorized layers take 0.5
# to 11 times the calibration (np.add.at the slowest); loops over the positions take 829 times and more (a
# loop over h and w whose body is one small matrix product), 1,300 to 7,000 times with heavier bodies. 60
# leaves vectorized layers over 5 times their time, and fails the lightest loop by more than 10 times
# (tests/test_speed_check.py holds both sides).
SPEED_FACTOR = 60
SPEED_IMAGE = (1, 192, 192, 1)  # 192 x 192 = 36,864 output positions, with 1 x 1 windows


def _budget(M: int, K: int, N: int) -> dict:
    return {"calibration": [M, K, N], "factor": SPEED_FACTOR}


def _conv_speed(function: str, seed: int) -> Case:
    m, n_H_prev, n_W_prev, n_C_prev = SPEED_IMAGE
    f, n_C, pad, stride = 1, 1, 0, 1
    n_H = output_size(n_H_prev, f, pad, stride)
    n_W = output_size(n_W_prev, f, pad, stride)
    params = dict(A_prev=SPEED_IMAGE, W=(f, f, n_C_prev, n_C), pad=pad, stride=stride)
    return Case(function, "speed_192x192", True, seed, params, kind="speed",
                budget=_budget(m * n_H * n_W, f * f * n_C_prev, n_C))


def _pool_speed(function: str, seed: int) -> Case:
    m, n_H_prev, n_W_prev, n_C = SPEED_IMAGE
    f, stride = 1, 1
    n_H = output_size(n_H_prev, f, 0, stride)
    n_W = output_size(n_W_prev, f, 0, stride)
    params = dict(A_prev=SPEED_IMAGE, f=f, stride=stride, mode="max")
    return Case(function, "speed_192x192", True, seed, params, kind="speed",
                budget=_budget(m * n_H * n_W * n_C, f * f, 1))


EXTRA: tuple[Case, ...] = (
    _conv("conv_forward", "channels_differ_from_f", True, 135, (2, 6, 5, 2), (3, 3, 2, 4), stride=1, pad=1),
    _conv("conv_forward", "batch_8", True, 136, (8, 6, 6, 2), (3, 3, 2, 3), stride=2, pad=1),
    _pool("pool_forward", "batch_8_average", True, 146, (8, 6, 6, 2), f=2, stride=2, mode="average"),
    _conv("conv_backward", "channels_differ_from_f", True, 155, (2, 6, 5, 2), (3, 3, 2, 4), stride=1, pad=1),
    _conv("conv_backward", "batch_8", True, 156, (8, 6, 6, 2), (3, 3, 2, 3), stride=2, pad=1),
    _pool("pool_backward", "batch_8_max", True, 186, (8, 6, 6, 2), f=2, stride=2, mode="max"),
)

SPEED: tuple[Case, ...] = (
    _conv_speed("conv_forward", 230),
    _pool_speed("pool_forward", 240),
    _conv_speed("conv_backward", 250),
    _pool_speed("pool_backward", 280),
)


def _in_order(*groups: tuple[Case, ...]) -> tuple[Case, ...]:
    """The cases of the four functions, function by function; speed cases last."""
    every = [case for group in groups for case in group]
    return tuple(case for name in FUNCTIONS for case in every if case.function == name)


CASES: tuple[Case, ...] = _in_order(
    tuple(case for case in step_by_step.CASES if case.function in FUNCTIONS), EXTRA, SPEED)

OUTPUT_NAMES = {name: step_by_step.OUTPUT_NAMES[name] for name in FUNCTIONS}
INPUTS = {name: step_by_step.INPUTS[name] for name in FUNCTIONS}
GRADIENT_ORACLES = dict(step_by_step.GRADIENT_ORACLES)
