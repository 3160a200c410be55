"""Tests of autograder.figures.conv_application: each helper renders under Agg and shows what it is given."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

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


def test_training_curves_figure_plots_every_epoch():
    history = {"loss": [2.0, 1.0, 0.5], "train_accuracy": [0.5, 0.8, 0.9], "test_accuracy": [0.4, 0.7, 0.85]}
    fig = figures.training_curves_figure(history)
    render(fig)
    ax_loss, ax_acc = fig.axes
    (loss,) = ax_loss.get_lines()
    assert list(loss.get_ydata()) == history["loss"] and list(loss.get_xdata()) == [1, 2, 3]
    lines = {line.get_label(): list(line.get_ydata()) for line in ax_acc.get_lines()}
    assert lines == {"training": history["train_accuracy"], "test": history["test_accuracy"]}


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


def test_feature_maps_figure_shows_the_input_then_each_channel():
    rng = np.random.default_rng(6)
    image, maps = rng.random((8, 8, 1)), rng.random((4, 4, 5))
    fig = figures.feature_maps_figure(image, maps, "maps")
    render(fig)
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert shown[0].get_title() == "input"
    np.testing.assert_array_equal(_shown(shown[0]), image[:, :, 0])
    for c in range(5):
        assert shown[1 + c].get_title() == f"channel {c}"
        np.testing.assert_array_equal(_shown(shown[1 + c]), maps[:, :, c])
