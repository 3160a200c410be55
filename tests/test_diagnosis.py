"""The cause of a failure, found by reasoning about it, for mistakes the catalogue does not hold.

Each learner function below is written by hand as a learner might, and none is a
catalogued mistake: the check must name its cause from the exception and the
learner's line, from probes that change one factor at a time, from the pattern
of the wrong values, or from a failing helper. Every cause has words in English
and in Chinese, with every placeholder filled.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

import autograder
from autograder import CheckFailed
from autograder.render import Renderer
from tests.helpers import STEP_BY_STEP

CHECK = autograder.checks(STEP_BY_STEP.name)
REFERENCE = STEP_BY_STEP.reference()


def _sizes(A_prev, hparameters, f):
    stride, pad = hparameters["stride"], hparameters.get("pad", 0)
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    return m, (n_H_prev - f + 2 * pad) // stride + 1, (n_W_prev - f + 2 * pad) // stride + 1, n_C, stride


def _reduce(window, mode):
    """Max or average over a window's rows and columns: one value per channel."""
    return window.max(axis=(0, 1)) if mode == "max" else window.mean(axis=(0, 1))


def _pool(output_at, A_prev, hparameters, mode):
    """A loop pool_forward whose output (i, h, w, :) is ``output_at(i, h, w, stride, f)``: the learner's
    window, and what they do with it, is all that differs between the learners below."""
    f = hparameters["f"]
    m, n_H, n_W, n_C, stride = _sizes(A_prev, hparameters, f)
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                A[i, h, w, :] = output_at(i, h, w, stride, f)
    return A, (A_prev, hparameters)


# -- learners' functions ------------------------------------------------------------------------
def bias_through_float(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W) + b)  # numpy 2 refuses float() of a (1, 1, 1) array


def removed_alias(a_slice_prev, W, b):
    return np.float(np.sum(a_slice_prev * W)) + b.item()


def pad_by_slicing(X, pad):
    X_pad = np.zeros((X.shape[0], X.shape[1] + 2 * pad, X.shape[2] + 2 * pad, X.shape[3]))
    X_pad[:, pad:-pad, pad:-pad, :] = X  # an empty slice when pad is 0
    return X_pad


def sizes_by_true_division(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    n_H = (n_H_prev - W.shape[0] + 2 * pad) / stride + 1
    n_W = (n_W_prev - W.shape[1] + 2 * pad) / stride + 1
    return np.zeros((m, n_H, n_W, W.shape[3])), (A_prev, W, b, hparameters)


def window_past_the_edge(A_prev, hparameters, mode="max"):
    return _pool(lambda i, h, w, stride, f: A_prev[i, h * stride + f, w * stride, :], A_prev, hparameters, mode)


def array_into_one_entry(dz, shape):
    distributed = np.zeros(shape)
    distributed[0, 0] = np.ones(shape) * dz
    return distributed


def helper_never_defined(A_prev, hparameters, mode="max"):
    return pool_one_window(A_prev, hparameters), (A_prev, hparameters)  # noqa: F821


def mask_without_return(x):
    mask = x == np.max(x)  # noqa: F841


def stride_squared(A_prev, hparameters, mode="max"):
    def output_at(i, h, w, stride, f):
        top = min(h * stride * stride, A_prev.shape[1] - f)
        left = min(w * stride * stride, A_prev.shape[2] - f)
        return _reduce(A_prev[i, top:top + f, left:left + f, :], mode)
    return _pool(output_at, A_prev, hparameters, mode)


def windows_that_skip_what_was_seen(A_prev, hparameters, mode="max"):
    """Each input entry is used by the first window that covers it only: right while windows do not overlap."""
    seen = np.zeros(A_prev.shape, dtype=bool)

    def output_at(i, h, w, stride, f):
        rows, columns = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
        window = np.where(seen[i, rows, columns, :], -np.inf if mode == "max" else 0.0, A_prev[i, rows, columns, :])
        seen[i, rows, columns, :] = True
        return _reduce(window, mode)
    return _pool(output_at, A_prev, hparameters, mode)


def every_example_like_the_first(A_prev, hparameters, mode="max"):
    A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode)
    A[1:] = A[0]
    return A, cache


def average_counted_twice(A_prev, hparameters, mode="max"):
    A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode)
    return (A / 2 if mode == "average" else A), cache


def height_and_width_mixed(A_prev, hparameters, mode="max"):
    A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode)
    return A.transpose(0, 2, 1, 3).reshape(A.shape), cache


def bias_counted_twice(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + 2 * float(b.ravel()[0])


def conv_forward_on_its_own_step(A_prev, W, b, hparameters):
    """Right in itself: it fails only through the learner's conv_single_step."""
    f = W.shape[0]
    m, n_H, n_W, _, stride = _sizes(A_prev, hparameters, f)
    pad = hparameters["pad"]
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, W.shape[3]))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(W.shape[3]):
                    window = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                    Z[i, h, w, c] = conv_single_step(window, W[..., c], b[..., c])
    return Z, (A_prev, W, b, hparameters)


conv_single_step = bias_counted_twice  # the learner's helper, as the notebook's globals hold it


# (function, learner's code, diagnosis id, source, values the diagnosis must carry)
CASES = [
    ("conv_single_step", bias_through_float, "numpy2_scalar_conversion", "exception",
     {"call": "float(np.sum(a_slice_prev * W) + b)"}),
    ("conv_single_step", removed_alias, "numpy_alias_removed", "exception", {"alias": "float"}),
    ("zero_pad", pad_by_slicing, "broadcast_short_slice", "exception", {}),
    ("conv_forward", sizes_by_true_division, "conv_size_true_division", "mistake", {}),  # also caught as float_size
    ("pool_forward", window_past_the_edge, "index_out_of_bounds", "exception", {}),
    ("distribute_value", array_into_one_entry, "array_where_number_needed", "exception", {}),
    ("pool_forward", helper_never_defined, "undefined_name", "exception", {"name": "pool_one_window"}),
    ("create_mask_from_window", mask_without_return, "returned_none", "pattern", {}),
    ("pool_forward", stride_squared, "factor", "probe", {"factor": "stride", "right": 1}),
    ("pool_forward", windows_that_skip_what_was_seen, "factor", "probe", {"factor": "overlap"}),
    ("pool_forward", every_example_like_the_first, "some_examples", "pattern", {}),
    ("pool_forward", average_counted_twice, "off_by_factor", "pattern", {"factor": 0.5}),
    ("pool_forward", height_and_width_mixed, "values_misplaced", "pattern", {}),
    ("conv_forward", conv_forward_on_its_own_step, "helper_fails", "helper", {"helper": "conv_single_step"}),
]


def verdict_of(function: str, fn):
    with pytest.raises(CheckFailed) as failure:
        CHECK(function, fn, hidden=True)
    return failure.value.verdict


@pytest.mark.parametrize("function, fn, cause, source, values", CASES, ids=[case[1].__name__ for case in CASES])
def test_the_cause_is_named(function, fn, cause, source, values):
    verdict = verdict_of(function, fn)
    assert verdict.diagnosis is not None, verdict
    assert (verdict.diagnosis.id, verdict.diagnosis.source) == (cause, source)
    for key, value in values.items():
        assert verdict.diagnosis.values[key] == pytest.approx(value) if isinstance(value, float) \
            else verdict.diagnosis.values[key] == value, (key, verdict.diagnosis.values)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("function, fn, cause, source, values", CASES, ids=[case[1].__name__ for case in CASES])
def test_the_cause_reads_in_each_language_with_nothing_left_unfilled(function, fn, cause, source, values, language):
    verdict = verdict_of(function, fn)
    renderer = Renderer(language, CHECK.manifest.get("hints", {}))  # a catalogued mistake's hint is data
    hint = renderer.hint(verdict)
    assert hint and not re.search(r"\{[a-z_]+\}", hint), hint
    if language == "zh":
        assert re.search(r"[\u4e00-\u9fff]", hint), hint


def test_a_function_failing_through_its_helper_points_at_the_helper_in_the_notebook_too():
    """In the notebook the check says which helper to fix; the class grader also judges the function with the
    reference helper put in (tests/test_grading_reports.py)."""
    text = Renderer("en").text(verdict_of("conv_forward", conv_forward_on_its_own_step))
    assert "conv_single_step" in text.split("Hint:", 1)[1]
