"""The test cases of assignment 1, as data, and how their inputs are drawn.

Inputs are drawn with ``np.random.RandomState(seed).randn`` in the order the
lesson draws them, so the lesson's examples (seed 1) are exactly the ones the
learner sees printed in the notebook. Expected outputs are never written here:
the build computes them with the reference (``kind="reference"``) or by central
differences of the reference's forward pass (``kind="gradient"``).
Assignment 2 ("Vectorize it") reuses the cases and input builders of its four layers.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ...case import Case, InputBuilder, output_size
from ...gradcheck import numerical_gradient

FUNCTIONS = ("zero_pad", "conv_single_step", "conv_forward", "pool_forward",
             "conv_backward", "create_mask_from_window", "distribute_value", "pool_backward")


def _conv(function: str, id: str, hidden: bool, seed: int, A_prev: tuple, W: tuple, stride: int, pad: int,
          kind: str = "reference", **extra: Any) -> Case:
    return Case(function, id, hidden, seed, dict(A_prev=A_prev, W=W, pad=pad, stride=stride, **extra), kind)


def _pool(function: str, id: str, hidden: bool, seed: int, A_prev: tuple, f: int, stride: int, mode: str | None,
          kind: str = "reference") -> Case:
    return Case(function, id, hidden, seed, dict(A_prev=A_prev, f=f, stride=stride, mode=mode), kind)


CASES: tuple[Case, ...] = (
    Case("zero_pad", "lesson", False, 1, dict(X=(4, 3, 3, 2), pad=2)),
    Case("zero_pad", "pad0", True, 11, dict(X=(2, 5, 3, 4), pad=0)),
    Case("zero_pad", "pad3_nonsquare", True, 12, dict(X=(3, 4, 6, 1), pad=3)),

    Case("conv_single_step", "lesson", False, 1, dict(slice=(4, 4, 3))),
    Case("conv_single_step", "nonsquare_channels", True, 21, dict(slice=(3, 2, 5))),
    Case("conv_single_step", "one_by_one", True, 22, dict(slice=(1, 1, 2))),

    _conv("conv_forward", "lesson", False, 1, (10, 4, 4, 3), (2, 2, 3, 8), stride=1, pad=2),
    _conv("conv_forward", "stride2_pad1", False, 3, (2, 5, 7, 2), (3, 3, 2, 3), stride=2, pad=1),
    _conv("conv_forward", "stride1_pad0", False, 4, (1, 6, 5, 3), (2, 2, 3, 2), stride=1, pad=0),
    _conv("conv_forward", "stride2_pad0", True, 31, (2, 7, 5, 3), (3, 3, 3, 4), stride=2, pad=0),
    _conv("conv_forward", "stride3_pad1", True, 32, (3, 9, 8, 2), (4, 4, 2, 3), stride=3, pad=1),
    _conv("conv_forward", "stride1_pad0_f3", True, 33, (2, 6, 7, 4), (3, 3, 4, 5), stride=1, pad=0),
    _conv("conv_forward", "stride2_pad2", True, 34, (1, 5, 5, 2), (2, 2, 2, 3), stride=2, pad=2),
    _conv("conv_forward", "one_by_one_stride2", True, 35, (2, 5, 4, 3), (1, 1, 3, 2), stride=2, pad=1),
    _conv("conv_forward", "single_channel", True, 36, (2, 6, 6, 1), (3, 3, 1, 1), stride=1, pad=1),

    _pool("pool_forward", "lesson_max", False, 1, (2, 4, 4, 3), f=4, stride=1, mode=None),
    _pool("pool_forward", "lesson_average", False, 1, (2, 4, 4, 3), f=4, stride=1, mode="average"),
    _pool("pool_forward", "stride2_overlap_max", False, 3, (2, 5, 5, 2), f=3, stride=2, mode="max"),
    _pool("pool_forward", "stride2_overlap_average", False, 4, (2, 5, 5, 2), f=3, stride=2, mode="average"),
    _pool("pool_forward", "overlap_max", True, 41, (2, 7, 6, 3), f=3, stride=2, mode="max"),
    _pool("pool_forward", "overlap_average", True, 42, (2, 7, 6, 3), f=3, stride=2, mode="average"),
    _pool("pool_forward", "stride3_max", True, 43, (3, 9, 5, 2), f=2, stride=3, mode="max"),
    _pool("pool_forward", "stride3_average", True, 44, (3, 9, 5, 2), f=2, stride=3, mode="average"),
    _pool("pool_forward", "stride1_average", True, 45, (2, 5, 7, 3), f=3, stride=1, mode="average"),
    _pool("pool_forward", "one_by_one_single", True, 46, (1, 4, 4, 1), f=1, stride=1, mode="max"),
    _pool("pool_forward", "single_square_average", True, 47, (1, 6, 6, 1), f=2, stride=2, mode="average"),

    _conv("conv_backward", "lesson", False, 1, (10, 4, 4, 3), (2, 2, 3, 8), stride=1, pad=2, dZ="forward"),
    _conv("conv_backward", "stride2_pad1", False, 3, (2, 6, 5, 2), (3, 3, 2, 2), stride=2, pad=1),
    _conv("conv_backward", "stride1_pad0", False, 4, (1, 5, 4, 2), (2, 2, 2, 3), stride=1, pad=0),
    _conv("conv_backward", "stride2_pad0", True, 51, (2, 7, 5, 3), (3, 3, 3, 4), stride=2, pad=0),
    _conv("conv_backward", "stride3_pad1", True, 52, (2, 6, 7, 2), (2, 2, 2, 3), stride=3, pad=1),
    _conv("conv_backward", "gradient_stride2_pad1", True, 53, (2, 5, 6, 2), (3, 3, 2, 3), stride=2, pad=1,
          kind="gradient"),
    _conv("conv_backward", "gradient_stride1_pad0", True, 54, (1, 4, 5, 3), (2, 2, 3, 2), stride=1, pad=0,
          kind="gradient"),
    _conv("conv_backward", "one_by_one_single_channel", True, 55, (2, 5, 5, 1), (1, 1, 1, 1), stride=2, pad=1),
    # rows and columns that no window reaches, more of them than the padding: a backward pass written as a full
    # convolution that leaves them out has them cut off by the padding in every other case
    _conv("conv_backward", "stride2_pad0_remainder", True, 56, (2, 6, 8, 2), (3, 3, 2, 3), stride=2, pad=0),

    Case("create_mask_from_window", "lesson", False, 1, dict(x=(2, 3))),
    Case("create_mask_from_window", "square", True, 61, dict(x=(4, 4))),
    Case("create_mask_from_window", "nonsquare", True, 62, dict(x=(3, 5))),

    Case("distribute_value", "lesson", False, 1, dict(dz=2, shape=(2, 2))),
    Case("distribute_value", "nonsquare", True, 71, dict(shape=(3, 4))),
    Case("distribute_value", "column", True, 72, dict(shape=(5, 1))),

    _pool("pool_backward", "lesson_max", False, 1, (5, 5, 3, 2), f=2, stride=1, mode="max"),
    _pool("pool_backward", "lesson_average", False, 1, (5, 5, 3, 2), f=2, stride=1, mode="average"),
    _pool("pool_backward", "stride2_overlap_max", False, 3, (2, 5, 5, 2), f=3, stride=2, mode="max"),
    _pool("pool_backward", "stride2_average", False, 4, (1, 6, 6, 2), f=2, stride=2, mode="average"),
    _pool("pool_backward", "overlap_max", True, 81, (2, 7, 6, 3), f=3, stride=2, mode="max"),
    _pool("pool_backward", "overlap_average", True, 82, (2, 7, 6, 3), f=3, stride=2, mode="average"),
    _pool("pool_backward", "stride3_max", True, 83, (2, 8, 7, 2), f=2, stride=3, mode="max"),
    _pool("pool_backward", "stride2_average_m2", True, 84, (2, 6, 6, 2), f=2, stride=2, mode="average"),
    _pool("pool_backward", "gradient_max", True, 85, (2, 5, 6, 2), f=3, stride=2, mode="max", kind="gradient"),
    _pool("pool_backward", "gradient_average", True, 86, (2, 5, 6, 2), f=3, stride=2, mode="average",
          kind="gradient"),
    _pool("pool_backward", "stride1_single_max", True, 87, (1, 5, 5, 1), f=2, stride=1, mode="max"),
    _pool("pool_backward", "one_by_one_average", True, 88, (1, 4, 6, 1), f=1, stride=1, mode="average"),
)


def _conv_arrays(rng: np.random.RandomState, p: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    A_prev = rng.randn(*p["A_prev"])
    W = rng.randn(*p["W"])
    b = rng.randn(1, 1, 1, p["W"][3])
    return A_prev, W, b, {"pad": p["pad"], "stride": p["stride"]}


def _mode(p: dict) -> dict:
    return {} if p["mode"] is None else {"mode": p["mode"]}


def _pool_output_shape(p: dict) -> tuple[int, int, int, int]:
    m, n_H_prev, n_W_prev, n_C = p["A_prev"]
    return (m, output_size(n_H_prev, p["f"], 0, p["stride"]), output_size(n_W_prev, p["f"], 0, p["stride"]), n_C)


def _conv_backward_inputs(rng, p, reference):
    A_prev, W, b, hparameters = _conv_arrays(rng, p)
    if p.get("dZ") == "forward":  # the lesson feeds conv_forward's own output back in
        dZ = reference["conv_forward"](A_prev, W, b, hparameters)[0]
    else:
        m, n_H_prev, n_W_prev, _ = p["A_prev"]
        f, _, _, n_C = p["W"]
        dZ = rng.randn(m, output_size(n_H_prev, f, p["pad"], p["stride"]),
                       output_size(n_W_prev, f, p["pad"], p["stride"]), n_C)
    return (dZ, (A_prev, W, b, hparameters)), {}


def _pool_backward_inputs(rng, p, reference):
    A_prev = rng.randn(*p["A_prev"])
    dA = rng.randn(*_pool_output_shape(p))
    return (dA, (A_prev, {"stride": p["stride"], "f": p["f"]})), _mode(p)


INPUTS: dict[str, InputBuilder] = {
    "zero_pad": lambda rng, p, ref: ((rng.randn(*p["X"]), p["pad"]), {}),
    "conv_single_step": lambda rng, p, ref: (
        (rng.randn(*p["slice"]), rng.randn(*p["slice"]), rng.randn(1, 1, 1)), {}),
    "conv_forward": lambda rng, p, ref: (_conv_arrays(rng, p), {}),
    "pool_forward": lambda rng, p, ref: (
        (rng.randn(*p["A_prev"]), {"stride": p["stride"], "f": p["f"]}), _mode(p)),
    "conv_backward": _conv_backward_inputs,
    "create_mask_from_window": lambda rng, p, ref: ((rng.randn(*p["x"]),), {}),
    "distribute_value": lambda rng, p, ref: ((p["dz"] if "dz" in p else float(rng.randn()), tuple(p["shape"])), {}),
    "pool_backward": _pool_backward_inputs,
}


def _conv_gradients(reference: dict, args: tuple, kwargs: dict) -> tuple[np.ndarray, ...]:
    dZ, (A_prev, W, b, hparameters) = args
    def loss() -> float:
        return float(np.sum(reference["conv_forward"](A_prev, W, b, hparameters)[0] * dZ))
    return tuple(numerical_gradient(loss, x) for x in (A_prev, W, b))


def _pool_gradients(reference: dict, args: tuple, kwargs: dict) -> np.ndarray:
    dA, (A_prev, hparameters) = args
    def loss() -> float:
        return float(np.sum(reference["pool_forward"](A_prev, hparameters, **kwargs)[0] * dA))
    return numerical_gradient(loss, A_prev)


# For "gradient" cases: the backward function's outputs, by central differences of the forward pass.
GRADIENT_ORACLES = {"conv_backward": _conv_gradients, "pool_backward": _pool_gradients}


# What each graded function returns, in order, by the names the lesson uses.
OUTPUT_NAMES: dict[str, tuple[str, ...]] = {
    "zero_pad": ("X_pad",),
    "conv_single_step": ("Z",),
    "conv_forward": ("Z", "cache"),
    "pool_forward": ("A", "cache"),
    "conv_backward": ("dA_prev", "dW", "db"),
    "create_mask_from_window": ("mask",),
    "distribute_value": ("a",),
    "pool_backward": ("dA_prev",),
}
