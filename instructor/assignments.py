"""Every assignment of the series, by name: its graded functions, cases and mistakes.

Builds, releases and the grader look assignments up here; adding one means
adding its instructor notebook under ``source/<name>/`` and an entry here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import cases, cases_application, cases_vectorized, mistakes, mistakes_application, mistakes_vectorized
from .cases import Case
from .mistakes import Mistake


@dataclass(frozen=True)
class Assignment:
    name: str
    functions: tuple[str, ...]  # graded functions, in notebook order
    cases: tuple[Case, ...]
    catalogue: tuple[Mistake, ...]
    output_names: dict[str, list[str]]  # what each function returns, by the lesson's names
    # graded cells the class grader checks by training (name -> how), see cases_application.TRAINED_MODELS
    trained_models: dict[str, dict] = field(default_factory=dict)


ASSIGNMENTS: dict[str, Assignment] = {
    "conv_step_by_step": Assignment(
        "conv_step_by_step",
        ("zero_pad", "conv_single_step", "conv_forward", "pool_forward",
         "conv_backward", "create_mask_from_window", "distribute_value", "pool_backward"),
        cases.CASES,
        mistakes.CATALOGUE,
        cases.OUTPUT_NAMES,
    ),
    "conv_vectorized": Assignment(
        "conv_vectorized",
        cases_vectorized.FUNCTIONS,
        cases_vectorized.CASES,
        mistakes_vectorized.CATALOGUE,
        cases_vectorized.OUTPUT_NAMES,
    ),
    "conv_application": Assignment(
        "conv_application",
        cases_application.FUNCTIONS,
        cases_application.CASES,
        mistakes_application.CATALOGUE,
        cases_application.OUTPUT_NAMES,
        cases_application.TRAINED_MODELS,
    ),
}

# The build draws every case's inputs, and computes the expected values of gradient cases, from two tables
# keyed by graded function (instructor/cases.py); assignment 3's functions join them here. (Assignment 2's
# four layers use assignment 1's entries.)
cases.INPUTS.update(cases_application.INPUTS)
cases.GRADIENT_ORACLES.update(cases_application.GRADIENT_ORACLES)


def get(name: str) -> Assignment:
    try:
        return ASSIGNMENTS[name]
    except KeyError:
        raise KeyError(f"no assignment {name!r}; known: {', '.join(ASSIGNMENTS)}") from None
