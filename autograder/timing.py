"""The visible timing check of assignment 2: does a layer still loop over output positions?

``check.timing(name, fn)`` (:meth:`autograder.checks.Checks.timing`) runs in the test cells of
"Vectorize it", before the hidden checks, so that a learner knows before submitting. It works
as the hidden timing check does (:mod:`autograder.speed`): the time allowed is a multiple
(:data:`FACTOR`) of the time that numpy needs, measured on the spot on the same machine with
one BLAS thread and in CPU time, to copy a matrix of the size of the layer's patch matrix and multiply it
once. Only the ratio matters, so a slow or a busy machine gets more time.

Its inputs are public and the same for everyone (:func:`case`): one 192 x 192 example with one
channel and 1 x 1 windows (a filter of one weight, pooling windows of one entry), stride 1: 36,864
output positions and almost no arithmetic at each, so that the number of positions decides the time,
as in the hidden check's first kind of case (instructor/assignments/conv_vectorized/cases.py).

It is lenient: :data:`FACTOR` is twice the hidden check's for that kind of case, well above what
vectorized layers take and well under what any loop over the positions takes
(tests/test_timing_check.py holds both margins). The hidden check is stricter, runs on inputs of its
own, and has cases with larger windows too. Nothing in here computes a layer.
"""
from __future__ import annotations

import numpy as np

from .casefile import ArrayStore, Budget, StoredCase, Tolerance, encode

# The time allowed, in multiples of the calibration: twice the hidden check's (SPEED_FACTOR of its cases). Measured in
# CPU time with one BLAS thread on this shared 2-core machine (load average 7), the 92 layers of the kit's corpus
# (tests/corpus/conv_vectorized/) that are right and do not loop over positions take at most 0.09 of it (np.add.at
# the slowest), the reference and the einsum hand at most 0.07; the corpus's 9 layers that loop over positions take
# 6.8 times it and more, assignment 1's loops 11 times and more, a loop over (h, w) whose body is one small matrix
# product 10 times.
FACTOR = 120
CONV_IMAGE = (1, 192, 192, 1)
CONV_FILTER = (1, 1, 1, 1)
CONV_HPARAMETERS = {"stride": 1, "pad": 0}
POOL_IMAGE = (1, 192, 192, 1)
POOL_HPARAMETERS = {"f": 1, "stride": 1}
SEED = 2024


def _conv_args(rng: np.random.Generator, backward: bool) -> tuple[tuple, int]:
    A_prev = rng.standard_normal(CONV_IMAGE)
    W = rng.standard_normal(CONV_FILTER)
    b = rng.standard_normal((1, 1, 1, CONV_FILTER[3]))
    hparameters = dict(CONV_HPARAMETERS)
    f, pad, stride = CONV_FILTER[0], hparameters["pad"], hparameters["stride"]
    n_H = (CONV_IMAGE[1] + 2 * pad - f) // stride + 1
    n_W = (CONV_IMAGE[2] + 2 * pad - f) // stride + 1
    positions = CONV_IMAGE[0] * n_H * n_W
    if not backward:
        return (A_prev, W, b, hparameters), positions
    dZ = rng.standard_normal((CONV_IMAGE[0], n_H, n_W, CONV_FILTER[3]))
    return (dZ, (A_prev, W, b, hparameters)), positions


def _pool_args(rng: np.random.Generator, backward: bool) -> tuple[tuple, int]:
    A_prev = rng.standard_normal(POOL_IMAGE)
    hparameters = dict(POOL_HPARAMETERS)
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (POOL_IMAGE[1] - f) // stride + 1
    n_W = (POOL_IMAGE[2] - f) // stride + 1
    positions = POOL_IMAGE[0] * n_H * n_W * POOL_IMAGE[3]
    if not backward:
        return (A_prev, hparameters), positions
    dA = rng.standard_normal((POOL_IMAGE[0], n_H, n_W, POOL_IMAGE[3]))
    return (dA, (A_prev, hparameters)), positions


def _describe(args: tuple) -> str:
    def shape(value):
        if isinstance(value, np.ndarray):
            return str(value.shape)
        if isinstance(value, tuple):
            return "(" + ", ".join(shape(item) for item in value) + ")"
        return repr(value)
    return shape(args)


ARGUMENTS = {"conv_forward": ("A_prev", "W", "b", "hparameters"), "pool_forward": ("A_prev", "hparameters"),
             "conv_backward": ("dZ", "cache"), "pool_backward": ("dA", "cache")}
FUNCTIONS = tuple(ARGUMENTS)


def case(function: str) -> tuple[StoredCase, dict]:
    """(the visible timing case of ``function``, as a stored case, its arrays).

    For :func:`autograder.speed.measure`.
    """
    if function not in FUNCTIONS:
        raise KeyError(f"there is no visible timing check of {function!r}; there is one of {', '.join(FUNCTIONS)}")
    rng = np.random.default_rng(SEED)
    backward = function.endswith("backward")
    if function.startswith("conv"):
        args, positions = _conv_args(rng, backward)
        calibration = [positions, CONV_FILTER[0] * CONV_FILTER[1] * CONV_FILTER[2], CONV_FILTER[3]]
    else:
        args, positions = _pool_args(rng, backward)
        calibration = [positions, POOL_HPARAMETERS["f"] ** 2, 1]
    description = ", ".join(f"{name} {_describe(value)}" for name, value in zip(ARGUMENTS[function], args))
    store = ArrayStore()
    entry = StoredCase("visible_timing", hidden=False, kind="speed", description=description, args=encode(args, store),
                 kwargs=encode({}, store), budget=Budget(tuple(calibration), FACTOR),
                 tolerance=Tolerance(rtol=0.0, atol=0.0))  # no expected output: judged on errors only
    return entry, store.arrays
