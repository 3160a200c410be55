"""Every assignment of the series, by name: its graded functions, cases and mistakes.

Builds, releases and the grader look assignments up here; adding one means
adding its instructor notebook under ``source/<name>/`` and an entry here.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import cases, mistakes
from .cases import Case
from .mistakes import Mistake


@dataclass(frozen=True)
class Assignment:
    name: str
    functions: tuple[str, ...]  # graded functions, in notebook order
    cases: tuple[Case, ...]
    catalogue: tuple[Mistake, ...]
    output_names: dict[str, list[str]]  # what each function returns, by the lesson's names


ASSIGNMENTS: dict[str, Assignment] = {
    "conv_step_by_step": Assignment(
        "conv_step_by_step",
        ("zero_pad", "conv_single_step", "conv_forward", "pool_forward",
         "conv_backward", "create_mask_from_window", "distribute_value", "pool_backward"),
        cases.CASES,
        mistakes.CATALOGUE,
        cases.OUTPUT_NAMES,
    ),
}


def get(name: str) -> Assignment:
    try:
        return ASSIGNMENTS[name]
    except KeyError:
        raise KeyError(f"no assignment {name!r}; known: {', '.join(ASSIGNMENTS)}") from None
