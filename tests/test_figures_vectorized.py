"""Tests of autograder.figures.conv_vectorized: each helper renders under Agg and draws what it claims, in English
or in Chinese."""
import io
import string
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from autograder import settings  # noqa: E402
from autograder.figures import cjk_family  # noqa: E402
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


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _has_cjk(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_english_text_has_a_chinese_counterpart_with_the_same_placeholders():
    assert set(figures.TEXTS) == set(settings.LANGUAGES)
    english, chinese = figures.TEXTS["en"], figures.TEXTS["zh"]
    assert set(chinese) == set(english)
    assert ({key: _fields(text) for key, text in chinese.items()}
            == {key: _fields(text) for key, text in english.items()})
    assert [key for key, text in chinese.items() if not _has_cjk(text)] == []


def _draw_all():
    return [figures.window_view_figure(5, 6, f=3, stride=2),
            figures.patch_matrix_figure(3, 3, 2, 2, 3, row=4, column=1),
            figures.scatter_figure(4, 4, f=3, stride=2, pad=1),
            figures.timing_figure([8, 16], {"loops": [0.1, 0.4], "vectorized": [1e-3, 2e-3]}, m=4, n_C_prev=4, n_C=8)]


def _titles(fig):
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    return titles + ([fig._suptitle.get_text()] if fig._suptitle is not None else [])


@pytest.fixture
def language(monkeypatch, tmp_path):
    """An empty folder, no language set; returns a function that sets one through the environment."""
    monkeypatch.delenv(settings.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    return lambda name: monkeypatch.setenv(settings.ENVIRONMENT_VARIABLE, name)


def test_chinese_figures_have_chinese_titles_in_a_cjk_font_or_else_english(language):
    language("zh")
    family = cjk_family()
    for fig in _draw_all():
        titles = _titles(fig)
        assert titles
        if family is None:  # no CJK font installed: the English titles, not boxes
            assert not any(_has_cjk(title) for title in titles)
            continue
        assert all(_has_cjk(title) for title in titles), titles
        assert all(family in text.get_fontfamily() for text in fig.findobj(Text) if text.get_text())
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a glyph missing from every font would warn
            fig.savefig(io.BytesIO(), format="png")


def test_figures_stay_english_by_default_and_keep_their_gids_in_chinese(language):
    english = _draw_all()
    assert not any(_has_cjk(text.get_text()) for fig in english for text in fig.findobj(Text))
    language("zh")
    chinese = _draw_all()
    for fig_en, fig_zh in zip(english, chinese):
        gids = [sorted(str(p.get_gid()) for p in ax.patches) + sorted(str(t.get_gid()) for t in ax.texts)
                for ax in fig_en.axes]
        assert gids == [sorted(str(p.get_gid()) for p in ax.patches) + sorted(str(t.get_gid()) for t in ax.texts)
                        for ax in fig_zh.axes]


def test_timing_figure_titles_the_layer_it_timed(language):
    fig = figures.timing_figure([8], {"vectorized": [1e-3]}, m=4, n_C_prev=4, n_C=8)
    assert "m = 4, 4 -> 8" in fig.axes[0].get_title()
    assert figures.timing_figure([8], {"vectorized": [1e-3]}, title="mine").axes[0].get_title() == "mine"
    pinned = figures.timing_figure([8], {"vectorized": [1e-3]}, m=4, n_C_prev=4, n_C=8, one_thread=True)
    assert pinned.axes[0].get_title().endswith("on one thread")
