"""Figures for the notebook "Train your CNN" (assignment 3).

Each helper draws one picture with matplotlib from arrays it is given (images, labels,
a training history, learned filters, activations) and returns the Figure; none of them
runs a network. Images are shown with row 0 on top, in grey levels. Titles and texts carry
the values the tests read back (tests/test_figures_application.py).
"""
import matplotlib.pyplot as plt
import numpy as np


def _grid(count, columns):
    rows = max(1, int(np.ceil(count / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.5 * rows), layout="constrained",
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


def digits_figure(images, labels, predicted=None, columns=10, title=None):
    """A grid of digits, each titled with its label, or with "predicted p / true t".

    Arguments:
    images -- array of shape (n, 8, 8) or (n, 8, 8, 1)
    labels -- integer array of shape (n,): the true classes
    predicted -- integer array of shape (n,), or None
    columns -- int: digits per row
    title -- str or None

    Returns:
    fig -- Figure with one axes per digit (more axes, switched off, fill the last row); axes k
           shows images[k] and is titled str(labels[k]), or f"{predicted[k]} / true {labels[k]}"
    """
    images = np.asarray(images, dtype=float).reshape(len(labels), *np.shape(images)[1:3])
    if len(images) == 0:
        raise ValueError("no digits to draw")
    fig, axes = _grid(len(images), columns)
    for k, ax in zip(range(len(images)), axes):
        ax.imshow(images[k], cmap="gray_r")
        ax.set_title(str(labels[k]) if predicted is None else f"{predicted[k]} / true {labels[k]}", fontsize=9,
                     color="black" if predicted is None or predicted[k] == labels[k] else "firebrick")
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


def training_curves_figure(history):
    """The cost and the accuracies, epoch by epoch.

    Arguments:
    history -- dict with "loss" (list of floats, one per epoch), "train_accuracy" and, optionally,
               "test_accuracy" (lists of floats in [0, 1], one per epoch)

    Returns:
    fig -- Figure with two axes: the loss against the epoch (line label "loss"), and the
           accuracies (labels "training" and "test")
    """
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
    ax_loss.plot(epochs, history["loss"], "o-", label="loss")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("mean cost over the epoch's mini-batches")
    ax_loss.set_yscale("log")
    ax_loss.set_title("cost")
    for key, name in (("train_accuracy", "training"), ("test_accuracy", "test")):
        if history.get(key):
            ax_acc.plot(epochs, history[key], "o-", label=name)
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy")
    ax_acc.set_title("accuracy")
    ax_acc.legend()
    for ax in (ax_loss, ax_acc):
        ax.grid(True, alpha=0.3)
    return fig


def confusion_matrix_figure(labels, predicted, classes=None):
    """How often each true class was predicted as each class.

    Arguments:
    labels -- integer array of shape (n,): the true classes, 0 .. n_classes - 1
    predicted -- integer array of shape (n,)
    classes -- list of class names (default: "0", "1", ...)

    Returns:
    fig -- Figure with one axes: an n_classes x n_classes image, row = true class, column =
           predicted class, each count written in its cell (texts with gid "count-i-j")
    """
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    n = int(max(labels.max(), predicted.max())) + 1 if classes is None else len(classes)
    classes = [str(k) for k in range(n)] if classes is None else list(classes)
    counts = np.zeros((n, n), int)
    for true, guess in zip(labels, predicted):
        counts[true, guess] += 1
    fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
    ax.imshow(counts, cmap="Blues")
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8, gid=f"count-{i}-{j}",
                    color="white" if counts[i, j] > counts.max() / 2 else "black")
    ax.set_xticks(range(n), classes)
    ax.set_yticks(range(n), classes)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"confusion matrix: {int(np.trace(counts))} of {len(labels)} right")
    return fig


def filters_figure(W, channel=0):
    """The learned filters of a convolution, one small image each.

    Arguments:
    W -- array of shape (f, f, n_C_prev, n_C): the filters
    channel -- int: which input channel of each filter to show

    Returns:
    fig -- Figure with one axes per filter, titled "filter c", showing W[:, :, channel, c]
           (blue negative, red positive, on a scale shared by all filters)
    """
    W = np.asarray(W, dtype=float)
    n_C = W.shape[3]
    scale = float(np.max(np.abs(W[:, :, channel, :]))) or 1.0
    fig, axes = _grid(n_C, min(n_C, 8))
    for c, ax in zip(range(n_C), axes):
        ax.imshow(W[:, :, channel, c], cmap="RdBu_r", vmin=-scale, vmax=scale)
        ax.set_title(f"filter {c}", fontsize=9)
    fig.suptitle(f"the {n_C} filters of the first convolution ({W.shape[0]} x {W.shape[1]})", fontsize=11)
    return fig


def feature_maps_figure(image, maps, title):
    """One input digit and the channels of an activation it produced.

    Arguments:
    image -- array of shape (8, 8) or (8, 8, 1): the digit
    maps -- array of shape (n_H, n_W, n_C): one example's activation, e.g. after the first ReLU
    title -- str

    Returns:
    fig -- Figure whose first axes shows the digit (title "input") and axes 1 + c shows
           maps[:, :, c] (title "channel c")
    """
    maps = np.asarray(maps, dtype=float)
    n_C = maps.shape[2]
    fig, axes = _grid(n_C + 1, min(n_C + 1, 9))
    axes = list(axes)
    axes[0].imshow(np.asarray(image, dtype=float).reshape(np.shape(image)[:2]), cmap="gray_r")
    axes[0].set_title("input", fontsize=9)
    for channel in range(n_C):
        axes[1 + channel].imshow(maps[:, :, channel], cmap="viridis")
        axes[1 + channel].set_title(f"channel {channel}", fontsize=9)
    fig.suptitle(title, fontsize=11)
    return fig
