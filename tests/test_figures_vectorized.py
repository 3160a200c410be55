"""Tests of autograder.figures.conv_vectorized: each helper renders under Agg and draws what it claims."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.figures import conv_vectorized as figures  # noqa: E402
from tests.figure_checks import close_figures, patches, render  # noqa: E402,F401


def _texts(ax, gid):
    return [t for t in ax.texts if t.get_gid() == gid]


def _corner(patch):
    x, y = patch.get_xy()
    return (round(y, 6), round(x, 6))


@pytest.mark.parametrize("n_H_prev, n_W_prev, f, stride", [(5, 6, 3, 1), (4, 4, 2, 2), (7, 5, 3, 2), (3, 3, 3, 1)])
def test_window_view_figure_shows_which_entry_each_window_reads(n_H_prev, n_W_prev, f, stride):
    fig = figures.window_view_figure(n_H_prev, n_W_prev, f, stride)
    render(fig)
    ax_in, ax_view = fig.axes
    assert sorted(int(t.get_text()) for t in _texts(ax_in, "input")) == list(range(n_H_prev * n_W_prev))
    x = np.arange(n_H_prev * n_W_prev).reshape(n_H_prev, n_W_prev)
    expected = np.lib.stride_tricks.sliding_window_view(x, (f, f))[::stride, ::stride]
    n_H, n_W = expected.shape[:2]
    for h in range(n_H):
        for w in range(n_W):
            (outline,) = patches(ax_view, f"window-{h}-{w}")
            left, top = outline.get_xy()
            written = {(round(t.get_position()[1] - 0.5 - top), round(t.get_position()[0] - 0.5 - left)):
                       int(t.get_text()) for t in _texts(ax_view, f"entry-{h}-{w}")}
            assert written == {(p, q): int(expected[h, w, p, q]) for p in range(f) for q in range(f)}
    assert not patches(ax_view, f"window-{n_H}-0")


def test_window_view_figure_rejects_a_window_that_does_not_fit():
    with pytest.raises(ValueError):
        figures.window_view_figure(2, 5, 3)


@pytest.mark.parametrize("n_H, n_W, f, n_C_prev, n_C, row, column", [
    (3, 3, 2, 2, 3, 4, 1), (2, 4, 3, 1, 2, 7, 0), (4, 4, 2, 3, 5, 0, 4)])
def test_patch_matrix_figure_draws_the_three_matrices_and_one_product(n_H, n_W, f, n_C_prev, n_C, row, column):
    fig = figures.patch_matrix_figure(n_H, n_W, f, n_C_prev, n_C, row=row, column=column)
    render(fig)
    (ax,) = fig.axes
    M, K = n_H * n_W, f * f * n_C_prev
    assert len(patches(ax, "patches")) == M * K
    assert len(patches(ax, "filters")) == K * n_C
    assert len(patches(ax, "output")) + len(patches(ax, "entry")) == M * n_C
    (entry,) = patches(ax, "entry")
    (highlight_row,) = patches(ax, "row")
    (highlight_column,) = patches(ax, "column")
    assert entry.get_xy()[1] == row == highlight_row.get_xy()[1]
    assert highlight_row.get_width() == K and highlight_column.get_height() == K
    output_left = min(p.get_xy()[0] for p in patches(ax, "output") + [entry])
    filters_left = min(p.get_xy()[0] for p in patches(ax, "filters"))
    assert entry.get_xy()[0] - output_left == column == highlight_column.get_xy()[0] - filters_left
    assert any(f"{M} x {K}" in t.get_text() for t in ax.texts)


@pytest.mark.parametrize("n_H_prev, n_W_prev, f, stride, pad", [(4, 4, 3, 2, 1), (5, 3, 2, 1, 0), (3, 4, 3, 1, 1)])
def test_scatter_figure_marks_each_offsets_entries_and_counts_the_shares(n_H_prev, n_W_prev, f, stride, pad):
    fig = figures.scatter_figure(n_H_prev, n_W_prev, f, stride, pad)
    render(fig)
    rows, cols = n_H_prev + 2 * pad, n_W_prev + 2 * pad
    n_H, n_W = (rows - f) // stride + 1, (cols - f) // stride + 1
    counts = np.zeros((rows, cols), int)
    for h in range(n_H):  # every window, written out: it covers f x f entries
        for w in range(n_W):
            counts[h * stride:h * stride + f, w * stride:w * stride + f] += 1
    axes = np.array(fig.axes).reshape(f, f + 1)
    for di in range(f):
        for dj in range(f):
            hits = {_corner(p) for p in patches(axes[di, dj], f"hit-{di}-{dj}")}
            assert hits == {(di + stride * h, dj + stride * w) for h in range(n_H) for w in range(n_W)}
            assert len(hits) + len(patches(axes[di, dj], "cell")) == rows * cols
    written = {(round(t.get_position()[1] - 0.5), round(t.get_position()[0] - 0.5)): int(t.get_text())
               for t in _texts(axes[0, f], "count")}
    assert written == {(r, c): int(counts[r, c]) for r in range(rows) for c in range(cols)}


def test_timing_figure_draws_one_line_per_implementation_skipping_missing_points():
    fig = figures.timing_figure([8, 16, 32], {"loops": [0.1, 0.4, None], "vectorized": [1e-3, 2e-3, 5e-3]})
    render(fig)
    (ax,) = fig.axes
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"loops", "vectorized"}
    assert list(lines["loops"].get_xdata()) == [8, 16]
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError):
        figures.timing_figure([8, 16], {"loops": [0.1]})
