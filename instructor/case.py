"""A test case as data, and the one helper for output sizes.

A :class:`Case` names a graded function, whether it is hidden, a seed and its
shapes and hyper-parameters (``params``). Its inputs are drawn by the
assignment's input builder for that function (``Assignment.inputs``); its
expected outputs are never written by hand: the build computes them with the
reference (``kind="reference"``), by central differences of the reference's
forward pass (``kind="gradient"``), and a ``kind="speed"`` case is timed
(:mod:`autograder.speed`) as well as compared.

A speed case may draw its shapes from its seed (``draw``): the class grader
gives hidden cases secret seeds, so then nothing in the release says what its
timed inputs look like. ``draw(seed)`` gives the params of the case's own inputs,
then of each *timed run*, each of another shape, with its calibration
(:meth:`Case.drawn`).
"""
from __future__ import annotations

import dataclasses
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
    # kind="speed": how the time allowed is measured, {"calibration": [M, K, N], "factor": F} (autograder.speed);
    # with ``draw``, {"factor": F} and the calibration comes with each drawn shape
    budget: dict[str, Any] | None = None
    # kind="speed": seed -> [(params, calibration [M, K, N])]: the case's own shape, then each timed run's
    draw: Callable[[int], list[tuple[dict, list[int]]]] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"case {self.function}/{self.id}: kind {self.kind!r} is not one of {KINDS}")
        if (self.kind == "speed") != (self.budget is not None):
            raise ValueError(f"case {self.function}/{self.id}: a speed case, and only a speed case, has a budget")
        if self.draw is not None and self.kind != "speed":
            raise ValueError(f"case {self.function}/{self.id}: only a speed case draws its shapes")

    def drawn(self, seed: int | None = None) -> tuple["Case", list[tuple[dict, list[int]]]]:
        """This case with the shape drawn from ``seed`` (its own by default) and the seed, and the params and
        calibration of each timed run (none for a case that draws nothing)."""
        seed = self.seed if seed is None else seed
        if self.draw is None:
            return dataclasses.replace(self, seed=seed), []
        (params, calibration), *runs = self.draw(seed)
        return dataclasses.replace(self, seed=seed, params=params,
                                   budget={**(self.budget or {}), "calibration": list(calibration)}), runs


# (rng, params, reference namespace) -> (positional arguments, keyword arguments)
InputBuilder = Callable[[np.random.RandomState, dict, dict], tuple[tuple, dict]]
# (reference namespace, args, kwargs) -> the expected outputs of a "gradient" case
GradientOracle = Callable[[dict, tuple, dict], Any]


def output_size(n_prev: int, f: int, pad: int, stride: int) -> int:
    """Output length along one axis: floor((n_prev + 2 * pad - f) / stride) + 1."""
    return (n_prev + 2 * pad - f) // stride + 1
