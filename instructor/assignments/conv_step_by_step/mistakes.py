"""Assignment 1's catalogue of the mistakes learners really make, each a small edit of the reference.

See :mod:`instructor.mistake` for what a mistake is and the rules every
catalogue obeys; hints are written in English and Chinese side by side.
"""
from __future__ import annotations

from ...mistake import Mistake, hints


def _breaks(*functions: str) -> frozenset[str]:
    return frozenset(functions)


STRIDE_HINT = (
    "the window did not move by the stride. The window of output (h, w) starts at row h * stride "
    "and column w * stride."
)
STRIDE_HINT_ZH = "窗口没有按步幅移动。输出 (h, w) 对应的窗口从第 h * stride 行、第 w * stride 列开始。"
ACCUMULATE_HINT = (
    "a gradient was overwritten (=) where it must be accumulated (+=). Every window, example and "
    "channel adds its share; where windows overlap, the shares add up."
)
ACCUMULATE_HINT_ZH = (
    "梯度被覆盖（=）了，而它应该累加（+=）。每个窗口、每个样本、每个通道都要加上自己的那一份；"
    "窗口重叠的地方，这些份额要叠加起来。"
)

CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        'pad_all_axes', 'zero_pad',
        (
            ('((0, 0), (pad, pad), (pad, pad), (0, 0))',
             '((pad, pad), (pad, pad), (pad, pad), (pad, pad))'),
        ),
        hints(
            en=(
                'every axis was padded, the batch and the channels too. Pad only the height and the width (axes '
                '1 and 2 of (m, n_H, n_W, n_C)); m and n_C keep their size.'
            ),
            zh='所有轴都被填充了，连批量轴和通道轴也不例外。只应填充高度和宽度（(m, n_H, n_W, n_C) 的第 1、2 轴）；m 和 n_C 保持不变。',
        ),
        _breaks('zero_pad', 'conv_forward', 'conv_backward'),
    ),
    Mistake(
        'pad_channels_not_width', 'zero_pad',
        (
            ('(pad, pad), (pad, pad), (0, 0))',
             '(pad, pad), (0, 0), (pad, pad))'),
        ),
        hints(
            en=(
                'the channel axis was padded instead of the width. Arrays here are (m, n_H, n_W, n_C): pad axes '
                '1 and 2.'
            ),
            zh='填充的是通道轴，而不是宽度轴。这里的数组是 (m, n_H, n_W, n_C)：应填充第 1 和第 2 轴。',
        ),
        _breaks('zero_pad', 'conv_forward', 'conv_backward'),
    ),
    Mistake(
        'bias_per_element', 'conv_single_step',
        (
            ('np.sum(weighted) + b.item()',
             'np.sum(weighted + b)'),
        ),
        hints(
            en=(
                'the bias was added to every element of the slice, so it was counted f * f * n_C_prev times. Sum '
                'a_slice_prev * W first, then add b once.'
            ),
            zh='偏置被加到了切片的每个元素上，于是被重复计算了 f * f * n_C_prev 次。应先对 a_slice_prev * W 求和，再只加一次 b。',
        ),
        _breaks('conv_single_step', 'conv_forward'),
        from_seed=True,
    ),
    Mistake(
        'bias_forgotten', 'conv_single_step',
        (
            ('np.sum(weighted) + b.item()',
             'np.sum(weighted)'),
        ),
        hints(
            en='the bias is missing: Z is the sum of a_slice_prev * W, plus b.',
            zh='漏掉了偏置：Z 是 a_slice_prev * W 的总和，再加上 b。',
        ),
        _breaks('conv_single_step', 'conv_forward'),
    ),
    Mistake(
        'conv_stride_ignored', 'conv_forward',
        (
            ('vert_start = h * stride',
             'vert_start = h'),
            ('horiz_start = w * stride',
             'horiz_start = w'),
        ),
        hints(
            en=STRIDE_HINT,
            zh=STRIDE_HINT_ZH,
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_padding_forgotten', 'conv_forward',
        (
            ('A_prev_pad = zero_pad(A_prev, pad)',
             'A_prev_pad = A_prev'),
            ('(n_H_prev + 2 * pad - f)',
             '(n_H_prev - f)'),
            ('(n_W_prev + 2 * pad - f)',
             '(n_W_prev - f)'),
        ),
        hints(
            en='A_prev was not padded. Pad it with zero_pad(A_prev, pad) and count 2 * pad in the output size.',
            zh='A_prev 没有做填充。请用 zero_pad(A_prev, pad) 填充，并在输出尺寸中算上 2 * pad。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_size_not_floored', 'conv_forward',
        (
            ('(n_H_prev + 2 * pad - f) // stride',
             'int(np.ceil((n_H_prev + 2 * pad - f) / stride))'),
            ('(n_W_prev + 2 * pad - f) // stride',
             'int(np.ceil((n_W_prev + 2 * pad - f) / stride))'),
        ),
        hints(
            en=(
                'the output size was rounded up. A window must fit inside the padded input, so the size is '
                'floor((n_prev + 2 * pad - f) / stride) + 1: round down (use //).'
            ),
            zh='输出尺寸被向上取整了。窗口必须完全落在填充后的输入之内，所以尺寸是 floor((n_prev + 2 * pad - f) / stride) + 1：应向下取整（用 //）。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'pool_stride_ignored', 'pool_forward',
        (
            ('vert_start = h * stride',
             'vert_start = h'),
            ('horiz_start = w * stride',
             'horiz_start = w'),
        ),
        hints(
            en=STRIDE_HINT,
            zh=STRIDE_HINT_ZH,
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'pool_over_channels', 'pool_forward',
        (
            ('A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]',
             'A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]'),
        ),
        hints(
            en=(
                'the window took all channels at once, so every channel got the same value. Pool each channel on '
                'its own: the slice ends in c, not in :.'
            ),
            zh='窗口一次取了所有通道，结果每个通道得到的值都一样。池化要对每个通道分别进行：切片的最后一个下标应是 c，而不是 :。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'average_returns_max', 'pool_forward',
        (
            ('A[i, h, w, c] = np.mean(a_prev_slice)',
             'A[i, h, w, c] = np.max(a_prev_slice)'),
        ),
        hints(
            en='mode="average" gave the maximum of the window; take its mean.',
            zh='mode="average" 时得到的是窗口的最大值；应取窗口的平均值。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'average_not_divided', 'pool_forward',
        (
            ('np.mean(a_prev_slice)',
             'np.sum(a_prev_slice)'),
        ),
        hints(
            en='average pooling summed the window without dividing by its area f * f.',
            zh='平均池化只对窗口求了和，没有除以窗口的面积 f * f。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'unpad_with_negative_index', 'conv_backward',
        (
            ('da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]',
             'da_prev_pad[pad:-pad, pad:-pad, :]'),
        ),
        hints(
            en=(
                'dA_prev was cut out of the padded gradient with [pad:-pad], which is empty when pad is 0 (-0 is '
                '0). Slice [pad:pad + n_H_prev, pad:pad + n_W_prev] instead.'
            ),
            zh=(
                'dA_prev 是用 [pad:-pad] 从填充后的梯度中截取的，而 pad 为 0 时这个切片是空的（-0 就是 0）。请改用 [pad:pad + n_H_prev, pad:pad '
                '+ n_W_prev] 切片。'
            ),
        ),
        _breaks('conv_backward'),
        from_seed=True,
    ),
    Mistake(
        'conv_dA_overwritten', 'conv_backward',
        (
            ('da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += ',
             'da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] = '),
        ),
        hints(
            en=ACCUMULATE_HINT,
            zh=ACCUMULATE_HINT_ZH,
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_dW_overwritten', 'conv_backward',
        (
            ('dW[:, :, :, c] += ',
             'dW[:, :, :, c] = '),
        ),
        hints(
            en=ACCUMULATE_HINT,
            zh=ACCUMULATE_HINT_ZH,
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_backward_stride_ignored', 'conv_backward',
        (
            ('vert_start = h * stride',
             'vert_start = h'),
            ('horiz_start = w * stride',
             'horiz_start = w'),
        ),
        hints(
            en=STRIDE_HINT,
            zh=STRIDE_HINT_ZH,
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'mask_from_min', 'create_mask_from_window',
        (
            ('np.max(x)',
             'np.min(x)'),
        ),
        hints(
            en='the mask marks the minimum of the window; it must be True where x equals its maximum.',
            zh='掩码标出的是窗口的最小值；它应在 x 等于其最大值的位置为 True。',
        ),
        _breaks('create_mask_from_window', 'pool_backward'),
    ),
    Mistake(
        'mask_inverted', 'create_mask_from_window',
        (
            ('x == np.max(x)',
             'x != np.max(x)'),
        ),
        hints(
            en='the mask is inverted: True must mark the maximum, and False every other entry.',
            zh='掩码反了：True 应标出最大值，其余元素都应为 False。',
        ),
        _breaks('create_mask_from_window', 'pool_backward'),
    ),
    Mistake(
        'distribute_not_divided', 'distribute_value',
        (
            ('dz / (n_H_window * n_W_window)',
             'dz'),
        ),
        hints(
            en=(
                "every entry got dz itself. Divide dz by the window's area n_H_window * n_W_window, so that the "
                'entries sum to dz.'
            ),
            zh='每个元素都得到了完整的 dz。应把 dz 除以窗口的面积 n_H_window * n_W_window，使所有元素之和等于 dz。',
        ),
        _breaks('distribute_value', 'pool_backward'),
    ),
    Mistake(
        'distribute_divided_by_side', 'distribute_value',
        (
            ('dz / (n_H_window * n_W_window)',
             'dz / n_H_window'),
        ),
        hints(
            en='dz was divided by one side of the window only. Divide by its area n_H_window * n_W_window.',
            zh='dz 只除以了窗口的一条边长。应除以窗口的面积 n_H_window * n_W_window。',
        ),
        _breaks('distribute_value', 'pool_backward'),
    ),
    Mistake(
        'distribute_divided_by_sides_sum', 'distribute_value',
        (
            ('dz / (n_H_window * n_W_window)',
             'dz / (n_H_window + n_W_window)'),
        ),
        hints(
            en=(
                "dz was divided by the sum of the window's sides, n_H_window + n_W_window. A share is dz divided "
                'by the number of entries, the area n_H_window * n_W_window (for a 2 x 2 window the two agree, '
                "which is why the lesson's example passed)."
            ),
            zh=(
                'dz 除以的是窗口两条边长之和 n_H_window + n_W_window。每一份应是 dz 除以元素的个数，即窗口的面积 '
                'n_H_window * n_W_window（对 2 x 2 的窗口两者恰好相等，所以课程中的示例能通过）。'
            ),
        ),
        _breaks('distribute_value', 'pool_backward'),
    ),
    Mistake(
        'distribute_returns_scalar', 'distribute_value',
        (
            ('np.full(shape, dz / (n_H_window * n_W_window))',
             'dz / (n_H_window * n_W_window)'),
        ),
        hints(
            en=(
                "distribute_value returned the share of one entry, a single number, instead of an array of the "
                "window's shape filled with it. Build that array, e.g. with np.full(shape, share)."
            ),
            zh=(
                'distribute_value 返回的是一个元素分到的份额，只是一个数，而不是用它填满、形状与窗口相同的数组。'
                '请构造这个数组，例如用 np.full(shape, share)。'
            ),
        ),
        _breaks('distribute_value'),
    ),
    Mistake(
        'dA_read_at_window_corner', 'pool_backward',
        (
            ('mask * dA[i, h, w, c]',
             'mask * dA[i, vert_start, horiz_start, c]'),
            ('distribute_value(dA[i, h, w, c], (f, f))',
             'distribute_value(dA[i, vert_start, horiz_start, c], (f, f))'),
        ),
        hints(
            en=(
                "dA was read at the window's corner (vert_start, horiz_start). The gradient that reaches output "
                '(h, w) is dA[i, h, w, c]; the two agree only when the stride is 1.'
            ),
            zh='dA 是在窗口的左上角 (vert_start, horiz_start) 处读取的。传到输出 (h, w) 的梯度是 dA[i, h, w, c]；两者只有在步幅为 1 时才相同。',
        ),
        _breaks('pool_backward'),
        from_seed=True,
    ),
    Mistake(
        'pool_gradient_overwritten', 'pool_backward',
        (
            ('horiz_start:horiz_end, c] += mask',
             'horiz_start:horiz_end, c] = mask'),
            ('horiz_start:horiz_end, c] += spread',
             'horiz_start:horiz_end, c] = spread'),
        ),
        hints(
            en=ACCUMULATE_HINT,
            zh=ACCUMULATE_HINT_ZH,
        ),
        _breaks('pool_backward'),
    ),
    # -- issue #10: more of the mistakes learners make -------------------------------------------------
    Mistake(
        'conv_loops_height_width_swapped', 'conv_forward',
        (
            ('for h in range(n_H):',
             'for h in range(n_W):'),
            ('for w in range(n_W):',
             'for w in range(n_H):'),
        ),
        hints(
            en=(
                'the loop over h ran over n_W and the loop over w over n_H. h walks down the rows (the height) '
                'and w across the columns (the width): h goes up to n_H, w up to n_W. The two agree only when '
                'the output is square.'
            ),
            zh=(
                'h 的循环跑的是 n_W，w 的循环跑的是 n_H。h 沿行（高度）向下走，w 沿列（宽度）向右走：'
                'h 取到 n_H，w 取到 n_W。只有输出是正方形时两者才一致。'
            ),
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_example_fixed', 'conv_forward',
        (
            ('a_prev_pad = A_prev_pad[i]',
             'a_prev_pad = A_prev_pad[0]'),
        ),
        hints(
            en=(
                'every example was convolved from the first image of the batch (index 0 where the example index '
                'i belongs), so all m outputs came out the same. Take the padded image of example i inside the '
                'loop over i.'
            ),
            zh='每个样本用的都是批量中的第一张图像（该写样本下标 i 的地方写成了 0），所以 m 个输出全都一样。在对 i 的循环里取第 i 个样本填充后的图像。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_slice_from_unpadded_input', 'conv_forward',
        (
            ('a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]',
             'A_prev[i, vert_start:vert_end, horiz_start:horiz_end, :]'),
        ),
        hints(
            en=(
                'the windows were cut from A_prev, not from the padded input: the padding was made but never '
                'used, so the windows are shifted by pad and cut short at the border. The corners vert_start, '
                'horiz_start are positions in the padded image: slice a_prev_pad.'
            ),
            zh=(
                '窗口是从 A_prev 上切出来的，而不是从填充后的输入上：填充做了却没有用上，所以窗口错开了 pad 个位置，'
                '到了边界还会被截短。vert_start、horiz_start 是填充后图像中的位置：应对 a_prev_pad 切片。'
            ),
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_filter_wrong_axis', 'conv_forward',
        (
            ('W[:, :, :, c]',
             'W[:, :, c]'),
        ),
        hints(
            en=(
                'filter c was taken along axis 2 of W, the input channels. W has shape (f, f, n_C_prev, n_C): '
                'the filters are along the last axis, so filter c is W[:, :, :, c], of shape (f, f, n_C_prev).'
            ),
            zh=(
                '第 c 个滤波器是沿 W 的第 2 轴（输入通道）取的。W 的形状是 (f, f, n_C_prev, n_C)：滤波器排在最后一个轴上，'
                '所以第 c 个滤波器是 W[:, :, :, c]，形状为 (f, f, n_C_prev)。'
            ),
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_size_pad_counted_once', 'conv_forward',
        (
            ('(n_H_prev + 2 * pad - f)',
             '(n_H_prev + pad - f)'),
            ('(n_W_prev + 2 * pad - f)',
             '(n_W_prev + pad - f)'),
        ),
        hints(
            en=(
                'the output size counted the padding once. Zeros are added on both sides, so the padded height '
                'is n_H_prev + 2 * pad and the padded width n_W_prev + 2 * pad.'
            ),
            zh='输出尺寸里只算了一次填充。两侧都要补零，所以填充后的高度是 n_H_prev + 2 * pad，宽度是 n_W_prev + 2 * pad。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_size_plus_one_forgotten', 'conv_forward',
        (
            ('// stride + 1',
             '// stride'),
        ),
        hints(
            en=(
                'the output is one row and one column short. (n_prev + 2 * pad - f) // stride counts the steps '
                'the window can take; its first position comes on top of them, so add 1.'
            ),
            zh='输出少了一行和一列。(n_prev + 2 * pad - f) // stride 数的是窗口能移动的步数；窗口最初的位置还要另算一个，所以要再加 1。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_size_true_division', 'conv_forward',
        (
            ('// stride + 1',
             '/ stride + 1'),
        ),
        hints(
            en=(
                'the output size was computed with /, which always gives a float, and np.zeros and range need '
                'ints. Use floor division, //: it also rounds down when the stride does not divide evenly.'
            ),
            zh='输出尺寸是用 / 算的，结果总是浮点数，而 np.zeros 和 range 需要整数。请用整除 //：步幅除不尽时它还会向下取整。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_output_channels_of_input', 'conv_forward',
        (
            ('np.zeros((m, n_H, n_W, n_C))',
             'np.zeros((m, n_H, n_W, n_C_prev))'),
        ),
        hints(
            en=(
                'Z was made with n_C_prev channels, as many as the input has. The output has one channel per '
                'filter: n_C, the last axis of W.'
            ),
            zh='Z 是按 n_C_prev 个通道（输入的通道数）创建的。输出的每个通道对应一个滤波器：通道数是 n_C，即 W 的最后一个轴。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'conv_stride_on_window_end_only', 'conv_forward',
        (
            ('vert_start = h * stride',
             'vert_start = h'),
            ('vert_end = vert_start + f',
             'vert_end = h * stride + f'),
            ('horiz_start = w * stride',
             'horiz_start = w'),
            ('horiz_end = horiz_start + f',
             'horiz_end = w * stride + f'),
        ),
        hints(
            en=(
                'the stride moved the end of the window but not its start, so the windows grow with h and w. '
                'The two corners move together: the start is h * stride (w * stride) and the end is the start '
                'plus f.'
            ),
            zh='步幅只移动了窗口的终点，没有移动起点，所以窗口随着 h 和 w 越来越大。两个角要一起移动：起点是 h * stride（w * stride），终点是起点加 f。',
        ),
        _breaks('conv_forward'),
    ),
    Mistake(
        'pool_over_batch', 'pool_forward',
        (
            ('A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]',
             'A_prev[:, vert_start:vert_end, horiz_start:horiz_end, c]'),
        ),
        hints(
            en=(
                'the window took the same rows and columns of every example (the first index is :), so each '
                'output is the max or mean over the whole batch. Pool each example on its own: index it with i.'
            ),
            zh='窗口取了批量中每个样本的相同行列（第一个下标写成了 :），于是每个输出都是整个批量的最大值或平均值。每个样本要单独池化：第一个下标用 i。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'pool_size_from_other_axis', 'pool_forward',
        (
            ('n_H = (n_H_prev - f)',
             'n_H = (n_W_prev - f)'),
            ('n_W = (n_W_prev - f)',
             'n_W = (n_H_prev - f)'),
        ),
        hints(
            en=(
                "the output's height was computed from the input's width and its width from the input's height. "
                'n_H comes from n_H_prev and n_W from n_W_prev; they agree only for square inputs.'
            ),
            zh='输出的高度是由输入的宽度算出的，宽度又是由输入的高度算出的。n_H 应由 n_H_prev 计算，n_W 由 n_W_prev 计算；只有输入是正方形时两者才一致。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'pool_mode_misspelled', 'pool_forward',
        (
            ('elif mode == "average":',
             'elif mode == "avg":'),
            ('''raise ValueError(f"mode must be 'max' or 'average', not {mode!r}")''',
             'pass'),
        ),
        hints(
            en=(
                'mode="average" was never recognised: the branch compares mode with another spelling, so '
                'average pooling left A at zero. Compare mode with "average", exactly as the caller writes it '
                '(and raise an error for a mode you do not know, so that a typo shows).'
            ),
            zh=(
                'mode="average" 一直没有被识别：分支里和 mode 比较的是另一种拼写，所以平均池化时 A 全是 0。'
                '要和 "average" 比较，与调用者写的完全一致（遇到不认识的 mode 就报错，这样拼写错误会立刻暴露）。'
            ),
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'pool_f_and_stride_swapped', 'pool_forward',
        (
            ('f = hparameters["f"]',
             'f = hparameters["stride"]'),
            ('stride = hparameters["stride"]',
             'stride = hparameters["f"]'),
        ),
        hints(
            en=(
                'f and stride were read from each other\'s entries of hparameters. The window size is the entry '
                '"f", the step between windows is "stride"; the two only agree when f == stride.'
            ),
            zh='f 和 stride 从 hparameters 中取反了。窗口大小是 "f" 这一项，窗口之间的步长是 "stride" 这一项；只有 f == stride 时两者才一致。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'pool_size_plus_one_forgotten', 'pool_forward',
        (
            ('// stride + 1',
             '// stride'),
        ),
        hints(
            en=(
                'the output is one row and one column short. (n_prev - f) // stride counts the steps the window '
                'can take; its first position comes on top of them, so add 1.'
            ),
            zh='输出少了一行和一列。(n_prev - f) // stride 数的是窗口能移动的步数；窗口最初的位置还要另算一个，所以要再加 1。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'pool_loops_over_input_size', 'pool_forward',
        (
            ('for h in range(n_H):',
             'for h in range(n_H_prev):'),
            ('for w in range(n_W):',
             'for w in range(n_W_prev):'),
        ),
        hints(
            en=(
                "the loops ran over the input's height and width (n_H_prev, n_W_prev) instead of the output's. "
                'There is one output position per window: h goes up to n_H and w up to n_W.'
            ),
            zh='循环跑的是输入的高和宽（n_H_prev、n_W_prev），而不是输出的。每个窗口对应一个输出位置：h 取到 n_H，w 取到 n_W。',
        ),
        _breaks('pool_forward'),
    ),
    Mistake(
        'unpad_outside_example_loop', 'conv_backward',
        (
            ('\n        dA_prev[i] = ',
             '\n    dA_prev[i] = '),
        ),
        hints(
            en=(
                "dA_prev[i] was filled after the loop over the examples had ended, so only the last example's "
                'gradient was copied and the others stayed zero. Un-pad inside the loop over i, once that '
                "example's windows are done."
            ),
            zh='dA_prev[i] 是在样本循环结束之后才赋值的，所以只有最后一个样本的梯度被复制过去，其余样本都是 0。去填充这一步要放在对 i 的循环里，在该样本的所有窗口处理完之后。',
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_backward_example_fixed', 'conv_backward',
        (
            ('a_prev_pad = A_prev_pad[i]',
             'a_prev_pad = A_prev_pad[0]'),
        ),
        hints(
            en=(
                "dW was computed from the first example's input for every example (index 0 where i belongs). "
                'Each example adds the windows of its own padded input: index it with i.'
            ),
            zh='每个样本计算 dW 时用的都是第一个样本的输入（该写 i 的地方写成了 0）。每个样本要加上它自己填充后输入的窗口：下标用 i。',
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'dW_from_unpadded_slice', 'conv_backward',
        (
            ('a_slice = a_prev_pad[',
             'a_slice = A_prev[i, '),
        ),
        hints(
            en=(
                'dW took its slices from the unpadded A_prev, while the window corners are positions in the '
                'padded input: the slices are shifted by pad and cut short at the border. Slice a_prev_pad, the '
                'padded example, as the forward pass did.'
            ),
            zh='dW 用的切片取自未填充的 A_prev，而窗口的角点是填充后输入中的位置：切片错开了 pad 个位置，到边界还会被截短。应像前向传播那样对填充后的样本 a_prev_pad 切片。',
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_backward_input_as_gradient', 'conv_backward',
        (
            ('da_prev_pad = dA_prev_pad[i]',
             'da_prev_pad = A_prev_pad[i]'),
        ),
        hints(
            en=(
                'da_prev_pad was taken from A_prev_pad, the padded input, instead of dA_prev_pad, the padded '
                'gradient: the gradients were added onto the input values (which dW reads too). Take example i '
                'of dA_prev_pad.'
            ),
            zh='da_prev_pad 取自填充后的输入 A_prev_pad，而不是填充后的梯度 dA_prev_pad：梯度被加到了输入值上（dW 读取的也是这些值）。应取 dA_prev_pad 的第 i 个样本。',
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_backward_updates_swapped', 'conv_backward',
        (
            ('W[:, :, :, c] * dZ[i, h, w, c]',
             'a_slice * dZ[i, h, w, c]'),
            ('dW[:, :, :, c] += a_slice',
             'dW[:, :, :, c] += W[:, :, :, c]'),
        ),
        hints(
            en=(
                'the two updates were swapped: the input gradient got the input slice and dW got the filter. '
                "An input's gradient is its weight times dZ, W[:, :, :, c] * dZ[i, h, w, c]; a weight's gradient "
                'is its input times dZ, a_slice * dZ[i, h, w, c].'
            ),
            zh=(
                '两处更新写反了：输入的梯度加的是输入切片，dW 加的是滤波器。输入的梯度是它的权重乘以 dZ，'
                '即 W[:, :, :, c] * dZ[i, h, w, c]；权重的梯度是它的输入乘以 dZ，即 a_slice * dZ[i, h, w, c]。'
            ),
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_backward_first_filter_only', 'conv_backward',
        (
            ('W[:, :, :, c] * dZ[i, h, w, c]',
             'W[:, :, :, 0] * dZ[i, h, w, c]'),
        ),
        hints(
            en=(
                'every channel c sent its gradient back through the first filter, W[:, :, :, 0]. The gradient of '
                'output channel c reaches the input through the filter that made it: W[:, :, :, c].'
            ),
            zh='每个通道 c 的梯度都经由第一个滤波器 W[:, :, :, 0] 传回去了。输出通道 c 的梯度要经过产生它的那个滤波器 W[:, :, :, c] 传回输入。',
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'db_never_updated', 'conv_backward',
        (
            ('db[:, :, :, c] += dZ[i, h, w, c]',
             'pass'),
        ),
        hints(
            en=(
                'db stayed zero: it was never updated in the loops. Every output position adds its dZ[i, h, w, c] '
                'to db[:, :, :, c], so db sums dZ over the examples and the positions.'
            ),
            zh='db 一直是 0：循环里从未更新它。每个输出位置都要把自己的 dZ[i, h, w, c] 加到 db[:, :, :, c] 上，所以 db 是 dZ 在所有样本和位置上的总和。',
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_db_overwritten', 'conv_backward',
        (
            ('db[:, :, :, c] += ',
             'db[:, :, :, c] = '),
        ),
        hints(
            en=ACCUMULATE_HINT,
            zh=ACCUMULATE_HINT_ZH,
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_backward_loops_over_input_size', 'conv_backward',
        (
            ('for h in range(n_H):',
             'for h in range(n_H_prev):'),
            ('for w in range(n_W):',
             'for w in range(n_W_prev):'),
        ),
        hints(
            en=(
                "the loops ran over the input's height and width (n_H_prev, n_W_prev) instead of those of dZ, so "
                'part of dZ was skipped or read past its end. The backward pass visits the same output '
                'positions as the forward pass: h up to n_H, w up to n_W.'
            ),
            zh='循环跑的是输入的高和宽（n_H_prev、n_W_prev），而不是 dZ 的，所以 dZ 有一部分被跳过，或者读到了末尾之外。反向传播要访问的输出位置和前向传播相同：h 取到 n_H，w 取到 n_W。',
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'mask_single_value', 'create_mask_from_window',
        (
            ('x == np.max(x)',
             'np.max(x)'),
        ),
        hints(
            en=(
                'the mask is one number, the maximum itself, not an array. It must have the shape of x, True '
                'where x equals its maximum and False elsewhere: compare x with np.max(x).'
            ),
            zh='掩码是一个数（最大值本身），而不是数组。它应与 x 形状相同：x 等于最大值的位置为 True，其余为 False，也就是拿 x 和 np.max(x) 作比较。',
        ),
        _breaks('create_mask_from_window', 'pool_backward'),
    ),
    Mistake(
        'mask_holds_the_values', 'create_mask_from_window',
        (
            ('x == np.max(x)',
             'x * (x == np.max(x))'),
        ),
        hints(
            en=(
                'the mask holds the value of the maximum instead of True (1), so pool_backward scales the '
                'gradient by that value. Return the comparison itself, without multiplying it by x.'
            ),
            zh='掩码在最大值处存的是最大值本身，而不是 True（1），于是 pool_backward 会把梯度乘上这个值。直接返回比较的结果，不要再乘以 x。',
        ),
        _breaks('create_mask_from_window', 'pool_backward'),
    ),
    Mistake(
        'mask_max_per_column', 'create_mask_from_window',
        (
            ('np.max(x)',
             'np.max(x, axis=0)'),
        ),
        hints(
            en=(
                'the mask marks the maximum of each column (np.max with axis=0), so it has several True entries. '
                'Max pooling keeps one maximum for the whole window: take np.max(x) over all of its entries.'
            ),
            zh='掩码标出的是每一列的最大值（np.max 用了 axis=0），所以会有好几个 True。最大池化对整个窗口只保留一个最大值：应对窗口的全部元素取 np.max(x)。',
        ),
        _breaks('create_mask_from_window', 'pool_backward'),
    ),
    Mistake(
        'pool_backward_stride_ignored', 'pool_backward',
        (
            ('vert_start = h * stride',
             'vert_start = h'),
            ('horiz_start = w * stride',
             'horiz_start = w'),
        ),
        hints(
            en=STRIDE_HINT,
            zh=STRIDE_HINT_ZH,
        ),
        _breaks('pool_backward'),
    ),
    Mistake(
        'pool_backward_example_fixed', 'pool_backward',
        (
            ('window = A_prev[i, ',
             'window = A_prev[0, '),
        ),
        hints(
            en=(
                'the windows were taken from the first example (index 0 where i belongs), so every example got '
                'the masks of example 0. The maximum of a window is found in example i\'s own input.'
            ),
            zh='窗口都是从第一个样本取的（该写 i 的地方写成了 0），于是每个样本用的都是第 0 个样本的掩码。窗口的最大值要在第 i 个样本自己的输入里找。',
        ),
        _breaks('pool_backward'),
    ),
    Mistake(
        'pool_backward_window_end_by_stride', 'pool_backward',
        (
            ('vert_end = vert_start + f',
             'vert_end = vert_start + stride'),
            ('horiz_end = horiz_start + f',
             'horiz_end = horiz_start + stride'),
        ),
        hints(
            en=(
                'the windows ended at the start plus stride, not plus f, so they were stride entries wide. A '
                'window spans f rows and f columns wherever it starts; the two only agree when f == stride.'
            ),
            zh='窗口的终点是起点加 stride，而不是加 f，所以窗口只有 stride 个元素宽。无论从哪里开始，窗口都占 f 行 f 列；只有 f == stride 时两者才一致。',
        ),
        _breaks('pool_backward'),
    ),
    Mistake(
        'distribute_value_arguments_swapped', 'pool_backward',
        (
            ('distribute_value(dA[i, h, w, c], (f, f))',
             'distribute_value((f, f), dA[i, h, w, c])'),
        ),
        hints(
            en=(
                'distribute_value was called with its arguments the other way round. It takes the value to '
                "spread first and the window's shape second: distribute_value(dz, shape)."
            ),
            zh='调用 distribute_value 时两个参数的顺序反了。它的第一个参数是要分配的值，第二个参数是窗口的形状：distribute_value(dz, shape)。',
        ),
        _breaks('pool_backward'),
    ),
    Mistake(
        'mask_not_times_gradient', 'pool_backward',
        (
            ('c] += mask * dA[i, h, w, c]',
             'c] += mask'),
        ),
        hints(
            en=(
                'the mask itself was added to dA_prev, so the maximum of each window got 1 instead of the '
                'gradient. Multiply the mask by the gradient of that output, dA[i, h, w, c].'
            ),
            zh='加到 dA_prev 上的是掩码本身，所以每个窗口的最大值处得到的是 1，而不是梯度。应把掩码乘以该输出的梯度 dA[i, h, w, c]。',
        ),
        _breaks('pool_backward'),
    ),
    # after conv_slice_from_unpadded_input: both raise the same error in conv_forward's lesson case, where
    # that mistake of conv_forward itself is the likelier cause
    Mistake(
        'pad_batch_and_height', 'zero_pad',
        (
            ('((0, 0), (pad, pad), (pad, pad), (0, 0))',
             '((pad, pad), (pad, pad), (0, 0), (0, 0))'),
        ),
        hints(
            en=(
                'the batch axis and the height were padded, not the height and the width: the pad widths were '
                'written for one image (n_H, n_W, n_C), but X is a batch (m, n_H, n_W, n_C). Pad axes 1 and 2 '
                'and give axes 0 and 3 (0, 0).'
            ),
            zh=(
                '填充的是批量轴和高度轴，而不是高度和宽度：填充宽度是按单张图像 (n_H, n_W, n_C) 写的，'
                '而 X 是一个批量 (m, n_H, n_W, n_C)。应填充第 1、2 轴，第 0 轴和第 3 轴用 (0, 0)。'
            ),
        ),
        _breaks('zero_pad', 'conv_forward', 'conv_backward'),
    ),
    # -- issue 17: filters taken the wrong way round on the way back (einsum letters, np.flip, transposes) ---
    Mistake(
        'conv_backward_filter_transposed', 'conv_backward',
        (
            ('+= W[:, :, :, c] * dZ[i, h, w, c]',
             '+= W[:, :, :, c].transpose(1, 0, 2) * dZ[i, h, w, c]'),
        ),
        hints(
            en=(
                'the gradient went back through each filter with its rows and columns swapped (the first two axes '
                'of W transposed, or einsum letters in another order): the window (h, w) of da_prev_pad gets '
                'W[:, :, :, c] as it is, rows as rows, times dZ[i, h, w, c]. A 1 x 1 filter is its own transpose, '
                'which is why f = 1 passes.'
            ),
            zh=(
                '梯度反传时每个滤波器的行和列被互换了（W 的前两个轴被转置，或者 einsum 的字母顺序不对）：'
                'da_prev_pad 的窗口 (h, w) 得到的应是原样的 W[:, :, :, c]（行仍是行）乘以 dZ[i, h, w, c]。'
                '1 x 1 的滤波器转置后不变，所以 f = 1 时能通过。'
            ),
        ),
        _breaks('conv_backward'),
    ),
    Mistake(
        'conv_backward_filter_channels_reversed', 'conv_backward',
        (
            ('+= W[:, :, :, c] * dZ[i, h, w, c]',
             '+= W[:, :, ::-1, n_C - 1 - c] * dZ[i, h, w, c]'),
        ),
        hints(
            en=(
                "the gradient went back through the wrong filters: W's channel axes were reversed (np.flip(W) with "
                'no axes reverses all four axes of W, the input and output channels too). Turning a filter by 180 '
                'degrees reverses its rows and columns only, W[::-1, ::-1, :, :]; in a sum over windows like the '
                "lesson's, filter c goes back as it is, W[:, :, :, c]."
            ),
            zh=(
                '梯度反传时用错了滤波器：W 的通道轴被倒过来了（不带 axis 的 np.flip(W) 会把 W 的四个轴全部倒过来，'
                '输入通道和输出通道也不例外）。把滤波器旋转 180 度只倒转它的行和列，即 W[::-1, ::-1, :, :]；'
                '在课程这种按窗口求和的写法里，滤波器 c 按原样 W[:, :, :, c] 反传。'
            ),
        ),
        _breaks('conv_backward'),
    ),
)

SEED_MISTAKES = tuple(mistake for mistake in CATALOGUE if mistake.from_seed)
