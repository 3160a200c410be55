"""The catalogue of mistakes learners really make, each a small wrong implementation.

A mistake is the reference solution of one graded function with a few lines
changed, written as ``(correct code, wrong code)`` edits of that solution cell.
Run in a namespace where the other functions are correct (as in a learner's
notebook), it gives the wrong outputs whose fingerprints the build stores, so
that a learner who returns the same output is shown the mistake's hint.

Every mistake must fail the hidden tests of the functions listed in ``breaks``
and pass all others; tests/test_mistakes.py holds the catalogue to that.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import reference


@dataclass(frozen=True)
class Mistake:
    id: str
    function: str  # the solution cell in which the mistake is made
    edits: tuple[tuple[str, str], ...]  # (correct code, wrong code)
    hint: str
    breaks: frozenset[str]  # graded functions whose checks it fails
    from_seed: bool = False  # one of the published seed lesson's bugs

    def wrong_source(self, sources: dict[str, str] | None = None) -> str:
        """The solution cell of ``function`` with this mistake written into it."""
        code = (sources or reference.solution_sources())[self.function]
        for correct, wrong in self.edits:
            if correct not in code:
                raise ValueError(f"mistake {self.id!r}: {correct!r} is not in the solution of {self.function}")
            code = code.replace(correct, wrong)
        return code

    def namespace(self, sources: dict[str, str] | None = None) -> dict:
        """A learner's notebook with this one mistake: every graded function, by name."""
        sources = sources or reference.solution_sources()
        return reference.namespace(sources, **{self.function: self.wrong_source(sources)})


def _breaks(*functions: str) -> frozenset[str]:
    return frozenset(functions)


STRIDE_HINT = (
    "the window did not move by the stride. The window of output (h, w) starts at row h * stride "
    "and column w * stride."
)
ACCUMULATE_HINT = (
    "a gradient was overwritten (=) where it must be accumulated (+=). Every window, example and "
    "channel adds its share; where windows overlap, the shares add up."
)

CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "pad_all_axes", "zero_pad",
        (("((0, 0), (pad, pad), (pad, pad), (0, 0))", "((pad, pad), (pad, pad), (pad, pad), (pad, pad))"),),
        "every axis was padded, the batch and the channels too. Pad only the height and the width "
        "(axes 1 and 2 of (m, n_H, n_W, n_C)); m and n_C keep their size.",
        _breaks("zero_pad", "conv_forward", "conv_backward"),
    ),
    Mistake(
        "pad_channels_not_width", "zero_pad",
        (("(pad, pad), (pad, pad), (0, 0))", "(pad, pad), (0, 0), (pad, pad))"),),
        "the channel axis was padded instead of the width. Arrays here are (m, n_H, n_W, n_C): pad axes 1 and 2.",
        _breaks("zero_pad", "conv_forward", "conv_backward"),
    ),
    Mistake(
        "bias_per_element", "conv_single_step",
        (("np.sum(weighted) + b.item()", "np.sum(weighted + b)"),),
        "the bias was added to every element of the slice, so it was counted f * f * n_C_prev times. "
        "Sum a_slice_prev * W first, then add b once.",
        _breaks("conv_single_step", "conv_forward"),
        from_seed=True,
    ),
    Mistake(
        "bias_forgotten", "conv_single_step",
        (("np.sum(weighted) + b.item()", "np.sum(weighted)"),),
        "the bias is missing: Z is the sum of a_slice_prev * W, plus b.",
        _breaks("conv_single_step", "conv_forward"),
    ),
    Mistake(
        "conv_stride_ignored", "conv_forward",
        (("vert_start = h * stride", "vert_start = h"), ("horiz_start = w * stride", "horiz_start = w")),
        STRIDE_HINT,
        _breaks("conv_forward"),
    ),
    Mistake(
        "conv_padding_forgotten", "conv_forward",
        (("A_prev_pad = zero_pad(A_prev, pad)", "A_prev_pad = A_prev"),
         ("(n_H_prev + 2 * pad - f)", "(n_H_prev - f)"), ("(n_W_prev + 2 * pad - f)", "(n_W_prev - f)")),
        "A_prev was not padded. Pad it with zero_pad(A_prev, pad) and count 2 * pad in the output size.",
        _breaks("conv_forward"),
    ),
    Mistake(
        "conv_size_not_floored", "conv_forward",
        (("(n_H_prev + 2 * pad - f) // stride", "int(np.ceil((n_H_prev + 2 * pad - f) / stride))"),
         ("(n_W_prev + 2 * pad - f) // stride", "int(np.ceil((n_W_prev + 2 * pad - f) / stride))")),
        "the output size was rounded up. A window must fit inside the padded input, so the size is "
        "floor((n_prev + 2 * pad - f) / stride) + 1: round down (use //).",
        _breaks("conv_forward"),
    ),
    Mistake(
        "pool_stride_ignored", "pool_forward",
        (("vert_start = h * stride", "vert_start = h"), ("horiz_start = w * stride", "horiz_start = w")),
        STRIDE_HINT,
        _breaks("pool_forward"),
    ),
    Mistake(
        "pool_over_channels", "pool_forward",
        (("A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]",
          "A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]"),),
        "the window took all channels at once, so every channel got the same value. Pool each channel "
        "on its own: the slice ends in c, not in :.",
        _breaks("pool_forward"),
    ),
    Mistake(
        "average_returns_max", "pool_forward",
        (("A[i, h, w, c] = np.mean(a_prev_slice)", "A[i, h, w, c] = np.max(a_prev_slice)"),),
        'mode="average" gave the maximum of the window; take its mean.',
        _breaks("pool_forward"),
    ),
    Mistake(
        "average_not_divided", "pool_forward",
        (("np.mean(a_prev_slice)", "np.sum(a_prev_slice)"),),
        "average pooling summed the window without dividing by its area f * f.",
        _breaks("pool_forward"),
    ),
    Mistake(
        "unpad_with_negative_index", "conv_backward",
        (("da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]", "da_prev_pad[pad:-pad, pad:-pad, :]"),),
        "dA_prev was cut out of the padded gradient with [pad:-pad], which is empty when pad is 0 "
        "(-0 is 0). Slice [pad:pad + n_H_prev, pad:pad + n_W_prev] instead.",
        _breaks("conv_backward"),
        from_seed=True,
    ),
    Mistake(
        "conv_dA_overwritten", "conv_backward",
        (("da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += ",
          "da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] = "),),
        ACCUMULATE_HINT,
        _breaks("conv_backward"),
    ),
    Mistake(
        "conv_dW_overwritten", "conv_backward",
        (("dW[:, :, :, c] += ", "dW[:, :, :, c] = "),),
        ACCUMULATE_HINT,
        _breaks("conv_backward"),
    ),
    Mistake(
        "conv_backward_stride_ignored", "conv_backward",
        (("vert_start = h * stride", "vert_start = h"), ("horiz_start = w * stride", "horiz_start = w")),
        STRIDE_HINT,
        _breaks("conv_backward"),
    ),
    Mistake(
        "mask_from_min", "create_mask_from_window",
        (("np.max(x)", "np.min(x)"),),
        "the mask marks the minimum of the window; it must be True where x equals its maximum.",
        _breaks("create_mask_from_window", "pool_backward"),
    ),
    Mistake(
        "mask_inverted", "create_mask_from_window",
        (("x == np.max(x)", "x != np.max(x)"),),
        "the mask is inverted: True must mark the maximum, and False every other entry.",
        _breaks("create_mask_from_window", "pool_backward"),
    ),
    Mistake(
        "distribute_not_divided", "distribute_value",
        (("dz / (n_H * n_W)", "dz"),),
        "every entry got dz itself. Divide dz by the window's area n_H * n_W, so that the entries sum to dz.",
        _breaks("distribute_value", "pool_backward"),
    ),
    Mistake(
        "distribute_divided_by_side", "distribute_value",
        (("dz / (n_H * n_W)", "dz / n_H"),),
        "dz was divided by one side of the window only. Divide by its area n_H * n_W.",
        _breaks("distribute_value", "pool_backward"),
    ),
    Mistake(
        "dA_read_at_window_corner", "pool_backward",
        (("mask * dA[i, h, w, c]", "mask * dA[i, vert_start, horiz_start, c]"),
         ("distribute_value(dA[i, h, w, c], (f, f))", "distribute_value(dA[i, vert_start, horiz_start, c], (f, f))")),
        "dA was read at the window's corner (vert_start, horiz_start). The gradient that reaches output "
        "(h, w) is dA[i, h, w, c]; the two agree only when the stride is 1.",
        _breaks("pool_backward"),
        from_seed=True,
    ),
    Mistake(
        "pool_gradient_overwritten", "pool_backward",
        (("horiz_start:horiz_end, c] += mask", "horiz_start:horiz_end, c] = mask"),
         ("horiz_start:horiz_end, c] += spread", "horiz_start:horiz_end, c] = spread")),
        ACCUMULATE_HINT,
        _breaks("pool_backward"),
    ),
)

BY_ID = {mistake.id: mistake for mistake in CATALOGUE}
SEED_MISTAKES = tuple(mistake for mistake in CATALOGUE if mistake.from_seed)


def with_mistakes(mistakes: tuple[Mistake, ...], sources: dict[str, str] | None = None) -> dict[str, str]:
    """Solution sources with several mistakes written in (each in its own cell)."""
    cells = dict(sources or reference.solution_sources())
    for mistake in mistakes:
        cells[mistake.function] = mistake.wrong_source(cells)
    return cells
