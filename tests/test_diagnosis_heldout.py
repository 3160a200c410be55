"""Readings that a held-out tester's learners (written without the kit's corpus in sight) showed wrong (issue 17).

Each learner function is written by hand; each test fails on the kit before the fix it is about.
"""
from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import autograder
from tests.helpers import STEP_BY_STEP, pool_by_hand

STEP = autograder.checks(STEP_BY_STEP.name)
REFERENCE = STEP_BY_STEP.reference()


def conv_backward_averaged_over_the_batch(dZ, cache):
    """Right but for dW and db, both divided by the number of examples."""
    dA_prev, dW, db = REFERENCE["conv_backward"](dZ, cache)
    return dA_prev, dW / dZ.shape[0], db / dZ.shape[0]


def message(function: str, fn, hidden: bool) -> str:
    with pytest.raises(autograder.CheckFailed) as failure:
        STEP(function, fn, hidden=hidden)
    return str(failure.value)


@pytest.mark.parametrize("hidden", [False, True])
def test_outputs_off_by_the_same_factor_are_one_cause_named_with_the_shown_cases_own_size(hidden):
    """dW alone was named, db then fell to a second, false cause ("the loop over the examples"); and the hidden
    case's message gave the visible case's m (10) as its own (2)."""
    text = message("conv_backward", conv_backward_averaged_over_the_batch, hidden)
    m = 2 if hidden else 10
    assert f"dZ ({m}, " in text  # the case shown
    assert f"every entry of dW and db is what it should be divided by the number of examples m ({m} on this case)" \
        in text
    assert "Without that factor, your function passes every case." in text
    assert "2 things to fix" not in text and "loop over the examples" not in text


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * dz / (n_H * n_W)


def pool_backward_spreading_over_the_stride(dA, cache, mode="max"):
    """Average pooling's share spread over a stride x stride block, not the f x f window: right for max, and
    broadcast (every entry f * f times too big) where the stride is 1, an error where it is above 1 and not f."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for i in range(dA.shape[0]):
        for h in range(dA.shape[1]):
            for w in range(dA.shape[2]):
                for c in range(dA.shape[3]):
                    rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    if mode == "max":
                        window = A_prev[i, rows, cols, c]
                        dA_prev[i, rows, cols, c] += (window == np.max(window)) * dA[i, h, w, c]
                    else:
                        dA_prev[i, rows, cols, c] += distribute_value(dA[i, h, w, c], (stride, stride))
    return dA_prev


def test_a_number_read_case_by_case_is_not_given_as_the_shown_cases_when_it_was_not_read_there():
    """The hidden case shown raised (f = 3): "the window's area f * f (4 on this case)" was another case's."""
    text = message("pool_backward", pool_backward_spreading_over_the_stride, hidden=True)
    assert "Calling it raised ValueError" in text and "'f': 3" in text
    assert "the window's area f * f times what it should be:" in text
    assert "on this case)" not in text


def test_an_errors_condition_counts_the_cases_that_failed_without_raising_it():
    """The visible case shown (average, stride 1, f 2) returned values four times too big. "This error comes on 2 of
    the 2 cases tried with mode="average" and stride != f" had counted only the cases that passed or raised it, so
    the case shown, which has that condition, contradicted it. And the pieces (3, 3) and (2, 2) have no axis out of
    place and none missing: they differ in size."""
    text = message("pool_backward", pool_backward_spreading_over_the_stride, hidden=False)
    assert "'stride': 1, 'f': 2}), mode='average'" in text and "differs in" in text  # it returned values
    failed, of = map(int, re.search(r"This error comes on (\d+) of the (\d+) cases tried with mode=\"average\"",
                                    text).groups())
    assert failed < of
    assert "other sizes along 2 of them" in text and "wrong place" not in text


def conv_forward_whose_channel_loop_reuses_the_window_size(A_prev, W, b, hparameters):
    """The channel loop counts with the name that holds the window's size: from the second window on, the window
    is cut with the last channel's number as its size."""
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    size, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    n_C = W.shape[3]
    n_H, n_W = (n_H_prev + 2 * pad - size) // stride + 1, (n_W_prev + 2 * pad - size) // stride + 1
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                window = padded[i, h * stride:h * stride + size, w * stride:w * stride + size, :]
                for size in range(n_C):
                    Z[i, h, w, size] = np.sum(window * W[..., size]) + b[0, 0, 0, size]
    return Z, (A_prev, W, b, hparameters)


@pytest.mark.parametrize("hidden", [False, True])
def test_a_loop_counter_that_takes_over_the_window_size_is_named_with_the_renaming_tried(hidden):
    """Three causes were said, none of them this one: shapes, the channels, the stride."""
    text = message("conv_forward", conv_forward_whose_channel_loop_reuses_the_window_size, hidden)
    assert "`for size in range(n_C):` (in conv_forward_whose_channel_loop_reuses_the_window_size) counts with size" \
        in text
    assert re.search(r"with `for (size_\w+) in range\(n_C\):`, and \1 for size inside that loop, your function "
                     r"passes every case\.", text)  # a name the learner's code does not use
    assert "things to fix" not in text


def window_one_short(corner, size):
    """A learner's helper for the columns of every layer's windows: the window's end one short (corner + size -
    1)."""
    return corner, corner + size - 1


def conv_forward_with_short_windows(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H, n_W = (n_H_prev + 2 * pad - f) // stride + 1, (n_W_prev + 2 * pad - f) // stride + 1
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            top, bottom = h * stride, h * stride + f
            for w in range(n_W):
                left, right = window_one_short(w * stride, f)
                for c in range(n_C):
                    Z[i, h, w, c] = np.sum(np.multiply(padded[i, top:bottom, left:right, :], W[..., c])) \
                        + b[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)


def conv_backward_with_short_windows(dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    d_padded = np.zeros(padded.shape)
    dW, db = np.zeros(W.shape), np.zeros(b.shape)
    for i in range(dZ.shape[0]):
        for h in range(dZ.shape[1]):
            top, bottom = h * stride, h * stride + f
            for w in range(dZ.shape[2]):
                left, right = window_one_short(w * stride, f)
                for c in range(dZ.shape[3]):
                    d_padded[i, top:bottom, left:right, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += padded[i, top:bottom, left:right, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return d_padded[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :], dW, db


@pytest.mark.parametrize("function, fn", [("conv_forward", conv_forward_with_short_windows),
                                          ("conv_backward", conv_backward_with_short_windows)])
@pytest.mark.parametrize("hidden", [False, True])
def test_errors_of_a_window_one_short_name_no_mistake_that_raises_the_same_error_elsewhere(function, fn, hidden):
    """The short window raises what windows cut from A_prev, every axis padded or the batch axis padded raise at
    the border of a padded case. Those mistakes leave a case without padding right, where this learner's function
    raises the same error: they were named all the same, as second and third causes. Now the helper's `- 1` is
    named, once the function passed every case without it (held-out s04 got only the catch-all hint there)."""
    text = message(function, fn, hidden)
    assert "`return corner, corner + size - 1` (in window_one_short) takes away a 1 that does not belong there" \
        in text, text
    assert "Write `return corner, corner + size` there: with that change, your function passes every case." in text
    assert "things to fix" not in text, text
    assert not any(said in text for said in ("every axis was padded", "not from the padded input",
                                             "the batch axis and the height were padded")), text


def conv_forward_with_short_windows_and_no_bias(A_prev, W, b, hparameters):
    """The short windows, and the bias left out (over all examples and channels at once, np.tensordot): a window
    one longer is tried, and leaves it failing."""
    stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n_H, n_W = (padded.shape[1] - f) // stride + 1, (padded.shape[2] - f) // stride + 1
    Z = np.zeros((A_prev.shape[0], n_H, n_W, W.shape[3]))
    for h, w in np.ndindex(n_H, n_W):
        left, right = window_one_short(w * stride, f)
        window = padded[:, h * stride:h * stride + f, left:right, :]
        Z[:, h, w, :] = np.tensordot(window, W, axes=([1, 2, 3], [0, 1, 2]))
    return Z, (A_prev, W, b, hparameters)


def test_a_one_taken_away_is_not_blamed_where_leaving_it_out_does_not_make_every_case_pass():
    text = message("conv_forward", conv_forward_with_short_windows_and_no_bias, hidden=True)
    assert "takes away a 1" not in text and "corner + size`" not in text, text


def pool_forward_averaging_over_one_side(A_prev, hparameters, mode="max"):
    """Average pooling that divides the window's sum by f, not f * f: every average f times too big."""
    if mode == "max":
        return REFERENCE["pool_forward"](A_prev, hparameters, mode)
    A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode)
    return A * hparameters["f"], cache


@pytest.mark.parametrize("hidden", [False, True])
def test_an_average_f_times_too_big_is_named_on_every_case(hidden):
    """A probe that shared a hidden case's id took its place in the factor reading: no factor was found."""
    text = message("pool_forward", pool_forward_averaging_over_one_side, hidden)
    assert "every entry of A is the window's side f times what it should be" in text
    assert "Without that factor, your function passes every case." in text


def conv_forward_into_an_integer_array(A_prev, W, b, hparameters):
    """Every value right, stored into an array of integers: the fraction is cut off."""
    Z, cache = REFERENCE["conv_forward"](A_prev, W, b, hparameters)
    Z_int = np.zeros(Z.shape, dtype=int)
    Z_int[...] = Z
    return Z_int, cache


@pytest.mark.parametrize("hidden", [False, True])
def test_an_integer_array_is_named_and_a_pattern_of_other_runs_is_not_said_under_the_case_shown(hidden):
    text = message("conv_forward", conv_forward_into_an_integer_array, hidden)
    assert "every entry of Z is the right value with its fraction cut off" in text and "dtype=int" in text
    assert "all zeros" not in text


def conv_backward_with_turned_filters(dZ, cache):
    """dA_prev through filters turned by 180 degrees, in a loop-style pass that must not turn them."""
    A_prev, W, b, hparameters = cache
    dA_prev = REFERENCE["conv_backward"](dZ, (A_prev, W[::-1, ::-1], b, hparameters))[0]
    return (dA_prev, *REFERENCE["conv_backward"](dZ, cache)[1:])


def test_what_a_1x1_window_cannot_show_includes_a_turned_filter():
    """Right with 1 x 1 windows only: the hint named the window's size and np.squeeze alone, neither of which
    this code has (a 1 x 1 filter is its own turn)."""
    text = message("conv_backward", conv_backward_with_turned_filters, hidden=True)
    assert "1 x 1 windows" in text and "its own 180-degree turn" in text


def pool_forward_max_over_every_channel(A_prev, hparameters, mode="max"):
    """Max pooling that takes the maximum over the channels too."""
    if mode == "max":
        A_prev = np.repeat(A_prev.max(axis=3, keepdims=True), A_prev.shape[3], axis=3)
    return REFERENCE["pool_forward"](A_prev, hparameters, mode)[0], (A_prev, hparameters)


def test_what_to_look_at_for_two_factors_reads_as_two_sentences():
    text = message("pool_forward", pool_forward_max_over_every_channel, hidden=True)
    assert "(backward: dA spread evenly over f * f entries). The output channels" in text


def conv_backward_full_convolution_without_the_remainder(dZ, cache):
    """dA_prev as a full convolution of dZ dilated by the stride, over (n_H - 1) * stride + 1 rows only: the rows
    that no window reaches are left out, and the cut [pad:pad + n_H_prev] hides it wherever they are no more than
    the padding."""
    from numpy.lib.stride_tricks import sliding_window_view

    A_prev, W, b, hparameters = cache
    stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    dilated = np.zeros((m, (n_H - 1) * stride + 1, (n_W - 1) * stride + 1, n_C))
    dilated[:, ::stride, ::stride] = dZ
    full = np.pad(dilated, ((0, 0), (f - 1, f - 1), (f - 1, f - 1), (0, 0)))
    dA_pad = np.einsum("mhwnij,ijcn->mhwc", sliding_window_view(full, (f, f), axis=(1, 2)), W[::-1, ::-1])
    dA_prev = dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2]]
    return (dA_prev, *REFERENCE["conv_backward"](dZ, cache)[1:])


def test_a_full_convolution_that_leaves_out_the_unreached_rows_fails_a_hidden_case():
    """It passed every stored case: each had no more unreached rows than its padding."""
    STEP("conv_backward", conv_backward_full_convolution_without_the_remainder)  # the visible cases pass
    text = message("conv_backward", conv_backward_full_convolution_without_the_remainder, hidden=True)
    assert "cache ((2, 6, 8, 2), (3, 3, 2, 3)" in text and "1 row(s) and 1 column(s) short" in text


def zero_pad_after_only(X, pad):
    return np.pad(X, ((0, 0), (0, 2 * pad), (0, 2 * pad), (0, 0)))


def test_padding_on_one_side_is_named_and_no_reshape_is_blamed():
    text = message("zero_pad", zero_pad_after_only, hidden=True)
    assert "moved by -3 row(s) and -3 column(s)" in text and "padding on one side only" in text
    assert "reshape" not in text


def pool_forward_windows_one_short(A_prev, hparameters, mode="max"):
    """Every window one column short (its last column is start + f - 1, excluded)."""
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = ((n - f) // stride + 1 for n in A_prev.shape[1:3])
    return pool_by_hand(A_prev, f, stride, n_H, n_W, mode, columns=f - 1), (A_prev, hparameters)


def test_a_pattern_that_suggests_a_cause_is_not_said_when_it_holds_on_one_run_only():
    """Only example 1 of the visible case came out right, by the luck of its values (both examples are wrong
    on other inputs), and the learner was asked whether an example index is fixed."""
    text = message("pool_forward", pool_forward_windows_one_short, hidden=False)
    assert "only the example(s)" not in text


def pool_forward_width_from_the_height(A_prev, hparameters, mode="max"):
    """n_W computed from n_H_prev (n_H is right): the same error as both sizes swapped, on one case."""
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (A_prev.shape[1] - f) // stride + 1
    return pool_by_hand(A_prev, f, stride, n_H, n_H, mode), (A_prev, hparameters)


def test_a_mistake_matched_by_its_error_alone_is_not_named_where_its_values_do_not_match():
    """The catalogued 'both sizes swapped' raises the same error as this code on one case, and returns other
    values than it on three runs: the learner was told both were swapped (only the width is wrong)."""
    text = message("pool_forward", pool_forward_width_from_the_height, hidden=True)
    assert "its width from the input's height" not in text
    assert "on inputs whose height and width differ" in text


def pool_forward_first_entry_of_each_window(A_prev, hparameters, mode="max"):
    """Every window's first entry, in both modes: right only with 1 x 1 windows."""
    stride = hparameters["stride"]
    A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode)
    for h in range(A.shape[1]):
        for w in range(A.shape[2]):
            A[:, h, w, :] = A_prev[:, h * stride, w * stride, :]
    return A, cache


def test_what_a_1x1_window_cannot_show_in_a_pooling_layer_names_no_filter():
    text = message("pool_forward", pool_forward_first_entry_of_each_window, hidden=True)
    assert "1 x 1 windows" in text and "where an entry sits in its window" in text
    assert "filter" not in text


def conv_backward_keeping_the_batch_axis_in_dW(dZ, cache):
    """dW summed over the positions of each example, not over the examples: shape (m, f, f, n_C_prev, n_C)."""
    from numpy.lib.stride_tricks import sliding_window_view

    A_prev, W, b, hparameters = cache
    stride, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    windows = windows[:, :dZ.shape[1], :dZ.shape[2]]
    dW = np.einsum("mhwcij,mhwn->mijcn", windows, dZ)
    dA_prev, _, db = REFERENCE["conv_backward"](dZ, cache)
    return dA_prev, dW, db


def test_the_right_values_in_the_wrong_shape_is_said_only_where_every_run_shows_it():
    """On the one case with m = 1, dW is the expected one reshaped; the learner was told to reshape it, which
    fails on every case with m > 1."""
    text = message("conv_backward", conv_backward_keeping_the_batch_axis_in_dW, hidden=True)
    assert "dW has shape (2, 3, 3, 3, 4), but it should have shape (3, 3, 3, 4)" in text
    assert "Reshape" not in text


@pytest.mark.parametrize("hidden", [False, True])
def test_an_axis_kept_that_a_sum_takes_away_is_named_with_the_sum_checked_on_every_failing_run(hidden):
    """The hint was the catch-all "it fails even on the simplest input tried" (held-out b17)."""
    text = message("conv_backward", conv_backward_keeping_the_batch_axis_in_dW, hidden)
    m = 2 if hidden else 10
    assert f"its axis 0 (of size {m}) is kept where it should be summed over" in text, text
    assert "On every case where it came back in such a shape, dW summed over that axis (.sum(axis=0)) is the " \
           "expected one" in text
    assert "simplest input" not in text


def conv_backward_repeating_dW_for_every_example(dZ, cache):
    """An extra axis of the examples too, but each holding the whole dW: its sum is m times too big."""
    dA_prev, dW, db = REFERENCE["conv_backward"](dZ, cache)
    return dA_prev, np.stack([dW] * dZ.shape[0]), db


def test_an_extra_axis_whose_sum_is_not_the_expected_output_is_not_said_to_be_summed_over():
    text = message("conv_backward", conv_backward_repeating_dW_for_every_example, hidden=True)
    assert "summed over" not in text, text


def conv_forward_caching_the_padded_input_with_wrong_values(A_prev, W, b, hparameters):
    """Z off in its first entry only (no pattern to read) and a cache whose arrays differ in shape from the
    expected ones: every reading of the runs' outputs must take the cache's tuple as it is."""
    Z, cache = REFERENCE["conv_forward"](A_prev, W, b, hparameters)
    Z.flat[0] += 1
    pad = hparameters["pad"]
    return Z, (np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0))),) + cache[1:]


@pytest.mark.parametrize("hidden", [False, True])
def test_a_cache_of_other_shapes_beside_wrong_values_gets_a_verdict_not_a_crash(hidden):
    text = message("conv_forward", conv_forward_caching_the_padded_input_with_wrong_values, hidden)
    assert "is not right yet" in text


# -- a helper that writes into the array it is given (held-out s16) ---------------------------------------------
def mask_written_into_its_window(x):
    """A learner's mask, right on its own cases: made by writing 0 and 1 into the window it is given."""
    biggest = np.amax(x)
    x[x != biggest] = 0
    x[x == biggest] = 1
    return x.astype(bool)


def pool_backward_whose_mask_writes_into_A_prev(dA, cache, mode="max"):
    """Right but that the window it hands the mask is a view of A_prev: later windows that overlap it read the
    0s and 1s the mask wrote."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    top, left, g = h * stride, w * stride, dA[i, h, w, c]
                    if mode == "max":
                        window = A_prev[i, top:top + f, left:left + f, c]
                        dA_prev[i, top:top + f, left:left + f, c] += mask_written_into_its_window(window) * g
                    else:
                        dA_prev[i, top:top + f, left:left + f, c] += distribute_value(g, (f, f))
    return dA_prev


def pool_backward_whose_mask_writes_and_which_assigns(dA, cache, mode="max"):
    """The same mask, and each window's share assigned (=), not added, in a loop over np.ndindex: a copy for the
    mask fixes one of the two only."""
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for i, h, w, c in np.ndindex(*dA.shape):
        rows, cols = slice(h * s, h * s + f), slice(w * s, w * s + f)
        if mode == "max":
            window = A_prev[i, rows, cols, c]
            dA_prev[i, rows, cols, c] = mask_written_into_its_window(window) * dA[i, h, w, c]
        else:
            dA_prev[i, rows, cols, c] = distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


def single_step_multiplying_in_place(a_slice_prev, W, b):
    """Right on its own cases; it multiplies the slice it is given by W in place."""
    a_slice_prev *= W
    return np.sum(a_slice_prev) + b.item()


def conv_forward_whose_step_writes_into_the_padded_input(A_prev, W, b, hparameters):
    """One loop over the output's (example, row, column, channel), with itertools.product; each window, a view of
    A_prev_pad, is handed to the step that multiplies it in place."""
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    size = [(n - f) // stride + 1 for n in A_prev_pad.shape[1:3]]
    Z = np.zeros((A_prev.shape[0], *size, W.shape[3]))
    for i, h, w, c in itertools.product(*map(range, Z.shape)):
        a_slice_prev = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
        Z[i, h, w, c] = single_step_multiplying_in_place(a_slice_prev, W[..., c], b[..., c])
    return Z, (A_prev, W, b, hparameters)


@pytest.mark.parametrize("hidden", [False, True])
@pytest.mark.parametrize("function, fn, helper, argument", [
    ("pool_backward", pool_backward_whose_mask_writes_into_A_prev, "mask_written_into_its_window", "window"),
    ("conv_forward", conv_forward_whose_step_writes_into_the_padded_input, "single_step_multiplying_in_place",
     "a_slice_prev")], ids=["mask", "single_step"])
def test_a_helper_that_writes_into_the_array_it_is_given_is_named_once_a_copy_made_every_case_pass(
        function, fn, helper, argument, hidden):
    """The hint named the windows' overlap and the mode's branch ("+=, never ="), none of them the cause."""
    text = message(function, fn, hidden)
    write = "x[x != biggest] = 0" if function == "pool_backward" else "a_slice_prev *= W"
    assert f"{helper} writes into the array it is given (`{write}`)" in text, text
    assert f"gives it {argument}, not a copy" in text
    assert f"{helper}({argument}.copy()" in text and "passes every case" in text
    assert "+=, never =" not in text and "things to fix" not in text


def test_a_helper_that_writes_into_its_input_is_not_named_where_a_copy_leaves_the_function_failing():
    text = message("pool_backward", pool_backward_whose_mask_writes_and_which_assigns, hidden=True)
    assert "writes into the array it is given" not in text and ".copy()" not in text, text


# -- a / b * c for a / (b * c) -----------------------------------------------------------------------------------
def distribute_value_dividing_then_multiplying(dz, shape):
    """dz / n_H * n_W: the share is dz * n_W / n_H, the area's own size on a square window only by chance."""
    n_H, n_W = shape
    average = dz / n_H * n_W
    return np.ones(shape) * average


def distribute_value_dividing_then_multiplying_with_the_sign_turned(dz, shape):
    """The same a / b * c, and the sign turned: the edit a / (b * c) is tried, and leaves it failing."""
    n_H, n_W = shape
    average = dz / n_H * n_W
    return -np.ones(shape) * average


@pytest.mark.parametrize("hidden", [False, True])
def test_a_division_read_before_a_product_is_named_once_the_parenthesized_division_made_every_case_pass(hidden):
    text = message("distribute_value", distribute_value_dividing_then_multiplying, hidden)
    assert "`average = dz / n_H * n_W` (in distribute_value_dividing_then_multiplying) divides by n_H, then " \
           "multiplies by n_W" in text, text
    assert "Write `average = dz / (n_H * n_W)` there: with that change, your function passes every case." in text


def test_a_division_before_a_product_is_not_blamed_where_parenthesizing_it_leaves_the_function_failing():
    text = message("distribute_value", distribute_value_dividing_then_multiplying_with_the_sign_turned, True)
    assert "then multiplies" not in text, text


def test_a_division_before_a_product_is_offered_as_one_edit_and_never_where_parentheses_say_what_was_meant():
    from autograder.diagnosis.edits import precedence_edits

    source = ("def share(dz, n_H, n_W):\n    a = dz / n_H * n_W\n    b = (dz / n_H) * n_W\n"
              "    c = dz / (n_H * n_W)\n    return a, b, c\n")
    assert [(edit.new, values) for _, edit, values in precedence_edits(source, "share")] == [
        ("a = dz / (n_H * n_W)", {"divisor": "n_H", "factor": "n_W"})]


# -- a helper's catalogued mistake, where the learner's helper is right ------------------------------------------
def pool_backward_scaling_a_right_share_by_f(dA, cache, mode="max"):
    """A right distribute_value, its share then multiplied by f: the values of distribute_value dividing dz by one
    side of the window only, a catalogued mistake of distribute_value's that this learner's right one cannot have.
    One loop over every (example, row, column, channel), with itertools.product."""
    if mode == "max":
        return REFERENCE["pool_backward"](dA, cache, mode)
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for i, h, w, c in itertools.product(*map(range, dA.shape)):
        share = distribute_value(dA[i, h, w, c], (f, f)) * f
        dA_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c] += share
    return dA_prev


@pytest.mark.parametrize("hidden", [False, True])
def test_a_helpers_catalogued_mistake_is_not_named_where_the_learners_helper_passes_its_own_cases(hidden):
    """The hint was "dz was divided by one side of the window only ... With that changed, your function passes
    every case": a change of a distribute_value that was right."""
    text = message("pool_backward", pool_backward_scaling_a_right_share_by_f, hidden)
    assert "divided by one side" not in text, text
    assert "the window's side f times what it should be" in text and "a product with it is extra" in text


def conv_forward_zeroing_the_last_channel(A_prev, W, b, hparameters):
    """Writes every entry, and 0 into the last channel: on a case with one channel, Z is all zeros although it was
    written."""
    Z, cache = REFERENCE["conv_forward"](A_prev, W, b, hparameters)
    Z[..., -1] = 0
    return Z, cache


def test_all_zeros_is_said_as_seen_never_as_nothing_written():
    text = message("conv_forward", conv_forward_zeroing_the_last_channel, hidden=True)
    assert "Z is all zeros: no value other than 0 reached it" in text, text
    assert "nothing was written" not in text


def pool_backward_made_in_the_shape_of_dA(dA, cache, mode="max"):
    """dA_prev made with dA's shape, not A_prev's: one line raises two different shape errors, on cases of their
    own, and some cases fail without raising."""
    A_prev, hparameters = cache
    stride, f = hparameters["stride"], hparameters["f"]
    dA_prev = np.zeros_like(dA)
    for i, h, w, c in np.ndindex(*dA.shape):
        top, left = h * stride, w * stride
        window = A_prev[i, top:top + f, left:left + f, c]
        share = (window == np.max(window)) if mode == "max" else np.ones((f, f)) / (f * f)
        dA_prev[i, top:top + f, left:left + f, c] += share * dA[i, h, w, c]
    return dA_prev


def test_errors_that_one_line_raises_are_not_said_to_be_as_many_things_to_fix():
    """The hint said "3 things to fix, in this order" for a single mistake."""
    text = message("pool_backward", pool_backward_made_in_the_shape_of_dA, hidden=True)
    assert "findings, the errors all raised by `dA_prev[i, top:top + f, left:left + f, c] += share * dA[i, h, w, " \
           "c]`, each on cases of its own (one mistake may cause them all): (1)" in text, text
    assert "things to fix" not in text


def conv_forward_with_a_row_of_nan(A_prev, W, b, hparameters):
    """Garbage in a few entries (an as_strided view that reads past its array gave NaN there, held-out b03)."""
    Z, cache = REFERENCE["conv_forward"](A_prev, W, b, hparameters)
    Z[0, 0, 0, :] = np.nan
    return Z, cache


@pytest.mark.parametrize("hidden", [False, True])
def test_an_output_with_nan_is_read_without_the_diagnosis_failing(hidden):
    """The bias reading rounded a NaN ratio: ValueError out of the check, instead of the learner's feedback."""
    text = message("conv_forward", conv_forward_with_a_row_of_nan, hidden)
    assert "Z holds NaN or infinite values" in text, text


def test_a_diagnosis_that_fails_leaves_the_failing_case_said_without_a_cause(monkeypatch):
    from autograder.diagnosis import local

    def broken(*args, **kwargs):
        raise RuntimeError("a defect of the kit's")

    monkeypatch.setattr(local, "explain", broken)
    text = message("conv_forward", conv_forward_caching_the_padded_input_with_wrong_values, hidden=True)
    assert text.startswith("conv_forward is not right yet, on hidden case 1 of 6") and "Hint" not in text, text
