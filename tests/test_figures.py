"""Tests of autograder.figures.conv_step_by_step: every helper renders under Agg and draws what it claims.

The helpers tag each patch and each written value with a gid (see the module
docstring of that module); these tests find the cells by gid, read the
written values back and compare them with values computed here.
"""
import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder import settings  # noqa: E402
from autograder.figures import cjk_family  # noqa: E402
from autograder.figures import conv_step_by_step as figures  # noqa: E402
from tests.figure_checks import close_figures, patches, render  # noqa: E402,F401

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "source" / "conv_step_by_step" / "conv_step_by_step.ipynb"
TOL = 0.005 + 1e-9  # the figures write values with two decimals


def _corner(patch):
    """(row, col) of a cell patch: its top-left corner in data coordinates."""
    x, y = patch.get_xy()
    return (round(y), round(x))


def _texts(ax, gid):
    """(row, col) -> written text, for the texts with this gid (texts sit at cell centres)."""
    found = {}
    for text in ax.texts:
        if text.get_gid() == gid:
            x, y = text.get_position()
            found[(round(y - 0.5), round(x - 0.5))] = text.get_text()
    return found


@pytest.mark.parametrize("shape, pad", [((3, 3), 2), ((2, 4), 1), ((3, 2), 0), ((1, 1), 3)])
def test_padding_figure_draws_image_inside_a_zero_border(shape, pad):
    image = np.random.default_rng(0).standard_normal(shape)
    fig = figures.padding_figure(image, pad)
    render(fig)
    ax_in, ax_out = fig.axes
    rows, cols = shape
    big = {(r, c) for r in range(rows + 2 * pad) for c in range(cols + 2 * pad)}
    inner = {(r + pad, c + pad) for r in range(rows) for c in range(cols)}

    small = {(r, c) for r in range(rows) for c in range(cols)}
    assert {_corner(p) for p in patches(ax_in, "image")} == small
    assert len(patches(ax_in, "image")) == rows * cols
    pad_cells = [_corner(p) for p in patches(ax_out, "pad")]
    assert len(pad_cells) == len(big) - len(inner)
    assert set(pad_cells) == big - inner
    assert {_corner(p) for p in patches(ax_out, "image")} == inner
    assert set(_texts(ax_out, "pad").values()) <= {"0"}
    assert len(_texts(ax_out, "pad")) == len(big) - len(inner)
    for ax, offset in ((ax_in, 0), (ax_out, pad)):
        written = _texts(ax, "image")
        for r in range(rows):
            for c in range(cols):
                assert float(written[(r + offset, c + offset)]) == pytest.approx(image[r, c], abs=TOL)
    (outline,) = patches(ax_out, "outline")
    assert outline.get_xy() == (pad, pad)
    assert (outline.get_width(), outline.get_height()) == (cols, rows)


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 2)), np.zeros(3)])
def test_padding_figure_rejects_non_2d(bad):
    with pytest.raises(ValueError):
        figures.padding_figure(bad, 1)


def _grid(ax, gid):
    """(row, col) -> written number, for the grid of cells tagged gid, counted from the grid's top-left cell."""
    cells = patches(ax, gid)
    top = min(p.get_xy()[1] for p in cells)
    left = min(p.get_xy()[0] for p in cells)
    found = {}
    for text in ax.texts:
        if text.get_gid() == gid:
            x, y = text.get_position()
            found[(round(y - 0.5 - top), round(x - 0.5 - left))] = float(text.get_text())
    assert len(found) == len(cells)
    return found


def _box(ax, gid):
    """The number written in the box tagged gid (one patch, one text)."""
    assert len(patches(ax, gid)) == 1
    (text,) = [t.get_text() for t in ax.texts if t.get_gid() == gid]
    return float(text)


@pytest.mark.parametrize("shape, integers", [((3, 3, 2), True), ((2, 2, 1), True), ((4, 4, 3), False),
                                             ((1, 1, 4), False)])
def test_conv_step_figure_writes_the_products_their_sum_the_bias_and_the_result(shape, integers):
    rng = np.random.default_rng(7)
    if integers:
        a_slice_prev, W = rng.integers(-3, 4, shape), rng.integers(-2, 3, shape)
        b = np.array([[[float(rng.integers(-3, 4))]]])
    else:
        a_slice_prev, W, b = rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal((1, 1, 1))
    fig = figures.conv_step_figure(a_slice_prev, W, b)
    render(fig)
    (ax,) = fig.axes
    f, _, n_C_prev = shape
    expected = {"slice": a_slice_prev, "filter": W, "product": a_slice_prev * W}
    for k in range(n_C_prev):
        for name, values in expected.items():
            written = _grid(ax, f"{name}-{k}")
            assert set(written) == {(r, c) for r in range(f) for c in range(f)}
            for (r, c), value in written.items():
                assert value == pytest.approx(values[r, c, k], abs=TOL), (name, k, r, c)
    assert not patches(ax, f"slice-{n_C_prev}")
    total = np.sum(a_slice_prev * W)
    assert _box(ax, "sum") == pytest.approx(total, abs=TOL)
    assert _box(ax, "bias") == pytest.approx(b.item(), abs=TOL)
    assert _box(ax, "result") == pytest.approx(total + b.item(), abs=TOL)
    assert all(text.get_gid() for text in ax.texts if text.get_text())
    assert all(patch.get_gid() for patch in ax.patches)
    assert str(a_slice_prev.size) in ax.get_title()


@pytest.mark.parametrize("a_slice_prev, W, b", [
    (np.zeros((3, 3, 2)), np.zeros((3, 3, 1)), 0.0),  # shapes differ
    (np.zeros((3, 3)), np.zeros((3, 3)), 0.0),  # no channel axis
    (np.zeros((2, 2, 1)), np.zeros((2, 2, 1)), np.zeros(2)),  # two biases
])
def test_conv_step_figure_rejects_what_is_not_one_step(a_slice_prev, W, b):
    with pytest.raises(ValueError):
        figures.conv_step_figure(a_slice_prev, W, b)


def test_conv_step_figure_speaks_chinese_when_asked(monkeypatch):
    monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, "zh")
    fig = figures.conv_step_figure(np.ones((2, 2, 1)), np.ones((2, 2, 1)), 0.5)
    render(fig)
    (ax,) = fig.axes
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in ax.get_title())
    assert chinese == (cjk_family() is not None)
    assert _box(ax, "result") == pytest.approx(4.5)


CONV_CASES = [
    (5, 5, 3, 2, 1, ((0, 0), (0, 1), (2, 2))),
    (4, 4, 2, 1, 2, ((0, 0), (6, 6), (3, 1))),
    (6, 4, 3, 3, 0, ((1, 0),)),
    (7, 5, 2, 2, 0, ((2, 1), (0, 0))),
]


@pytest.mark.parametrize("n_H_prev, n_W_prev, f, stride, pad, positions", CONV_CASES)
def test_conv_window_figure_places_windows_and_output_cells(n_H_prev, n_W_prev, f, stride, pad, positions):
    fig = figures.conv_window_figure(n_H_prev, n_W_prev, f, stride, pad, positions)
    render(fig)
    ax_in, ax_out = fig.axes
    big_h, big_w = n_H_prev + 2 * pad, n_W_prev + 2 * pad
    expected_h = math.floor((n_H_prev - f + 2 * pad) / stride) + 1
    expected_w = math.floor((n_W_prev - f + 2 * pad) / stride) + 1

    assert len(patches(ax_in, "input")) == n_H_prev * n_W_prev
    assert len(patches(ax_in, "pad")) == big_h * big_w - n_H_prev * n_W_prev
    drawn = [patches(ax_out, f"out-{h}-{w}") for h, w in positions]
    assert all(len(cells) == 1 for cells in drawn)
    assert len(patches(ax_out, "out")) + len(positions) == expected_h * expected_w
    assert {_corner(cells[0]) for cells in drawn} == set(positions)
    edge_colors = set()
    for h, w in positions:
        (window,) = patches(ax_in, f"window-{h}-{w}")
        assert window.get_xy() == (w * stride, h * stride)
        assert (window.get_width(), window.get_height()) == (f, f)
        assert w * stride + f <= big_w and h * stride + f <= big_h
        edge_colors.add(tuple(window.get_edgecolor()))
    assert len(edge_colors) == len(positions)


def test_conv_window_figure_rejects_positions_outside_the_output():
    with pytest.raises(ValueError):
        figures.conv_window_figure(5, 5, 3, 2, 1, positions=((3, 0),))


@pytest.mark.parametrize("input_shape, f, n_C, stride, pad, out_shape", [
    ((4, 4, 3), 2, 8, 1, 2, (7, 7, 8)),
    ((5, 5, 1), 3, 1, 2, 0, (2, 2, 1)),
    ((6, 4, 2), 3, 4, 1, 1, (6, 4, 4)),
])
def test_channel_stack_figure_one_filter_one_channel(input_shape, f, n_C, stride, pad, out_shape):
    fig = figures.channel_stack_figure(input_shape, f, n_C, stride=stride, pad=pad)
    render(fig)
    (ax,) = fig.axes
    n_C_prev = input_shape[2]
    assert len(patches(ax, "input")) == n_C_prev
    map_colors = []
    for k in range(n_C):
        assert len(patches(ax, f"filter-{k}")) == n_C_prev
        (channel_map,) = patches(ax, f"map-{k}")
        (layer,) = patches(ax, f"layer-{k}")
        assert channel_map.get_facecolor() == layer.get_facecolor()
        map_colors.append(channel_map.get_facecolor())
    assert len(set(map_colors)) == n_C
    assert not patches(ax, f"filter-{n_C}") and not patches(ax, f"layer-{n_C}")
    assert any(f"shape {out_shape}" in t.get_text() for t in ax.texts)


def test_channel_stack_figure_rejects_too_many_filters():
    with pytest.raises(ValueError):
        figures.channel_stack_figure((4, 4, 3), 2, 11)


@pytest.mark.parametrize("shape, f, integers", [
    ((4, 4), 2, True), ((4, 6), 2, False), ((6, 6), 3, True), ((4, 4), 4, False), ((2, 2), 1, True),
])
def test_pooling_figure_writes_block_max_and_mean(shape, f, integers):
    rng = np.random.default_rng(3)
    x = rng.integers(-9, 10, shape) if integers else rng.standard_normal(shape)
    fig = figures.pooling_figure(x, f)
    render(fig)
    ax_in, ax_max, ax_avg = fig.axes
    assert len(patches(ax_in, "input")) == x.size
    assert len(patches(ax_in, "window")) == (shape[0] // f) * (shape[1] // f)
    for a in range(shape[0] // f):
        for b in range(shape[1] // f):
            block = x[a * f:(a + 1) * f, b * f:(b + 1) * f]
            (written_max,) = _texts(ax_max, f"max-{a}-{b}").values()
            (written_avg,) = _texts(ax_avg, f"average-{a}-{b}").values()
            assert float(written_max) == pytest.approx(np.max(block), abs=TOL)
            assert float(written_avg) == pytest.approx(np.mean(block), abs=TOL)
            assert list(_texts(ax_max, f"max-{a}-{b}")) == [(a, b)]


def test_pooling_figure_rejects_windows_that_do_not_tile():
    with pytest.raises(ValueError):
        figures.pooling_figure(np.zeros((5, 4)), 2)


@pytest.mark.parametrize("shape, grad", [((2, 2), 1.5), ((3, 3), -0.7), ((2, 3), 2.0)])
def test_max_mask_figure_marks_the_maximum_and_routes_the_gradient(shape, grad):
    window = np.random.default_rng(5).standard_normal(shape)
    fig = figures.max_mask_figure(window, grad)
    render(fig)
    ax_window, ax_mask, ax_grad = fig.axes
    (where_max,) = [tuple(int(i) for i in p) for p in np.argwhere(window == window.max())]
    mask = _texts(ax_mask, "mask")
    assert len(mask) == window.size
    assert [cell for cell, text in mask.items() if text == "1"] == [where_max]
    assert set(mask.values()) == {"0", "1"}
    sent = {cell: float(text) for cell, text in _texts(ax_grad, "grad").items()}
    assert len(sent) == window.size
    assert sent[where_max] == pytest.approx(grad, abs=TOL)
    assert sum(sent.values()) == pytest.approx(grad, abs=TOL)
    shown = _texts(ax_window, "window")
    assert all(float(shown[(r, c)]) == pytest.approx(window[r, c], abs=TOL)
               for r in range(shape[0]) for c in range(shape[1]))


def test_max_mask_figure_rejects_a_tie():
    with pytest.raises(ValueError):
        figures.max_mask_figure(np.array([[1.0, 4.0], [4.0, 2.0]]))


@pytest.mark.parametrize("dz, shape", [(1.0, (2, 2)), (2.0, (2, 2)), (-3.0, (3, 3)), (0.6, (1, 3))])
def test_distribute_figure_spreads_dz_evenly(dz, shape):
    fig = figures.distribute_figure(dz, shape)
    render(fig)
    ax_dz, ax_grid = fig.axes
    (written_dz,) = [t.get_text() for t in ax_dz.texts if t.get_gid() == "dz"]
    assert float(written_dz) == pytest.approx(dz, abs=TOL)
    shares = {cell: float(text) for cell, text in _texts(ax_grid, "share").items()}
    n = shape[0] * shape[1]
    assert set(shares) == {(r, c) for r in range(shape[0]) for c in range(shape[1])}
    assert all(value == pytest.approx(dz / n, abs=TOL) for value in shares.values())
    assert sum(shares.values()) == pytest.approx(dz, abs=n * TOL)


def _solution_lines():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    lines = set()
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S):
                lines.update(line.strip() for line in block.splitlines() if line.strip())
    return lines


def test_figures_module_holds_no_solution_line():
    lines = _solution_lines()
    assert lines, "no solution region found in the instructor notebook"
    source = Path(figures.__file__).read_text()
    assert "np.pad" not in source
    assert sorted(line for line in lines if line in source) == []


# ---- the overlap figure: formula (1), the shares of overlapping windows adding up in dA_prev ---------------------

@pytest.mark.parametrize("f, n_H, n_W, stride", [(2, 2, 2, 1), (3, 2, 3, 2), (2, 3, 3, 1), (3, 2, 2, 1)])
def test_overlap_figure_writes_the_shares_and_the_sum_that_conv_backward_returns(f, n_H, n_W, stride):
    """Every number of the figure is computed: the shares W * dZ[h, w] on each window, and their sum, which is the
    reference conv_backward's dA_prev for one example, one channel and one filter, without padding."""
    from tests.helpers import STEP_BY_STEP

    rng = np.random.default_rng(f * 100 + n_W)
    W, dZ = rng.integers(-2, 3, (f, f)).astype(float), rng.integers(-2, 3, (n_H, n_W)).astype(float)
    fig = figures.overlap_figure(W, dZ, stride=stride)
    render(fig)
    rows, cols = (n_H - 1) * stride + f, (n_W - 1) * stride + f
    A_prev = rng.standard_normal((1, rows, cols, 1))
    _, cache = STEP_BY_STEP.reference()["conv_forward"](A_prev, W.reshape(f, f, 1, 1), np.zeros((1, 1, 1, 1)),
                                                         {"stride": stride, "pad": 0})
    dA_prev, _, _ = STEP_BY_STEP.reference()["conv_backward"](dZ.reshape(1, n_H, n_W, 1), cache)
    axes = fig.axes
    assert len(axes) == 2 + n_H * n_W + 1
    for k, (h, w) in enumerate((h, w) for h in range(n_H) for w in range(n_W)):
        written = {place: float(text) for place, text in _texts(axes[2 + k], f"share-{h}-{w}").items()}
        assert written == {(h * stride + p, w * stride + q): pytest.approx(W[p, q] * dZ[h, w], abs=TOL)
                           for p in range(f) for q in range(f)}
    total = {place: float(text) for place, text in _texts(axes[-1], "sum").items()}
    assert total == {(r, c): pytest.approx(dA_prev[0, r, c, 0], abs=TOL) for r in range(rows) for c in range(cols)}
    counts = {(round(t.get_position()[1] - 0.1), math.floor(t.get_position()[0])): int(t.get_text())
              for t in axes[-1].texts if t.get_gid() == "count"}
    windows = np.zeros((rows, cols), int)
    for h in range(n_H):
        for w in range(n_W):
            windows[h * stride:h * stride + f, w * stride:w * stride + f] += 1
    assert counts == {(r, c): windows[r, c] for r in range(rows) for c in range(cols)}


def test_overlap_figure_rejects_what_it_cannot_draw():
    for W, dZ in [(np.ones((2, 3)), np.ones((2, 2))), (np.ones((2, 2)), np.ones((4, 2)))]:
        with pytest.raises(ValueError):
            figures.overlap_figure(W, dZ)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_window_figure_s_titles_stand_clear_of_its_column_numbers(monkeypatch, language):
    """The stride-2 figure of the lesson, in both languages: no title touches the numbers above its grid."""
    monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, language)
    fig = figures.conv_window_figure(5, 5, f=3, stride=2, pad=1, positions=[(0, 0), (0, 1), (2, 2)])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer)
        numbers = [text.get_window_extent(renderer) for text in ax.texts if text.get_text().isdigit()]
        assert numbers and not any(title.overlaps(box) for box in numbers), (language, ax.get_title())
        assert title.y0 - max(box.y1 for box in numbers) >= 2  # pixels of air between them
