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
- three ``kind="speed"`` cases per function, for the timing check (:mod:`autograder.speed`),
  each drawing its shapes from its seed (the course secret's, in the class grader), and
  each of its timed runs of another shape (:func:`_draw`), so that neither a special case
  for the shapes of the release nor a cache per shape helps:

  - ``speed_positions``: one image of about 190 x 190 with a single channel and 1 x 1
    windows (filters of one weight, pooling windows of one entry): some 36,000 output
    positions and almost no arithmetic at each, so the number of positions decides the
    time. A vectorized layer spends its time moving data, much as the calibration does (a
    copy and a product of a matrix the size of the patch matrix, 36,000 x 1); a Python loop
    over the positions pays the interpreter at every one of them, whatever its body.
  - ``speed_windows``: 2 x 2 windows at stride 1 over 2 or 3 channels, about 4,000 positions;
  - ``speed_strides``: 2 x 2 or 3 x 3 windows at stride 2, about 4,000 positions.

  The last two are small, so that a vectorized layer takes a few milliseconds, within one
  time slice of a busy machine's scheduler, as its calibration does; a loop over their
  positions (or over windows and channels, as a layer that special-cases 1 x 1 windows
  falls back to) still takes hundreds of times its calibration.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ...case import Case, output_size
from ..conv_step_by_step import cases as step_by_step
from ..conv_step_by_step.cases import _conv, _pool

FUNCTIONS = ("conv_forward", "pool_forward", "conv_backward", "pool_backward")

# The time allowed is a factor times the calibration, both in CPU time (autograder/speed.py). Measured (1 BLAS thread)
# on the kit's corpus of real-looking submissions, for the positions cases: vectorized layers take at most 19 times
# the calibration (np.add.at the slowest), loops over the positions 760 times and more (the lightest: a loop over h
# and w that builds gather indices, or whose body is one small matrix product); 60 leaves the slowest vectorized
# layer 3 times its time and fails the lightest loop by 12 times. The window cases have more arithmetic per
# position, which vectorized layers pay in full and a loop over positions hardly at all: vectorized layers take at
# most 120 times their calibration, assignment 1's loops (over positions, channels and the window) 800 times and
# more, and the lightest loops over positions alone no more than vectorized ones (those fail the positions cases).
# 300 leaves 2.5 times on both sides. tests/test_speed_check.py holds both sides.
# A backward pass written as a full convolution (dZ spread out by the stride, padded by f - 1, convolved with the
# flipped filters) works at every position of the padded input: stride ** 2 times the output positions the
# calibration counts. On conv_backward's strides cases (stride 2), the corpus's full-convolution passes (learners
# 41 to 48) took up to 320 times the calibration, in process and in the sandbox (at 300, a timed false fail in the
# class grader), and assignment 1's loops 2,500 times and more. Those cases allow stride ** 2 times as much
# (:func:`factor`): the full convolutions take at most a third of it, assignment 1's loops twice it. Lighter loops
# over positions pass it (learner_09's, an einsum per position, 780 to 1,190 times the calibration), as the
# lightest pass the windows cases: the positions cases fail them many times over.
SPEED_FACTOR = 60
WINDOWS_FACTOR = 300
RUNS = 5  # timed runs of each speed case, each of another shape (autograder.speed.ATTEMPTS at most are run)


def _calibration(function: str, p: dict) -> list[int]:
    """(M, K, N) of a layer's patch matrix product: positions (times channels, pooling) by window by filters."""
    m, n_H_prev, n_W_prev, n_C_prev = p["A_prev"]
    if function.startswith("conv"):
        f, _, _, n_C = p["W"]
        n_H, n_W = (output_size(n, f, p["pad"], p["stride"]) for n in (n_H_prev, n_W_prev))
        return [m * n_H * n_W, f * f * n_C_prev, n_C]
    f = p["f"]
    n_H, n_W = (output_size(n, f, 0, p["stride"]) for n in (n_H_prev, n_W_prev))
    return [m * n_H * n_W * n_C_prev, f * f, 1]


# kind of speed case: (window sizes, stride, channels in, channels out, pads, image sizes from, to)
FAMILIES = {
    "positions": ((1,), 1, (1,), (1,), (0,), 176, 208),
    "windows": ((2,), 1, (2,), (2,), (0, 1), 56, 72),
    "strides": ((2,), 2, (2,), (2,), (0, 1), 112, 144),
}


def _draw(function: str, family: str) -> Callable[[int], list[tuple[dict, list[int]]]]:
    """Seed -> the params of a speed case's own inputs and of each of its RUNS timed runs, each of its own image
    size (window, stride, channels and mode are the case's), with their calibrations."""
    fs, stride, ins, outs, pads, low, high = FAMILIES[family]

    def draw(seed: int) -> list[tuple[dict, list[int]]]:
        rng = np.random.RandomState(seed % 2**32)
        f, n_C_prev, n_C, pad = (int(rng.choice(options)) for options in (fs, ins, outs, pads))
        mode = "max" if family == "positions" else str(rng.choice(["max", "average"]))
        sizes: list[tuple[int, int]] = []
        while len(sizes) < 1 + RUNS:
            size = (int(rng.randint(low, high + 1)), int(rng.randint(low, high + 1)))
            if size not in sizes:
                sizes.append(size)
        found = []
        for n_H_prev, n_W_prev in sizes:
            if function.startswith("conv"):
                params = dict(A_prev=(1, n_H_prev, n_W_prev, n_C_prev), W=(f, f, n_C_prev, n_C), pad=pad,
                              stride=stride)
            else:
                params = dict(A_prev=(1, n_H_prev, n_W_prev, n_C_prev), f=f, stride=stride, mode=mode)
            found.append((params, _calibration(function, params)))
        return found
    return draw


def factor(function: str, family: str) -> int:
    """The time a speed case of ``family`` allows ``function``, in multiples of its calibration (see above)."""
    if family == "positions":
        return SPEED_FACTOR
    stride = FAMILIES[family][1]
    return WINDOWS_FACTOR * stride ** 2 if function == "conv_backward" else WINDOWS_FACTOR


def _speed(function: str, family: str, seed: int) -> Case:
    return Case(function, f"speed_{family}", True, seed, {}, kind="speed", budget={"factor": factor(function, family)},
                draw=_draw(function, family))


EXTRA: tuple[Case, ...] = (
    _conv("conv_forward", "channels_differ_from_f", True, 135, (2, 6, 5, 2), (3, 3, 2, 4), stride=1, pad=1),
    _conv("conv_forward", "batch_8", True, 136, (8, 6, 6, 2), (3, 3, 2, 3), stride=2, pad=1),
    _pool("pool_forward", "batch_8_average", True, 146, (8, 6, 6, 2), f=2, stride=2, mode="average"),
    _conv("conv_backward", "channels_differ_from_f", True, 155, (2, 6, 5, 2), (3, 3, 2, 4), stride=1, pad=1),
    _conv("conv_backward", "batch_8", True, 156, (8, 6, 6, 2), (3, 3, 2, 3), stride=2, pad=1),
    _pool("pool_backward", "batch_8_max", True, 186, (8, 6, 6, 2), f=2, stride=2, mode="max"),
)

SPEED: tuple[Case, ...] = tuple(
    _speed(function, family, seed + offset)
    for function, seed in (("conv_forward", 230), ("pool_forward", 240), ("conv_backward", 250), ("pool_backward", 280))
    for offset, family in enumerate(FAMILIES))


def _in_order(*groups: tuple[Case, ...]) -> tuple[Case, ...]:
    """The cases of the four functions, function by function; speed cases last."""
    every = [case for group in groups for case in group]
    return tuple(case for name in FUNCTIONS for case in every if case.function == name)


CASES: tuple[Case, ...] = _in_order(
    tuple(case for case in step_by_step.CASES if case.function in FUNCTIONS), EXTRA, SPEED)

OUTPUT_NAMES = {name: step_by_step.OUTPUT_NAMES[name] for name in FUNCTIONS}
INPUTS = {name: step_by_step.INPUTS[name] for name in FUNCTIONS}
GRADIENT_ORACLES = dict(step_by_step.GRADIENT_ORACLES)
