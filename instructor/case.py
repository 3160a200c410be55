"""A test case as data, and the one helper for output sizes.

A :class:`Case` names a graded function, whether it is hidden, a seed and its
shapes and hyper-parameters (``params``). Its inputs are drawn by the
assignment's input builder for that function (``Assignment.inputs``); its
expected outputs are never written by hand: the build computes them with the
reference (``kind="reference"``), by central differences of the reference's
forward pass (``kind="gradient"``), and a ``kind="speed"`` case is timed
(:mod:`autograder.speed`) as well as compared.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

KINDS = ("reference", "gradient", "speed")


@dataclass(frozen=True)
class Case:
    function: str
    id: str
    hidden: bool
    seed: int
    params: dict[str, Any] = field(default_factory=dict)
    kind: str = "reference"  # one of KINDS
    # kind="speed": how the time allowed is measured, {"calibration": [M, K, N], "factor": F} (autograder.speed)
    budget: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"case {self.function}/{self.id}: kind {self.kind!r} is not one of {KINDS}")
        if (self.kind == "speed") != (self.budget is not None):
            raise ValueError(f"case {self.function}/{self.id}: a speed case, and only a speed case, has a budget")


# (rng, params, reference namespace) -> (positional arguments, keyword arguments)
InputBuilder = Callable[[np.random.RandomState, dict, dict], tuple[tuple, dict]]
# (reference namespace, args, kwargs) -> the expected outputs of a "gradient" case
GradientOracle = Callable[[dict, tuple, dict], Any]


def output_size(n_prev: int, f: int, pad: int, stride: int) -> int:
    """Output length along one axis: floor((n_prev + 2 * pad - f) / stride) + 1."""
    return (n_prev + 2 * pad - f) // stride + 1
