"""The catalogue of mistakes of assignment 2, "Vectorize it": edits of its vectorized solution cells.

The ideas are those of assignment 1 (stride, padding, bias, accumulation,
average pooling, the ``[pad:-pad]`` un-padding), written the way they go wrong
in vectorized code, plus the mistakes that only vectorized code can make: a
window view's axes taken in the wrong order, a reduction over the wrong axes.
Every mistake must fail the hidden checks of exactly the functions in
``breaks``, with its hint (tests/test_vectorized_mistakes.py).
"""
from __future__ import annotations

from .mistakes import ACCUMULATE_HINT, Mistake

VIEW_STRIDE_HINT = (
    "the windows did not move by the stride. sliding_window_view gives a window at every position, one row and "
    "one column apart; keep every stride-th one with [:, ::stride, ::stride] before you use them."
)
OFFSET_STRIDE_HINT = (
    "the stride is missing from the slices of the offset loop. Offset (di, dj) of the window meets the input at "
    "rows di, di + stride, di + 2 * stride, ...: slice with a step of stride, n_H rows and n_W columns."
)

CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "view_stride_ignored", "conv_forward",
        (("windows = windows[:, ::stride, ::stride]", "windows = windows[:, :, :]"),),
        VIEW_STRIDE_HINT,
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "view_padding_forgotten", "conv_forward",
        (("np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))", "A_prev"),),
        "A_prev was not padded before its windows were taken. Pad the height and the width with np.pad first; "
        "the output size already counts 2 * pad.",
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "window_axes_order", "conv_forward",
        (("windows.transpose(0, 1, 2, 4, 5, 3)", "windows"),),
        "the entries of a window and of a filter were flattened in different orders. sliding_window_view puts "
        "the window's own axes last, so windows[i, h, w] has shape (n_C_prev, f, f), while a filter W[:, :, :, c] "
        "has shape (f, f, n_C_prev). Move the channel axis behind the two window axes (transpose) before the "
        "reshape, so that a row of patches lines up with a column of W.reshape(f * f * n_C_prev, n_C).",
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "matrix_bias_forgotten", "conv_forward",
        (("Z = Z.reshape(m, n_H, n_W, n_C) + b", "Z = Z.reshape(m, n_H, n_W, n_C)"),),
        "the bias is missing: add b, of shape (1, 1, 1, n_C), to the product; broadcasting adds b[..., c] to "
        "every entry of channel c, once.",
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "pool_view_stride_ignored", "pool_forward",
        (("windows = windows[:, ::stride, ::stride]", "windows = windows[:, :, :]"),),
        VIEW_STRIDE_HINT,
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "pool_reduced_over_positions", "pool_forward",
        (("axis=(4, 5)", "axis=(1, 2)"),),
        "the reduction ran over axes 1 and 2 of the window view, which are the output rows and columns. "
        "sliding_window_view appends the window's own two axes at the end: reduce over axis=(4, 5).",
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "pool_average_is_max", "pool_forward",
        (("A = np.mean(windows", "A = np.max(windows"),),
        'mode="average" gave the maximum of each window; take the mean over the window axes.',
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "pool_average_not_divided", "pool_forward",
        (("A = np.mean(windows", "A = np.sum(windows"),),
        "average pooling summed each window without dividing by its area f * f (np.mean does both).",
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "offsets_dA_overwritten", "conv_backward",
        (("dA_prev_pad[:, rows, cols, :] += ", "dA_prev_pad[:, rows, cols, :] = "),),
        ACCUMULATE_HINT + " Here each of the f * f offsets adds its share onto the same input entries.",
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "offsets_stride_ignored", "conv_backward",
        (("slice(di, di + stride * (n_H - 1) + 1, stride)", "slice(di, di + n_H)"),
         ("slice(dj, dj + stride * (n_W - 1) + 1, stride)", "slice(dj, dj + n_W)")),
        OFFSET_STRIDE_HINT,
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "vectorized_unpad_with_negative_index", "conv_backward",
        (("dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]", "dA_prev_pad[:, pad:-pad, pad:-pad, :]"),),
        "dA_prev was cut out of the padded gradient with [pad:-pad], which is empty when pad is 0 (-0 is 0). "
        "Slice [pad:pad + n_H_prev, pad:pad + n_W_prev] instead.",
        frozenset({"conv_backward"}),
        from_seed=True,
    ),
    Mistake(
        "db_not_summed_over_batch", "conv_backward",
        (("np.sum(dZ, axis=(0, 1, 2))", "np.sum(dZ, axis=(1, 2))"),),
        "db was summed over the positions but not over the examples. One bias serves every example, so its "
        "gradient sums dZ over axes 0, 1 and 2.",
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "pool_offsets_overwritten", "pool_backward",
        (("dA_prev[:, rows, cols, :] += mask", "dA_prev[:, rows, cols, :] = mask"),
         ("dA_prev[:, rows, cols, :] += dA", "dA_prev[:, rows, cols, :] = dA")),
        ACCUMULATE_HINT + " Here each of the f * f offsets adds its share onto the same input entries.",
        frozenset({"pool_backward"}),
    ),
    Mistake(
        "pool_offsets_stride_ignored", "pool_backward",
        (("slice(di, di + stride * (n_H - 1) + 1, stride)", "slice(di, di + n_H)"),
         ("slice(dj, dj + stride * (n_W - 1) + 1, stride)", "slice(dj, dj + n_W)")),
        OFFSET_STRIDE_HINT,
        frozenset({"pool_backward"}),
    ),
    Mistake(
        "pool_average_gradient_not_divided", "pool_backward",
        (("dA / (f * f)", "dA"),),
        "average pooling sent the whole of dA to every entry of the window. Each of the f * f entries counts "
        "for 1 / (f * f) of the mean, so each gets dA / (f * f).",
        frozenset({"pool_backward"}),
    ),
)

BY_ID = {mistake.id: mistake for mistake in CATALOGUE}
