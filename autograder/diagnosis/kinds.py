"""Kinds of causes, for the class summary: the environment's, and those that name no cause.

- :data:`ENVIRONMENT`: causes that are the class's environment, not the lesson (numpy 2 refusing
  ``float()`` of an array; a numpy alias removed in numpy 1.24). The instructor fixes them for the whole
  class (pin numpy, or tell the class); they are not mistakes to teach again.
- :data:`GENERIC`: diagnoses that say where to look but name no cause (it fails even on the simplest
  input; the rest of the function has a mistake of its own; two shapes do not fit). A lost mark whose only
  diagnoses are these counts as "cause not named".
"""
from __future__ import annotations

from typing import Iterable

ENVIRONMENT = frozenset({"numpy2_scalar_conversion", "numpy_alias_removed"})
GENERIC = frozenset({"simplest_probe_fails", "own_code_wrong", "broadcast_mismatch", "slice_too_short",
                     "einsum_shapes", "einsum_label_sizes", "same_condition"})
# what an instructor can do about each environment cause (a key of the message catalogues)
ENVIRONMENT_ADVICE = {"numpy2_scalar_conversion": "summary.env_numpy2", "numpy_alias_removed": "summary.env_alias"}


def named(diagnoses: Iterable[str]) -> bool:
    """Whether the diagnoses of a lost mark (their ids) name a cause: one that is not generic."""
    return any(diagnosis not in GENERIC for diagnosis in diagnoses)
