"""Shapes read with a case's sizes: what an array's size says about the windows it was made of.

A learner's vectorized layer that goes wrong often leaves its mark in a shape: an error message names the
shapes that did not fit, or an output comes back with fewer rows than the input. Each reader here takes a
cause's runs and says what every one of them shows, with that run's own sizes (so the case shown carries its
own numbers), or None when one run does not show it:

- :func:`unpadded_windows`: an array with as many window positions as the *unpadded* input has, (n_H_prev - f)
  // stride + 1 rows, where the case has pad > 0: windows cut before the padding.
- :func:`tiled_windows`: an array of n_H * f rows and n_W * f columns where stride != f: each window's f x f
  block laid side by side (np.repeat, np.kron), right only when the windows tile the input.
- :func:`remainder_rows`: an output of the input's shape short by exactly the rows and columns that no window
  reaches when the stride does not divide n_H_prev + 2 * pad - f: a backward pass that stops at the last window.
- :func:`einsum_channel_letters`: an einsum letter that stands for n_C entries in one operand and n_C_prev in
  another: a channel axis given the other channel's letter.
- :func:`padded_axes`: m + 2 * pad examples (or n_C_prev + 2 * pad channels) set against m: the batch or the
  channel axis padded too.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from ..verdict import Diagnosis
from .evidence import Run, differing, shape_of

# exceptions that only say two shapes do not fit: the shapes may tell more
SHAPE_ERRORS = ("einsum_shapes", "einsum_label_sizes", "broadcast_mismatch", "slice_too_short", "matmul_mismatch")
SHAPE_IN_MESSAGE = re.compile(r"\((\d+(?:,\s*\d+)+),?\)")


def _input_shape(run: Run) -> tuple[int, ...] | None:
    """The shape of the layer's input A_prev: the first argument of a forward pass, the first entry of a
    backward pass's cache."""
    args = run.args
    if len(args) >= 2 and isinstance(args[1], tuple) and args[1] and isinstance(args[1][0], np.ndarray):
        return args[1][0].shape
    if args and isinstance(args[0], np.ndarray):
        return args[0].shape
    return None


def _window_counts(run: Run) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((n_H, n_W), (rows, cols)): the window positions of the padded input (the output's), and those the
    unpadded input has, on a run with padding where the two differ; else None."""
    shape, f, stride, pad = _input_shape(run), run.factors.get("f"), run.factors.get("stride"), run.factors.get("pad")
    if shape is None or len(shape) != 4 or not f or not stride or not pad:
        return None
    padded = ((shape[1] + 2 * pad - f) // stride + 1, (shape[2] + 2 * pad - f) // stride + 1)
    bare = ((shape[1] - f) // stride + 1, (shape[2] - f) // stride + 1)
    if min(bare) < 1 or bare == padded:
        return None
    return padded, bare


def unpadded_windows(diagnosis: Diagnosis, group: Sequence[Run]) -> dict[str, Diagnosis] | None:
    """Two shapes that do not fit, read with the case's sizes: on every run that raised it (each with pad > 0),
    an array in the message has, after its m examples, as many window positions as the *unpadded* input has
    ((n_H_prev - f) // stride + 1 rows), not n_H: its windows were cut from the input before its padding.
    {run id: the reading there}, or None when a run does not show it."""
    if diagnosis.id not in SHAPE_ERRORS or not group:
        return None
    readings = {}
    for run in group:
        counts = _window_counts(run)
        if counts is None or run.raised is None:
            return None
        padded, bare = counts
        shapes = [tuple(int(n) for n in found.split(",") if n.strip())
                  for found in SHAPE_IN_MESSAGE.findall(run.raised.message or "")]
        hit = next((shape for shape in shapes if len(shape) >= 4 and shape[0] == run.factors.get("m")
                    and any(shape[k:k + 2] == bare for k in (1, 2))), None)
        if hit is None:
            return None
        readings[run.id] = Diagnosis("windows_of_unpadded_input", "exception", {
            "line": (run.raised.line or "...").strip(), "shape": "(" + ", ".join(map(str, hit)) + ")",
            "rows": bare[0], "cols": bare[1], "n_H": padded[0], "n_W": padded[1], "pad": run.factors["pad"]})
    return readings


def _output_counts(run: Run) -> tuple[int, int] | None:
    """(n_H, n_W) of the layer's output: dZ's (or dA's) in a backward pass, else from the input's sizes."""
    args = run.args
    if len(args) >= 2 and isinstance(args[1], tuple) and isinstance(args[0], np.ndarray) and args[0].ndim == 4:
        return args[0].shape[1], args[0].shape[2]
    shape, f, stride = _input_shape(run), run.factors.get("f"), run.factors.get("stride")
    if shape is None or len(shape) != 4 or not f or not stride:
        return None
    pad = run.factors.get("pad", 0)
    return (shape[1] + 2 * pad - f) // stride + 1, (shape[2] + 2 * pad - f) // stride + 1


def tiled_windows(diagnosis: Diagnosis, group: Sequence[Run]) -> dict[str, Diagnosis] | None:
    """Two shapes that do not fit, read with the case's sizes: on every run that raised it (each with stride !=
    f), an array in the message has, after its m examples, n_H * f rows and n_W * f columns: one f x f block per
    window, side by side, as if the windows tiled the input (np.repeat, np.kron). {run id: the reading there}, or
    None when a run does not show it."""
    if diagnosis.id not in SHAPE_ERRORS or not group:
        return None
    readings = {}
    for run in group:
        counts, shape = _output_counts(run), _input_shape(run)
        f, stride = run.factors.get("f"), run.factors.get("stride")
        if counts is None or shape is None or run.raised is None or not f or not stride or f == stride:
            return None
        tiled = (counts[0] * f, counts[1] * f)
        if tiled == tuple(shape[1:3]):
            return None
        shapes = [tuple(int(n) for n in found.split(",") if n.strip())
                  for found in SHAPE_IN_MESSAGE.findall(run.raised.message or "")]
        hit = next((found for found in shapes if len(found) >= 4 and found[0] == run.factors.get("m")
                    and any(found[k:k + 2] == tiled for k in (1, 2))), None)
        if hit is None:
            return None
        readings[run.id] = Diagnosis("windows_tiled", "exception", {
            "line": (run.raised.line or "...").strip(), "shape": "(" + ", ".join(map(str, hit)) + ")",
            "rows": tiled[0], "cols": tiled[1], "n_H": counts[0], "n_W": counts[1], "f": f, "stride": stride})
    return readings


def remainder(run: Run) -> tuple[int, int] | None:
    """(rows, columns) of the padded input that no window reaches, (n_H_prev + 2 * pad - f) % stride and the
    same for the width; None for a run without a 4-axis input, an f and a stride."""
    shape, f, stride = _input_shape(run), run.factors.get("f"), run.factors.get("stride")
    if shape is None or len(shape) != 4 or not isinstance(f, int) or not isinstance(stride, int) or stride < 1:
        return None
    pad = run.factors.get("pad", 0)
    return (shape[1] + 2 * pad - f) % stride, (shape[2] + 2 * pad - f) % stride


def remainder_rows(function: str, names: Sequence[str], runs: Sequence[Run]
                   ) -> tuple[Diagnosis, list[Run], dict[str, Diagnosis]] | None:
    """(the first reading, the failing runs it explains, {run id: its reading there}): runs whose every differing
    output should have the input's shape but is short by exactly the rows and columns that no window reaches,
    (n_H_prev + 2 * pad - f) % stride of them (not all 0); None if there is none."""
    readings: dict[str, Diagnosis] = {}
    explained = []
    for run in runs:
        if run.passed or run.raised is not None or run.got is None:
            continue
        missing = remainder(run)
        if missing is None:
            continue
        shape, stride = _input_shape(run), run.factors["stride"]
        short = (shape[0], shape[1] - missing[0], shape[2] - missing[1], shape[3])
        outputs = differing(function, names, run.expected, run.got, run.tolerance)
        if not any(missing) or not outputs or not all(
                shape_of(e) == tuple(shape) and shape_of(g) == short for _, e, g in outputs):
            continue
        explained.append(run)
        readings[run.id] = Diagnosis("remainder_rows_missing", "pattern", {
            "name": outputs[0][0], "got": "(" + ", ".join(map(str, short)) + ")",
            "expected": "(" + ", ".join(map(str, shape)) + ")", "rows": missing[0], "cols": missing[1],
            "stride": stride})
    if not explained:
        return None
    return readings[explained[0].id], explained, readings


LABEL_SIZES = re.compile(r"label '\w' for operand \d+ \((\d+)\) does not match previous terms \((\d+)\)")


def padded_axes(diagnosis: Diagnosis, group: Sequence[Run]) -> dict[str, Diagnosis] | None:
    """Two shapes that do not fit, read with the case's sizes: on every run that raised it (each with pad > 0),
    the message sets an axis of m + 2 * pad examples against m (or n_C_prev + 2 * pad channels against
    n_C_prev), or holds an array of m + 2 * pad examples: the padding went onto the batch or the channel axis
    too (np.pad(X, pad) pads every axis).
    {run id: the reading there}, or None when a run does not show it."""
    if diagnosis.id not in SHAPE_ERRORS or not group:
        return None
    readings = {}
    for run in group:
        shape, pad = _input_shape(run), run.factors.get("pad")
        if shape is None or len(shape) != 4 or not pad or run.raised is None:
            return None
        message = run.raised.message or ""
        sizes = {"batch": shape[0], "channel": shape[3]}
        pairs = [(int(a), int(b)) for a, b in LABEL_SIZES.findall(message)]
        shapes = [tuple(int(n) for n in found.split(",") if n.strip()) for found in SHAPE_IN_MESSAGE.findall(message)]
        firsts = {found[0] for found in shapes if len(found) >= 4}
        axis = next((name for name, size in sizes.items() if any(
            {a, b} == {size, size + 2 * pad} for a, b in pairs)), None)
        # an array of m + 2 * pad examples (axis 0 is the batch's in both layouts), unless a filter's side f is
        # the same number (W's shape starts with f): then the sizes cannot tell
        if axis is None and shape[0] + 2 * pad in firsts and run.factors.get("f") != shape[0] + 2 * pad:
            axis = "batch"
        if axis is None:
            return None
        readings[run.id] = Diagnosis("axis_padded", "exception", {
            "line": (run.raised.line or "...").strip(), "axis": axis, "size": sizes[axis],
            "padded": sizes[axis] + 2 * pad, "pad": pad})
    return readings


EINSUM_CALL = re.compile(r"einsum\(\s*[\"']([\w,\s.>-]+)[\"']")
REMAPPED = re.compile(r"\(([\d,\s]+)\)->")


def _letter_sizes(line: str, message: str) -> dict[str, set[int]] | None:
    """{letter: the lengths it stands for} in an einsum whose operands did not fit, from the subscripts of the
    line and the operands' shapes in numpy's message; None if they cannot be read."""
    call = EINSUM_CALL.search(line or "")
    label = LABEL_SIZES.search(message)
    named = re.search(r"label '(\w)'", message)
    if label and named:
        return {named.group(1): {int(label.group(1)), int(label.group(2))}}
    if call is None or "..." in call.group(1):
        return None
    inputs = call.group(1).replace(" ", "").split("->")[0].split(",")
    shapes = [tuple(int(n) for n in found.split(",") if n.strip()) for found in REMAPPED.findall(message)]
    if len(shapes) != len(inputs) or any(len(s) != len(letters) for s, letters in zip(shapes, inputs)):
        return None
    sizes: dict[str, set[int]] = {}
    for letters, shape in zip(inputs, shapes):
        for letter, size in zip(letters, shape):
            sizes.setdefault(letter, set()).add(size)
    return sizes


def operand_letters(line: str, message: str) -> tuple[str, list[tuple[str, tuple[int, ...]]]] | None:
    """(the subscripts as written, [(an operand's letters, its shape)]) of an einsum whose operands did not fit,
    from the line's subscripts and numpy's message of remapped shapes; None if they cannot be read."""
    call = EINSUM_CALL.search(line or "")
    if call is None or "..." in call.group(1):
        return None
    inputs = call.group(1).replace(" ", "").split("->")[0].split(",")
    shapes = [tuple(int(n) for n in found.split(",") if n.strip()) for found in REMAPPED.findall(message)]
    if len(shapes) != len(inputs) or any(len(s) != len(letters) for s, letters in zip(shapes, inputs)):
        return None
    return call.group(1), list(zip(inputs, shapes))


def einsum_channel_letters(diagnosis: Diagnosis, group: Sequence[Run]) -> dict[str, Diagnosis] | None:
    """An einsum whose operands did not fit, read with the case's sizes: on every run that raised it, a letter
    stands for n_C entries in one operand and n_C_prev in another (n_C != n_C_prev): a channel axis was given the
    other channel's letter. {run id: the reading there}, or None when a run does not show it."""
    if diagnosis.id not in ("einsum_shapes", "einsum_label_sizes") or not group:
        return None
    readings = {}
    for run in group:
        n_C, n_C_prev = run.factors.get("n_C"), run.factors.get("n_C_prev")
        if run.raised is None or not n_C or not n_C_prev or n_C == n_C_prev:
            return None
        sizes = _letter_sizes(run.raised.line or "", run.raised.message or "")
        letter = next((letter for letter, found in (sizes or {}).items() if found == {n_C, n_C_prev}), None)
        if letter is None:
            return None
        readings[run.id] = Diagnosis("einsum_channel_letters", "exception", {
            "line": (run.raised.line or "...").strip(), "letter": letter, "n_C": n_C, "n_C_prev": n_C_prev})
    return readings
