"""Assignment 3, "Train your CNN": a network on the learner's own layers, trained on handwritten digits."""
from __future__ import annotations

from ...assignment import Assignment
from ...reference import REPO
from . import cases, examples, mistakes

ASSIGNMENT = Assignment(
    name="conv_application",
    root=REPO,
    functions=cases.FUNCTIONS,
    outputs=cases.OUTPUT_NAMES,
    cases=cases.CASES,
    inputs=cases.INPUTS,
    gradient_oracles=cases.GRADIENT_ORACLES,
    catalogue=mistakes.CATALOGUE,
    examples=examples.examples,
    trained_models=cases.TRAINED_MODELS,
)
