"""np.pad given a negative width, read for its cause (issue 17: full-convolution backward passes).

A backward pass written as a full convolution pads the dilated dZ by f - 1 - pad, which is below 0 when
pad > f - 1, and np.pad raises "index can't contain negative values". The learner functions below are written
by hand for these tests; none is a catalogued mistake. The condition is said only where every run proves it.
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


@pytest.mark.parametrize("raised_on, said", [
    ({"a", "b"}, True),  # exactly the runs with pad > f - 1
    ({"a"}, False),  # on some of them only
    ({"a", "b", "c"}, False),  # on one with pad = f - 1 too
])
def test_the_condition_pad_above_f_minus_1_is_said_only_when_it_is_exactly_where_the_error_comes(raised_on, said):
    from autograder.diagnosis.evidence import Run
    from autograder.diagnosis.proof import _beyond_f
    from autograder.verdict import Diagnosis

    factors = {"a": (2, 2), "b": (1, 1), "c": (2, 1), "d": (3, 0)}  # id: (f, pad)
    runs = [Run(key, "case", {"f": f, "pad": pad}, key not in raised_on,
                raised=Raised("ValueError", "index can't contain negative values", "x = np.pad(y, w)", "f")
                if key in raised_on else None) for key, (f, pad) in factors.items()]
    found = _beyond_f(Diagnosis("pad_width_negative", "exception", {"line": "x = np.pad(y, w)"}),
                      [run for run in runs if run.id in raised_on], runs)
    assert (found.id == "pad_width_negative_beyond_f") == said
    if said:
        assert (found.values["count"], found.values["others"]) == (2, 2)
