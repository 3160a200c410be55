"""Assignment 1, "Convolution model, step by step": eight functions of a CNN's layers, written with loops."""
from __future__ import annotations

from ...assignment import Assignment
from ...probes import layer_probes
from ...reference import REPO
from . import cases, examples, mistakes

ASSIGNMENT = Assignment(
    name="conv_step_by_step",
    root=REPO,
    functions=cases.FUNCTIONS,
    outputs=cases.OUTPUT_NAMES,
    cases=cases.CASES,
    inputs=cases.INPUTS,
    gradient_oracles=cases.GRADIENT_ORACLES,
    catalogue=mistakes.CATALOGUE,
    examples=examples.examples,
    probes={name: layer_probes(name) for name in cases.FUNCTIONS if layer_probes(name)},
    calls={
        "conv_forward": ("zero_pad", "conv_single_step"),
        "conv_backward": ("zero_pad",),
        "pool_backward": ("create_mask_from_window", "distribute_value"),
    },
)
