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
# What the class summary's item analysis groups hidden cases by (autograder.grading.reports.items), each a
# word of the message catalogue (family.<id>).
FAMILIES = ("stride_1", "stride_2plus", "pad_0", "pad_1plus", "overlap", "f_1", "one_channel", "nonsquare",
            "batch_1", "mode_max", "mode_average", "gradient", "timed")


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

    @property
    def families(self) -> tuple[str, ...]:
        """The families of cases this one belongs to (:data:`FAMILIES`), read from its params and kind: the
        factors a learner's code may get wrong on some cases and right on others."""
        params, found = self.params, []
        shape = next((params[k] for k in ("A_prev", "X", "slice", "x", "shape") if isinstance(params.get(k), tuple)),
                     None)
        if shape is not None and len(shape) == 4:  # (m, n_H, n_W, n_C)
            found += ["batch_1"] * (shape[0] == 1) + ["nonsquare"] * (shape[1] != shape[2]) + \
                ["one_channel"] * (shape[3] == 1)
        elif shape is not None and len(shape) == 3:  # a slice (f, f, n_C_prev)
            found += ["nonsquare"] * (shape[0] != shape[1]) + ["one_channel"] * (shape[2] == 1)
        elif shape is not None and len(shape) == 2:  # a window
            found += ["nonsquare"] * (shape[0] != shape[1])
        if params.get("m") == 1:
            found.append("batch_1")
        if "stride" in params:
            found.append("stride_1" if params["stride"] == 1 else "stride_2plus")
        if "pad" in params:
            found.append("pad_0" if params["pad"] == 0 else "pad_1plus")
        f = params.get("f") or (params["W"][0] if isinstance(params.get("W"), tuple) else None) or \
            (shape[0] if shape is not None and len(shape) == 3 and shape[0] == shape[1] else None)
        if f == 1:
            found.append("f_1")
        if f and "stride" in params and f > params["stride"]:
            found.append("overlap")
        if "mode" in params:
            found.append("mode_average" if params["mode"] == "average" else "mode_max")
        found += {"gradient": ["gradient"], "speed": ["timed"]}.get(self.kind, [])
        return tuple(family for family in FAMILIES if family in found)


# (rng, params, reference namespace) -> (positional arguments, keyword arguments)
InputBuilder = Callable[[np.random.RandomState, dict, dict], tuple[tuple, dict]]
# (reference namespace, args, kwargs) -> the expected outputs of a "gradient" case
GradientOracle = Callable[[dict, tuple, dict], Any]


def output_size(n_prev: int, f: int, pad: int, stride: int) -> int:
    """Output length along one axis: floor((n_prev + 2 * pad - f) / stride) + 1."""
    return (n_prev + 2 * pad - f) // stride + 1
