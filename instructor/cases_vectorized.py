"""The test cases of assignment 2, "Vectorize it", as data.

The four layers keep the names, signatures and caches of assignment 1, so they
keep its cases too: every case of ``conv_forward``, ``pool_forward``,
``conv_backward`` and ``pool_backward`` in :mod:`instructor.cases` (the lesson's
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
- one ``kind="speed"`` case per function, for :func:`autograder.speed.check_speed`:
  one image with a single channel, 96 x 96 for the convolution and 128 x 128
  (2 x 2 windows, stride 2) for pooling, so that the layer has thousands of
  output positions but little arithmetic per position. A vectorized layer
  spends its time moving data, much as the calibration does (a copy and a
  product of a matrix the size of the patch matrix); a Python loop over the
  positions pays the interpreter at every one of them.
"""
from __future__ import annotations

from . import cases
from .cases import Case, _conv, _pool

FUNCTIONS = ("conv_forward", "pool_forward", "conv_backward", "pool_backward")

# The time allowed is SPEED_FACTOR times the calibration. Measured here, vectorized
# layers take about 5 to 50 times the calibration (an einsum without optimize=True
# up to about 75), and loops over the positions 2,000 times and more, even when the
# body of the loop is vectorized over the examples and channels; 400 sits between
# the two with a wide margin on both sides (tests/test_speed_check.py holds it).
SPEED_FACTOR = 400
LOOP_HINT = (
    "this is how slow a Python loop over the output positions is: the interpreter runs the loop's body once per "
    "position (and per example and channel), and here there are thousands of them. Take all the windows at "
    "once with np.lib.stride_tricks.sliding_window_view and let one numpy call (a matrix product, tensordot, "
    "einsum, max or mean over the window axes) do the work; in the backward passes, loop over the f x f offsets "
    "of the window at most, never over i, h, w or c."
)
SPEED_IMAGE = (1, 96, 96, 1)  # convolution: 96 x 96 = 9,216 output positions (f = 3, pad = 1)
SPEED_POOL_IMAGE = (1, 128, 128, 1)  # pooling: 64 x 64 = 4,096 output positions (f = 2, stride = 2)


def _budget(M: int, K: int, N: int) -> dict:
    return {"calibration": [M, K, N], "factor": SPEED_FACTOR, "hint": LOOP_HINT}


def _conv_speed(function: str, seed: int) -> Case:
    m, n_H_prev, n_W_prev, n_C_prev = SPEED_IMAGE
    f, n_C, pad, stride = 3, 4, 1, 1
    n_H = cases.output_size(n_H_prev, f, pad, stride)
    n_W = cases.output_size(n_W_prev, f, pad, stride)
    params = dict(A_prev=SPEED_IMAGE, W=(f, f, n_C_prev, n_C), pad=pad, stride=stride)
    return Case(function, "speed_96x96", True, seed, params, kind="speed",
                budget=_budget(m * n_H * n_W, f * f * n_C_prev, n_C))


def _pool_speed(function: str, seed: int) -> Case:
    m, n_H_prev, n_W_prev, n_C = SPEED_POOL_IMAGE
    f, stride = 2, 2
    n_H = cases.output_size(n_H_prev, f, 0, stride)
    n_W = cases.output_size(n_W_prev, f, 0, stride)
    params = dict(A_prev=SPEED_POOL_IMAGE, f=f, stride=stride, mode="max")
    return Case(function, "speed_128x128", True, seed, params, kind="speed",
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
    tuple(case for case in cases.CASES if case.function in FUNCTIONS), EXTRA, SPEED)

OUTPUT_NAMES = {name: cases.OUTPUT_NAMES[name] for name in FUNCTIONS}
