"""Figures for the notebook "Convolution model, step by step".

Each helper draws one picture with matplotlib and returns the Figure. The helpers only draw:
they never call a learner's function, and the little arithmetic a picture needs (an output
size, the maximum of a block) is written here independently of the graded functions.

Grids are drawn cell by cell: cell (row r, column c) is the unit square with top-left corner
(x, y) = (c, r), y pointing down. Every patch and written value carries a ``gid`` naming what
it shows, so that the tests can find them.

Titles and labels are written in the learner's language, from :data:`TEXTS` (see
:mod:`autograder.figures`).
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize, to_rgb
from matplotlib.patches import ConnectionPatch, Rectangle

from . import localized, texts

PAD_COLOR = "#d9d9d9"
PALETTE = tuple(plt.get_cmap("tab10").colors)
INDEXED_TITLE_PAD = 24  # points between a grid whose rows and columns are numbered and its title

TEXTS = {
    "en": {
        "before": "before: {rows} x {cols}",
        "after": "after padding with pad = {pad}: {rows} x {cols}\n(grey border = added zeros)",
        "window_label": "output (h, w) = ({h}, {w}): rows {top} to {bottom}, columns {left} to {right}",
        "padded_input": "padded input, one channel: {rows} x {cols}\npad = {pad} (grey), f = {f}, stride = {stride}",
        "output": "output: {rows} x {cols}",
        "corner": "dot = the window's top-left corner (vert_start, horiz_start)",
        "volume": "{name}\nshape {shape}",
        "filters": "{count} filters, each of shape {shape}",
        "maps": "{count} maps, each {rows} x {cols}",
        "channels": "one filter -> one output channel; {count} filters -> {count} channels "
                    "(stride = {stride}, pad = {pad})",
        "pool_input": "input {rows} x {cols}\nf = {f}, stride = {f}",
        "max_pooling": "max pooling",
        "average_pooling": "average pooling",
        "window": "window\n(a slice of A_prev)",
        "mask": "mask\n(1 at the maximum)",
        "sent_back": "gradient sent back\nmask x dA, dA = {grad}",
        "dz": "dz: the gradient of\none pooling output",
        "spread": "spread over the window:\neach of the {count} cells gets dz / {count}",
        "step_title": "one step of convolution: {count} products, one sum, the bias once: one number",
        "step_slice": "a_slice_prev\n(the window)",
        "step_filter": "W\n(the filter)",
        "step_product": "a_slice_prev * W\n(entry by entry)",
        "step_channel": "channel {c}",
        "step_sum": "sum of the\n{count} products",
        "step_bias": "+ b\n(added once)",
        "step_result": "Z: one entry\nof the output",
        "overlap_title": "each output position sends W x its gradient back onto its own window; where windows "
                         "overlap, the shares add up\n(one channel, f = {f}, stride = {stride}, no padding)",
        "overlap_filter": "W\n(the filter)",
        "overlap_dz": "dZ: the gradient\nof the {rows} x {cols} output",
        "overlap_term": "window ({h}, {w}):\nW x dZ[{h}, {w}] = W x {value}",
        "overlap_sum": "dA_prev: the sum\n(in the corner: in how many windows)",
    },
    "zh": {
        "before": "填充前：{rows} x {cols}",
        "after": "用 pad = {pad} 填充后：{rows} x {cols}\n（灰色边框 = 补上的零）",
        "window_label": "输出 (h, w) = ({h}, {w})：第 {top} 到 {bottom} 行，第 {left} 到 {right} 列",
        "padded_input": "填充后的输入（一个通道）：{rows} x {cols}\npad = {pad}（灰色），f = {f}，stride = {stride}",
        "output": "输出：{rows} x {cols}",
        "corner": "圆点 = 窗口的左上角 (vert_start, horiz_start)",
        "volume": "{name}\n形状 {shape}",
        "filters": "{count} 个滤波器，形状均为 {shape}",
        "maps": "{count} 张特征图，大小均为 {rows} x {cols}",
        "channels": "一个滤波器 -> 一个输出通道；{count} 个滤波器 -> {count} 个通道"
                    "（stride = {stride}，pad = {pad}）",
        "pool_input": "输入 {rows} x {cols}\nf = {f}，stride = {f}",
        "max_pooling": "最大池化",
        "average_pooling": "平均池化",
        "window": "窗口\n（A_prev 的一个切片）",
        "mask": "掩码\n（最大值处为 1）",
        "sent_back": "回传的梯度\nmask x dA，dA = {grad}",
        "dz": "dz：一个池化输出\n的梯度",
        "spread": "平均分到窗口里：\n{count} 个格子各得 dz / {count}",
        "step_title": "卷积的一步：{count} 个乘积，求一次和，只加一次偏置，得到一个数",
        "step_slice": "a_slice_prev\n（窗口）",
        "step_filter": "W\n（滤波器）",
        "step_product": "a_slice_prev * W\n（逐元素相乘）",
        "step_channel": "通道 {c}",
        "step_sum": "{count} 个乘积\n之和",
        "step_bias": "+ b\n（只加一次）",
        "step_result": "Z：输出中的\n一个元素",
        "overlap_title": "每个输出位置把 W 乘以自己的梯度，送回自己的窗口；窗口重叠的地方，各份相加\n"
                         "（一个通道，f = {f}，stride = {stride}，不填充）",
        "overlap_filter": "W\n（滤波器）",
        "overlap_dz": "dZ：{rows} x {cols} 输出\n的梯度",
        "overlap_term": "窗口 ({h}, {w})：\nW x dZ[{h}, {w}] = W x {value}",
        "overlap_sum": "dA_prev：各份之和\n（角上的数：它在几个窗口里）",
    },
}
_t = texts(TEXTS)
_localized = localized


def _fmt(value):
    """Write a number with at most two decimals, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _light(color, amount=0.55):
    """Mix ``color`` with white so that black text stays readable on it."""
    return tuple(amount * part + (1 - amount) for part in to_rgb(color))


def _cell(ax, row, col, text=None, color="white", gid=None, fontsize=10):
    """Draw the unit cell (row, col) with an optional centred text."""
    ax.add_patch(Rectangle((col, row), 1, 1, facecolor=color, edgecolor="black", linewidth=0.8, gid=gid))
    if text is not None:
        ax.text(col + 0.5, row + 0.5, text, ha="center", va="center", fontsize=fontsize, gid=gid)


def _frame(ax, n_rows, n_cols, title, pad=14):
    """Fit the axes around an n_rows x n_cols grid, row 0 on top, no ticks; ``pad``: points between the grid and
    the title (more when the grid's columns are numbered above it)."""
    ax.set_xlim(-0.15, n_cols + 0.15)
    ax.set_ylim(n_rows + 0.15, -0.15)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11, pad=pad)


def _as_grid(values, name):
    grid = np.asarray(values, dtype=float)
    if grid.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {grid.shape}")
    return grid


@_localized
def padding_figure(image, pad):
    """One channel of one image, before and after zero padding.

    Arguments:
    image -- array of shape (n_H, n_W): one channel of one example, e.g. x[0, :, :, 0]
    pad -- int >= 0: rows and columns of zeros added on each side

    Returns:
    fig -- Figure with two axes: the image (n_H x n_W cells, gid "image") and the
           padded image ((n_H + 2*pad) x (n_W + 2*pad) cells: the image cells in
           the middle, the border cells grey with a 0 written, gid "pad")
    """
    image = _as_grid(image, "image")
    if pad < 0:
        raise ValueError("pad must be >= 0")
    rows, cols = image.shape
    big_rows, big_cols = rows + 2 * pad, cols + 2 * pad
    fig, (ax_in, ax_out) = plt.subplots(
        1, 2, figsize=(1.2 + 0.6 * (cols + big_cols), 1.2 + 0.6 * big_rows),
        layout="constrained", gridspec_kw={"width_ratios": [cols, big_cols]})
    norm = Normalize(image.min(), image.max() if image.max() > image.min() else image.min() + 1)
    for r in range(rows):
        for c in range(cols):
            color = _light(plt.get_cmap("viridis")(norm(image[r, c])))
            _cell(ax_in, r, c, _fmt(image[r, c]), color, gid="image", fontsize=9)
            _cell(ax_out, r + pad, c + pad, _fmt(image[r, c]), color, gid="image", fontsize=9)
    for r in range(big_rows):
        for c in range(big_cols):
            if not (pad <= r < pad + rows and pad <= c < pad + cols):
                _cell(ax_out, r, c, "0", PAD_COLOR, gid="pad", fontsize=9)
    ax_out.add_patch(Rectangle((pad, pad), cols, rows, fill=False, edgecolor="black",
                               linewidth=2.5, gid="outline"))
    _frame(ax_in, rows, cols, _t("before", rows=rows, cols=cols))
    _frame(ax_out, big_rows, big_cols, _t("after", pad=pad, rows=big_rows, cols=big_cols))
    return fig


@_localized
def conv_step_figure(a_slice_prev, W, b):
    """One step of convolution: a window times a filter, entry by entry, summed, plus the bias once.

    Arguments:
    a_slice_prev -- array of shape (f, f, n_C_prev), n_C_prev <= 4: the window of the input under the filter
    W -- array of the same shape: the filter's weights
    b -- float, or array of size 1 (e.g. of shape (1, 1, 1)): the filter's bias

    Returns:
    fig -- Figure with one axes. For each channel k, one row of three f x f grids: the window's channel k
           (gid "slice-k"), the filter's channel k (gid "filter-k") and their entry-by-entry products
           (gid "product-k"), each cell with its value written. Then three boxes: the sum of all the
           products (gid "sum"), the bias (gid "bias") and the result, sum plus bias (gid "result").
           The signs between them have gid "operator", the captions gid "label", the arrows gid "arrow".
    """
    window = np.asarray(a_slice_prev, dtype=float)
    weights = np.asarray(W, dtype=float)
    bias = np.asarray(b, dtype=float)
    if window.ndim != 3 or window.shape != weights.shape or window.shape[0] != window.shape[1]:
        raise ValueError(f"need a window and a filter of the same shape (f, f, n_C_prev), got {window.shape} "
                         f"and {weights.shape}")
    if bias.size != 1:
        raise ValueError(f"the bias must be one number, got shape {bias.shape}")
    f, _, channels = window.shape
    if not 1 <= channels <= 4 or f > 5:
        raise ValueError("keep the figure small: f <= 5 and at most 4 channels")
    bias = bias.reshape(-1)[0]
    products = np.multiply(window, weights)  # drawn as they are: the figure's own arithmetic
    total = products.sum()
    count = products.size

    x_filter, x_product = f + 1.5, 2 * f + 3
    x_sum = 3 * f + 4.5
    row_height = f + 1.2
    height = channels * row_height - 1.2
    middle = height / 2
    fig, ax = plt.subplots(figsize=(1.2 + 0.55 * (x_sum + 7.5), 1.4 + 0.55 * (height + 2.2)),
                           layout="constrained")
    color = {"slice": _light(PALETTE[0], 0.35), "filter": _light(PALETTE[1], 0.35),
             "product": _light(PALETTE[2], 0.35)}
    for k in range(channels):
        top = k * row_height
        for r in range(f):
            for c in range(f):
                _cell(ax, top + r, c, _fmt(window[r, c, k]), color["slice"], gid=f"slice-{k}", fontsize=9)
                _cell(ax, top + r, x_filter + c, _fmt(weights[r, c, k]), color["filter"], gid=f"filter-{k}",
                      fontsize=9)
                _cell(ax, top + r, x_product + c, _fmt(products[r, c, k]), color["product"],
                      gid=f"product-{k}", fontsize=9)
        for x, sign in ((f + 0.75, "\u00d7"), (2 * f + 2.25, "=")):
            ax.text(x, top + f / 2, sign, ha="center", va="center", fontsize=16, gid="operator")
        ax.text(-0.3, top + f / 2, _t("step_channel", c=k), ha="right", va="center", fontsize=9, gid="label")
        ax.annotate("", xy=(x_sum - 0.2, middle), xytext=(x_product + f + 0.2, top + f / 2),
                    arrowprops={"arrowstyle": "->", "color": "gray"}, gid="arrow")
    for x, key in ((0, "step_slice"), (x_filter, "step_filter"), (x_product, "step_product")):
        ax.text(x + f / 2, -0.3, _t(key), ha="center", va="bottom", fontsize=9, gid="label")

    boxes = (("sum", x_sum, _fmt(total), _light(PALETTE[2], 0.6), _t("step_sum", count=count)),
             ("bias", x_sum + 2.5, _fmt(bias), _light(PALETTE[4], 0.5), _t("step_bias")),
             ("result", x_sum + 5.5, _fmt(total + bias), _light(PALETTE[3], 0.6), _t("step_result")))
    for gid, x, text, fill, caption in boxes:
        ax.add_patch(Rectangle((x, middle - 0.6), 1.6, 1.2, facecolor=fill, edgecolor="black", linewidth=1.2,
                               gid=gid))
        ax.text(x + 0.8, middle, text, ha="center", va="center", fontsize=11, gid=gid)
        ax.text(x + 0.8, middle + 0.8, caption, ha="center", va="top", fontsize=9, gid="label")
    ax.text(x_sum + 2.05, middle, "+", ha="center", va="center", fontsize=16, gid="operator")
    ax.text(x_sum + 4.8, middle, "=", ha="center", va="center", fontsize=16, gid="operator")

    ax.set_xlim(-2.2, x_sum + 7.3)
    ax.set_ylim(max(height, middle + 2.2) + 0.2, -1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(_t("step_title", count=count), fontsize=11, gid="title")
    return fig


@_localized
def conv_window_figure(n_H_prev, n_W_prev, f, stride, pad, positions=((0, 0), (0, 1), (1, 0))):
    """A filter window sliding over a padded input, and the output cell of each position.

    Arguments:
    n_H_prev, n_W_prev -- ints: height and width of the input before padding
    f -- int: the filter is f x f
    stride -- int >= 1: step between two window positions
    pad -- int >= 0: zeros added on each side of the input
    positions -- sequence of (h, w) output positions whose windows are drawn

    Returns:
    fig -- Figure with two axes: the padded input ((n_H_prev + 2*pad) x
           (n_W_prev + 2*pad) cells; one f x f rectangle per position, gid
           "window-h-w", with its top-left corner at row h*stride, column
           w*stride) and the output grid (n_H x n_W cells; the cell of each
           drawn position has gid "out-h-w" and the window's colour)
    """
    big_rows, big_cols = n_H_prev + 2 * pad, n_W_prev + 2 * pad
    if stride < 1 or not 1 <= f <= min(big_rows, big_cols):
        raise ValueError("need stride >= 1 and a filter that fits in the padded input")
    out_rows = (big_rows - f) // stride + 1
    out_cols = (big_cols - f) // stride + 1
    for h, w in positions:
        if not (0 <= h < out_rows and 0 <= w < out_cols):
            raise ValueError(f"position {(h, w)} is outside the {out_rows} x {out_cols} output")
    fig, (ax_in, ax_out) = plt.subplots(
        1, 2, figsize=(3 + 0.6 * (big_cols + out_cols), 2.5 + 0.6 * big_rows), layout="constrained",
        gridspec_kw={"width_ratios": [big_cols, max(out_cols, 3)]})
    for r in range(big_rows):
        for c in range(big_cols):
            inside = pad <= r < pad + n_H_prev and pad <= c < pad + n_W_prev
            _cell(ax_in, r, c, None, "white" if inside else PAD_COLOR,
                  gid="input" if inside else "pad")
    shown = {tuple(position) for position in positions}
    for r in range(out_rows):
        for c in range(out_cols):
            if (r, c) not in shown:
                _cell(ax_out, r, c, None, "white", gid="out")
    for ax, n_rows, n_cols in ((ax_in, big_rows, big_cols), (ax_out, out_rows, out_cols)):
        for k in range(n_cols):
            ax.text(k + 0.5, -0.25, str(k), ha="center", va="bottom", fontsize=8, color="dimgray")
        for k in range(n_rows):
            ax.text(-0.25, k + 0.5, str(k), ha="right", va="center", fontsize=8, color="dimgray")
    for k, (h, w) in enumerate(positions):
        color = PALETTE[k % len(PALETTE)]
        top, left = h * stride, w * stride
        ax_in.add_patch(Rectangle((left, top), f, f, facecolor=(*to_rgb(color), 0.18),
                                  edgecolor=color, linewidth=3, gid=f"window-{h}-{w}",
                                  label=_t("window_label", h=h, w=w, top=top, bottom=top + f - 1,
                                           left=left, right=left + f - 1)))
        ax_in.plot(left, top, "o", color=color, markersize=8)
        _cell(ax_out, h, w, None, _light(color), gid=f"out-{h}-{w}")
        fig.add_artist(ConnectionPatch(
            xyA=(left + f / 2, top + f / 2), coordsA=ax_in.transData, xyB=(w + 0.5, h + 0.5),
            coordsB=ax_out.transData, arrowstyle="-|>", color=color, linewidth=1.5, alpha=0.8))
    # The column numbers stand above the grid, up to about 16 points: the titles start above them.
    _frame(ax_in, big_rows, big_cols, _t("padded_input", rows=big_rows, cols=big_cols, pad=pad, f=f, stride=stride),
           pad=INDEXED_TITLE_PAD)
    _frame(ax_out, out_rows, out_cols, _t("output", rows=out_rows, cols=out_cols), pad=INDEXED_TITLE_PAD)
    fig.legend(loc="outside lower center", fontsize=9, frameon=False, title=_t("corner"))
    return fig


def _stack(ax, x, y, size, depth, color, gid, step=0.22):
    """Draw ``depth`` offset squares (a volume seen from the front); front square at (x, y)."""
    for d in reversed(range(depth)):
        ax.add_patch(Rectangle((x + d * step, y + d * step), size, size, facecolor=color,
                               edgecolor="black", linewidth=0.8, gid=gid))


@_localized
def channel_stack_figure(input_shape, f, n_C, stride=1, pad=0):
    """One filter makes one output channel; n_C filters make an output with n_C channels.

    Arguments:
    input_shape -- tuple (n_H_prev, n_W_prev, n_C_prev): the shape of one example A_prev[i]
    f -- int: each filter has shape (f, f, n_C_prev)
    n_C -- int, 1 <= n_C <= 10: number of filters
    stride, pad -- ints: the convolution's hyperparameters (used for the output shape)

    Returns:
    fig -- Figure with one axes: the input volume (n_C_prev squares, gid "input"),
           one small stack per filter (gid "filter-c"), the 2-D map it produces
           (gid "map-c", same colour) and the output volume (n_C layers, gid "layer-c")
    """
    n_H_prev, n_W_prev, n_C_prev = input_shape
    if not 1 <= n_C <= len(PALETTE):
        raise ValueError(f"n_C must be between 1 and {len(PALETTE)}")
    out_rows = (n_H_prev + 2 * pad - f) // stride + 1
    out_cols = (n_W_prev + 2 * pad - f) // stride + 1
    height = n_C * 1.5
    middle = height / 2
    fig, ax = plt.subplots(figsize=(11, 1.6 + 0.55 * height), layout="constrained")
    _stack(ax, 0, middle - 1.5, 3, n_C_prev, "#f0f0f0", "input")
    ax.text(1.5, middle - 2.0, _t("volume", name="A_prev[i]", shape=(n_H_prev, n_W_prev, n_C_prev)),
            ha="center", va="top", fontsize=10)
    for k in range(n_C):
        color = PALETTE[k]
        y = height - (k + 1) * 1.5 + 0.3
        _stack(ax, 5, y, 0.8, n_C_prev, _light(color), f"filter-{k}", step=0.12)
        ax.annotate("", xy=(5, y + 0.4), xytext=(3.6, middle),
                    arrowprops={"arrowstyle": "->", "color": "lightgray"})
        ax.text(6.4, y + 0.4, f"W[:, :, :, {k}]", va="center", fontsize=8)
        ax.annotate("", xy=(8.6, y + 0.4), xytext=(7.8, y + 0.4),
                    arrowprops={"arrowstyle": "->", "color": color})
        ax.add_patch(Rectangle((8.7, y), 0.8, 0.8, facecolor=_light(color, 0.8),
                               edgecolor="black", linewidth=0.8, gid=f"map-{k}"))
        ax.text(9.7, y + 0.4, f"Z[i, :, :, {k}]", va="center", fontsize=8)
        ax.annotate("", xy=(12.4, middle), xytext=(11.3, y + 0.4),
                    arrowprops={"arrowstyle": "->", "color": color, "alpha": 0.5})
    for k in reversed(range(n_C)):
        ax.add_patch(Rectangle((12.5 + 0.22 * k, middle - 1.5 + 0.22 * k), 3, 3,
                               facecolor=_light(PALETTE[k], 0.8), edgecolor="black",
                               linewidth=0.8, gid=f"layer-{k}"))
    ax.text(5.4, -0.3, _t("filters", count=n_C, shape=(f, f, n_C_prev)), ha="center", va="top", fontsize=10)
    ax.text(9.1, -0.3, _t("maps", count=n_C, rows=out_rows, cols=out_cols), ha="center", va="top", fontsize=10)
    ax.text(14.0 + 0.11 * n_C, middle - 2.0, _t("volume", name="Z[i]", shape=(out_rows, out_cols, n_C)),
            ha="center", va="top", fontsize=10)
    ax.set_xlim(-0.5, 16.5 + 0.22 * n_C)
    ax.set_ylim(min(-1.2, middle - 3.2), max(height, middle + 2 + 0.22 * n_C) + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(_t("channels", count=n_C, stride=stride, pad=pad), fontsize=11)
    return fig


@_localized
def pooling_figure(x, f):
    """Max and average pooling of a small grid with non-overlapping f x f windows (stride = f).

    Arguments:
    x -- array of shape (n_H, n_W), n_H and n_W multiples of f: one channel
    f -- int: window size, also used as the stride

    Returns:
    fig -- Figure with three axes: the input (windows coloured, gid "input"), the
           max-pooled grid and the average-pooled grid, each (n_H // f) x (n_W // f)
           cells with gids "max-a-b" and "average-a-b" and the value written
    """
    x = _as_grid(x, "x")
    rows, cols = x.shape
    if f < 1 or rows % f or cols % f:
        raise ValueError("the grid's height and width must be multiples of f")
    blocks = x.reshape(rows // f, f, cols // f, f)
    pooled = {"max": blocks.max(axis=(1, 3)), "average": blocks.mean(axis=(1, 3))}
    out_rows, out_cols = rows // f, cols // f

    def color_of(a, b):
        return _light(PALETTE[(a * out_cols + b) % len(PALETTE)], 0.45)

    fig, axes = plt.subplots(1, 3, figsize=(3.5 + 0.6 * (cols + 2 * out_cols), 1.5 + 0.6 * rows),
                             layout="constrained", gridspec_kw={"width_ratios": [cols, out_cols, out_cols]})
    for r in range(rows):
        for c in range(cols):
            _cell(axes[0], r, c, _fmt(x[r, c]), color_of(r // f, c // f), gid="input")
    for a in range(out_rows):
        for b in range(out_cols):
            axes[0].add_patch(Rectangle((b * f, a * f), f, f, fill=False, linewidth=2.5,
                                        edgecolor="black", gid="window"))
            for ax, name in zip(axes[1:], ("max", "average")):
                _cell(ax, a, b, _fmt(pooled[name][a, b]), color_of(a, b), gid=f"{name}-{a}-{b}")
    _frame(axes[0], rows, cols, _t("pool_input", rows=rows, cols=cols, f=f))
    _frame(axes[1], out_rows, out_cols, _t("max_pooling"))
    _frame(axes[2], out_rows, out_cols, _t("average_pooling"))
    return fig


@_localized
def max_mask_figure(window, grad=1.0):
    """The mask of a max-pooling window, and where the window's gradient goes.

    Arguments:
    window -- array of shape (f, f) with a single largest entry: one pooling window
    grad -- float: the gradient that reached this window's output

    Returns:
    fig -- Figure with three axes, each f x f cells: the window (gid "window", its
           maximum shaded), the mask (1 at the maximum, 0 elsewhere, gid "mask") and the
           gradient sent back (grad at the maximum, 0 elsewhere, gid "grad")
    """
    window = _as_grid(window, "window")
    ordered = np.sort(window, axis=None)
    if ordered.size > 1 and ordered[-1] == ordered[-2]:
        raise ValueError("the figure needs a window with a single largest entry")
    top = np.unravel_index(np.argmax(window), window.shape)
    rows, cols = window.shape
    fig, axes = plt.subplots(1, 3, figsize=(3 + 2.1 * cols, 1.8 + 0.7 * rows), layout="constrained")
    for r in range(rows):
        for c in range(cols):
            hit = (r, c) == top
            for ax, text, color, gid in ((axes[0], _fmt(window[r, c]), PALETTE[1], "window"),
                                         (axes[1], "1" if hit else "0", PALETTE[2], "mask"),
                                         (axes[2], _fmt(grad) if hit else "0", PALETTE[0], "grad")):
                _cell(ax, r, c, text, _light(color) if hit else "white", gid=gid)
    _frame(axes[0], rows, cols, _t("window"))
    _frame(axes[1], rows, cols, _t("mask"))
    _frame(axes[2], rows, cols, _t("sent_back", grad=_fmt(grad)))
    return fig


@_localized
def distribute_figure(dz, shape):
    """How average pooling sends one gradient value back over its window.

    Arguments:
    dz -- float: the gradient that reached one output of average pooling
    shape -- tuple (n_H_window, n_W_window): the window's height and width

    Returns:
    fig -- Figure with two axes: dz in a single cell (gid "dz"), and an n_H_window x n_W_window
           grid (gid "share") where each cell holds dz / (n_H_window * n_W_window)
    """
    rows, cols = shape
    share = dz / (rows * cols)
    fig, (ax_dz, ax_grid) = plt.subplots(1, 2, figsize=(3 + 0.9 * cols, 1.8 + 0.7 * rows),
                                         layout="constrained", gridspec_kw={"width_ratios": [2, cols]})
    _cell(ax_dz, (rows - 1) / 2, 0.5, _fmt(dz), _light(PALETTE[0]), gid="dz")
    _frame(ax_dz, rows, 2, _t("dz"))
    for r in range(rows):
        for c in range(cols):
            _cell(ax_grid, r, c, _fmt(share), _light(PALETTE[0], 0.3), gid="share")
    count = rows * cols
    _frame(ax_grid, rows, cols, _t("spread", count=count))
    fig.add_artist(ConnectionPatch(
        xyA=(1.6, rows / 2), coordsA=ax_dz.transData, xyB=(-0.1, rows / 2), coordsB=ax_grid.transData,
        arrowstyle="-|>", color="black", linewidth=1.5))
    return fig


@_localized
def overlap_figure(W, dZ, stride=1):
    """How the gradient of a convolution's input adds up where windows overlap: formula (1), one channel.

    Each output position (h, w) sends W times its gradient dZ[h, w] back onto its own window of the input; the
    input's gradient dA_prev is the sum of all those shares. No padding, so the input has
    ((n_H - 1) * stride + f) x ((n_W - 1) * stride + f) entries.

    Arguments:
    W -- array of shape (f, f): one channel of one filter
    dZ -- array of shape (n_H, n_W), at most 3 x 3: the gradient of the output
    stride -- int >= 1

    Returns:
    fig -- Figure with the filter (cells gid "filter") and dZ (gid "dz") on top; under them, one input grid per
           output position, its window filled with W * dZ[h, w] (cells gid "share-h-w", the window's outline
           gid "window-h-w"), "+" signs between them (gid "operator"), and the input grid of their sum,
           dA_prev (cells gid "sum", shaded by the number of windows the entry lies in, written in its corner,
           gid "count")
    """
    W = _as_grid(W, "W")
    dZ = _as_grid(dZ, "dZ")
    f = W.shape[0]
    n_H, n_W = dZ.shape
    if W.shape != (f, f) or stride < 1 or not (1 <= n_H <= 3 and 1 <= n_W <= 3) or f > 4:
        raise ValueError("need a square W (f <= 4), a dZ of at most 3 x 3 and stride >= 1")
    rows, cols = (n_H - 1) * stride + f, (n_W - 1) * stride + f
    shares, counts = {}, np.zeros((rows, cols), dtype=int)
    for h in range(n_H):
        for w in range(n_W):
            share = np.zeros((rows, cols))
            share[h * stride:h * stride + f, w * stride:w * stride + f] = W * dZ[h, w]  # the figure's own arithmetic
            shares[h, w] = share
            counts[h * stride:h * stride + f, w * stride:w * stride + f] += 1
    total = sum(shares.values())

    panels = len(shares) + 1
    fig = plt.figure(figsize=(1.0 + panels * (0.5 * cols + 0.55), 2.2 + 0.5 * (max(f, n_H) + rows)),
                     layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[max(f, n_H) + 1.6, rows + 2.2])
    ax_w, ax_dz = top.subplots(1, 2, gridspec_kw={"width_ratios": [f, n_W]})
    for r in range(f):
        for c in range(f):
            _cell(ax_w, r, c, _fmt(W[r, c]), _light(PALETTE[7], 0.35), gid="filter", fontsize=9)
    for h in range(n_H):
        for w in range(n_W):
            _cell(ax_dz, h, w, _fmt(dZ[h, w]), _light(PALETTE[h * n_W + w], 0.45), gid="dz", fontsize=9)
    _frame(ax_w, f, f, _t("overlap_filter"))
    _frame(ax_dz, n_H, n_W, _t("overlap_dz", rows=n_H, cols=n_W))

    axes = bottom.subplots(1, panels)
    for k, ((h, w), share) in enumerate(shares.items()):
        ax, color = axes[k], PALETTE[k % len(PALETTE)]
        for r in range(rows):
            for c in range(cols):
                inside = h * stride <= r < h * stride + f and w * stride <= c < w * stride + f
                _cell(ax, r, c, _fmt(share[r, c]) if inside else None, _light(color, 0.45) if inside else "white",
                      gid=f"share-{h}-{w}" if inside else "input", fontsize=9)
        ax.add_patch(Rectangle((w * stride, h * stride), f, f, fill=False, edgecolor=color, linewidth=2.5,
                               gid=f"window-{h}-{w}"))
        value = _fmt(dZ[h, w]) if dZ[h, w] >= 0 else f"({_fmt(dZ[h, w])})"
        _frame(ax, rows, cols, _t("overlap_term", h=h, w=w, value=value))
        sign = "+" if k < panels - 2 else "="
        ax.text(cols + 0.45, rows / 2, sign, ha="center", va="center", fontsize=16, gid="operator",
                clip_on=False)
    ax = axes[-1]
    shade = plt.get_cmap("Blues")
    for r in range(rows):
        for c in range(cols):
            _cell(ax, r, c, _fmt(total[r, c]), _light(shade(0.2 + 0.45 * counts[r, c] / counts.max()), 0.7),
                  gid="sum", fontsize=9)
            ax.text(c + 0.92, r + 0.1, str(counts[r, c]), ha="right", va="top", fontsize=7, color="black",
                    gid="count")
    _frame(ax, rows, cols, _t("overlap_sum"))
    fig.suptitle(_t("overlap_title", f=f, stride=stride), fontsize=11)
    return fig
