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


class ConvForwardAsAClass:
    """A learner's conv_forward written as a class: the notebook's name holds a callable object, which has no
    ``__globals__`` of its own; its code calls the notebook's conv_single_step."""

    def __call__(self, A_prev, W, b, hparameters):
        return conv_forward_on_its_own_step(A_prev, W, b, hparameters)


def test_a_function_written_as_a_callable_object_is_read_in_the_notebooks_namespace():
    """Its helper calls are traced in the scope the check is given: the same causes as the function itself."""
    notebook = conv_forward_on_its_own_step.__globals__
    as_object = local.diagnose(CHECK, "conv_forward", ConvForwardAsAClass(), notebook, True)
    as_function = local.diagnose(CHECK, "conv_forward", conv_forward_on_its_own_step, notebook, True)
    causes = [(d.id, d.values.get("helper")) for d in (as_object.diagnosis, *as_object.more)]
    assert causes[0] == ("helper_fails", "conv_single_step"), causes
    assert causes == [(d.id, d.values.get("helper")) for d in (as_function.diagnosis, *as_function.more)]


def conv_single_step_doubled(a_slice_prev, W, b):
    return 2 * np.sum(a_slice_prev * W) + float(b.item())


def conv_backward_as_a_full_convolution(dZ, cache):
    """dA_prev as the full convolution of dZ (spread out by the stride) with W turned, by the learner's own
    conv_forward; dW and db directly. Right, given a right conv_forward."""
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    m, n_H, n_W, _ = dZ.shape
    spread = np.zeros((m, (n_H - 1) * stride + 1, (n_W - 1) * stride + 1, n_C))
    spread[:, ::stride, ::stride, :] = dZ
    full, _ = conv_forward(spread, W[::-1, ::-1].transpose(0, 1, 3, 2), np.zeros((1, 1, 1, n_C_prev)),  # noqa: F821
                           {"stride": 1, "pad": f - 1})
    dA_pad = np.zeros((m, A_prev.shape[1] + 2 * pad, A_prev.shape[2] + 2 * pad, n_C_prev))
    dA_pad[:, :full.shape[1], :full.shape[2], :] = full
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dW = np.zeros(W.shape)
    for h in range(n_H):
        for w in range(n_W):
            window = A_pad[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            dW += np.einsum("mijc,mn->ijcn", window, dZ[:, h, w, :])
    dA_prev = dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :]
    return dA_prev, dW, dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, -1)


def _notebook(**functions):
    """A notebook's namespace holding ``functions``, each of them reading the others from it."""
    notebook = dict(conv_forward_on_its_own_step.__globals__)
    for name, fn in functions.items():
        notebook[name] = type(fn)(fn.__code__, notebook, fn.__name__, fn.__defaults__, fn.__closure__)
    return notebook


def test_a_helper_of_a_helper_is_judged_as_the_helper_is_judged_alone():
    """conv_backward -> conv_forward -> conv_single_step: the step is wrong, and conv_forward is blamed with the
    causes it has when judged on its own (its step's), not a reading of its outputs alone."""
    right = _notebook(conv_single_step=REFERENCE["conv_single_step"], conv_forward=conv_forward_on_its_own_step,
                      conv_backward=conv_backward_as_a_full_convolution)
    assert local.diagnose(CHECK, "conv_backward", right["conv_backward"], right, True).passed
    notebook = _notebook(conv_single_step=conv_single_step_doubled, conv_forward=conv_forward_on_its_own_step,
                         conv_backward=conv_backward_as_a_full_convolution)
    verdict = local.diagnose(CHECK, "conv_backward", notebook["conv_backward"], notebook, True)
    alone = {name: local.diagnose(CHECK, name, notebook[name], notebook, None)  # as a helper is judged
             for name in ("conv_forward", "conv_single_step")}
    assert (alone["conv_forward"].diagnosis.id, alone["conv_forward"].diagnosis.values["helper"]) == (
        "helper_fails", "conv_single_step")
    blamed = verdict.diagnosis.values
    assert (verdict.diagnosis.id, blamed["helper"]) == ("helper_fails", "conv_forward")
    assert blamed["helpers"] == ["conv_forward", "conv_single_step"]  # both called (the step through the other)
    assert blamed["causes"] == [cause for name in blamed["helpers"] for cause in alone[name].causes()]


def test_a_function_failing_through_its_helper_points_at_the_helper_in_the_notebook_too():
    """In the notebook the check says which helper to fix; the class grader also judges the function with the
    reference helper put in (tests/test_grading_reports.py)."""
    text = Renderer("en").text(verdict_of("conv_forward", conv_forward_on_its_own_step))
    assert "conv_single_step" in text.split("Hint:", 1)[1]


# == issue 17: every explanation proven ===========================================================
# Hand-written learners, outside the catalogue and outside the lesson's style where it matters; each test
# names the true causes and checks that the verdict says them, in order, and nothing its own evidence
# (the function run again here on every case and probe) contradicts.
from autograder.diagnosis import local  # noqa: E402
from autograder.diagnosis.evidence import SIMPLE  # noqa: E402
from autograder.diagnosis.separation import Condition  # noqa: E402


def _window(A_prev, i, top, left, f):
    return A_prev[i, top:top + f, left:left + f, :]


def pool_stride_ignored_and_summed(A_prev, hparameters, mode="max"):
    """Two bugs: the window never moves by the stride, and the average is a sum."""
    return _pool(lambda i, h, w, stride, f: _window(A_prev, i, h, w, f).max(axis=(0, 1)) if mode == "max"
                 else _window(A_prev, i, h, w, f).sum(axis=(0, 1)), A_prev, hparameters, mode)


def pool_by_blocks(A_prev, hparameters, mode="max"):
    """Reshapes into f x f blocks: right only when stride == f, which the learner's own assert guards."""
    f, stride = hparameters["f"], hparameters["stride"]
    assert stride == f, "this method needs stride == f"
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    blocks = A_prev[:, :n_H * f, :n_W * f, :].reshape(m, n_H, f, n_W, f, n_C)
    return (blocks.max(axis=(2, 4)) if mode == "max" else blocks.mean(axis=(2, 4))), (A_prev, hparameters)


def conv_forward_pads_at_most_one(A_prev, W, b, hparameters):
    """The learner's own raise refuses pad 2."""
    pad = hparameters["pad"]
    if pad not in (0, 1):
        raise ValueError("Incorrect padding type: use pad 0 or 1")
    return REFERENCE["conv_forward"](A_prev, W, b, hparameters)


def _sizes_of(A_prev, hparameters):
    f, stride = hparameters["f"], hparameters["stride"]
    n_H = (A_prev.shape[1] - f) // stride + 1  # noqa: F841  (the return is forgotten)


def pool_forward_with_a_helper_that_returns_nothing(A_prev, hparameters, mode="max"):
    n_H, n_W = _sizes_of(A_prev, hparameters)
    return np.zeros((A_prev.shape[0], n_H, n_W, A_prev.shape[3])), (A_prev, hparameters)


def pool_forward_reads_a_key_it_invented(A_prev, hparameters, mode="max"):
    size = hparameters["filter_size"]
    return np.zeros((1, size, size, 1)), (A_prev, hparameters)


def conv_forward_reads_past_the_shape(A_prev, W, b, hparameters):
    n_C = W.shape[4]
    return np.zeros((1, 1, 1, n_C)), (A_prev, W, b, hparameters)


def mask_of_one_bool(x):
    return True == np.max(x)  # noqa: E712  (one bool, not x compared with its maximum)


def pool_forward_unfinished(A_prev, hparameters, mode="max"):
    raise NotImplementedError()


def pool_forward_average_unfinished(A_prev, hparameters, mode="max"):
    if mode == "average":
        raise NotImplementedError()
    return REFERENCE["pool_forward"](A_prev, hparameters, mode)


_STUB: dict = {}
exec("def conv_single_step(a_slice_prev, W, b):\n    raise NotImplementedError()\n", _STUB)  # the release's stub


def conv_forward_inline_stride_ignored(A_prev, W, b, hparameters):
    """Never calls conv_single_step (the sum is inline), so it is not blamed on it; its window ignores the stride."""
    f, pad, n_C = W.shape[0], hparameters["pad"], W.shape[3]
    m, n_H, n_W, _, _ = _sizes(A_prev, hparameters, f)
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    Z[i, h, w, c] = np.sum(A_pad[i, h:h + f, w:w + f, :] * W[..., c]) + b[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)


def conv_forward_stride_ignored_calling_its_step(A_prev, W, b, hparameters):
    """Calls the learner's conv_single_step (which counts the bias twice) and ignores the stride itself."""
    f, pad, n_C = W.shape[0], hparameters["pad"], W.shape[3]
    m, n_H, n_W, _, _ = _sizes(A_prev, hparameters, f)
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(A_pad[i, h:h + f, w:w + f, :], W[..., c], b[..., c])
    return Z, (A_prev, W, b, hparameters)


def distribute_value_offset(dz, shape):
    """One more than the share in every entry: an offset, never a factor (every entry is equal)."""
    return np.full(shape, dz / (shape[0] * shape[1]) + 1.0)


def distribute_value_divided_twice(dz, shape):
    return np.full(shape, dz / (shape[0] * shape[1]) ** 2)


def conv_backward_full_convolution_wrong_padding(dZ, cache):
    """dA_prev as a full convolution of dZ (dilated by the stride) with W turned 180 degrees, but dZ padded by
    f - 1 whatever the forward pad was; dW and db right."""
    A_prev, W, b, hparameters = cache
    _, db_ref, dW_ref = None, None, None
    dA_ref, dW_ref, db_ref = REFERENCE["conv_backward"](dZ, cache)
    f, stride = W.shape[0], hparameters["stride"]
    m, n_H, n_W, n_C = dZ.shape
    dilated = np.zeros((m, (n_H - 1) * stride + 1, (n_W - 1) * stride + 1, n_C))
    dilated[:, ::stride, ::stride, :] = dZ
    padded = np.pad(dilated, ((0, 0), (f - 1, f - 1), (f - 1, f - 1), (0, 0)))
    turned = W[::-1, ::-1]
    n_H_prev, n_W_prev = A_prev.shape[1], A_prev.shape[2]
    dA_prev = np.zeros(A_prev.shape)
    for top in range(n_H_prev):
        for left in range(n_W_prev):
            window = padded[:, top:top + f, left:left + f, :]
            if window.shape[1:3] == (f, f):
                dA_prev[:, top, left, :] = np.einsum("mijc,ijdc->md", window, turned)
    return dA_prev, dW_ref, db_ref


ISSUE_17 = {  # learner: (function, fn, helper scope, [(cause id, {values it must carry})] in order)
    "stride_ignored_and_summed": ("pool_forward", pool_stride_ignored_and_summed, None,
                                  [("pool_stride_ignored", {}), ("average_not_divided", {})]),
    "own_assert": ("pool_forward", pool_by_blocks, None, [("own_assert", {"condition": "stride == f"})]),
    "own_raise": ("conv_forward", conv_forward_pads_at_most_one, None, [("own_raise", {"values": "pad = 2"})]),
    "none_from_own_helper": ("pool_forward", pool_forward_with_a_helper_that_returns_nothing, None,
                             [("none_from_helper", {"helper": "_sizes_of"})]),
    "own_key": ("pool_forward", pool_forward_reads_a_key_it_invented, None,
                [("key_missing", {"key": "'filter_size'"})]),
    "own_index": ("conv_forward", conv_forward_reads_past_the_shape, None, [("index_range", {})]),
    "mask_of_one_bool": ("create_mask_from_window", mask_of_one_bool, None, [("number_for_mask", {})]),
    "inline_sum_not_blamed_on_the_step": ("conv_forward", conv_forward_inline_stride_ignored,
                                          {"conv_single_step": bias_counted_twice},
                                          [("conv_stride_ignored", {})]),
    "helper_then_own_stride": ("conv_forward", conv_forward_stride_ignored_calling_its_step,
                               {"conv_single_step": bias_counted_twice},
                               [("helper_fails", {"helper": "conv_single_step"}), ("factor", {"factor": "stride"})]),
    "helper_unfinished": ("conv_forward", conv_forward_on_its_own_step, {"conv_single_step": _STUB["conv_single_step"]},
                          [("helper_fails", {"helper": "conv_single_step", "causes": ["not_written"]}),
                           ("own_code_right", {})]),
    "offset_is_not_a_factor": ("distribute_value", distribute_value_offset, None, []),
    "factor_named_where_sizes_differ": ("distribute_value", distribute_value_divided_twice, None,
                                        [("off_by_factor", {"because": "window_area", "power": -1,
                                                            "fixes_all": True})]),
    "full_convolution_backward": ("conv_backward", conv_backward_full_convolution_wrong_padding, None, None),
}


def _scope_for(fn, helpers):
    """The learner's notebook: the function's own module globals with their helpers, as the notebook's."""
    if not helpers:
        return fn
    namespace = dict(fn.__globals__)
    namespace.update(helpers)
    return type(fn)(fn.__code__, namespace, fn.__name__, fn.__defaults__, fn.__closure__)


def verdict_17(learner: str, hidden: bool = True):
    function, fn, helpers, _ = ISSUE_17[learner]
    fn = _scope_for(fn, helpers)
    return local.diagnose(CHECK, function, fn, fn.__globals__, hidden), fn


def contradictions(function: str, fn, verdict) -> list[str]:
    """What the verdict claims that the function, run again here on every case and probe, contradicts."""
    runs = local.runs_of(CHECK, function, fn, fn.__globals__)
    shown = next(run for run in runs if run.is_case and run.id == verdict.place.id)
    found = []
    for diagnosis in [d for d in (verdict.diagnosis, *verdict.more) if d is not None]:
        values = diagnosis.values
        if diagnosis.id == "factor" and not values.get("on_the_rest") and not values.get("with_helpers"):
            conditions = [Condition(f, f in values.get("simple_breaks", ())) for f in values["factors"]]
            combine = all if values.get("broken_when") == "all" else any
            clean = [run for run in runs if not combine(c.holds(run) for c in conditions)]
            found += [f"right with {values['rights']} but {run.id} fails" for run in clean if not run.passed]
            if not combine(c.holds(shown) for c in conditions):
                found.append("a factor claim shown under a case with the right values")
        if diagnosis.id == "helper_fails" and values["helper"] not in shown.traced and not (
                shown.raised and shown.raised.where == values["helper"]):
            found.append("a helper blamed that the case shown does not call")
        if diagnosis.id == "simplest_probe_fails" and next(r for r in runs if r.id == "root").passed:
            found.append("the simplest probe passes")
    return found


@pytest.mark.parametrize("learner", ISSUE_17)
def test_every_true_cause_is_named_in_order_and_nothing_else(learner):
    function, _, _, expected = ISSUE_17[learner]
    verdict, fn = verdict_17(learner)
    assert not verdict.passed
    causes = [d for d in (verdict.diagnosis, *verdict.more) if d is not None]
    assert contradictions(function, fn, verdict) == [], verdict
    if expected is None:
        return
    assert [d.id if d.source != "mistake" else d.id for d in causes] == [cause for cause, _ in expected], causes
    for diagnosis, (_, values) in zip(causes, expected):
        for key, value in values.items():
            assert diagnosis.values.get(key) == value, (key, diagnosis.values)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("learner", ISSUE_17)
def test_issue_17_causes_read_in_each_language_with_nothing_unfilled(learner, language):
    verdict, _ = verdict_17(learner)
    text = Renderer(language, CHECK.manifest.get("hints", {})).text(verdict)
    assert not re.search(r"\{[a-z_]+\}", text), text
    if language == "zh" and verdict.diagnosis:
        assert re.search(r"[\u4e00-\u9fff]", Renderer(language, CHECK.manifest.get("hints", {})).hint(verdict))


def test_the_learners_own_assert_is_quoted_with_the_values_that_broke_it():
    verdict, _ = verdict_17("own_assert", hidden=False)
    text = Renderer("en").text(verdict)
    assert "your own check `assert stride == f, \"this method needs stride == f\"` stopped pool_forward on this " \
           "case, where stride = 1, f = 4 (its message: this method needs stride == f)" in text
    assert "where stride = 1, f = 4" in text and "stride 1" not in text.split("Hint:")[1].split("Either")[1]
    assert "此时 stride = 1, f = 4" in Renderer("zh").text(verdict)


def test_a_second_cause_in_the_function_itself_comes_after_the_helper_and_is_its_own():
    verdict, _ = verdict_17("helper_then_own_stride")
    text = Renderer("en").text(verdict)
    assert "2 things to fix, in this order: (1) conv_forward calls your conv_single_step" in text
    assert "(2) With correct answers from conv_single_step in place of yours, conv_forward still fails: it passes " \
           "every case and probe with stride 1" in text
    assert "the rest of conv_forward is right" not in text


def test_a_function_that_computes_inline_is_not_sent_to_a_helper_it_never_calls():
    verdict, _ = verdict_17("inline_sum_not_blamed_on_the_step")
    assert "conv_single_step" not in Renderer("en", CHECK.manifest["hints"]).hint(verdict)


@pytest.mark.parametrize("fn", [pool_forward_unfinished, pool_forward_average_unfinished], ids=lambda f: f.__name__)
@pytest.mark.parametrize("hidden", [False, True])
def test_an_unfinished_function_is_told_it_is_not_finished_and_nothing_else(fn, hidden):
    verdict = local.diagnose(CHECK, "pool_forward", fn, fn.__globals__, hidden)
    assert verdict.outcome.value == "not_written" and verdict.diagnosis is None and not verdict.more
    text = Renderer("en").text(verdict)
    assert text.startswith("pool_forward is not finished yet") and "Hint" not in text and "simplest" not in text


def test_a_factor_claim_is_never_shown_under_a_case_with_its_right_value():
    for learner in ("stride_ignored_and_summed", "helper_then_own_stride", "full_convolution_backward"):
        verdict, fn = verdict_17(learner)
        assert contradictions(ISSUE_17[learner][0], fn, verdict) == [], learner
    verdict = verdict_of("pool_forward", stride_squared)
    runs = local.runs_of(CHECK, "pool_forward", stride_squared, stride_squared.__globals__)
    shown = next(run for run in runs if run.id == verdict.place.id)
    assert shown.factors["stride"] != SIMPLE["stride"]
    assert all(run.passed for run in runs if run.factors.get("stride") == 1)


def conv_step_doubling_the_product(a_slice_prev, W, b):
    return 2 * np.sum(a_slice_prev * W) + b.item()


def conv_forward_wrong_everywhere(A_prev, W, b, hparameters):
    """Wrong even on the simplest input: every window's product is counted twice (through its own step)."""
    return _conv_forward_on(A_prev, W, b, hparameters, conv_step_doubling_the_product)


def _conv_forward_on(A_prev, W, b, hparameters, step):
    f, pad = W.shape[0], hparameters["pad"]
    m, n_H, n_W, _, stride = _sizes(A_prev, hparameters, f)
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, W.shape[3]))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(W.shape[3]):
                    Z[i, h, w, c] = step(A_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :],
                                         W[..., c], b[..., c])
    return Z, (A_prev, W, b, hparameters)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_simplest_input_is_named_as_the_input_it_is_never_as_the_case_shown(language):
    """A function wrong on every input: the words say it fails on the simplest input tried, and name that input
    (the probe), whatever the case shown; never "wrong even in the simplest case" under a case with pad 2."""
    verdict = local.diagnose(CHECK, "conv_forward", conv_forward_wrong_everywhere,
                             conv_forward_wrong_everywhere.__globals__, False)
    assert verdict.diagnosis.id == "simplest_probe_fails" and not verdict.more
    assert verdict.place.description.endswith("{'pad': 2, 'stride': 1}")  # the lesson's case is shown
    text = Renderer(language).text(verdict)
    assert "A_prev (1, 4, 4, 1), W (1, 1, 1, 1), b (1, 1, 1, 1), hparameters {'pad': 0, 'stride': 1}" in text
    assert "simplest case" not in text


def test_a_fix_is_promised_only_when_one_cause_explains_every_failing_case():
    single = verdict_of("pool_forward", average_counted_twice)
    assert single.diagnosis.values.get("fixes_all") is True
    assert "Without that factor, your function passes every case." in Renderer("en").text(single)
    double, _ = verdict_17("stride_ignored_and_summed")
    assert len([double.diagnosis, *double.more]) == 2
    assert not any(d.values.get("fixes_all") for d in (double.diagnosis, *double.more))
    assert "passes every case" not in Renderer("en", CHECK.manifest["hints"]).text(double)


# -- more rules, one learner each (issue 17) --------------------------------------------------------------
class _Pool:
    """A layer object that keeps its input on the instance: backward relies on a forward call before it."""

    def forward(self, x, hparameters, mode):
        self.x = x
        return REFERENCE["pool_forward"](x, hparameters, mode)[0]

    def backward(self, dA, hparameters, mode):
        return REFERENCE["pool_backward"](dA, (self.x, hparameters), mode)


def pool_backward_through_a_layer_object(dA, cache, mode="max"):
    return _Pool().backward(dA, cache[1], mode)


_LAST_LAYER = None  # set by a forward call that the graded function never makes


def pool_backward_through_the_last_forward(dA, cache, mode="max"):
    return _LAST_LAYER.backward(dA, cache[1], mode)


def zero_pad_with_pairs_for_one_image(X, pad):
    return np.pad(X, ((pad, pad), (pad, pad), (0, 0)))


def _crop(x, pad):
    return x[:, pad:-pad, pad:-pad, :]


def conv_backward_cropped_by_negative_index(dZ, cache):
    dA_prev, dW, db = REFERENCE["conv_backward"](dZ, cache)
    pad = cache[3]["pad"]
    padded = np.pad(dA_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    return _crop(padded, pad).reshape(dA_prev.shape), dW, db


def conv_backward_dW_from_the_unpadded_input(dZ, cache):
    """dW by einsum over windows of the unpadded A_prev: the operands do not fit when pad > 0."""
    A_prev, W, b, hparameters = cache
    dA_prev, _, db = REFERENCE["conv_backward"](dZ, cache)
    f, stride = W.shape[0], hparameters["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    dW = np.einsum("mhwcij,mhwn->ijcn", windows, dZ)
    return dA_prev, dW, db


def pool_forward_by_blocks_without_a_check(A_prev, hparameters, mode="max"):
    """Tiles of f x f: right where the windows just touch (stride = f), wrong where they overlap or leave gaps."""
    f = hparameters["f"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // hparameters["stride"] + 1, (n_W_prev - f) // hparameters["stride"] + 1
    tiles = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            block = A_prev[:, h * f:h * f + f, w * f:w * f + f, :]
            if block.shape[1:3] == (f, f):
                tiles[:, h, w, :] = block.max(axis=(1, 2)) if mode == "max" else block.mean(axis=(1, 2))
    return tiles, (A_prev, hparameters)


def conv_forward_channels_first_windows_before_padding(A_prev, W, b, hparameters):
    """Channels first: the batch is padded, but its windows are taken from the input before the padding, so
    the product has fewer positions than the output it is written into (a broadcast error when pad > 0)."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, n_C = W.shape[0], W.shape[3]
    x = A_prev.transpose(0, 3, 1, 2)
    x_padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    m, _, height, width = x_padded.shape
    rows, cols = (height - f) // stride + 1, (width - f) // stride + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, (f, f), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.zeros((m, n_C, rows, cols))
    out[:] = np.einsum("mcrsij,ijcn->mnrs", windows, W)
    return out.transpose(0, 2, 3, 1) + b, (A_prev, W, b, hparameters)


def pool_backward_average_spread_as_blocks(dA, cache, mode="max"):
    """Max right; average spreads dA over f x f blocks with np.kron and writes them from the corner: right only
    where the windows tile the input (stride = f), a broadcast error where they overlap."""
    A_prev, hparameters = cache
    if mode == "max":
        return REFERENCE["pool_backward"](dA, cache, mode)
    f = hparameters["f"]
    share = np.kron(dA, np.ones((1, f, f, 1))) / (f * f)
    dA_prev = np.zeros(A_prev.shape)
    dA_prev[:, :share.shape[1], :share.shape[2], :] = share
    return dA_prev


def conv_backward_offsets_into_the_reach_of_the_windows(dZ, cache):
    """Shift-and-add over the filter offsets into a buffer as large as the windows reach, (n_H - 1) * stride + f
    rows, then the padding cut off: the last rows, that no window reaches, are missing when the stride does not
    divide n_H_prev + 2 * pad - f. dW and db right."""
    A_prev, W, b, hparameters = cache
    _, dW, db = REFERENCE["conv_backward"](dZ, cache)
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    m, n_H, n_W, _ = dZ.shape
    reach = np.zeros((m, (n_H - 1) * stride + f, (n_W - 1) * stride + f, A_prev.shape[3]))
    for di in range(f):
        for dj in range(f):
            reach[:, di:di + (n_H - 1) * stride + 1:stride, dj:dj + (n_W - 1) * stride + 1:stride, :] += \
                dZ @ W[di, dj].T
    return reach[:, pad:reach.shape[1] - pad, pad:reach.shape[2] - pad, :], dW, db


class _PoolLayer:
    """A pooling layer that keeps its input and output for its backward pass (max mode)."""

    def forward(self, x, f, stride):
        self.x, self.f, self.stride = x, f, stride
        view = np.lib.stride_tricks.sliding_window_view(x, (f, f), axis=(1, 2))[:, ::stride, ::stride]
        self.out = view.max(axis=(4, 5))
        return self.out

    def backward(self, grad):
        dx = np.zeros(self.x.shape)
        n_H, n_W = self.out.shape[1:3]
        for di in range(self.f):
            for dj in range(self.f):
                rows = slice(di, di + self.stride * (n_H - 1) + 1, self.stride)
                cols = slice(dj, dj + self.stride * (n_W - 1) + 1, self.stride)
                dx[:, rows, cols, :] += (self.x[:, rows, cols, :] == self.out) * grad
        return dx


# the notebook's demo ran one forward pass, in max mode, on an input of its own
_LAYERS_BY_MODE = {"max": _PoolLayer()}
_LAYERS_BY_MODE["max"].forward(np.arange(81.0).reshape(1, 9, 9, 1), 3, 3)


def pool_backward_from_the_demo_layer(dA, cache, mode="max"):
    layer = _LAYERS_BY_MODE.get(mode)
    return layer.backward(dA)


def conv_forward_channels_first_padded_everywhere(A_prev, W, b, hparameters):
    """Channels first, the windows by as_strided and the sum by einsum; np.pad(x, pad) pads the examples and the
    channels too, so the einsum's letters meet two lengths when pad > 0."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    x = np.pad(A_prev.transpose(0, 3, 1, 2), pad)                      # (m, C, H, W), every axis padded
    m, C, H, Wd = x.shape
    n_H, n_W = (H - f) // stride + 1, (Wd - f) // stride + 1
    sm, sc, sh, sw = x.strides
    view = np.lib.stride_tricks.as_strided(x, (m, C, n_H, n_W, f, f), (sm, sc, sh * stride, sw * stride, sh, sw))
    Z = np.einsum("mchwij,ijcn->mhwn", view, W)
    return Z + b, (A_prev, W, b, hparameters)


def _scatter_back(patches_grad, shape, f, stride, pad):
    """The learner's col2im-like helper: windows' gradients added onto a padded buffer, then [pad:-pad] cut."""
    m, n_H, n_W, n_C = shape[0], patches_grad.shape[1], patches_grad.shape[2], shape[3]
    buffer = np.zeros((m, shape[1] + 2 * pad, shape[2] + 2 * pad, n_C))
    for di in range(f):
        for dj in range(f):
            buffer[:, di:di + stride * (n_H - 1) + 1:stride, dj:dj + stride * (n_W - 1) + 1:stride, :] += \
                patches_grad[:, :, :, di, dj, :]
    return buffer[:, pad:-pad, pad:-pad, :]


def pool_backward_average_through_a_padded_helper(dA, cache, mode="max"):
    """Average pooling's gradient through the helper, with pad 0 (pooling has none): empty arrays come back."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    share = np.broadcast_to(dA[:, :, :, None, None, :] / (f * f), dA.shape[:3] + (f, f, dA.shape[3]))
    if mode == "max":
        return REFERENCE["pool_backward"](dA, cache, mode)
    return _scatter_back(share, A_prev.shape, f, stride, 0) + np.zeros(A_prev.shape)


def conv_backward_dW_by_fancy_windows_padded_everywhere(dZ, cache):
    """dW from windows gathered by fancy indices out of np.pad(A_prev, pad), which pads the examples and the
    channels too; the einsum (optimized) then meets m + 2 * pad examples against dZ's m. dA_prev and db right."""
    A_prev, W, b, hparameters = cache
    dA_prev, _, db = REFERENCE["conv_backward"](dZ, cache)
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    padded = np.pad(A_prev, pad)
    n_H, n_W = dZ.shape[1], dZ.shape[2]
    rows = (stride * np.arange(n_H))[:, None, None, None] + np.arange(f)[None, None, :, None]
    cols = (stride * np.arange(n_W))[None, :, None, None] + np.arange(f)[None, None, None, :]
    windows = padded[:, rows, cols, :]                               # (m', n_H, n_W, f, f, C')
    dW = np.einsum("mhwijc,mhwn->ijcn", windows, dZ, optimize=True)
    return dA_prev, dW, db


def conv_forward_einsum_with_the_filter_channels_lettered_backwards(A_prev, W, b, hparameters):
    """Windows by sliding_window_view, the sum by einsum; W's two channel axes lettered the other way round
    ("ijnc" for (f, f, n_C_prev, n_C)): the operands clash when n_C != n_C_prev."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    Z = np.einsum("mhwcij,ijnc->mhwn", windows, W) + b
    return Z, (A_prev, W, b, hparameters)


def pool_backward_max_mask_from_unstrided_windows(dA, cache, mode="max"):
    """Shift-and-add over the window offsets, right in average mode; in max mode the mask of each window comes
    from the windows one row and column apart (the view not cut by the stride): wrong wherever stride > 1 and a
    window holds more than one entry (with f = 1 every mask is True, right or not)."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    windows = np.lib.stride_tricks.sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, :n_H, :n_W]
    mask = windows == windows.max(axis=(4, 5), keepdims=True)          # (m, n_H, n_W, n_C, f, f)
    for di in range(f):
        for dj in range(f):
            rows = slice(di, di + stride * (n_H - 1) + 1, stride)
            cols = slice(dj, dj + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, rows, cols, :] += mask[..., di, dj] * dA
            else:
                dA_prev[:, rows, cols, :] += dA / (f * f)
    return dA_prev


MORE_RULES = {  # learner: (function, fn, first cause, values it must carry)
    "attribute_only_forward_sets": ("pool_backward", pool_backward_through_a_layer_object, "attribute_not_set",
                                    {"attribute": "x", "cls": "_Pool"}),
    "state_of_an_earlier_call": ("pool_backward", pool_backward_through_the_last_forward, "none_attribute",
                                 {"name": "_LAST_LAYER", "attribute": "backward"}),
    "pad_pairs_for_one_image": ("zero_pad", zero_pad_with_pairs_for_one_image, "pad_width_axes",
                                {"pairs": 3, "axes": 4}),
    "own_negative_index_crop": ("conv_backward", conv_backward_cropped_by_negative_index, "unpad_negative_slice", {}),
    "einsum_operands_that_do_not_fit": ("conv_backward", conv_backward_dW_from_the_unpadded_input,
                                        "windows_of_unpadded_input", {"rows": 3, "n_H": 7, "pad": 2}),
    "average_spread_as_blocks": ("pool_backward", pool_backward_average_spread_as_blocks, "windows_tiled",
                                 {"f": 2, "stride": 1, "rows": 8}),
    "offsets_into_the_reach_of_the_windows": ("conv_backward", conv_backward_offsets_into_the_reach_of_the_windows,
                                              "remainder_rows_missing", {"name": "dA_prev"}),
    "layer_left_by_the_demo": ("pool_backward", pool_backward_from_the_demo_layer, "stale_state",
                               {"name": "layer", "attribute": "backward"}),
    "channels_first_padded_everywhere": ("conv_forward", conv_forward_channels_first_padded_everywhere, "axis_padded",
                                         {}),
    "pool_helper_cut_at_pad_0": ("pool_backward", pool_backward_average_through_a_padded_helper,
                                 "unpad_negative_slice", {}),
    "fancy_windows_padded_everywhere": ("conv_backward", conv_backward_dW_by_fancy_windows_padded_everywhere,
                                        "axis_padded", {"axis": "batch"}),
    "filter_channels_lettered_backwards": ("conv_forward",
                                           conv_forward_einsum_with_the_filter_channels_lettered_backwards,
                                           "einsum_channel_letters", {"letter": "c"}),
    "max_mask_from_unstrided_windows": ("pool_backward", pool_backward_max_mask_from_unstrided_windows, "factor",
                                        {"factors": ["mode", "stride"]}),
    "channels_first_windows_before_padding": ("conv_forward", conv_forward_channels_first_windows_before_padding,
                                              "windows_of_unpadded_input", {}),
    "bias_counted_twice": ("conv_single_step", bias_counted_twice, "bias_counted", {"times": 2, "fixes_all": True}),
    "blocks_need_touching_windows": ("pool_forward", pool_forward_by_blocks_without_a_check, "factor",
                                     {"factors": ["overlap"]}),
}


@pytest.mark.parametrize("learner", MORE_RULES)
def test_each_rule_names_its_cause_on_a_learner_of_its_own(learner):
    function, fn, cause, values = MORE_RULES[learner]
    verdict = local.diagnose(CHECK, function, fn, fn.__globals__, None)
    assert verdict.diagnosis is not None and verdict.diagnosis.id == cause, verdict
    for key, value in values.items():
        assert verdict.diagnosis.values.get(key) == value, (key, verdict.diagnosis.values)
    assert contradictions(function, fn, verdict) == []


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("learner", MORE_RULES)
def test_each_rule_reads_in_each_language(learner, language):
    function, fn, _, _ = MORE_RULES[learner]
    verdict = local.diagnose(CHECK, function, fn, fn.__globals__, None)
    hint = Renderer(language, CHECK.manifest["hints"]).hint(verdict)
    assert hint and not re.search(r"\{[a-z_]+\}", hint), hint
    if language == "zh":
        assert re.search(r"[\u4e00-\u9fff]", hint), hint


def test_an_exception_says_on_which_cases_it_comes():
    """dW by einsum over the unpadded input: the error comes on every case with padding and on none without,
    which points at the padding, while the words about the einsum stay a fact (its operands do not fit)."""
    fn = conv_backward_dW_from_the_unpadded_input
    verdict = local.diagnose(CHECK, "conv_backward", fn, fn.__globals__, None)
    when = verdict.diagnosis.values["when"]
    assert when["factors"] == ["pad"] and when["failed"] == when["of"]
    text = Renderer("en").hint(verdict)
    assert text.endswith(f"This error comes on {when['of']} of the {when['of']} cases tried with padding (pad above "
                         "0), and on none without padding (pad 0).")


def test_windows_of_the_unpadded_input_are_read_with_the_sizes_of_the_case_shown():
    """The shape of the array with too few window positions, and the counts, are those of the case shown (never
    of another case), and hold on every case that raised it: all with pad > 0, none without."""
    fn = conv_forward_channels_first_windows_before_padding
    for hidden in (False, True):
        verdict = local.diagnose(CHECK, "conv_forward", fn, fn.__globals__, hidden)
        runs = local.runs_of(CHECK, "conv_forward", fn, fn.__globals__)
        shown = next(run for run in runs if run.is_case and run.id == verdict.place.id)
        A_prev, W, _, hparameters = shown.args
        f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
        values = verdict.diagnosis.values
        assert values["rows"] == (A_prev.shape[1] - f) // stride + 1 != values["n_H"]
        assert values["n_H"] == (A_prev.shape[1] + 2 * pad - f) // stride + 1 and values["pad"] == pad > 0
        assert values["shape"].replace(" ", "") in shown.raised.message.replace(" ", "")
        assert all(run.passed for run in runs if run.factors.get("pad") == 0)
        assert "cut from the input before it was padded" in Renderer("en").hint(verdict)


def test_blocks_side_by_side_are_one_cause_read_from_both_of_its_messages():
    """An array too long on one case and too short on another (the blocks of the windows side by side) is one
    cause, said once, on every case that raised it; and a pooling function, which has no pad, is never told about
    [pad:-pad] at pad 0 (the notebook around it cuts with [pad:-pad] elsewhere: _crop above)."""
    fn = pool_backward_average_spread_as_blocks
    verdict = local.diagnose(CHECK, "pool_backward", fn, fn.__globals__, None)
    runs = local.runs_of(CHECK, "pool_backward", fn, fn.__globals__)
    raised = [run for run in runs if run.raised is not None]
    assert verdict.diagnosis.id == "windows_tiled" and not verdict.more
    assert verdict.diagnosis.values["when"]["failed"] == len(raised) and len(raised) >= 2
    assert all(run.passed for run in runs if run.factors["overlap"] == "touching")
    hint = Renderer("en").hint(verdict)
    assert "pad:-pad" not in hint and "pad 0" not in hint, hint


def test_rows_no_window_reaches_are_named_only_where_the_stride_leaves_some():
    """Every failing case is short by its own remainder (the case shown carries its numbers), and every case where
    the stride divides n_H_prev + 2 * pad - f passes; no "right with stride 1" claim is left over."""
    fn = conv_backward_offsets_into_the_reach_of_the_windows
    verdict = local.diagnose(CHECK, "conv_backward", fn, fn.__globals__, None)
    runs = local.runs_of(CHECK, "conv_backward", fn, fn.__globals__)
    shown = next(run for run in runs if run.is_case and run.id == verdict.place.id)
    _, (A_prev, W, _, hparameters) = shown.args
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    assert verdict.diagnosis.id == "remainder_rows_missing" and not verdict.more
    assert verdict.diagnosis.values["rows"] == (A_prev.shape[1] + 2 * pad - f) % stride
    assert verdict.diagnosis.values["cols"] == (A_prev.shape[2] + 2 * pad - f) % stride
    for run in runs:
        _, (A_prev, W, _, hparameters) = run.args
        if (A_prev.shape[1] + 2 * hparameters["pad"] - W.shape[0]) % hparameters["stride"] == 0 and \
                (A_prev.shape[2] + 2 * hparameters["pad"] - W.shape[0]) % hparameters["stride"] == 0:
            assert run.passed, run.id


def test_an_object_left_by_an_earlier_call_is_one_cause_with_the_none_it_is_elsewhere():
    """Where the object is None (average mode) and where it is the demo's (max mode: its shapes do not fit the
    case's), one cause is said, under the case shown in its own terms; no shape hint of its own is left."""
    fn = pool_backward_from_the_demo_layer
    verdict = local.diagnose(CHECK, "pool_backward", fn, fn.__globals__, None)
    runs = local.runs_of(CHECK, "pool_backward", fn, fn.__globals__)
    shown = next(run for run in runs if run.is_case and run.id == verdict.place.id)
    assert {run.raised.type for run in runs if run.raised} == {"AttributeError", "ValueError"}
    assert not verdict.more, verdict.more
    expected = "none_attribute" if shown.raised.type == "AttributeError" else "stale_state"
    assert verdict.diagnosis.id == expected


def test_runs_failing_under_the_condition_of_an_error_without_it_are_not_a_cause_of_their_own():
    """np.pad(X, pad) raises where the sizes clash and gives wrong values where an axis of 1 broadcasts (m = 1):
    both only with padding. The second kind is said as what it is (the same condition, no error: look again once
    the first is fixed), never as a factor claim that sends the learner to the padding a second time."""
    fn = conv_backward_dW_by_fancy_windows_padded_everywhere
    verdict = local.diagnose(CHECK, "conv_backward", fn, fn.__globals__, None)
    runs = local.runs_of(CHECK, "conv_backward", fn, fn.__globals__)
    quiet = [run for run in runs if not run.passed and run.raised is None]
    assert quiet and all(run.factors["pad"] > 0 for run in quiet)
    assert [d.id for d in verdict.more] == ["same_condition"]
    assert verdict.more[0].values["failed"] == len(quiet)
    assert "Fix the cause above first, then look at them again." in Renderer("en").hint(verdict)


def test_windows_that_just_touch_are_told_from_windows_that_overlap_or_leave_gaps():
    fn = pool_forward_by_blocks_without_a_check
    verdict = local.diagnose(CHECK, "pool_forward", fn, fn.__globals__, None)
    assert "it passes every case and probe where the windows just touch (stride = f)" in Renderer("en").hint(verdict)
    assert "where the windows overlap or leave gaps (stride != f)" in Renderer("en").hint(verdict)
