"""Causes read from an output's size, and a fancy-indexed += tried as np.add.at (issue 17).

Each learner function below is written by hand, in another style than the corpus's files, and none is a
catalogued mistake. Every test checks the cause on the learner it is about, and that the claim is not made
on a function where it would be false (the same symptom from another cause, or the cause and a second bug).
"""
from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest

import autograder
from autograder.diagnosis import local, sizes
from autograder.diagnosis.edits import scatter_edits
from autograder.render import Renderer
from tests.helpers import STEP_BY_STEP, VECTORIZED, pool_by_hand

STEP = autograder.checks(STEP_BY_STEP.name)
VECTOR = autograder.checks(VECTORIZED.name)


def pool_forward_sizes_by_ceil(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = -(-(A_prev.shape[1] - f) // stride) + 1  # ceiling division, one window too many when it does not divide
    n_W = -(-(A_prev.shape[2] - f) // stride) + 1
    return pool_by_hand(A_prev, f, stride, n_H, n_W, mode), (A_prev, hparameters)


def pool_forward_one_window_too_many(A_prev, hparameters, mode="max"):
    """Not rounded up: one more window on every case, dividing or not."""
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (A_prev.shape[1] - f) // stride + 2
    n_W = (A_prev.shape[2] - f) // stride + 2
    return pool_by_hand(A_prev, f, stride, n_H, n_W, mode), (A_prev, hparameters)


def pool_forward_ceil_and_never_averaging(A_prev, hparameters, mode="max"):
    """Rounded up, and the average branch takes the maximum too: two causes, so not the size alone."""
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = math.ceil((A_prev.shape[1] - f) / stride) + 1
    n_W = math.ceil((A_prev.shape[2] - f) / stride) + 1
    return pool_by_hand(A_prev, f, stride, n_H, n_W, "max"), (A_prev, hparameters)


def pool_forward_two_rows_too_many_where_it_does_not_divide(A_prev, hparameters, mode="max"):
    """Right where the stride divides, two rows and columns of zeros too many elsewhere: it fails exactly where
    rounding up would, but its sizes are not the rounded-up ones."""
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = ((n - f) // stride + 1 for n in A_prev.shape[1:3])
    A = pool_by_hand(A_prev, f, stride, n_H, n_W, mode)
    divides = all((n - f) % stride == 0 for n in A_prev.shape[1:3])
    return (A if divides else np.pad(A, ((0, 0), (0, 2), (0, 2), (0, 0)))), (A_prev, hparameters)


def conv_forward_size_with_f_and_stride_swapped(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    X = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H = (X.shape[1] - stride) // f + 1
    n_W = (X.shape[2] - stride) // f + 1
    Z = np.zeros((A_prev.shape[0], n_H, n_W, W.shape[3]))
    for h in range(n_H):
        for w in range(n_W):
            window = X[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            Z[:, h, w, :] = np.tensordot(window, W, axes=([1, 2, 3], [0, 1, 2])) + b.reshape(-1)
    return Z, (A_prev, W, b, hparameters)


def zero_pad_every_axis_but_width(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (pad, pad)))


def zero_pad_examples_too(X, pad):
    return np.pad(X, [(pad, pad), (pad, pad), (pad, pad), (0, 0)], mode="constant")


def zero_pad_height_twice(X, pad):
    """The height padded by 2 * pad on each side: a spatial axis, which the padding must grow (another cause)."""
    return np.pad(X, ((0, 0), (2 * pad, 2 * pad), (pad, pad), (0, 0)))


def _verdict(check, function, fn):
    return local.diagnose(check, function, fn, fn.__globals__, None)


def _causes(verdict):
    return [d for d in (verdict.diagnosis, *verdict.more) if d is not None]


def _rendered(check, verdict):
    for language in ("en", "zh"):
        text = Renderer(language, check.manifest.get("hints", {})).text(verdict)
        assert not re.search(r"\{[a-z_]+\}", text), text
        if language == "zh":
            assert re.search(r"[\u4e00-\u9fff]", Renderer(language, check.manifest.get("hints", {})).hint(verdict))
    return Renderer("en", check.manifest.get("hints", {})).hint(verdict)


def test_sizes_rounded_up_are_read_from_the_shape_of_the_case_shown():
    fn = pool_forward_sizes_by_ceil
    verdict = _verdict(STEP, "pool_forward", fn)
    assert [d.id for d in _causes(verdict)] == ["size_rounded_up"], _causes(verdict)
    runs = local.runs_of(STEP, "pool_forward", fn, fn.__globals__)
    shown = next(run for run in runs if run.is_case and run.id == verdict.place.id)
    A_prev, hparameters = shown.args[0], shown.args[1]
    f, stride = hparameters["f"], hparameters["stride"]
    values = verdict.diagnosis.values
    assert (values["n_H"], values["n_W"]) == tuple(math.ceil((n - f) / stride) + 1 for n in A_prev.shape[1:3])
    assert (values["right_H"], values["right_W"]) == tuple((n - f) // stride + 1 for n in A_prev.shape[1:3])
    assert values["got"] == str(tuple(np.shape(shown.got[0]))).replace(",)", ")")
    assert values["raised"] == sum(run.raised is not None for run in runs if not run.passed)  # said as "also"
    for run in runs:  # the claim's evidence: it passes exactly where the stride divides
        _, hp = run.args[0], run.args[1]
        divides = all((n - hp["f"]) % hp["stride"] == 0 for n in run.args[0].shape[1:3])
        assert run.passed == divides, run.id
    assert "rounded up" in _rendered(STEP, verdict)


@pytest.mark.parametrize("fn", [pool_forward_one_window_too_many, pool_forward_ceil_and_never_averaging,
                                pool_forward_two_rows_too_many_where_it_does_not_divide],
                         ids=lambda fn: fn.__name__)
def test_sizes_are_not_said_rounded_up_where_the_runs_do_not_prove_it(fn):
    verdict = _verdict(STEP, "pool_forward", fn)
    assert not verdict.passed
    assert "size_rounded_up" not in [d.id for d in _causes(verdict)], _causes(verdict)


def test_a_size_with_f_and_stride_the_other_way_round_is_named_and_right_where_they_agree():
    fn = conv_forward_size_with_f_and_stride_swapped
    verdict = _verdict(STEP, "conv_forward", fn)
    assert [d.id for d in _causes(verdict)] == ["size_f_stride_swapped"], _causes(verdict)
    values = verdict.diagnosis.values
    assert values["f"] != values["stride"] and (values["n_H"], values["n_W"]) != (values["right_H"], values["right_W"])
    runs = local.runs_of(STEP, "conv_forward", fn, fn.__globals__)
    assert all(run.passed for run in runs if run.factors["f"] == run.factors["stride"])
    assert "other way round" in _rendered(STEP, verdict)


def test_the_size_reading_leaves_a_swap_of_f_and_stride_with_a_cause_of_its_own_alone():
    """A pool_forward with the sizes rounded up is never told f and stride are swapped (nor the reverse)."""
    assert "size_f_stride_swapped" not in [d.id for d in _causes(_verdict(STEP, "pool_forward",
                                                                           pool_forward_sizes_by_ceil))]
    assert "size_rounded_up" not in [d.id for d in _causes(_verdict(STEP, "conv_forward",
                                                                    conv_forward_size_with_f_and_stride_swapped))]


@pytest.mark.parametrize("fn, axes", [(zero_pad_every_axis_but_width, ["channel"]),
                                      (zero_pad_examples_too, ["batch"])], ids=["channels", "examples"])
def test_an_output_padded_along_the_channels_or_the_examples_says_which_axis(fn, axes):
    verdict = _verdict(STEP, "zero_pad", fn)
    assert [d.id for d in _causes(verdict)] == ["output_axes_padded"], _causes(verdict)
    values = verdict.diagnosis.values
    assert values["axes"] == axes and values["pad"] > 0
    assert [p - s for p, s in zip(values["padded"], values["sizes"])] == [2 * values["pad"]]
    hint = _rendered(STEP, verdict)
    assert f"{axes[0]}" in hint and "factor" not in hint


def test_a_padded_spatial_axis_is_not_said_to_be_the_channels_or_the_examples():
    verdict = _verdict(STEP, "zero_pad", zero_pad_height_twice)
    assert not verdict.passed
    assert "output_axes_padded" not in [d.id for d in _causes(verdict)], _causes(verdict)


# -- a fancy-indexed += ---------------------------------------------------------------------------------
def _window_index(n_H, n_W, f, stride):
    """Row and column index arrays (n_H, n_W, f, f) of every window entry."""
    rows = (np.arange(n_H) * stride)[:, None, None, None] + np.arange(f)[None, None, :, None]
    cols = (np.arange(n_W) * stride)[None, :, None, None] + np.arange(f)[None, None, None, :]
    return np.broadcast_to(rows, (n_H, n_W, f, f)), np.broadcast_to(cols, (n_H, n_W, f, f))


def pool_backward_scattered_by_fancy_index(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    rows, cols = _window_index(n_H, n_W, f, stride)
    windows = A_prev[:, rows, cols, :]                                   # (m, n_H, n_W, f, f, n_C)
    if mode == "max":
        share = (windows == windows.max(axis=(3, 4), keepdims=True)) * dA[:, :, :, None, None, :]
    else:
        share = np.broadcast_to(dA[:, :, :, None, None, :] / (f * f), windows.shape)
    dA_prev = np.zeros(A_prev.shape)
    dA_prev[:, rows, cols, :] += share  # repeated (row, col) pairs where windows overlap
    return dA_prev


def pool_backward_scattered_and_average_undivided(dA, cache, mode="max"):
    """The same scatter, and the average's share not divided by f * f: np.add.at alone does not fix it."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    rows, cols = _window_index(n_H, n_W, f, stride)
    windows = A_prev[:, rows, cols, :]
    if mode == "max":
        share = (windows == windows.max(axis=(3, 4), keepdims=True)) * dA[:, :, :, None, None, :]
    else:
        share = np.broadcast_to(dA[:, :, :, None, None, :], windows.shape)
    dA_prev = np.zeros(A_prev.shape)
    dA_prev[:, rows, cols, :] += share
    return dA_prev


def test_a_fancy_indexed_add_is_named_only_once_np_add_at_made_every_case_pass():
    fn = pool_backward_scattered_by_fancy_index
    verdict = _verdict(VECTOR, "pool_backward", fn)
    assert [d.id for d in _causes(verdict)] == ["scatter_without_add_at"], _causes(verdict)
    values = verdict.diagnosis.values
    assert values["line"].startswith("dA_prev[:, rows, cols, :] += share")
    assert values["new"] == "np.add.at(dA_prev, (slice(None), rows, cols, slice(None)), share)"
    assert values["where"] == fn.__name__ and values["tried"] == "passes"
    runs = local.runs_of(VECTOR, "pool_backward", fn, fn.__globals__)
    assert all(run.passed for run in runs if run.factors.get("overlap") != "overlapping")  # no entry named twice
    assert "np.add.at(dA_prev, (slice(None), rows, cols, slice(None)), share)" in _rendered(VECTOR, verdict)


def test_a_fancy_indexed_add_is_not_blamed_when_np_add_at_leaves_a_case_failing():
    verdict = _verdict(VECTOR, "pool_backward", pool_backward_scattered_and_average_undivided)
    assert not verdict.passed
    assert "scatter_without_add_at" not in [d.id for d in _causes(verdict)], _causes(verdict)


def test_the_edits_tried_are_read_from_a_notebook_with_magics_and_reach_the_helpers_called():
    source = ("import numpy as xp\n%matplotlib inline\n"
              "def scatter(x, idx, v):\n    x[idx, :] += v  # fancy\n    x[1:3, :] += v[:2]\n    return x\n"
              "def other(x, idx, v):\n    x[idx] += v\n\n"
              "def layer(x, idx, v):\n    return scatter(x, idx, v)\n")
    edits = scatter_edits(source, "layer")
    assert [(e.where, e.line, e.new) for e in edits] == [
        ("scatter", "x[idx, :] += v  # fancy", "xp.add.at(x, (idx, slice(None)), v)  # fancy")]


# -- a mode compared with a word the function is never given ----------------------------------------------
def pool_forward_comparing_with_mean(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            if mode == 'max':
                A[:, h, w, :] = window.max(axis=(1, 2))
            elif mode == 'mean':
                A[:, h, w, :] = window.mean(axis=(1, 2))
    return A, (A_prev, hparameters)


def pool_forward_comparing_with_mean_and_summing(A_prev, hparameters, mode="max"):
    """The same word, and the average branch sums: "average" there still leaves it wrong."""
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            if mode == 'max':
                A[:, h, w, :] = window.max(axis=(1, 2))
            elif mode == 'mean':
                A[:, h, w, :] = window.sum(axis=(1, 2))
    return A, (A_prev, hparameters)


def test_a_mode_compared_with_another_word_is_named_once_the_callers_word_made_every_case_pass():
    fn = pool_forward_comparing_with_mean
    verdict = _verdict(STEP, "pool_forward", fn)
    assert [d.id for d in _causes(verdict)] == ["mode_misspelled"], _causes(verdict)
    values = verdict.diagnosis.values
    assert (values["line"], values["new"], values["mode"]) == ("elif mode == 'mean':", "elif mode == 'average':",
                                                               "average")
    assert "Write `elif mode == 'average':` there" in _rendered(STEP, verdict)


def test_a_mode_compared_with_another_word_is_not_promised_a_fix_when_the_branch_is_wrong_too():
    verdict = _verdict(STEP, "pool_forward", pool_forward_comparing_with_mean_and_summing)
    assert not verdict.passed
    assert "mode_misspelled" not in [d.id for d in _causes(verdict)], _causes(verdict)


def pool_backward_with_a_nested_helper_and_another_word(dA, cache, mode="max"):
    """Its windows added by a helper defined inside it (a fancy-indexed += that adds every share: no entry is
    named twice in one call), and its average branch compared with "avg"."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)

    def add_window(i, h, w, c, values):
        rows, cols = np.arange(h * stride, h * stride + f)[:, None], np.arange(w * stride, w * stride + f)[None, :]
        dA_prev[i, rows, cols, c] += values

    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    if mode == "max":
                        window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                        add_window(i, h, w, c, (window == np.max(window)) * dA[i, h, w, c])
                    elif mode == "avg":
                        add_window(i, h, w, c, np.full((f, f), dA[i, h, w, c] / (f * f)))
    return dA_prev


def test_an_edit_that_cannot_be_made_does_not_stop_the_next_from_being_tried():
    """The nested helper's += is proposed twice: in the function (tried: not the cause) and in the helper by its
    name, which the notebook does not hold (cannot be tried); the mode's word after them is the cause."""
    fn = pool_backward_with_a_nested_helper_and_another_word
    source = inspect.getsource(fn)
    runs = local.runs_of(STEP, "pool_backward", fn, fn.__globals__)
    edits = [(cause, edit.where) for cause, edit, _ in local.source_edits(source, fn.__name__, runs, "np")]
    assert edits[:3] == [("scatter_without_add_at", fn.__name__), ("scatter_without_add_at", "add_window"),
                         ("mode_misspelled", fn.__name__)], edits
    verdict = _verdict(STEP, "pool_backward", fn)
    assert [d.id for d in _causes(verdict)] == ["mode_misspelled"], _causes(verdict)
    assert verdict.diagnosis.values["new"] == 'elif mode == "average":'


# -- a floor division where a true division belongs ----------------------------------------------------------
def distribute_value_floored(dz, shape):
    n_H, n_W = shape
    return np.full((n_H, n_W), dz // (n_H * n_W), dtype=float)


def distribute_value_nothing_written(dz, shape):
    """All zeros too where every share is below 1, but no // to blame: nothing is written."""
    n_H, n_W = shape
    a = np.zeros((n_H, n_W))
    np.full((n_H, n_W), dz / (n_H * n_W))
    return a


def distribute_value_floored_by_one_side(dz, shape):
    """A // too, but over one side of the window: not the right values rounded down."""
    n_H, n_W = shape
    return np.full((n_H, n_W), dz // n_H, dtype=float)


def test_values_rounded_down_are_named_as_the_floor_division_once_a_true_division_made_every_case_pass():
    verdict = _verdict(STEP, "distribute_value", distribute_value_floored)
    assert [d.id for d in _causes(verdict)] == ["floor_division"], _causes(verdict)
    values = verdict.diagnosis.values
    assert values["new"] == "return np.full((n_H, n_W), dz / (n_H * n_W), dtype=float)" and values["tried"] == "passes"
    assert "rounded down" in _rendered(STEP, verdict)


@pytest.mark.parametrize("fn", [distribute_value_nothing_written, distribute_value_floored_by_one_side],
                         ids=lambda fn: fn.__name__)
def test_a_floor_division_is_not_blamed_where_the_values_are_not_the_right_ones_rounded_down(fn):
    verdict = _verdict(STEP, "distribute_value", fn)
    assert not verdict.passed
    assert "floor_division" not in [d.id for d in _causes(verdict)], _causes(verdict)


# -- as_strided's byte steps ---------------------------------------------------------------------------------
from numpy.lib.stride_tricks import as_strided  # noqa: E402


def conv_forward_steps_of_the_unpadded_input(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, n_C = W.shape[0], W.shape[3]
    m, H, Wd, C = A_prev.shape
    n_H, n_W = (H + 2 * pad - f) // stride + 1, (Wd + 2 * pad - f) // stride + 1
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    s0, s1, s2, s3 = A_prev.strides
    patches = as_strided(padded, (m, n_H, n_W, f, f, C), (s0, s1 * stride, s2 * stride, s1, s2, s3))
    return np.tensordot(patches, W, axes=3) + b.reshape(1, 1, 1, n_C), (A_prev, W, b, hparameters)


def conv_forward_right_steps_and_no_bias(A_prev, W, b, hparameters):
    """The steps are right (the padded array's own): the bias is forgotten, and no edit of the steps fixes that."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, H, Wd, C = A_prev.shape
    n_H, n_W = (H + 2 * pad - f) // stride + 1, (Wd + 2 * pad - f) // stride + 1
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    s0, s1, s2, s3 = padded.strides
    unused = A_prev.strides  # noqa: F841 (read, never used: an edit of it changes nothing)
    patches = as_strided(padded, (m, n_H, n_W, f, f, C), (s0, s1 * stride, s2 * stride, s1, s2, s3))
    return np.tensordot(patches, W, axes=3), (A_prev, W, b, hparameters)


def conv_forward_steps_by_hand_on_a_transpose(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, n_C = W.shape[0], W.shape[3]
    chw = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0))).transpose(0, 3, 1, 2)
    m, C, H, Wd = chw.shape
    n_H, n_W = (H - f) // stride + 1, (Wd - f) // stride + 1
    item = chw.itemsize
    steps = (C * H * Wd * item, H * Wd * item, Wd * item * stride, item * stride, Wd * item, item)
    patches = as_strided(chw, (m, C, n_H, n_W, f, f), steps)
    Z = np.einsum("mchwij,ijcn->mhwn", patches, W) + b.reshape(1, 1, 1, n_C)
    return Z, (A_prev, W, b, hparameters)


def test_steps_of_another_array_are_named_once_the_viewed_arrays_own_made_every_case_pass():
    verdict = _verdict(VECTOR, "conv_forward", conv_forward_steps_of_the_unpadded_input)
    assert [d.id for d in _causes(verdict)] == ["strides_of_another_array"], _causes(verdict)
    values = verdict.diagnosis.values
    assert (values["other"], values["array"], values["new"]) == ("A_prev", "padded", "s0, s1, s2, s3 = padded.strides")
    assert "padded.strides" in _rendered(VECTOR, verdict)


def test_steps_computed_by_hand_for_a_transpose_are_named_once_a_contiguous_copy_made_every_case_pass():
    verdict = _verdict(VECTOR, "conv_forward", conv_forward_steps_by_hand_on_a_transpose)
    assert [d.id for d in _causes(verdict)] == ["strides_assume_contiguous"], _causes(verdict)
    assert "np.ascontiguousarray(chw)" in verdict.diagnosis.values["new"]
    assert "np.ascontiguousarray(chw)" in _rendered(VECTOR, verdict)


def test_the_steps_are_not_blamed_where_no_edit_of_them_makes_the_function_right():
    verdict = _verdict(VECTOR, "conv_forward", conv_forward_right_steps_and_no_bias)
    assert not verdict.passed
    ids = [d.id for d in _causes(verdict)]
    assert "strides_of_another_array" not in ids and "strides_assume_contiguous" not in ids, ids


# -- einsum letters swapped: the swap tried --------------------------------------------------------------------
def _windows(A_prev, f, stride, pad):
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    view = np.lib.stride_tricks.sliding_window_view(padded, (f, f), axis=(1, 2))   # (m, H', W', C, f, f)
    return view[:, ::stride, ::stride]


def conv_forward_filter_letters_swapped(A_prev, W, b, hparameters):
    win = _windows(A_prev, W.shape[0], hparameters["stride"], hparameters["pad"])
    return np.einsum("mhwcij,ijnc->mhwn", win, W) + b.reshape(1, 1, 1, -1), (A_prev, W, b, hparameters)


def conv_forward_filter_letters_swapped_and_no_bias(A_prev, W, b, hparameters):
    win = _windows(A_prev, W.shape[0], hparameters["stride"], hparameters["pad"])
    return np.einsum("mhwcij,ijnc->mhwn", win, W), (A_prev, W, b, hparameters)


def test_einsum_channel_letters_are_fixed_by_the_swap_that_fits_every_shape_and_was_tried():
    verdict = _verdict(VECTOR, "conv_forward", conv_forward_filter_letters_swapped)
    assert [d.id for d in _causes(verdict)] == ["einsum_channel_letters"], _causes(verdict)
    values = verdict.diagnosis.values
    assert values["tried"] == "passes" and '"mhwcij,ijcn->mhwn"' in values["new"]
    assert "with that change, your function passes every case" in _rendered(VECTOR, verdict)


def test_the_swap_of_einsum_letters_is_not_promised_to_fix_a_function_with_a_second_bug():
    verdict = _verdict(VECTOR, "conv_forward", conv_forward_filter_letters_swapped_and_no_bias)
    # what still fails once swapped: the catalogued mistake (it explains more of those runs than a reading of the
    # bias without it does, so it is kept though it matches only some of the runs where it shows)
    assert [d.id for d in _causes(verdict)] == ["einsum_channel_letters", "matrix_bias_forgotten"], _causes(verdict)
    assert verdict.diagnosis.values.get("tried") != "passes"
    hint = Renderer("en").hint(verdict)
    assert "passes every case" not in hint and "still fails some cases" in hint, hint


def conv_forward_implicit_output_letters_swapped(A_prev, W, b, hparameters):
    """An einsum with no "->": numpy orders the output's letters alphabetically (h, m, n, w here)."""
    win = _windows(A_prev, W.shape[0], hparameters["stride"], hparameters["pad"])
    return np.einsum("mhwcij,ijnc", win, W) + b.reshape(1, 1, 1, -1), (A_prev, W, b, hparameters)


def test_einsum_letters_are_read_without_an_explicit_output_and_the_swap_is_not_promised_to_be_enough():
    verdict = _verdict(VECTOR, "conv_forward", conv_forward_implicit_output_letters_swapped)
    causes = _causes(verdict)
    assert causes[0].id == "einsum_channel_letters", causes
    assert (causes[0].values["tried"], causes[0].values["new"].split(",")[:2]) == (
        "error_gone", ['return np.einsum("mhwcij', 'ijcn"'])
    assert "transposed_shape" in [d.id for d in causes[1:]], causes  # what the swap leaves: the output's order


@pytest.mark.parametrize("check, function, fn", [
    (VECTOR, "pool_backward", pool_backward_scattered_by_fancy_index),
    (STEP, "pool_forward", pool_forward_comparing_with_mean),
    (STEP, "distribute_value", distribute_value_floored),
    (VECTOR, "conv_forward", conv_forward_steps_of_the_unpadded_input),
    (VECTOR, "conv_forward", conv_forward_steps_by_hand_on_a_transpose),
    (VECTOR, "conv_forward", conv_forward_filter_letters_swapped),
], ids=["scatter", "mode", "floor", "steps_of_another", "steps_by_hand", "einsum_letters"])
def test_a_tried_change_is_left_out_of_the_class_summarys_general_words(check, function, fn):
    """The table of causes says a cause in general, without one learner's run (LEARNERS_OWN): no fix is promised
    there, and no placeholder is left unfilled."""
    from autograder.grading.reports.summary import LEARNERS_OWN
    from autograder.verdict import Diagnosis

    diagnosis = _verdict(check, function, fn).diagnosis
    general = Diagnosis(diagnosis.id, diagnosis.source,
                        {k: v for k, v in diagnosis.values.items() if k not in LEARNERS_OWN})
    for language in ("en", "zh"):
        text = Renderer(language).diagnosis(general, function)
        assert text and not re.search(r"\{[a-z_]+\}", text), text
        assert "passes every case" not in text and "通过所有用例" not in text, text


# -- an UnboundLocalError read with the learner's code ---------------------------------------------------------
def pool_forward_example_taken_before_its_loop(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    example = A_prev[k]  # noqa: F821 (k is the loop's, below)
    for k in range(m):
        for h in range(n_H):
            for w in range(n_W):
                window = example[h * stride:h * stride + f, w * stride:w * stride + f, :]
                A[k, h, w, :] = window.max(axis=(0, 1)) if mode == "max" else window.mean(axis=(0, 1))
    return A, (A_prev, hparameters)


def pool_forward_reduce_named_in_one_branch(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    windows = np.stack([np.stack([A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
                                  for w in range(n_W)], axis=1) for h in range(n_H)], axis=1)  # (m, n_H, n_W, f, f, C)
    if mode == "max":
        reduce = np.max
        A = reduce(windows, axis=(3, 4))
    else:
        A = reduce(windows, axis=(3, 4)) / 1  # the mean was meant, under the name the max branch sets
    return A, (A_prev, hparameters)


def pool_forward_first_window_unset(A_prev, hparameters, mode="max"):
    """The name is set in the loop, but only from its second pass: neither before its loop nor in another branch."""
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            if h + w > 0:
                previous = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            A[:, h, w, :] = previous.max(axis=(1, 2))
    return A, (A_prev, hparameters)


def pool_forward_example_taken_before_its_loop_after_other_loops(A_prev, hparameters, mode="max"):
    """As above, with a while loop and a for loop of other names before: the loop named is the one that sets k."""
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    sizes, axis = [], 1
    while axis < 3:
        sizes.append((A_prev.shape[axis] - f) // stride + 1)
        axis += 1
    for size in sizes:
        assert size > 0
    A = np.zeros((m, sizes[0], sizes[1], n_C))
    example = A_prev[k]  # noqa: F821 (k is the loop's, below)
    for k in range(m):
        for h in range(sizes[0]):
            for w in range(sizes[1]):
                window = example[h * stride:h * stride + f, w * stride:w * stride + f, :]
                A[k, h, w, :] = window.max(axis=(0, 1)) if mode == "max" else window.mean(axis=(0, 1))
    return A, (A_prev, hparameters)


def pool_forward_size_read_before_it_is_computed(A_prev, hparameters, mode="max"):
    """The name is set later by a plain assignment, no loop: neither reading (the exception's words stay)."""
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    A = np.zeros((m, n_H, n_H, n_C))  # noqa: F821 (computed below)
    n_H = (n_H_prev - f) // stride + 1
    for h in range(n_H):
        for w in range(n_H):
            A[:, h, w, :] = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :].max(axis=(1, 2))
    return A, (A_prev, hparameters)


def pool_forward_loop_over_its_own_name(A_prev, hparameters, mode="max"):
    """`for n_H in range(n_H)`: the name is read by the loop's own line, not by a line placed before the loop."""
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    A = np.zeros((m, (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1, n_C))
    for n_H in range(n_H):  # noqa: F821
        for w in range(A.shape[2]):
            A[:, n_H, w, :] = A_prev[:, n_H * stride:n_H * stride + f, w * stride:w * stride + f, :].max(axis=(1, 2))
    return A, (A_prev, hparameters)


def test_a_line_placed_before_the_loop_that_sets_its_name_is_told_to_move_into_it():
    verdict = _verdict(STEP, "pool_forward", pool_forward_example_taken_before_its_loop)
    assert [d.id for d in _causes(verdict)] == ["used_before_its_loop"], _causes(verdict)
    values = verdict.diagnosis.values
    assert (values["name"], values["loop"]) == ("k", "for k in range(m):")
    assert values["line"].startswith("example = A_prev[k]")
    assert "Move the line inside that loop" in _rendered(STEP, verdict)


def test_the_loop_named_is_the_one_that_sets_the_name_not_an_earlier_one():
    verdict = _verdict(STEP, "pool_forward", pool_forward_example_taken_before_its_loop_after_other_loops)
    assert [d.id for d in _causes(verdict)] == ["used_before_its_loop"], _causes(verdict)
    assert verdict.diagnosis.values["loop"] == "for k in range(m):"


@pytest.mark.parametrize("fn", [pool_forward_size_read_before_it_is_computed, pool_forward_loop_over_its_own_name],
                         ids=lambda fn: fn.__name__)
def test_a_name_set_later_but_not_by_a_loop_after_the_line_is_not_said_to_be_before_its_loop(fn):
    verdict = _verdict(STEP, "pool_forward", fn)
    assert not verdict.passed
    assert verdict.raised is not None and verdict.raised.type == "UnboundLocalError"
    assert "used_before_its_loop" not in [d.id for d in _causes(verdict)], _causes(verdict)


def test_only_an_unbound_local_error_is_read_as_one():
    from autograder.diagnosis.unbound import unbound_reading
    from autograder.verdict import Raised

    source = inspect.getsource(pool_forward_example_taken_before_its_loop)
    message = "cannot access local variable 'k' where it is not associated with a value"
    line = "example = A_prev[k]  # noqa: F821 (k is the loop's, below)"
    where = "pool_forward_example_taken_before_its_loop"
    assert unbound_reading(Raised("UnboundLocalError", message, line, where), source).id == "used_before_its_loop"
    assert unbound_reading(Raised("NameError", message, line, where), source) is None
    assert unbound_reading(Raised("UnboundLocalError", message, None, where), source) is None  # no line to read


def test_a_name_set_only_in_the_other_branch_is_named_with_that_branchs_condition():
    verdict = _verdict(STEP, "pool_forward", pool_forward_reduce_named_in_one_branch)
    assert [d.id for d in _causes(verdict)] == ["name_from_other_branch"], _causes(verdict)
    values = verdict.diagnosis.values
    assert (values["name"], values["test"]) == ("reduce", "mode == 'max'")
    assert values["when"]["factors"] == ["mode"]  # raised on every case with mode average, on none with max
    assert "other branch of `if mode == 'max'`" in _rendered(STEP, verdict)


def test_a_name_unset_on_the_first_pass_of_its_own_loop_is_neither_reading():
    verdict = _verdict(STEP, "pool_forward", pool_forward_first_window_unset)
    assert not verdict.passed
    ids = [d.id for d in _causes(verdict)]
    assert "used_before_its_loop" not in ids and "name_from_other_branch" not in ids, ids


# -- the learner's check of a computed shape, taken out ------------------------------------------------------
def conv_forward_channels_of_the_input_checked(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    m = A_prev.shape[0]
    X = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H, n_W = (X.shape[1] - f) // stride + 1, (X.shape[2] - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C_prev))
    for c in range(min(n_C, n_C_prev)):
        for h in range(n_H):
            for w in range(n_W):
                window = X[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
                Z[:, h, w, c] = np.sum(window * W[..., c], axis=(1, 2, 3)) + b[0, 0, 0, c]
    assert Z.shape == (m, n_H, n_W, n_C), "Z has the wrong shape"
    return Z, (A_prev, W, b, hparameters)


def conv_forward_right_but_checked_against_the_input_channels(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    X = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H, n_W = (X.shape[1] - f) // stride + 1, (X.shape[2] - f) // stride + 1
    Z = np.zeros((A_prev.shape[0], n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = X[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            Z[:, h, w, :] = np.tensordot(window, W, axes=3) + b.reshape(-1)
    assert Z.shape == (A_prev.shape[0], n_H, n_W, n_C_prev)
    return Z, (A_prev, W, b, hparameters)


def test_a_check_of_a_computed_shape_is_taken_out_and_what_it_caught_is_said():
    verdict = _verdict(STEP, "conv_forward", conv_forward_channels_of_the_input_checked)
    causes = _causes(verdict)
    assert causes and "own_assert" not in [d.id for d in causes], causes
    assert causes[0].values.get("caught_by", "").startswith("assert Z.shape == (m, n_H, n_W, n_C)")
    hint = _rendered(STEP, verdict)
    assert hint.startswith("your own check `assert Z.shape == (m, n_H, n_W, n_C)") and "taken out" in hint, hint


def test_a_check_that_is_itself_wrong_stays_the_cause():
    verdict = _verdict(STEP, "conv_forward", conv_forward_right_but_checked_against_the_input_channels)
    assert [d.id for d in _causes(verdict)] == ["own_assert"], _causes(verdict)
    assert "caught_by" not in verdict.diagnosis.values


def conv_forward_maximum_times_the_largest_weight(A_prev, W, b, hparameters):
    """Not a convolution at all: each window's maximum times W's largest entry. On a probe's 1 x 1 input with
    one channel that equals the convolution without its bias, so the catalogued mistake "bias forgotten"
    matches there, by coincidence, and on no case."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    X = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H, n_W = (X.shape[1] - f) // stride + 1, (X.shape[2] - f) // stride + 1
    Z = np.zeros((A_prev.shape[0], n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = X[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            Z[:, h, w, :] = window.max(axis=(1, 2, 3))[:, None] * np.abs(W).max()
    return Z, (A_prev, W, b, hparameters)


def conv_forward_maximum_and_checked(A_prev, W, b, hparameters):
    """The same, with a check of its own that stops it where the channel counts differ."""
    Z, cache = conv_forward_maximum_times_the_largest_weight(A_prev, W, b, hparameters)
    assert Z.shape[3] == W.shape[2]
    return Z, cache


def test_a_mistake_matched_on_probes_alone_by_coincidence_is_not_named():
    fn = conv_forward_maximum_times_the_largest_weight
    runs = local.runs_of(STEP, "conv_forward", fn, fn.__globals__)
    matched = [run for run in runs if "bias_forgotten" in (run.matches or (run.matched,))]
    assert matched and not any(run.is_case for run in matched)  # the coincidence this is about
    verdict = _verdict(STEP, "conv_forward", fn)
    assert [d.id for d in _causes(verdict)] == ["simplest_probe_fails"], _causes(verdict)


def test_a_check_taken_out_says_nothing_it_caught_when_what_is_left_has_no_cause_but_the_simplest_input():
    verdict = _verdict(STEP, "conv_forward", conv_forward_maximum_and_checked)
    assert [d.id for d in _causes(verdict)] == ["own_assert"], _causes(verdict)
    assert "caught_by" not in verdict.diagnosis.values


def conv_forward_sizes_by_ceil(A_prev, W, b, hparameters):
    """The padded input's window positions rounded up; a window past the edge is cut short, and so is W with it."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    X = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H = math.ceil((A_prev.shape[1] + 2 * pad - f) / stride) + 1
    n_W = math.ceil((A_prev.shape[2] + 2 * pad - f) / stride) + 1
    Z = np.zeros((A_prev.shape[0], n_H, n_W, W.shape[3]))
    for h in range(n_H):
        for w in range(n_W):
            window = X[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            kept = W[:window.shape[1], :window.shape[2]]
            Z[:, h, w, :] = np.tensordot(window, kept, axes=([1, 2, 3], [0, 1, 2])) + b.reshape(-1)
    return Z, (A_prev, W, b, hparameters)


def test_sizes_rounded_up_count_the_padding_on_every_case_with_pad():
    """The rounded-up formula reads the padded input: its claim holds on cases with pad > 0 too."""
    fn = conv_forward_sizes_by_ceil
    runs = local.runs_of(STEP, "conv_forward", fn, fn.__globals__)
    assert any(run.factors["pad"] > 0 and not run.passed for run in runs)
    assert any(run.factors["pad"] > 0 and run.passed for run in runs)
    verdict = _verdict(STEP, "conv_forward", fn)
    assert [d.id for d in _causes(verdict)] == ["size_rounded_up"], _causes(verdict)
    values = verdict.diagnosis.values
    shown = next(run for run in runs if run.is_case and run.id == verdict.place.id)
    pad, f, stride = values["pad"], values["f"], values["stride"]
    assert (values["n_H"], values["n_W"]) == tuple(math.ceil((n + 2 * pad - f) / stride) + 1
                                                   for n in shown.args[0].shape[1:3])


def test_the_first_size_reading_is_that_of_the_first_run_that_shows_it():
    fn = conv_forward_sizes_by_ceil
    runs = local.runs_of(STEP, "conv_forward", fn, fn.__globals__)
    names = STEP.case_file.function("conv_forward").outputs
    first, shown, explained, readings = sizes.size_formula("conv_forward", names, runs)
    assert len({readings[run.id].values["got"] for run in shown}) > 1  # the runs shown read differently
    assert first == readings[shown[0].id]
    assert [run.id for run in shown] == [run.id for run in explained if run.id in readings]


def pool_forward_window_set_in_the_other_branch_read_in_a_loop(A_prev, hparameters, mode="max"):
    """The line that reads the name sits in a loop of its branch: the branch holds it though it is not the
    branch's own first line."""
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            if mode == "max":
                window = A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
                A[:, h, w, :] = window.max(axis=(1, 2))
            else:
                for c in range(n_C):
                    A[:, h, w, c] = window[..., c].mean(axis=(1, 2))
    return A, (A_prev, hparameters)


def test_a_name_set_in_the_other_branch_is_named_where_the_line_is_deep_in_its_branch():
    verdict = _verdict(STEP, "pool_forward", pool_forward_window_set_in_the_other_branch_read_in_a_loop)
    assert [d.id for d in _causes(verdict)] == ["name_from_other_branch"], _causes(verdict)
    assert (verdict.diagnosis.values["name"], verdict.diagnosis.values["test"]) == ("window", "mode == 'max'")


def _unbound(source: str, line: str, name: str):
    from autograder.diagnosis.unbound import unbound_reading
    from autograder.verdict import Raised

    message = f"cannot access local variable '{name}' where it is not associated with a value"
    return unbound_reading(Raised("UnboundLocalError", message, line, "pool_forward"), source)


def test_the_line_read_may_be_the_last_line_of_the_learners_code():
    source = ("def pool_forward(A_prev, hparameters, mode='max'):\n"
              "    if mode == 'max':\n"
              "        A = A_prev.max(axis=(1, 2), keepdims=True)\n"
              "    else:\n"
              "        return A")  # no newline at the end: the cell's last line
    reading = _unbound(source, "return A", "A")
    assert reading is not None and reading.id == "name_from_other_branch", reading


def test_a_name_bound_otherwise_than_by_assignment_is_not_read():
    """`import ... as xp` later in the same branch: no assignment to read, so no claim (the other branch
    sets nothing)."""
    source = ("def pool_forward(A_prev, hparameters, mode='max'):\n"
              "    if mode == 'max':\n"
              "        A = A_prev.max(axis=(1, 2), keepdims=True)\n"
              "    else:\n"
              "        A = xp.mean(A_prev, axis=(1, 2), keepdims=True)\n"
              "        import numpy as xp\n"
              "    return A, (A_prev, hparameters)\n")
    assert _unbound(source, "A = xp.mean(A_prev, axis=(1, 2), keepdims=True)", "xp") is None


def test_the_fancy_indexed_adds_tried_are_at_most_two_per_function():
    """Each edit tried costs the class grader a sandbox job: of three candidate lines, the first two."""
    source = ("import numpy as np\n"
              "def pool_backward(dA, cache, mode='max'):\n"
              "    out = np.zeros(5)\n"
              "    rows = np.array([0, 0, 1])\n"
              "    out[rows] += 1\n"
              "    out[rows + 1] += 2\n"
              "    out[rows + 2] += 3\n"
              "    return out\n")
    edits = scatter_edits(source, "pool_backward")
    assert [edit.line for edit in edits] == ["out[rows] += 1", "out[rows + 1] += 2"]


def test_einsum_letters_are_swapped_in_whichever_operands_hold_the_letter():
    """Three operands, the first without the letter numpy named: the swap is found in the operands after it."""
    from autograder.diagnosis.edits import _letters_swapped

    scale, win, W = np.ones(2), np.ones((2, 3, 3, 3, 2, 2)), np.ones((2, 2, 3, 8))  # W as (f, f, n_C_prev, n_C)
    line = 'Z = np.einsum("k,mhwcij,ijnc->mhwn", scale, win, W)'
    with pytest.raises(ValueError) as raised:
        np.einsum("k,mhwcij,ijnc->mhwn", scale, win, W)
    swaps = _letters_swapped(line, str(raised.value), "c")
    assert 'Z = np.einsum("k,mhwcij,ijcn->mhwn", scale, win, W)' in swaps, swaps
    np.einsum("k,mhwcij,ijcn->mhwn", scale, win, W)  # the swap found: numpy takes it


def conv_forward_caching_the_padded_input(A_prev, W, b, hparameters):
    """Right values; its cache holds the padded input in place of A_prev (a held-out tester's learner)."""
    Z, cache = STEP_BY_STEP.reference()["conv_forward"](A_prev, W, b, hparameters)
    pad = hparameters["pad"]
    return Z, (np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0))),) + cache[1:]


def test_a_cache_whose_arrays_differ_in_shape_gets_a_verdict_not_a_crash_of_the_check():
    """The size readings took the shape of every differing output, a cache's tuple of arrays too, which numpy
    cannot shape: the check raised its own ValueError instead of saying what is wrong."""
    with pytest.raises(autograder.CheckFailed) as failure:
        STEP("conv_forward", conv_forward_caching_the_padded_input)
    assert "cache[0] has shape (10, 8, 8, 3), but it should have shape (10, 4, 4, 3)" in str(failure.value)
