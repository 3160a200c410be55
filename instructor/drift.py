"""Tell a real change of a case file from the rounding of another processor.

The reference's matrix products sum in an order that depends on the BLAS
kernel (OpenBLAS picks one per processor), so a case file rebuilt on another
machine differs in the last bits of its floats: about 1e-9 of an array's
largest entry where central differences amplify the rounding. That is not a
change of the checks. A change that could alter a verdict is: the checks
compare a learner's output with a stored value within a case's tolerance,
``|got - expected| <= atol + rtol * |expected|``, so a stored value that moved
by a sizeable share of that allowance would pass or fail other answers.

So every stored float is compared within :data:`DRIFT_SHARE` of the
allowance of the check that uses it (the tolerance of the case or probe that
holds it; the reference tolerance for anything else), measured against the
magnitude of the whole quantity (an array's largest entry), not entry by
entry: an entry near zero with cancellation may lose all its relative
precision without the array changing. Everything else (structure, ids,
descriptions, hints, integers, booleans, shapes, dtypes, which mistakes have a
fingerprint on a case) must be equal. For an expected output of 7.0 checked
with the reference tolerance (rtol 1e-6, atol 1e-9), rounding may move it by
7e-8, 0.01 of the 7e-6 a learner's answer may be off by.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

from autograder import casefile
from autograder.compare import EXACT_REFERENCE

DRIFT_SHARE = 0.01  # rounding may use at most 1% of what a check allows
DEFAULT_TOLERANCE = {"rtol": EXACT_REFERENCE.rtol, "atol": EXACT_REFERENCE.atol}


def allowance(tolerance: Mapping[str, float], magnitude: float) -> float:
    """How far a stored float of this ``magnitude`` may move by rounding alone, under ``tolerance``."""
    return DRIFT_SHARE * (tolerance["atol"] + tolerance["rtol"] * magnitude)


@dataclass(frozen=True)
class ArrayUse:
    """Where a manifest refers to an array, and the tolerance of the check that reads it."""

    path: str  # e.g. "functions/conv_forward/cases[3]/expected"
    tolerance: Mapping[str, float]


def _walk(left: Any, right: Any, path: str, tolerance: Mapping[str, float],
          arrays: dict[str, ArrayUse]) -> Iterator[str]:
    """The differences between two decoded-JSON manifests beyond rounding; collects the arrays they use."""
    if isinstance(left, dict) and isinstance(right, dict):
        if set(left) != set(right):
            yield f"{path}: keys {sorted(set(left) ^ set(right))} added or removed"
            return
        if isinstance(left.get("tolerance"), dict):
            tolerance = left["tolerance"]
        if set(left) == {"array"}:
            if left["array"] != right["array"]:
                yield f"{path}: refers to array {right['array']} instead of {left['array']}"
            else:
                arrays.setdefault(left["array"], ArrayUse(path, tolerance))
            return
        for key in sorted(left):
            yield from _walk(left[key], right[key], f"{path}/{key}", tolerance, arrays)
        return
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            yield f"{path}: {len(left)} entries became {len(right)}"
            return
        for index, (a, b) in enumerate(zip(left, right)):
            named = f"{index} {a['id']}" if isinstance(a, dict) and isinstance(a.get("id"), str) else index
            yield from _walk(a, b, f"{path}[{named}]", tolerance, arrays)
        return
    if type(left) is float and type(right) is float:
        if not math.isfinite(left) or not math.isfinite(right):
            if not (left == right or (math.isnan(left) and math.isnan(right))):
                yield f"{path}: {left!r} became {right!r}"
        elif abs(left - right) > allowance(tolerance, abs(left)):
            yield f"{path}: {left!r} became {right!r} (more than rounding: {allowance(tolerance, abs(left)):.1e})"
        return
    if type(left) is not type(right) or left != right:
        yield f"{path}: {left!r} became {right!r}"


def manifest_differences(left: dict, right: dict) -> tuple[list[str], dict[str, ArrayUse]]:
    """What differs between two manifests beyond rounding, and where each array is used."""
    arrays: dict[str, ArrayUse] = {}
    return list(_walk(left, right, "", DEFAULT_TOLERANCE, arrays)), arrays


def array_difference(left: np.ndarray, right: np.ndarray, tolerance: Mapping[str, float]) -> str | None:
    """Why two stored arrays are not the same up to rounding, or None."""
    if left.shape != right.shape or left.dtype != right.dtype:
        return f"{left.dtype}{left.shape} became {right.dtype}{right.shape}"
    if not np.issubdtype(left.dtype, np.floating):
        return None if np.array_equal(left, right) else "entries changed"
    finite = np.isfinite(left)
    if not np.array_equal(finite, np.isfinite(right)) or not np.array_equal(left[~finite], right[~finite],
                                                                             equal_nan=True):
        return "non-finite entries changed"
    if not finite.any():
        return None
    moved = float(np.max(np.abs(left[finite] - right[finite])))
    limit = allowance(tolerance, float(np.max(np.abs(left[finite]))))
    return None if moved <= limit else f"entries moved by up to {moved:.1e} (more than rounding: {limit:.1e})"


def case_file_differences(manifest_path: Path, other_manifest: Path) -> list[str]:
    """What differs, beyond rounding, between two case files given by their manifests (arrays beside them)."""
    left, right = (json.loads(path.read_text()) for path in (manifest_path, other_manifest))
    found, uses = manifest_differences(left, right)
    left_arrays = casefile.read_arrays(manifest_path.with_suffix(".npz"))
    right_arrays = casefile.read_arrays(other_manifest.with_suffix(".npz"))
    if set(left_arrays) != set(right_arrays):
        found.append(f"arrays {sorted(set(left_arrays) ^ set(right_arrays))} added or removed")
    for key in sorted(set(left_arrays) & set(right_arrays)):
        use = uses.get(key, ArrayUse(f"array {key}", DEFAULT_TOLERANCE))
        why = array_difference(left_arrays[key], right_arrays[key], use.tolerance)
        if why:
            found.append(f"{use.path} ({key}): {why}")
    return found


def differences(left: Path, right: Path) -> list[str]:
    """:func:`instructor.generated.differences`'s comparison for the files of a case file.

    A manifest is compared with its arrays, so the arrays' verdict is given once, by the manifest; the
    array file on its own only has to exist on both sides."""
    if left.suffix == ".npz":
        return []
    return case_file_differences(left, right)
