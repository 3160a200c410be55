"""Tests of autograder.figures.conv_application: each helper renders under Agg and shows what it is given,
in English by default and in Chinese when the learner's language is Chinese."""
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
from autograder.figures import conv_application as figures  # noqa: E402
from tests.figure_checks import close_figures, render  # noqa: E402,F401


def _shown(ax):
    (image,) = ax.get_images()
    return np.asarray(image.get_array())


@pytest.mark.parametrize("count, columns, with_predictions", [(20, 10, False), (7, 5, True), (1, 10, True)])
def test_digits_figure_titles_each_digit(count, columns, with_predictions):
    rng = np.random.default_rng(count)
    images = rng.integers(0, 17, (count, 8, 8))
    labels = rng.integers(0, 10, count)
    predicted = (labels + rng.integers(0, 2, count)) % 10 if with_predictions else None
    fig = figures.digits_figure(images, labels, predicted, columns=columns)
    render(fig)
    axes = fig.axes
    assert len(axes) == int(np.ceil(count / columns)) * columns
    for k in range(count):
        np.testing.assert_array_equal(_shown(axes[k]), images[k])
        title = axes[k].get_title()
        assert title == (str(labels[k]) if predicted is None else f"{predicted[k]} / true {labels[k]}")
    assert all(not ax.get_images() for ax in axes[count:])


def test_training_curves_figure_plots_training_and_validation_for_every_epoch():
    history = {"loss": [2.0, 1.0, 0.5], "train_accuracy": [0.5, 0.8, 0.9], "val_accuracy": [0.4, 0.7, 0.85]}
    fig = figures.training_curves_figure(history)
    render(fig)
    ax_loss, ax_acc = fig.axes
    (loss,) = ax_loss.get_lines()
    assert loss.get_gid() == "loss"
    assert list(loss.get_ydata()) == history["loss"] and list(loss.get_xdata()) == [1, 2, 3]
    lines = {line.get_gid(): list(line.get_ydata()) for line in ax_acc.get_lines()}
    assert lines == {"train_accuracy": history["train_accuracy"], "val_accuracy": history["val_accuracy"]}
    assert [line.get_label() for line in ax_acc.get_lines()] == ["training", "validation"]
    assert [text.get_text() for text in ax_acc.get_legend().get_texts()] == ["training", "validation"]


def test_training_curves_figure_without_validation_shows_the_training_accuracy_alone():
    fig = figures.training_curves_figure({"loss": [2.0, 1.0], "train_accuracy": [0.5, 0.8], "val_accuracy": []})
    render(fig)
    assert [line.get_gid() for line in fig.axes[1].get_lines()] == ["train_accuracy"]


def test_confusion_matrix_figure_counts_each_pair():
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 10, 200)
    predicted = np.where(rng.random(200) < 0.8, labels, rng.integers(0, 10, 200))
    fig = figures.confusion_matrix_figure(labels, predicted, [str(k) for k in range(10)])
    render(fig)
    (ax,) = fig.axes
    written = {t.get_gid(): int(t.get_text()) for t in ax.texts if t.get_gid()}
    for i in range(10):
        for j in range(10):
            assert written[f"count-{i}-{j}"] == int(np.sum((labels == i) & (predicted == j)))
    assert f"{int(np.sum(labels == predicted))} of 200 right" in ax.get_title()


def test_filters_figure_shows_each_filter_of_the_chosen_channel():
    W = np.random.default_rng(5).standard_normal((3, 3, 2, 6))
    fig = figures.filters_figure(W, channel=1)
    render(fig)
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert [ax.get_title() for ax in shown] == [f"filter {c}" for c in range(6)]
    for c, ax in enumerate(shown):
        np.testing.assert_array_equal(_shown(ax), W[:, :, 1, c])


@pytest.mark.parametrize("layer, label, title", [
    (1, 7, "a 7 after CONV 1 and ReLU: 5 maps of 4 x 3"),
    (2, None, "after MAXPOOL, CONV 2 and ReLU: 5 maps of 4 x 3"),
])
def test_feature_maps_figure_shows_the_input_then_each_channel(layer, label, title):
    rng = np.random.default_rng(6)
    image, maps = rng.random((8, 8, 1)), rng.random((4, 3, 5))
    fig = figures.feature_maps_figure(image, maps, layer=layer, label=label)
    render(fig)
    assert fig.get_suptitle() == title
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert shown[0].get_title() == "input"
    np.testing.assert_array_equal(_shown(shown[0]), image[:, :, 0])
    for c in range(5):
        assert shown[1 + c].get_title() == f"channel {c}"
        np.testing.assert_array_equal(_shown(shown[1 + c]), maps[:, :, c])


# ---- in the learner's language ----------------------------------------------------------------------

def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_english_figure_text_has_a_chinese_counterpart_with_the_same_placeholders():
    english, chinese = figures.TEXTS["en"], figures.TEXTS["zh"]
    assert set(figures.TEXTS) == set(settings.LANGUAGES)
    assert set(chinese) == set(english)
    assert {key: fields(text) for key, text in chinese.items()} == {key: fields(text) for key, text in english.items()}
    assert [key for key, text in chinese.items() if not has_cjk(text)] == []


def draw_all():
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 10, 12)
    return [
        figures.digits_figure(rng.integers(0, 17, (12, 8, 8)), labels, columns=6),
        figures.digits_figure(rng.integers(0, 17, (12, 8, 8)), labels, (labels + 1) % 10, columns=6),
        figures.training_curves_figure({"loss": [2.0, 1.0], "train_accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}),
        figures.confusion_matrix_figure(labels, labels),
        figures.filters_figure(rng.standard_normal((3, 3, 1, 4))),
        figures.feature_maps_figure(rng.random((8, 8)), rng.random((8, 8, 3)), layer=1, label=4),
    ]


def words_of(fig) -> list[str]:
    """Every text of the figure that holds a word (not only digits and symbols)."""
    return [text.get_text() for text in fig.findobj(Text)
            if any(ch.isalpha() for ch in text.get_text()) and text.get_gid() is None]


def test_figures_are_english_by_default(language):
    for fig in draw_all():
        assert words_of(fig) and not any(has_cjk(text) for text in words_of(fig))


def test_chinese_figures_write_chinese_in_a_cjk_font_and_keep_their_values(language):
    language("zh")
    family = cjk_family()
    figs = draw_all()
    if family is None:  # no CJK font installed: the English texts, not boxes
        assert not any(has_cjk(text) for fig in figs for text in words_of(fig))
        return
    for fig in figs:
        titles = [ax.get_title() for ax in fig.axes if ax.get_title()] + [fig.get_suptitle()]
        assert all(has_cjk(title) for title in titles if any(ch.isalpha() for ch in title)), titles
        assert all(family in text.get_fontfamily() for text in fig.findobj(Text) if text.get_text())
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a glyph missing from every font would warn
            fig.savefig(io.BytesIO(), format="png")
    digits, predicted, curves, confusion, filters, maps = figs
    assert digits.axes[0].get_title().isdigit()
    assert all(" / 实为 " in ax.get_title() for ax in predicted.axes if ax.get_images())
    assert [line.get_gid() for line in curves.axes[1].get_lines()] == ["train_accuracy", "val_accuracy"]
    assert [text.get_text() for text in curves.axes[1].get_legend().get_texts()] == ["训练集", "验证集"]
    assert "12 个中 12 个正确" in confusion.axes[0].get_title()
    assert filters.axes[0].get_title() == "滤波器 0"
    assert maps.get_suptitle() == "一个 4 经过 CONV 1 和 ReLU：3 张 8 x 8 的特征图"
