"""Figures for the notebook "Vectorize it" (assignment 2).

Each helper draws one picture with matplotlib and returns the Figure. The helpers only draw:
they never call a learner's function and never compute a layer. The little arithmetic a
picture needs (which input entry a window holds, which entries an offset touches) is written
here from the definitions, independently of the graded functions.

As in :mod:`autograder.figures`, grids are drawn cell by cell (cell (row r, column c) is the
unit square with top-left corner (x, y) = (c, r), y pointing down) and every patch and written
value carries a ``gid`` naming what it shows, so that tests/test_figures_vectorized.py can find it.

Titles and labels are written in the learner's language, from :data:`TEXTS` (see
:mod:`autograder.figures`).
"""
import itertools

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from . import localized, texts

TEXTS = {
    "en": {
        "view_input": "one channel of one example: {rows} x {cols}\neach entry numbered by its place in memory",
        "view": "{call}: shape {shape}\nwindow (h, w) reads the entries it shows; nothing is copied",
        "patches": "patches\n{M} x {K}\n(one row per output position)",
        "filters": "W.reshape({K}, {N})\n(one column per filter)",
        "product_title": "one row (the window of output ({h}, {w})) times one column (filter {column}) = one "
                         "entry:\nthe work that conv_single_step did for one position",
        "offset": "offset (di, dj) = ({di}, {dj})",
        "shares": "shares added to each entry\n(all offsets together)",
        "scatter_title": "each offset (di, dj) of the filter adds one share per output position onto the entries "
                         "it meets\nf = {f}, stride = {stride}, pad = {pad} (grey), output {n_H} x {n_W}",
        "timing_title": "forward + backward of one convolution layer",
        "timing_details": "forward + backward of one convolution layer, m = {m}, {n_C_prev} -> {n_C} channels",
        "timing_one_thread": "forward + backward of one convolution layer, m = {m}, {n_C_prev} -> {n_C} channels, "
                             "on one thread",
        "timing_x": "input height and width (n_H_prev = n_W_prev)",
        "timing_y": "seconds (best of several runs)",
    },
    "zh": {
        "view_input": "一个样本的一个通道：{rows} x {cols}\n每个元素按它在内存中的位置编号",
        "view": "{call}：形状 {shape}\n窗口 (h, w) 读取它显示的那些元素；没有复制任何数据",
        "patches": "图像块矩阵 patches\n{M} x {K}\n（每个输出位置一行）",
        "filters": "W.reshape({K}, {N})\n（每个滤波器一列）",
        "product_title": "一行（输出 ({h}, {w}) 的窗口）乘以一列（滤波器 {column}）= 一个元素：\n"
                         "也就是 conv_single_step 在一个位置上做的计算",
        "offset": "偏移 (di, dj) = ({di}, {dj})",
        "shares": "每个元素收到的份数\n（所有偏移合计）",
        "scatter_title": "对滤波器的每个偏移 (di, dj)，每个输出位置都往它碰到的元素上加一份\n"
                         "f = {f}，stride = {stride}，pad = {pad}（灰色），输出 {n_H} x {n_W}",
        "timing_title": "一个卷积层的前向 + 反向传播",
        "timing_details": "一个卷积层的前向 + 反向传播，m = {m}，{n_C_prev} -> {n_C} 个通道",
        "timing_one_thread": "一个卷积层的前向 + 反向传播，m = {m}，{n_C_prev} -> {n_C} 个通道，只用一个线程",
        "timing_x": "输入的高度和宽度（n_H_prev = n_W_prev）",
        "timing_y": "秒（多次运行中最快的一次）",
    },
}
_t = texts(TEXTS)

PALETTE = tuple(plt.get_cmap("tab10").colors)
PAD_COLOR = "#d9d9d9"
GAP = 0.6  # space between two blocks of cells


def _light(color, amount=0.45):
    return tuple(amount * part + (1 - amount) for part in to_rgb(color))


def _cell(ax, x, y, text=None, color="white", gid=None, fontsize=8, edge="black"):
    """The unit square with top-left corner (x, y), with an optional centred text."""
    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=color, edgecolor=edge, linewidth=0.6, gid=gid))
    if text is not None:
        ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=fontsize, gid=gid)


def _fit(ax, width, height, title):
    ax.set_xlim(-0.3, width + 0.3)
    ax.set_ylim(height + 0.3, -0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)


def _outputs(n_prev, f, stride, pad=0):
    if f < 1 or stride < 1 or pad < 0 or n_prev + 2 * pad < f:
        raise ValueError("need f >= 1, stride >= 1, pad >= 0 and a window that fits in the (padded) input")
    return (n_prev + 2 * pad - f) // stride + 1


@localized
def window_view_figure(n_H_prev, n_W_prev, f, stride=1):
    """How a window view lays out the patches of one channel, without copying them.

    Arguments:
    n_H_prev, n_W_prev -- ints: the input's height and width (one example, one channel)
    f -- int: windows are f x f
    stride -- int >= 1: keep every stride-th window along each axis

    Returns:
    fig -- Figure with two axes: the input, each cell numbered by its position k = row * n_W_prev + col
           (gid "input"); and the view, an n_H x n_W arrangement of f x f blocks (outline gid
           "window-h-w"), whose cell (p, q) shows the number of the input entry it reads, that at
           row h * stride + p, column w * stride + q (gid "entry-h-w")
    """
    n_H = _outputs(n_H_prev, f, stride)
    n_W = _outputs(n_W_prev, f, stride)
    if n_H * n_W > 49:
        raise ValueError("keep the figure small: at most 49 windows")
    width = n_W * f + (n_W - 1) * GAP
    height = n_H * f + (n_H - 1) * GAP
    fig, (ax_in, ax_view) = plt.subplots(
        1, 2, figsize=(2 + 0.45 * (n_W_prev + width), 1.8 + 0.45 * max(n_H_prev, height)),
        layout="constrained", gridspec_kw={"width_ratios": [n_W_prev, width]})
    for r in range(n_H_prev):
        for c in range(n_W_prev):
            _cell(ax_in, c, r, str(r * n_W_prev + c), gid="input")
    for h, w in itertools.product(range(n_H), range(n_W)):
        color = _light(PALETTE[(h * n_W + w) % len(PALETTE)])
        left, top = w * (f + GAP), h * (f + GAP)
        for p in range(f):
            for q in range(f):
                k = (h * stride + p) * n_W_prev + (w * stride + q)
                _cell(ax_view, left + q, top + p, str(k), color, gid=f"entry-{h}-{w}")
        ax_view.add_patch(Rectangle((left, top), f, f, fill=False, edgecolor="black", linewidth=2,
                                    gid=f"window-{h}-{w}"))
    _fit(ax_in, n_W_prev, n_H_prev, _t("view_input", rows=n_H_prev, cols=n_W_prev))
    call = f"sliding_window_view(x, ({f}, {f})){'' if stride == 1 else f'[::{stride}, ::{stride}]'}"
    _fit(ax_view, width, height, _t("view", call=call, shape=(n_H, n_W, f, f)))
    return fig


@localized
def patch_matrix_figure(n_H, n_W, f, n_C_prev, n_C, row=0, column=0):
    """The convolution of one example as one matrix product: patches @ filters = output.

    Arguments:
    n_H, n_W -- ints: output height and width (one example), so n_H * n_W patches
    f, n_C_prev -- ints: a patch (and a filter) holds f * f * n_C_prev numbers
    n_C -- int: number of filters
    row -- int: the output position (h * n_W + w) to highlight
    column -- int: the filter to highlight

    Returns:
    fig -- Figure with one axes and three matrices drawn cell by cell: the patch matrix
           (n_H * n_W rows, f * f * n_C_prev columns, gid "patches"), the filter matrix
           (f * f * n_C_prev rows, n_C columns, gid "filters") and the output
           (n_H * n_W rows, n_C columns, gid "output"); the highlighted row of the patches
           (gid "row"), column of the filters (gid "column") and their product in the
           output (gid "entry")
    """
    M, K, N = n_H * n_W, f * f * n_C_prev, n_C
    if not (0 <= row < M and 0 <= column < N):
        raise ValueError("the highlighted row and column must exist")
    if M > 64 or K > 48 or N > 16:
        raise ValueError("keep the figure small: at most 64 positions, 48 entries per patch, 16 filters")
    x_filters = K + 2.5
    x_output = x_filters + N + 2.5
    height = max(M, K)
    fig, ax = plt.subplots(figsize=(2 + 0.28 * (x_output + N), 1.6 + 0.28 * height), layout="constrained")
    for r in range(M):
        for k in range(K):
            _cell(ax, k, r, None, _light(PALETTE[0]) if r == row else "white", gid="patches")
        for c in range(N):
            hit = r == row and c == column
            _cell(ax, x_output + c, r, None, _light(PALETTE[3], 0.8) if hit else "white",
                  gid="entry" if hit else "output")
    for k in range(K):
        for c in range(N):
            _cell(ax, x_filters + c, k, None, _light(PALETTE[1]) if c == column else "white", gid="filters")
    ax.add_patch(Rectangle((0, row), K, 1, fill=False, edgecolor=PALETTE[0], linewidth=2.5, gid="row"))
    ax.add_patch(Rectangle((x_filters + column, 0), 1, K, fill=False, edgecolor=PALETTE[1], linewidth=2.5,
                           gid="column"))
    ax.text(K + 1.25, height / 2, "@", ha="center", va="center", fontsize=18)
    ax.text(x_filters + N + 1.25, height / 2, "=", ha="center", va="center", fontsize=18)
    labels = ((K / 2, _t("patches", M=M, K=K)),
              (x_filters + N / 2, _t("filters", K=K, N=N)),
              (x_output + N / 2, f"Z\n{M} x {N}"))
    for x, text in labels:
        ax.text(x, -0.6, text, ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.3, x_output + N + 0.3)
    ax.set_ylim(height + 0.3, -4)
    ax.set_aspect("equal")
    ax.axis("off")
    h, w = divmod(row, n_W)
    ax.set_title(_t("product_title", h=h, w=w, column=column), fontsize=10)
    return fig


@localized
def scatter_figure(n_H_prev, n_W_prev, f, stride, pad):
    """How the backward pass sends the gradient back, one filter offset (di, dj) at a time.

    Arguments:
    n_H_prev, n_W_prev -- ints: the input's height and width before padding
    f -- int: the filter is f x f
    stride -- int >= 1
    pad -- int >= 0

    Returns:
    fig -- Figure with f * f + 1 axes. Axes (di, dj) shows the padded input; the entries that
           offset (di, dj) of the window meets, one per output position, rows di + stride * h and
           columns dj + stride * w, are coloured (gid "hit-di-dj"), the others white (gid "cell",
           padding grey). The last axes writes in each entry how many (offset, position) pairs
           add a share to it (gid "count")
    """
    n_H = _outputs(n_H_prev, f, stride, pad)
    n_W = _outputs(n_W_prev, f, stride, pad)
    rows, cols = n_H_prev + 2 * pad, n_W_prev + 2 * pad
    if f * f > 16 or rows * cols > 144:
        raise ValueError("keep the figure small: f <= 4 and at most 144 padded entries")
    counts = [[0] * cols for _ in range(rows)]
    fig, axes = plt.subplots(f, f + 1, figsize=(1.2 + 0.32 * cols * (f + 1), 1.0 + 0.36 * rows * f),
                             layout="constrained", squeeze=False)
    for di, dj in itertools.product(range(f), range(f)):
        ax = axes[di][dj]
        hit = {(di + stride * h, dj + stride * w) for h in range(n_H) for w in range(n_W)}
        color = _light(PALETTE[(di * f + dj) % len(PALETTE)], 0.6)
        for r in range(rows):
            for c in range(cols):
                padded = not (pad <= r < pad + n_H_prev and pad <= c < pad + n_W_prev)
                if (r, c) in hit:
                    counts[r][c] += 1
                    _cell(ax, c, r, None, color, gid=f"hit-{di}-{dj}")
                else:
                    _cell(ax, c, r, None, PAD_COLOR if padded else "white", gid="cell")
        _fit(ax, cols, rows, _t("offset", di=di, dj=dj))
    count_ax = axes[0][f]
    for r in range(rows):
        for c in range(cols):
            padded = not (pad <= r < pad + n_H_prev and pad <= c < pad + n_W_prev)
            _cell(count_ax, c, r, str(counts[r][c]), PAD_COLOR if padded else "white", gid="count")
    _fit(count_ax, cols, rows, _t("shares"))
    for di in range(1, f):
        axes[di][f].axis("off")
    fig.suptitle(_t("scatter_title", f=f, stride=stride, pad=pad, n_H=n_H, n_W=n_W), fontsize=10)
    return fig


@localized
def timing_figure(sizes, timings, m=None, n_C_prev=None, n_C=None, title=None, one_thread=False):
    """Time against input size, one line per implementation, log scale.

    Arguments:
    sizes -- list of ints: the input height (= width) of each measurement
    timings -- dict {name: list of seconds or None (not measured), one per size}
    m, n_C_prev, n_C -- ints, optional: the batch size and the channels of the timed layer, for the title
    title -- str, optional: a title of your own instead
    one_thread -- bool: the times were measured on one thread (the title says so, with m, n_C_prev and n_C)

    Returns:
    fig -- Figure with one axes, one line per name (label = the name), y in seconds, log scale
    """
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    for k, (name, values) in enumerate(timings.items()):
        if len(values) != len(sizes):
            raise ValueError(f"{name}: {len(values)} timings for {len(sizes)} sizes")
        points = [(s, t) for s, t in zip(sizes, values) if t is not None]
        if points:
            xs, ys = zip(*points)
            ax.plot(xs, ys, "o-", color=PALETTE[k % len(PALETTE)], label=name)
    ax.set_yscale("log")
    ax.set_xlabel(_t("timing_x"))
    ax.set_ylabel(_t("timing_y"))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    if title is None:
        details = (m, n_C_prev, n_C)
        key = "timing_one_thread" if one_thread else "timing_details"
        title = _t(key, m=m, n_C_prev=n_C_prev, n_C=n_C) if None not in details else _t("timing_title")
    ax.set_title(title, fontsize=10)
    return fig
