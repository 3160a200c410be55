"""Assignment 2's catalogue of mistakes, "Vectorize it": edits of its vectorized solution cells.

The ideas are those of assignment 1 (stride, padding, bias, accumulation,
average pooling, the ``[pad:-pad]`` un-padding), written the way they go wrong
in vectorized code, plus the mistakes that only vectorized code can make: a
window view's axes taken in the wrong order, a reduction over the wrong axes.
Every mistake must fail the hidden checks of exactly the functions in
``breaks``, with its hint (tests/test_vectorized_mistakes.py).
"""
from __future__ import annotations

from ...mistake import Mistake, hints
from ..conv_step_by_step.mistakes import ACCUMULATE_HINT, ACCUMULATE_HINT_ZH

VIEW_STRIDE_HINT = (
    "the windows did not move by the stride. sliding_window_view gives a window at every position, one row and "
    "one column apart; keep every stride-th one with [:, ::stride, ::stride] before you use them."
)
VIEW_STRIDE_HINT_ZH = (
    "窗口没有按步幅移动。sliding_window_view 在每个位置都取一个窗口，相邻窗口只隔一行或一列；"
    "使用之前先用 [:, ::stride, ::stride] 每隔 stride 个取一个。"
)
OFFSET_STRIDE_HINT = (
    "the stride is missing from the slices of the offset loop. Offset (di, dj) of the window meets the input at "
    "rows di, di + stride, di + 2 * stride, ...: slice with a step of stride, n_H rows and n_W columns."
)

OFFSET_STRIDE_HINT_ZH = (
    "偏移循环里的切片漏掉了步幅。窗口的偏移 (di, dj) 落在输入的第 di、di + stride、di + 2 * stride …… 行上："
    "切片的步长应是 stride，共取 n_H 行、n_W 列。"
)
OFFSETS_ADD_UP = " Here each of the f * f offsets adds its share onto the same input entries."
OFFSETS_ADD_UP_ZH = "这里 f * f 个偏移中的每一个都要把自己的那一份加到同样的输入元素上。"

CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "view_stride_ignored", "conv_forward",
        (("windows = windows[:, ::stride, ::stride]", "windows = windows[:, :, :]"),),
        hints(VIEW_STRIDE_HINT, VIEW_STRIDE_HINT_ZH),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "view_padding_forgotten", "conv_forward",
        (("np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))", "A_prev"),),
        hints("A_prev was not padded before its windows were taken. Pad the height and the width with np.pad "
              "first; the output size already counts 2 * pad.",
              "取窗口之前 A_prev 没有填充。先用 np.pad 填充高度和宽度；输出尺寸里已经算上了 2 * pad。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "window_axes_order", "conv_forward",
        (("windows.transpose(0, 1, 2, 4, 5, 3)", "windows"),),
        hints("the entries of a window and of a filter were flattened in different orders. sliding_window_view "
              "puts the window's own axes last, so windows[i, h, w] has shape (n_C_prev, f, f), while a filter "
              "W[:, :, :, c] has shape (f, f, n_C_prev). Move the channel axis behind the two window axes "
              "(transpose) before the reshape, so that a row of patches lines up with a column of "
              "W.reshape(f * f * n_C_prev, n_C).",
              "窗口的元素和滤波器的元素按不同的顺序展平了。sliding_window_view 把窗口自己的轴放在最后，"
              "所以 windows[i, h, w] 的形状是 (n_C_prev, f, f)，而滤波器 W[:, :, :, c] 的形状是 (f, f, n_C_prev)。"
              "reshape 之前先把通道轴移到两个窗口轴的后面（transpose），这样补丁矩阵的一行才能和 "
              "W.reshape(f * f * n_C_prev, n_C) 的一列对应起来。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "matrix_bias_forgotten", "conv_forward",
        (("Z = Z.reshape(m, n_H, n_W, n_C) + b", "Z = Z.reshape(m, n_H, n_W, n_C)"),),
        hints("the bias is missing: add b, of shape (1, 1, 1, n_C), to the product; broadcasting adds b[..., c] "
              "to every entry of channel c, once.",
              "漏掉了偏置：给乘积加上形状为 (1, 1, 1, n_C) 的 b；广播会把 b[..., c] 加到通道 c 的每个元素上，且只加一次。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "pool_view_stride_ignored", "pool_forward",
        (("windows = windows[:, ::stride, ::stride]", "windows = windows[:, :, :]"),),
        hints(VIEW_STRIDE_HINT, VIEW_STRIDE_HINT_ZH),
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "pool_reduced_over_positions", "pool_forward",
        (("axis=(4, 5)", "axis=(1, 2)"),),
        hints("the reduction ran over axes 1 and 2 of the window view, which are the output rows and columns. "
              "sliding_window_view appends the window's own two axes at the end: reduce over axis=(4, 5).",
              "归约是沿窗口视图的第 1、2 轴做的，而它们是输出的行和列。sliding_window_view 把窗口自己的两个轴"
              "追加在最后：应沿 axis=(4, 5) 归约。"),
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "pool_average_is_max", "pool_forward",
        (("A = np.mean(windows", "A = np.max(windows"),),
        hints('mode="average" gave the maximum of each window; take the mean over the window axes.',
              'mode="average" 时得到的是每个窗口的最大值；应沿窗口轴取平均值。'),
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "pool_average_not_divided", "pool_forward",
        (("A = np.mean(windows", "A = np.sum(windows"),),
        hints("average pooling summed each window without dividing by its area f * f (np.mean does both).",
              "平均池化只对每个窗口求了和，没有除以窗口的面积 f * f（np.mean 会同时做这两件事）。"),
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "offsets_dA_overwritten", "conv_backward",
        (("dA_prev_pad[:, rows, cols, :] += ", "dA_prev_pad[:, rows, cols, :] = "),),
        hints(ACCUMULATE_HINT + OFFSETS_ADD_UP, ACCUMULATE_HINT_ZH + OFFSETS_ADD_UP_ZH),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "offsets_stride_ignored", "conv_backward",
        (("slice(di, di + stride * (n_H - 1) + 1, stride)", "slice(di, di + n_H)"),
         ("slice(dj, dj + stride * (n_W - 1) + 1, stride)", "slice(dj, dj + n_W)")),
        hints(OFFSET_STRIDE_HINT, OFFSET_STRIDE_HINT_ZH),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "vectorized_unpad_with_negative_index", "conv_backward",
        (("dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]", "dA_prev_pad[:, pad:-pad, pad:-pad, :]"),),
        hints("dA_prev was cut out of the padded gradient with [pad:-pad], which is empty when pad is 0 (-0 is 0). "
              "Slice [pad:pad + n_H_prev, pad:pad + n_W_prev] instead.",
              "dA_prev 是用 [pad:-pad] 从填充后的梯度中截取的，而 pad 为 0 时这个切片是空的（-0 就是 0）。"
              "请改用 [pad:pad + n_H_prev, pad:pad + n_W_prev] 切片。"),
        frozenset({"conv_backward"}),
        from_seed=True,
    ),
    Mistake(
        "db_not_summed_over_batch", "conv_backward",
        (("np.sum(dZ, axis=(0, 1, 2))", "np.sum(dZ, axis=(1, 2))"),),
        hints("db was summed over the positions but not over the examples. One bias serves every example, so "
              "its gradient sums dZ over axes 0, 1 and 2.",
              "db 只对位置求了和，没有对样本求和。同一个偏置作用于每个样本，所以它的梯度要把 dZ 沿第 0、1、2 轴求和。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "pool_offsets_overwritten", "pool_backward",
        (("dA_prev[:, rows, cols, :] += mask", "dA_prev[:, rows, cols, :] = mask"),
         ("dA_prev[:, rows, cols, :] += dA", "dA_prev[:, rows, cols, :] = dA")),
        hints(ACCUMULATE_HINT + OFFSETS_ADD_UP, ACCUMULATE_HINT_ZH + OFFSETS_ADD_UP_ZH),
        frozenset({"pool_backward"}),
    ),
    Mistake(
        "pool_offsets_stride_ignored", "pool_backward",
        (("slice(di, di + stride * (n_H - 1) + 1, stride)", "slice(di, di + n_H)"),
         ("slice(dj, dj + stride * (n_W - 1) + 1, stride)", "slice(dj, dj + n_W)")),
        hints(OFFSET_STRIDE_HINT, OFFSET_STRIDE_HINT_ZH),
        frozenset({"pool_backward"}),
    ),
    Mistake(
        "pool_average_gradient_not_divided", "pool_backward",
        (("dA / (f * f)", "dA"),),
        hints("average pooling sent the whole of dA to every entry of the window. Each of the f * f entries "
              "counts for 1 / (f * f) of the mean, so each gets dA / (f * f).",
              "平均池化把整个 dA 都传给了窗口里的每个元素。f * f 个元素中的每一个只占平均值的 1 / (f * f)，"
              "所以每个元素得到 dA / (f * f)。"),
        frozenset({"pool_backward"}),
    ),
)
