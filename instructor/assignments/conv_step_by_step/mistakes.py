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
            ('dz / (n_H * n_W)',
             'dz'),
        ),
        hints(
            en=(
                "every entry got dz itself. Divide dz by the window's area n_H * n_W, so that the entries sum to "
                'dz.'
            ),
            zh='每个元素都得到了完整的 dz。应把 dz 除以窗口的面积 n_H * n_W，使所有元素之和等于 dz。',
        ),
        _breaks('distribute_value', 'pool_backward'),
    ),
    Mistake(
        'distribute_divided_by_side', 'distribute_value',
        (
            ('dz / (n_H * n_W)',
             'dz / n_H'),
        ),
        hints(
            en='dz was divided by one side of the window only. Divide by its area n_H * n_W.',
            zh='dz 只除以了窗口的一条边长。应除以窗口的面积 n_H * n_W。',
        ),
        _breaks('distribute_value', 'pool_backward'),
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
)

SEED_MISTAKES = tuple(mistake for mistake in CATALOGUE if mistake.from_seed)
