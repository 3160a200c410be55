"""Two mistakes of backward passes written as a full convolution, read for their causes (issue 17).

- dZ padded by f - 1 - pad, below 0 when pad > f - 1: np.pad raises "index can't contain negative values";
  the condition pad > f - 1 is said only where every run proves it.
- the dilated dZ sized from the output, (n_H - 1) * stride + 1 rows: it lacks the rows no window reaches,
  and shape errors come only where the stride does not divide n_H_prev + 2 * pad - f; said as that one
  cause only in a backward pass, and only when no run where the stride divides shows the same.

The learner functions below are written by hand for these tests; none is a catalogued mistake.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

import autograder
from autograder.diagnosis import explain_raised, local
from autograder.render import Renderer
from autograder.verdict import Raised
from tests.helpers import STEP_BY_STEP

STEP = autograder.checks(STEP_BY_STEP.name)


def conv_backward_full_convolution_padded_by_f_minus_1_minus_pad(dZ, cache):
    """dA_prev as the full convolution of the dilated dZ with W turned by 180 degrees, dZ padded by f - 1 - pad:
    right wherever pad <= f - 1; np.pad refuses the negative width everywhere else."""
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    _, n_H, n_W, _ = dZ.shape
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dW = np.zeros(W.shape)
    for h in range(n_H):
        for w in range(n_W):
            window = padded[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            dW += np.einsum("mijk,mc->ijkc", window, dZ[:, h, w, :])
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    rows, cols = n_H_prev + 2 * pad - f + 1, n_W_prev + 2 * pad - f + 1  # every row a window starts on
    dilated = np.zeros((m, rows, cols, n_C))
    dilated[:, ::stride, ::stride, :][:, :n_H, :n_W, :] = dZ
    width = f - 1 - pad
    around = np.pad(dilated, ((0, 0), (width, width), (width, width), (0, 0)))
    turned = W[::-1, ::-1, :, :]
    dA_prev = np.zeros(A_prev.shape)
    for h in range(n_H_prev):
        for w in range(n_W_prev):
            dA_prev[:, h, w, :] = np.einsum("mijc,ijkc->mk", around[:, h:h + f, w:w + f, :], turned)
    return dA_prev, dW, db


def zero_pad_one_short(X, pad):
    """Pads by pad - 1: a negative width at pad 0, for a reason that has nothing to do with f."""
    return np.pad(X, ((0, 0), (pad - 1, pad - 1), (pad - 1, pad - 1), (0, 0)))


def _causes(verdict):
    return [d for d in (verdict.diagnosis, *verdict.more) if d is not None]


def _hint(verdict):
    for language in ("en", "zh"):
        text = Renderer(language, STEP.manifest.get("hints", {})).text(verdict)
        assert not re.search(r"\{[a-z_]+\}", text), text
    return Renderer("en", STEP.manifest.get("hints", {})).hint(verdict)


def test_numpy_says_a_negative_pad_width_in_the_words_the_rule_reads():
    try:
        np.pad(np.zeros((2, 2)), ((-1, -1), (0, 0)))
    except ValueError as error:
        message = str(error)
    else:
        pytest.fail("np.pad took a negative width")
    raised = Raised("ValueError", message, "around = np.pad(dilated, ((-1, -1), (0, 0)))", "conv_backward")
    assert explain_raised("conv_backward", raised).id == "pad_width_negative"
    assert explain_raised("conv_backward", Raised("ValueError", message, "x = y[-1]", "conv_backward")) is None


def test_a_negative_width_on_exactly_the_runs_where_pad_exceeds_f_minus_1_is_said_with_that_condition():
    fn = conv_backward_full_convolution_padded_by_f_minus_1_minus_pad
    verdict = local.diagnose(STEP, "conv_backward", fn, fn.__globals__, None)
    assert [d.id for d in _causes(verdict)] == ["pad_width_negative_beyond_f"], _causes(verdict)
    runs = local.runs_of(STEP, "conv_backward", fn, fn.__globals__)
    beyond = [run for run in runs if run.factors["pad"] > run.factors["f"] - 1]
    assert beyond and all(run.raised is not None and "negative" in run.raised.message for run in beyond)
    assert all(run.passed for run in runs if run not in beyond)  # the only cause: right everywhere else
    values = verdict.diagnosis.values
    assert (values["count"], values["others"]) == (len(beyond), len(runs) - len(beyond))
    assert "around = np.pad(dilated" in values["line"] and "pad > f - 1" in _hint(verdict)


def test_a_negative_width_that_does_not_follow_pad_and_f_is_not_given_their_condition():
    fn = zero_pad_one_short
    verdict = local.diagnose(STEP, "zero_pad", fn, fn.__globals__, None)
    causes = [d.id for d in _causes(verdict)]
    assert causes[0] == "pad_width_negative" and "pad_width_negative_beyond_f" not in causes, causes
    assert "f - 1" not in _hint(verdict)


@pytest.mark.parametrize("raised_on, group, said", [
    ({"a", "b"}, {"a", "b"}, True),  # exactly the runs with pad > f - 1
    ({"a"}, {"a"}, False),  # on some of them only
    ({"a", "b", "c"}, {"a", "b", "c"}, False),  # on one with pad = f - 1 too
    ({"a", "b", "c"}, {"a", "b"}, False),  # there too, on a run a cause before took: still not "none"
    ({"a", "b@"}, {"a", "b@"}, False),  # raised at two lines: the one line quoted would be wrong for some
])
def test_the_condition_pad_above_f_minus_1_is_said_only_when_it_is_exactly_where_the_error_comes(raised_on, group,
                                                                                                 said):
    from autograder.diagnosis.evidence import Run
    from autograder.diagnosis.proof import _beyond_f
    from autograder.verdict import Diagnosis, Outcome, Verdict

    def run(key, f, pad):
        line = "z = np.pad(u, v)" if f"{key}@" in raised_on else "x = np.pad(y, w)"
        if key not in raised_on and f"{key}@" not in raised_on:
            return Run(key, "case", {"f": f, "pad": pad}, True)
        error = Raised("ValueError", "index can't contain negative values", line, "conv_backward")
        verdict = Verdict("conv_backward", Outcome.RAISED, None, raised=error,
                          diagnosis=Diagnosis("pad_width_negative", "exception", {"line": line}))
        return Run(key, "case", {"f": f, "pad": pad}, False, verdict=verdict, raised=error)

    factors = {"a": (2, 2), "b": (1, 1), "c": (2, 1), "d": (3, 0)}  # id: (f, pad)
    runs = [run(key, f, pad) for key, (f, pad) in factors.items()]
    taken = {key.rstrip("@") for key in group}
    found = _beyond_f(Diagnosis("pad_width_negative", "exception", {"line": "x = np.pad(y, w)"}),
                      [r for r in runs if r.id in taken], runs)
    assert (found.id == "pad_width_negative_beyond_f") == said
    if said:
        assert (found.values["count"], found.values["others"]) == (2, 2)


def conv_backward_full_convolution_dilated_from_the_output(dZ, cache):
    """The full convolution again, padded right (by f - 1 - pad, or cut where that is negative), but the
    dilated dZ is sized from the output, (n_H - 1) * stride + 1 rows: it lacks the rows no window reaches."""
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    _, n_H, n_W, n_C = dZ.shape
    dW = np.zeros(W.shape)
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    for h in range(n_H):
        for w in range(n_W):
            dW += np.einsum("mijk,mc->ijkc", padded[:, h * stride:h * stride + f, w * stride:w * stride + f, :],
                            dZ[:, h, w, :])
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dilated = np.zeros((m, (n_H - 1) * stride + 1, (n_W - 1) * stride + 1, n_C))
    dilated[:, ::stride, ::stride, :] = dZ
    width = f - 1 - pad
    if width >= 0:
        around = np.pad(dilated, ((0, 0), (width, width), (width, width), (0, 0)))
    else:  # cut instead: np.pad cannot
        around = dilated[:, -width:dilated.shape[1] + width, -width:dilated.shape[2] + width, :]
    turned = W[::-1, ::-1, :, :]
    dA_prev = np.zeros(A_prev.shape)
    for h in range(n_H_prev):
        for w in range(n_W_prev):
            window = around[:, h:h + f, w:w + f, :]
            dA_prev[:, h, w, :] = np.einsum("mijc,ijkc->mk", window, turned)
    return dA_prev, dW, db


def test_shape_errors_only_where_the_stride_leaves_rows_no_window_reaches_are_that_cause():
    from autograder.diagnosis.shapes import remainder

    fn = conv_backward_full_convolution_dilated_from_the_output
    verdict = local.diagnose(STEP, "conv_backward", fn, fn.__globals__, None)
    causes = _causes(verdict)
    runs = local.runs_of(STEP, "conv_backward", fn, fn.__globals__)
    raised = [run for run in runs if run.raised is not None]
    silent = [run for run in runs if not run.passed and run.raised is None]
    # the claims: errors only where the stride leaves rows, wrong values without one only there too
    assert raised and all(any(remainder(run)) for run in raised) and all(any(remainder(run)) for run in silent)
    assert any(run.passed and remainder(run) == (0, 0) and run.factors["stride"] > 1 for run in runs)
    assert [d.id for d in causes] == ["remainder_rows_raised_and_silent"], causes  # one cause, said once
    values = causes[0].values
    assert (values["rows"], values["cols"]) == remainder(raised[0]) and values["count"] == len(raised)
    assert values["total"] == sum(any(remainder(run)) for run in runs) and values["silent"] == len(silent) > 0
    assert values["others"] == sum(remainder(run) == (0, 0) for run in runs)
    assert "does not divide" in _hint(verdict)


def _run(run_id, rows, stride, raised=False, passed=False, function="conv_backward", line="x = a * b"):
    """A run on an input of ``rows`` x 6, f = 2, pad 0: (rows - 2) % stride rows no window reaches; one that
    raised, raised a broadcast error, read as such."""
    from autograder.diagnosis.evidence import Run
    from autograder.verdict import Diagnosis, Outcome, Verdict

    cache = (np.zeros((1, rows, 6, 1)), np.zeros((2, 2, 1, 1)), np.zeros((1, 1, 1, 1)), {"stride": stride, "pad": 0})
    error = Raised("ValueError", "operands could not be broadcast together", line, function)
    verdict = Verdict(function, Outcome.RAISED, None, raised=error,
                      diagnosis=Diagnosis("broadcast_mismatch", "exception", {})) if raised else None
    return Run(run_id, "case", {"f": 2, "pad": 0, "stride": stride}, passed and not raised, verdict=verdict,
               raised=error if raised else None, args=(np.zeros((1, 1, 1, 1)), cache))


@pytest.mark.parametrize("runs, taken, said", [
    ([_run("a", 5, 2, raised=True), _run("b", 6, 2, passed=True)], (), True),
    ([_run("a", 5, 2, raised=True), _run("b", 6, 2, raised=True)], (), False),  # an error where the stride divides
    ([_run("a", 5, 2, raised=True), _run("b", 6, 1, passed=True)], (), False),  # no stride above 1 divides quietly
    # an error where it divides, on a run a cause before took: still not "none where it divides"
    ([_run("a", 5, 2, raised=True), _run("b", 6, 2, passed=True), _run("c", 4, 1, raised=True)], ("c",), False),
    # at two lines: the one line quoted would be wrong for some
    ([_run("a", 5, 2, raised=True), _run("b", 6, 2, passed=True), _run("c", 7, 2, raised=True, line="y = c * d")],
     (), False),
])
def test_shape_errors_are_the_remainder_only_where_no_run_that_divides_raised_them(runs, taken, said):
    from autograder.diagnosis.proof import _remainder_raised
    from autograder.verdict import Diagnosis

    group = [run for run in runs if run.raised is not None and run.id not in taken]
    read = {"broadcast_mismatch": (Diagnosis("broadcast_mismatch", "exception", {}), group, {})}
    _remainder_raised(read, runs)
    assert list(read) == (["remainder_rows_raised"] if said else ["broadcast_mismatch"])


def test_wrong_values_join_the_remainder_only_when_none_where_the_stride_divides_are_wrong():
    from autograder.diagnosis.proof import Finding, _silent_remainder
    from autograder.verdict import Diagnosis

    cause = Diagnosis("remainder_rows_raised", "exception", {"count": 1})
    error, quiet, wrong = _run("a", 5, 2, raised=True), _run("b", 6, 2, passed=True), _run("c", 7, 2)
    finding, left = Finding([cause], [[error]]), [wrong]
    _silent_remainder(finding, left, [error, quiet, wrong])
    assert finding.causes[0].id == "remainder_rows_raised_and_silent" and finding.exhibits[0] == [error, wrong]
    assert left == [] and finding.causes[0].values["silent"] == 1
    dividing_wrong = _run("d", 6, 2)  # wrong values where the stride divides: not this cause's to explain
    finding, left = Finding([cause], [[error]]), [wrong]
    _silent_remainder(finding, left, [error, quiet, wrong, dividing_wrong])
    assert finding.causes[0].id == "remainder_rows_raised" and left == [wrong]


def conv_backward_full_convolution_with_the_stride_ignored_in_the_dilation(dZ, cache):
    """dZ is not dilated at all (stride ignored there): shape errors on every run with a stride above 1, those
    where it divides included, so the stride's remainder is not the condition."""
    A_prev, W, b, hparameters = cache
    pad = hparameters["pad"]
    f = W.shape[0]
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    around = np.pad(dZ, ((0, 0), (f - 1, f - 1), (f - 1, f - 1), (0, 0)))[:, pad:, pad:, :]
    turned = W[::-1, ::-1, :, :]
    dA_prev = np.zeros(A_prev.shape)
    for h in range(n_H_prev):
        for w in range(n_W_prev):
            dA_prev[:, h, w, :] = np.sum(around[:, h:h + f, w:w + f, None, :] * turned, axis=(1, 2, 4))
    return dA_prev, np.zeros(W.shape), dZ.sum(axis=(0, 1, 2)).reshape(b.shape)


def test_shape_errors_where_the_stride_divides_too_are_not_said_to_come_from_its_remainder():
    fn = conv_backward_full_convolution_with_the_stride_ignored_in_the_dilation
    verdict = local.diagnose(STEP, "conv_backward", fn, fn.__globals__, None)
    assert "remainder_rows_raised" not in [d.id for d in _causes(verdict)], _causes(verdict)


def conv_forward_sized_by_ceil(A_prev, W, b, hparameters):
    """The output rounded up: where the stride does not divide, the last window runs off the padded input and
    its slice is too short to multiply by W. A forward pass: its cause is the output's size, not a gradient's."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    n_H = -(-(n_H_prev + 2 * pad - f) // stride) + 1
    n_W = -(-(n_W_prev + 2 * pad - f) // stride) + 1
    padded = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            window = padded[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            Z[:, h, w, :] = np.einsum("mijk,ijkc->mc", window, W) + b[0, 0, 0]
    return Z, (A_prev, W, b, hparameters)


def test_a_forward_pass_whose_windows_run_off_the_input_is_not_told_to_size_a_gradient():
    from autograder.diagnosis.shapes import remainder

    fn = conv_forward_sized_by_ceil
    runs = local.runs_of(STEP, "conv_forward", fn, fn.__globals__)
    raised = [run for run in runs if run.raised is not None]
    assert raised and all(any(remainder(run)) for run in raised)  # the same evidence as a backward pass's
    verdict = local.diagnose(STEP, "conv_forward", fn, fn.__globals__, None)
    assert not {"remainder_rows_raised", "remainder_rows_raised_and_silent"} & {d.id for d in _causes(verdict)}


@pytest.mark.parametrize("function, said", [("conv_backward", True), ("conv_forward", False)])
def test_the_remainder_is_read_from_shape_errors_in_a_backward_pass_only(function, said):
    from autograder.diagnosis.proof import explain_own

    runs = [_run("a", 5, 2, raised=True, function=function), _run("b", 6, 2, passed=True, function=function),
            _run("c", 7, 2, raised=True, function=function)]
    causes = [cause.id for cause in explain_own(function, ("dA_prev",), runs).causes]
    assert ("remainder_rows_raised" in causes) == said, causes
