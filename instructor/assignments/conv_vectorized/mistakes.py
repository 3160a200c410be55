"""Assignment 2's catalogue of mistakes, "Vectorize it": edits of its vectorized solution cells.

The ideas are those of assignment 1 (stride, padding, bias, accumulation,
average pooling, the ``[pad:-pad]`` un-padding), written the way they go wrong
in vectorized code, plus the mistakes that only vectorized code can make: a
window view's axes taken in the wrong order, a reduction over the wrong axes.
Every mistake must fail the hidden checks of exactly the functions in
``breaks``, with its hint (tests/test_mistakes.py).
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
OFFSETS_ADD_UP = (" Here each of the f * f offsets adds its share onto the same input entries. A += through a fancy "
                  "index that repeats (x[rows, cols] += v) keeps only one of the repeated shares, as = does: "
                  "add with np.add.at(x, (rows, cols), v).")
OFFSETS_ADD_UP_ZH = ("这里 f * f 个偏移中的每一个都要把自己的那一份加到同样的输入元素上。通过有重复下标的花式索引做 += "
                     "（x[rows, cols] += v）时，重复的那几份只保留一份，与 = 无异：请用 np.add.at(x, (rows, cols), v) 累加。")

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
              "reshape 之前先把通道轴移到两个窗口轴的后面（transpose），这样图像块矩阵的一行才能和 "
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
    # -- issue #10: more of the mistakes learners make when they vectorize ---------------------------------
    Mistake(
        "einsum_filter_axes_swapped", "conv_forward",
        (("Z = patches @ W.reshape(f * f * n_C_prev, n_C)",
          'Z = np.einsum("mhwcij,jicn->mhwn", windows, W).reshape(m * n_H * n_W, n_C)'),),
        hints("the einsum gave the filter's two spatial axes the letters of the window's axes in the wrong order, "
              "so every filter was applied transposed (its rows met the window's columns). W[i, j, c, n] holds the "
              "weight of row i, column j of channel c: give the filter's row axis the letter of the window's row "
              "axis, and its column axis the letter of the window's column axis, wherever your windows keep them "
              "(for sliding_window_view's windows, whose axes are (m, h, w, c, i, j): \"mhwcij,ijcn->mhwn\").",
              "einsum 给滤波器两个空间轴的字母与窗口轴的顺序对不上，于是每个滤波器都被转置后才用上（它的行碰上了窗口的列）。"
              "W[i, j, c, n] 是通道 c 第 i 行第 j 列元素的权重：无论你的窗口把这两个轴放在哪里，滤波器的行轴都要用窗口行轴"
              "的字母，列轴用窗口列轴的字母（sliding_window_view 得到的窗口，轴是 (m, h, w, c, i, j)，写成"
              "\"mhwcij,ijcn->mhwn\"）。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "tensordot_axes_mismatched", "conv_forward",
        (("Z = patches @ W.reshape(f * f * n_C_prev, n_C)",
          "Z = np.tensordot(windows, W, axes=([3, 4, 5], [0, 1, 2])).reshape(m * n_H * n_W, n_C)"),),
        hints("np.tensordot paired the window view's axes (3, 4, 5) with W's axes (0, 1, 2) one by one, but they "
              "do not mean the same things: the view's axes 3, 4, 5 are a window's (channel, row, column), W's "
              "axes 0, 1, 2 are (row, column, channel). List the axes so that each is paired with its match: "
              "axes=([4, 5, 3], [0, 1, 2]).",
              "np.tensordot 把窗口视图的第 (3, 4, 5) 轴和 W 的第 (0, 1, 2) 轴逐一配对，可它们的含义并不相同："
              "视图的第 3、4、5 轴是窗口的（通道，行，列），W 的第 0、1、2 轴是（行，列，通道）。"
              "列出轴时要让每个轴和与它对应的轴配对：axes=([4, 5, 3], [0, 1, 2])。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "filter_matrix_reshaped_wrong", "conv_forward",
        (("W.reshape(f * f * n_C_prev, n_C)", "W.reshape(n_C, f * f * n_C_prev).T"),),
        hints("the filter matrix was made by reshaping W to (n_C, f * f * n_C_prev) and transposing, which does "
              "not put filter c in column c: a reshape keeps the order of the entries in memory, where the filter "
              "index is the last axis of W and changes fastest. Reshape W straight to (f * f * n_C_prev, n_C): "
              "each column is then one filter, flattened in the same (f, f, n_C_prev) order as a row of patches.",
              "滤波器矩阵是先把 W reshape 成 (n_C, f * f * n_C_prev) 再转置得到的，这样第 c 列并不是第 c 个滤波器："
              "reshape 保持元素在内存中的顺序，而滤波器下标是 W 的最后一个轴，变化最快。应直接把 W reshape 成 "
              "(f * f * n_C_prev, n_C)：这样每一列就是一个滤波器，展平的顺序 (f, f, n_C_prev) 与图像块矩阵的一行相同。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "product_reshaped_channels_first", "conv_forward",
        (("Z = patches @ W.reshape(f * f * n_C_prev, n_C)",
          "Z = W.reshape(f * f * n_C_prev, n_C).T @ patches.T"),),
        hints("the product was taken channels first, of shape (n_C, m * n_H * n_W), and then reshaped straight "
              "to (m, n_H, n_W, n_C). A reshape does not move axes: it only cuts the same run of numbers "
              "differently, so the values landed in the wrong places. Transpose the product to (m * n_H * n_W, "
              "n_C) before the reshape, or multiply in that order, patches first.",
              "乘积是按通道在前的方式算的，形状为 (n_C, m * n_H * n_W)，然后直接 reshape 成了 (m, n_H, n_W, n_C)。"
              "reshape 不会移动轴，只是把同一串数按另一种方式切分，所以这些值落到了错误的位置上。"
              "reshape 之前先把乘积转置成 (m * n_H * n_W, n_C)，或者一开始就按图像块矩阵在前的顺序相乘。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "view_pad_all_axes", "conv_forward",
        (("np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))", "np.pad(A_prev, pad)"),),
        hints("np.pad(A_prev, pad) pads every axis, the examples and the channels too. Give np.pad one (before, "
              "after) pair per axis: (pad, pad) for the height and the width, (0, 0) for the batch and the "
              "channels.",
              "np.pad(A_prev, pad) 会填充所有的轴，连样本轴和通道轴也不例外。应给 np.pad 的每个轴各写一对"
              "（前，后）：高度和宽度用 (pad, pad)，批量和通道用 (0, 0)。"),
        frozenset({"conv_forward"}),
    ),
    Mistake(
        "pool_reduced_over_channel_axis", "pool_forward",
        (("axis=(4, 5)", "axis=(3, 4)"),),
        hints("the reduction ran over axes 3 and 4 of the window view: the channels and one of the window's "
              "axes. sliding_window_view keeps the channels at axis 3 and appends the window's own two axes at "
              "the end: reduce over axis=(4, 5).",
              "归约是沿窗口视图的第 3、4 轴做的：一个是通道轴，一个是窗口的轴。sliding_window_view 把通道留在第 3 轴，"
              "把窗口自己的两个轴追加在最后：应沿 axis=(4, 5) 归约。"),
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "offsets_filter_not_transposed", "conv_backward",
        (("(dZ_flat @ W[di, dj].T)", "(dZ_flat @ W[di, dj])"),),
        hints("dZ went back through W[di, dj] without its transpose. W[di, dj], of shape (n_C_prev, n_C), takes "
              "the input's n_C_prev channels to the n_C output channels; the way back, from dZ's n_C channels to "
              "the input's n_C_prev, goes through its transpose, W[di, dj].T.",
              "dZ 经过 W[di, dj] 传回时没有转置。W[di, dj] 的形状是 (n_C_prev, n_C)，它把输入的 n_C_prev 个通道映射到 "
              "n_C 个输出通道；反过来从 dZ 的 n_C 个通道回到输入的 n_C_prev 个通道，要经过它的转置 W[di, dj].T。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "offsets_dW_from_unpadded_input", "conv_backward",
        (("A_prev_pad[:, rows, cols, :].reshape", "A_prev[:, rows, cols, :].reshape"),),
        hints("dW was computed from the unpadded A_prev, while the offset slices rows and cols are positions in "
              "the padded input: the slices are shifted by pad and come out short at the border. Slice "
              "A_prev_pad, the input that the forward pass's windows were taken from.",
              "dW 是用未填充的 A_prev 算的，而偏移切片 rows、cols 是填充后输入中的位置：切片错开了 pad 个位置，"
              "到边界还会变短。应对 A_prev_pad（前向传播取窗口用的输入）切片。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "vectorized_db_shape_flat", "conv_backward",
        (("np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)", "np.sum(dZ, axis=(0, 1, 2))"),),
        hints("db came back with shape (n_C,): the sum over axes 0, 1 and 2 drops those axes. b has shape "
              "(1, 1, 1, n_C) and its gradient must have the same shape: reshape the sum, or sum with "
              "keepdims=True.",
              "返回的 db 形状是 (n_C,)：沿第 0、1、2 轴求和会把这几个轴去掉。b 的形状是 (1, 1, 1, n_C)，"
              "它的梯度也必须是这个形状：把和 reshape 一下，或者求和时加上 keepdims=True。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "scatter_without_add_at", "conv_backward",
        (("dA_prev_pad[:, rows, cols, :] += (dZ_flat @ W[di, dj].T).reshape(m, n_H, n_W, n_C_prev)", "pass"),
         ("db = np.sum(dZ, axis=(0, 1, 2))",
          "rows_idx = stride * np.arange(n_H)[:, None, None, None] + np.arange(f)[None, None, :, None]\n"
          "    cols_idx = stride * np.arange(n_W)[None, :, None, None] + np.arange(f)[None, None, None, :]\n"
          "    d_patches = (dZ_flat @ W.reshape(f * f * n_C_prev, n_C).T).reshape(m, n_H, n_W, f, f, n_C_prev)\n"
          "    dA_prev_pad[:, rows_idx, cols_idx, :] += d_patches\n"
          "    db = np.sum(dZ, axis=(0, 1, 2))")),
        hints("the gradients of the patches were scattered back into dA_prev_pad with a fancy-indexed +=. Where "
              "windows overlap, the same input entry appears several times among the indices, and += then keeps "
              "only one of its values instead of adding them all up. Scatter with np.add.at, which adds every "
              "one, or add one filter offset at a time with plain slices.",
              "图像块的梯度是用花式索引加 += 散回 dA_prev_pad 的。窗口重叠的地方，同一个输入元素会在索引中出现好几次，"
              "而 += 只会保留其中一个值，不会把它们全部加起来。请改用 np.add.at 来散回（它会把每一份都加上），"
              "或者用普通切片一次处理一个滤波器偏移。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "pool_backward_maxima_unstrided", "pool_backward",
        (("np.max(view[:, ::stride, ::stride], axis=(4, 5))", "np.max(view, axis=(4, 5))"),),
        hints("the window maxima were taken from the view without [:, ::stride, ::stride], so there is one at "
              "every position rather than one per output, and they do not line up with dA when the stride is "
              "above 1. Keep every stride-th window, as pool_forward does.",
              "窗口最大值是从没有做 [:, ::stride, ::stride] 的视图上取的，于是每个位置都有一个最大值，而不是每个输出一个，"
              "步幅大于 1 时它们就和 dA 对不上了。要像 pool_forward 那样每隔 stride 个窗口取一个。"),
        frozenset({"pool_backward"}),
    ),
    Mistake(
        "pool_average_gradient_divided_by_f", "pool_backward",
        (("dA / (f * f)", "dA / f"),),
        hints("average pooling gave each entry of the window dA / f. A window has f * f entries and each counts "
              "for 1 / (f * f) of the mean, so each gets dA / (f * f).",
              "平均池化给窗口里每个元素的是 dA / f。一个窗口有 f * f 个元素，每个元素只占平均值的 1 / (f * f)，"
              "所以每个元素应得到 dA / (f * f)。"),
        frozenset({"pool_backward"}),
    ),
    Mistake(
        "vectorized_pool_mode_misspelled", "pool_forward",
        (('elif mode == "average":', 'elif mode == "mean":'),
         ('''raise ValueError(f"pooling mode {mode!r} is unknown: use 'max' or 'average'")''', "pass")),
        hints('mode="average" was never recognised: the branch compares mode with another word, so A was never '
              'computed. Compare mode with "average", exactly as the caller writes it (and raise an error for a '
              'mode you do not know, so that a typo shows at once).',
              'mode="average" 一直没有被识别：分支里和 mode 比较的是另一个词，所以 A 根本没有算出来。要和 "average" 比较，'
              '与调用者写的完全一致（遇到不认识的 mode 就报错，这样拼写错误会立刻暴露）。'),
        frozenset({"pool_forward"}),
    ),
    Mistake(
        "dW_spatial_axes_swapped", "conv_backward",
        (("dW[di, dj] = ", "dW[dj, di] = "),),
        hints("dW came out with the filter's rows and columns swapped: the gradient for offset (di, dj) of the "
              "window was stored at (dj, di), as happens when an einsum gives the output's two spatial letters in "
              "the other order. dW must have W's layout, (f, f, n_C_prev, n_C): row offset first, then column "
              "offset.",
              "dW 中滤波器的行和列对调了：窗口偏移 (di, dj) 的梯度被存到了 (dj, di)，einsum 输出的两个空间字母写反时就会这样。"
              "dW 的布局必须与 W 相同，即 (f, f, n_C_prev, n_C)：先是行偏移，再是列偏移。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "dW_reshaped_not_transposed", "conv_backward",
        (("db = np.sum(dZ, axis=(0, 1, 2))",
          "dW = dW.transpose(2, 0, 1, 3).reshape(f, f, n_C_prev, n_C)\n    db = np.sum(dZ, axis=(0, 1, 2))"),),
        hints("dW was computed in (n_C_prev, f, f, n_C) order and then reshaped to W's shape. A reshape keeps "
              "the order of the entries and only cuts them differently, so the values land in the wrong places: "
              "move the channel axis with a transpose, to (f, f, n_C_prev, n_C), instead of a reshape.",
              "dW 是按 (n_C_prev, f, f, n_C) 的顺序算出来的，然后被 reshape 成了 W 的形状。reshape 保持元素的顺序，"
              "只是换一种切分方式，所以这些值落到了错误的位置上：应该用 transpose 移动通道轴，变成 (f, f, n_C_prev, n_C)，"
              "而不是用 reshape。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "pool_scatter_without_add_at", "pool_backward",
        (("dA_prev = np.zeros(A_prev.shape)",
          "rows_idx = stride * np.arange(n_H)[:, None, None, None] + np.arange(f)[None, None, :, None]\n"
          "    cols_idx = stride * np.arange(n_W)[None, :, None, None] + np.arange(f)[None, None, None, :]\n"
          "    d_patches = np.broadcast_to(dA[:, :, :, None, None, :] / (f * f), (m, n_H, n_W, f, f, n_C))\n"
          "    if mode == \"max\":\n"
          "        patches = A_prev[:, rows_idx, cols_idx, :]\n"
          "        d_patches = (patches == window_max[:, :, :, None, None, :]) * dA[:, :, :, None, None, :]\n"
          "    dA_prev = np.zeros(A_prev.shape)\n"
          "    dA_prev[:, rows_idx, cols_idx, :] += d_patches\n"
          "    return dA_prev"),),
        hints("the windows' gradients were scattered back into dA_prev with a fancy-indexed +=. Where windows "
              "overlap, the same input entry appears several times among the indices, and += then keeps only one "
              "of its values instead of adding them all up. Scatter with np.add.at, which adds every one, or add "
              "one window offset at a time with plain slices.",
              "窗口的梯度是用花式索引加 += 散回 dA_prev 的。窗口重叠的地方，同一个输入元素会在索引中出现好几次，"
              "而 += 只会保留其中一个值，不会把它们全部加起来。请改用 np.add.at 来散回（它会把每一份都加上），"
              "或者用普通切片一次处理一个窗口偏移。"),
        frozenset({"pool_backward"}),
    ),
    # -- issue 17: filters taken the wrong way round on the way back (einsum letters, np.flip, transposes) ---
    Mistake(
        "offsets_filter_spatially_transposed", "conv_backward",
        (("(dZ_flat @ W[di, dj].T)", "(dZ_flat @ W[dj, di].T)"), ("dW[di, dj] = ", "dW[dj, di] = ")),
        hints("each filter was taken with its rows and columns swapped (W.transpose(3, 2, 1, 0) where (3, 2, 0, 1) "
              "keeps rows as rows, or einsum letters in another order): the gradient went back through the "
              "transposed filters, and dW came back with its two spatial axes swapped. A 1 x 1 filter is its own "
              "transpose, which is why f = 1 passes.",
              "每个滤波器的行和列被互换了（用了 W.transpose(3, 2, 1, 0)，而 (3, 2, 0, 1) 才能让行仍是行；或者 einsum "
              "的字母顺序不对）：梯度经过转置后的滤波器反传，dW 的两个空间轴也被互换了。1 x 1 的滤波器转置后不变，"
              "所以 f = 1 时能通过。"),
        frozenset({"conv_backward"}),
    ),
    Mistake(
        "offsets_filter_channels_reversed", "conv_backward",
        (("(dZ_flat @ W[di, dj].T)", "(dZ_flat @ W[di, dj][::-1, ::-1].T)"),),
        hints("the gradient went back through the wrong filters: W's channel axes were reversed (np.flip(W) with "
              "no axes reverses all four axes of W, the input and output channels too). Turning a filter by 180 "
              "degrees for a full convolution reverses its rows and columns only: W[::-1, ::-1, :, :], or "
              "np.flip(W, axis=(0, 1)).",
              "梯度反传时用错了滤波器：W 的通道轴被倒过来了（不带 axis 的 np.flip(W) 会把 W 的四个轴全部倒过来，"
              "输入通道和输出通道也不例外）。做完整卷积时把滤波器旋转 180 度只倒转它的行和列：W[::-1, ::-1, :, :]，"
              "或 np.flip(W, axis=(0, 1))。"),
        frozenset({"conv_backward"}),
    ),
)
