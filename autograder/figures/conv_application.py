"""Figures for the notebook "Train your CNN" (assignment 3).

Each helper draws one picture with matplotlib from arrays it is given (images, labels,
a training history, learned filters, activations) and returns the Figure; none of them
runs a network. Images are shown with row 0 on top, in grey levels. Titles and texts carry
the values the tests read back (tests/test_figures_application.py), and the lines and
written counts a ``gid`` naming what they show.

Titles and labels are written in the learner's language, from :data:`TEXTS` (see
:mod:`autograder.figures`).
"""
import matplotlib.pyplot as plt
import numpy as np

from . import localized, texts

TEXTS = {
    "en": {
        "digits": "{count} digits, each titled with its class",
        "digits_predicted": "{count} digits, each titled with its predicted / true class (red: wrong)",
        "predicted_true": "{predicted} / true {true}",
        "epoch": "epoch",
        "cost": "cost",
        "cost_axis": "mean cost over the epoch's mini-batches",
        "loss": "loss",
        "accuracy": "accuracy",
        "training": "training",
        "validation": "validation",
        "predicted_class": "predicted class",
        "true_class": "true class",
        "confusion": "confusion matrix: {right} of {count} right",
        "filter": "filter {index}",
        "filters": "the {count} filters of the first convolution ({rows} x {cols})",
        "input": "input",
        "channel": "channel {index}",
        "maps_1": "after CONV 1 and ReLU: {count} maps of {rows} x {cols}",
        "maps_1_label": "a {label} after CONV 1 and ReLU: {count} maps of {rows} x {cols}",
        "maps_2": "after MAXPOOL, CONV 2 and ReLU: {count} maps of {rows} x {cols}",
        "maps_2_label": "a {label} after MAXPOOL, CONV 2 and ReLU: {count} maps of {rows} x {cols}",
    },
    "zh": {
        "digits": "{count} 个数字，每个标有它的类别",
        "digits_predicted": "{count} 个数字，每个标有预测类别 / 真实类别（红色：预测错误）",
        "predicted_true": "{predicted} / 实为 {true}",
        "epoch": "轮次",
        "cost": "代价",
        "cost_axis": "本轮各小批量代价的平均值",
        "loss": "损失",
        "accuracy": "准确率",
        "training": "训练集",
        "validation": "验证集",
        "predicted_class": "预测类别",
        "true_class": "真实类别",
        "confusion": "混淆矩阵：{count} 个中 {right} 个正确",
        "filter": "滤波器 {index}",
        "filters": "第一个卷积的 {count} 个滤波器（{rows} x {cols}）",
        "input": "输入",
        "channel": "通道 {index}",
        "maps_1": "经过 CONV 1 和 ReLU：{count} 张 {rows} x {cols} 的特征图",
        "maps_1_label": "一个 {label} 经过 CONV 1 和 ReLU：{count} 张 {rows} x {cols} 的特征图",
        "maps_2": "经过 MAXPOOL、CONV 2 和 ReLU：{count} 张 {rows} x {cols} 的特征图",
        "maps_2_label": "一个 {label} 经过 MAXPOOL、CONV 2 和 ReLU：{count} 张 {rows} x {cols} 的特征图",
    },
}
_t = texts(TEXTS)


def _grid(count, columns):
    rows = max(1, int(np.ceil(count / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.5 * rows), layout="constrained",
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


@localized
def digits_figure(images, labels, predicted=None, columns=10, title=None):
    """A grid of digits, each titled with its label, or with "predicted p / true t".

    Arguments:
    images -- array of shape (n, 8, 8) or (n, 8, 8, 1)
    labels -- integer array of shape (n,): the true classes
    predicted -- integer array of shape (n,), or None
    columns -- int: digits per row
    title -- str, or None for the figure's own ("n digits, each titled with its class", or with
             its predicted / true class)

    Returns:
    fig -- Figure with one axes per digit (more axes, switched off, fill the last row); axes k
           shows images[k] and is titled str(labels[k]), or f"{predicted[k]} / true {labels[k]}"
           (in the learner's language), red where the prediction is wrong
    """
    images = np.asarray(images, dtype=float).reshape(len(labels), *np.shape(images)[1:3])
    if len(images) == 0:
        raise ValueError("no digits to draw")
    fig, axes = _grid(len(images), columns)
    for k, ax in zip(range(len(images)), axes):
        ax.imshow(images[k], cmap="gray_r")
        ax.set_title(str(labels[k]) if predicted is None else _t("predicted_true", predicted=predicted[k],
                                                                 true=labels[k]),
                     fontsize=9, color="black" if predicted is None or predicted[k] == labels[k] else "firebrick")
    fig.suptitle(title or _t("digits" if predicted is None else "digits_predicted", count=len(images)),
                 fontsize=11)
    return fig


@localized
def training_curves_figure(history):
    """The cost and the accuracies, epoch by epoch.

    Arguments:
    history -- dict with "loss" (list of floats, one per epoch), "train_accuracy" and, optionally,
               "val_accuracy" (lists of floats in [0, 1], one per epoch)

    Returns:
    fig -- Figure with two axes: the loss against the epoch (line gid "loss"), and the
           accuracies (line gids "train_accuracy" and "val_accuracy", labels "training" and
           "validation" in the learner's language)
    """
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
    ax_loss.plot(epochs, history["loss"], "o-", label=_t("loss"), gid="loss")
    ax_loss.set_xlabel(_t("epoch"))
    ax_loss.set_ylabel(_t("cost_axis"))
    ax_loss.set_yscale("log")
    ax_loss.set_title(_t("cost"))
    for key, name in (("train_accuracy", "training"), ("val_accuracy", "validation")):
        if history.get(key):
            ax_acc.plot(epochs, history[key], "o-", label=_t(name), gid=key)
    ax_acc.set_xlabel(_t("epoch"))
    ax_acc.set_ylabel(_t("accuracy"))
    ax_acc.set_title(_t("accuracy"))
    if ax_acc.get_lines():
        ax_acc.legend()
    for ax in (ax_loss, ax_acc):
        ax.grid(True, alpha=0.3)
    return fig


@localized
def confusion_matrix_figure(labels, predicted, classes=None):
    """How often each true class was predicted as each class.

    Arguments:
    labels -- integer array of shape (n,): the true classes, 0 .. n_classes - 1
    predicted -- integer array of shape (n,)
    classes -- list of class names (default: "0", "1", ...)

    Returns:
    fig -- Figure with one axes: an n_classes x n_classes image, row = true class, column =
           predicted class, each count written in its cell (texts with gid "count-i-j"), titled
           "confusion matrix: r of n right" (in the learner's language)
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
    ax.set_xlabel(_t("predicted_class"))
    ax.set_ylabel(_t("true_class"))
    ax.set_title(_t("confusion", right=int(np.trace(counts)), count=len(labels)))
    return fig


@localized
def filters_figure(W, channel=0):
    """The learned filters of a convolution, one small image each.

    Arguments:
    W -- array of shape (f, f, n_C_prev, n_C): the filters
    channel -- int: which input channel of each filter to show

    Returns:
    fig -- Figure with one axes per filter, titled "filter c" (in the learner's language), showing
           W[:, :, channel, c] (blue negative, red positive, on a scale shared by all filters)
    """
    W = np.asarray(W, dtype=float)
    n_C = W.shape[3]
    scale = float(np.max(np.abs(W[:, :, channel, :]))) or 1.0
    fig, axes = _grid(n_C, min(n_C, 8))
    for c, ax in zip(range(n_C), axes):
        ax.imshow(W[:, :, channel, c], cmap="RdBu_r", vmin=-scale, vmax=scale)
        ax.set_title(_t("filter", index=c), fontsize=9)
    fig.suptitle(_t("filters", count=n_C, rows=W.shape[0], cols=W.shape[1]), fontsize=11)
    return fig


@localized
def feature_maps_figure(image, maps, layer=1, label=None, title=None):
    """One input digit and the channels of an activation it produced.

    Arguments:
    image -- array of shape (8, 8) or (8, 8, 1): the digit
    maps -- array of shape (n_H, n_W, n_C): one example's activation after the ReLU of a convolution
    layer -- 1 or 2: which convolution's ReLU ``maps`` comes from (for the title)
    label -- the digit's class, or None (for the title)
    title -- str, or None for the figure's own, e.g. "a 7 after CONV 1 and ReLU: 8 maps of 8 x 8"

    Returns:
    fig -- Figure whose first axes shows the digit (title "input") and axes 1 + c shows
           maps[:, :, c] (title "channel c"), in the learner's language
    """
    if layer not in (1, 2):
        raise ValueError(f"layer must be 1 or 2, not {layer!r}")
    maps = np.asarray(maps, dtype=float)
    n_H, n_W, n_C = maps.shape
    fig, axes = _grid(n_C + 1, min(n_C + 1, 9))
    axes = list(axes)
    axes[0].imshow(np.asarray(image, dtype=float).reshape(np.shape(image)[:2]), cmap="gray_r")
    axes[0].set_title(_t("input"), fontsize=9)
    for channel in range(n_C):
        axes[1 + channel].imshow(maps[:, :, channel], cmap="viridis")
        axes[1 + channel].set_title(_t("channel", index=channel), fontsize=9)
    key = f"maps_{layer}" if label is None else f"maps_{layer}_label"
    fig.suptitle(title or _t(key, label=label, count=n_C, rows=n_H, cols=n_W), fontsize=11)
    return fig
