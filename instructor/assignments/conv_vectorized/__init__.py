"""Assignment 2, "Vectorize it": the four layers of assignment 1 without Python loops over positions."""
from __future__ import annotations

from ...assignment import Assignment
from ...probes import layer_probes
from ...reference import REPO
from . import cases, examples, mistakes

ASSIGNMENT = Assignment(
    name="conv_vectorized",
    root=REPO,
    functions=cases.FUNCTIONS,
    outputs=cases.OUTPUT_NAMES,
    cases=cases.CASES,
    inputs=cases.INPUTS,
    gradient_oracles=cases.GRADIENT_ORACLES,
    catalogue=mistakes.CATALOGUE,
    examples=examples.examples,
    probes={name: layer_probes(name) for name in cases.FUNCTIONS if layer_probes(name)},
)
