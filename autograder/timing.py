"""The visible timing check of assignment 2: does a layer still loop over output positions?

``check.timing(name, fn)`` (:meth:`autograder.checks.Checks.timing`) runs in the test cells of
"Vectorize it", before the hidden checks, so that a learner knows before submitting. It works
as the hidden timing check does (:mod:`autograder.speed`): the time allowed is a multiple
(:data:`FACTOR`) of the time that numpy needs, measured on the spot on the same machine with
one BLAS thread, to copy a matrix of the size of the layer's patch matrix and multiply it once.
Only the ratio matters, so a slow or a busy machine gets more time.

Its inputs are public and the same for everyone (:func:`case`): an image with many output
positions and little arithmetic at each, so that the number of positions decides the time:

- the convolution: one 128 x 128 example with one channel, one 2 x 2 filter, stride 1, pad 1
  (16,641 positions, a patch matrix of 16,641 x 4);
- pooling: one 192 x 192 example with one channel, 2 x 2 windows, stride 2, max
  (9,216 positions, a patch matrix of 9,216 x 4).

It is lenient: :data:`FACTOR` is well above what vectorized layers take, and well under what
any loop over the positions takes (tests/test_timing_check.py holds both margins). The hidden
check is stricter and runs on inputs of its own. Nothing in here computes a layer.
"""
from __future__ import annotations

import numpy as np

from . import casefile

# The time allowed, in multiples of the calibration. Measured with one BLAS thread on this shared 2-core machine (load
# average 11 to 14), over the 92 layers of the kit's corpus (tests/corpus/conv_vectorized/) that are right and do not
# loop over positions, the reference and the einsum hand: at most 28 times the calibration in a convolution (np.add.at
# the slowest) and 40 in pooling; the corpus's 9 layers that loop over positions, assignment 1's loops and a loop
# over (h, w) whose body is one small matrix product: 1,200 times and more. Small windows keep the two far apart: a
# loop pays per position, a vectorized layer per entry of its patch matrix, as the calibration does.
FACTOR = 300
CONV_IMAGE = (1, 128, 128, 1)
CONV_FILTER = (2, 2, 1, 1)
CONV_HPARAMETERS = {"stride": 1, "pad": 1}
POOL_IMAGE = (1, 192, 192, 1)
POOL_HPARAMETERS = {"f": 2, "stride": 2}
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


def case(function: str) -> tuple[dict, dict]:
    """(the visible timing case of ``function``, in a case file's form, its arrays), for :func:`autograder.speed.measure`."""
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
    store = casefile.ArrayStore()
    entry = {"id": "visible_timing", "function": function, "hidden": False, "kind": "speed",
             "description": description, "args": casefile.encode(args, store), "kwargs": casefile.encode({}, store),
             "budget": {"calibration": calibration, "factor": FACTOR},
             "tolerance": {"rtol": 0.0, "atol": 0.0}, "mistakes": []}  # no expected output: judged on errors only
    return entry, store.arrays
