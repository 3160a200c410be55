"""The diagnosis's readers called directly, in-process, on small outputs of the reference.

Each expected output is the instructor's reference run on small inputs; each wrong output is what a
learner's mistake makes of it (a sum for a mean, a factor, an offset, axes swapped, ...). The readers
(:mod:`autograder.diagnosis.patterns`, :mod:`autograder.diagnosis.evidence`, ...) must name exactly that
mistake, with its values, and nothing when there is none. These run in a few seconds, so that
``make mutation`` (bench/mutation.py) can run them first for every diagnosis mutant; tests/test_diagnosis.py
checks the same causes end to end.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from autograder.compare import Tolerance, difference, outputs_difference
from autograder.diagnosis import explain_output
from autograder.diagnosis.evidence import differing, first_differing, numeric
from tests.helpers import STEP_BY_STEP

REFERENCE = STEP_BY_STEP.reference()
RNG = np.random.default_rng(11)
A_PREV = RNG.normal(size=(3, 5, 5, 2))
W, B = RNG.normal(size=(2, 2, 2, 4)), RNG.normal(size=(1, 1, 1, 4))
Z = REFERENCE["conv_forward"](A_PREV, W, B, {"stride": 1, "pad": 1})[0]  # (3, 6, 6, 4)
POOL = {"f": 2, "stride": 2}
AVERAGE = REFERENCE["pool_forward"](A_PREV, POOL, mode="average")[0]  # (3, 2, 2, 2)
MAXED = REFERENCE["pool_forward"](A_PREV, POOL, mode="max")[0]
FACTS = {"f": 2, "area": 4, "m": 3, "positions": 4}


def read(expected, got, name="Z", function="conv_forward", facts=None):
    return explain_output(function, [name], expected, got, difference(name, expected, got), facts)


# -- patterns --------------------------------------------------------------------------------------------
def test_nothing_returned_is_a_forgotten_return():
    assert read(Z, None).id == "returned_none"


def test_a_mask_with_other_values_than_0_and_1():
    window = A_PREV[0, :2, :2, 0]
    mask = REFERENCE["create_mask_from_window"](window)
    found = read(mask, window * mask, name="mask", function="create_mask_from_window")
    assert found.id == "bool_mask"


def test_one_number_where_an_array_or_a_mask_belongs_says_the_shape():
    found = read(Z, float(Z.sum()))
    assert (found.id, found.values) == ("number_for_array", {"name": "Z", "shape": [3, 6, 6, 4]})
    mask = REFERENCE["create_mask_from_window"](A_PREV[0, :2, :3, 0])
    found = read(mask, True, name="mask", function="create_mask_from_window")
    assert (found.id, found.values) == ("number_for_mask", {"name": "mask", "shape": [2, 3]})


def test_not_finite_and_all_zeros():
    got = Z.copy()
    got[1, 2, 3, 0] = np.nan
    assert read(Z, got).values == {"name": "Z"} and read(Z, got).id == "not_finite"
    assert read(Z, np.zeros_like(Z)).id == "all_zeros"
    assert read(Z, np.zeros_like(Z)).values == {"name": "Z"}


def test_nothing_is_read_into_one_number_or_a_right_shape_of_other_values():
    assert read(np.float64(2.0), np.float64(4.0), name="Z") is None  # one entry: nothing to see a pattern in
    assert read(Z, RNG.normal(size=Z.shape)) is None


@pytest.mark.parametrize("factor, because, values", [
    (4.0, "window_area", {"area": 4}),  # the average's sum not divided by the window's area
    (0.25, "window_area", {"area": 4}),  # divided twice
    (2.0, "window_side", {"side": 2}),
    (3.0, "batch", {"m": 3}),
    (1 / 3, "batch", {"m": 3}),
])
def test_a_factor_is_named_with_the_size_it_is(factor, because, values):
    found = read(AVERAGE, factor * AVERAGE, name="A", function="pool_forward", facts=FACTS)
    assert found.id == "off_by_factor"
    assert found.values["factor"] == pytest.approx(factor, rel=1e-6)
    assert (found.values["because"], found.values["because_values"]) == (because, values)


def test_the_positions_are_a_reason_and_a_size_of_one_is_none():
    found = read(AVERAGE, 5.0 * AVERAGE, name="A", function="pool_forward", facts={**FACTS, "positions": 5})
    assert (found.values["because"], found.values["because_values"]) == ("positions", {"positions": 5})
    found = read(AVERAGE, 5.0 * AVERAGE, name="A", function="pool_forward", facts={"m": 1, "area": 1, "f": 1})
    assert found.id == "off_by_factor" and "because" not in found.values
    found = read(AVERAGE, 7.0 * AVERAGE, name="A", function="pool_forward", facts=FACTS)
    assert found.values == {"name": "A", "factor": 7.0}


def test_a_factor_below_one_is_kept_whole_and_one_above_is_rounded():
    assert read(Z, Z / 7).values["factor"] == 1 / 7
    assert read(Z, Z * 7.0000000001).values["factor"] == 7.0
    assert read(Z, Z * 1.5000000001).values["factor"] == 1.5


def test_two_entries_are_enough_to_read_and_one_is_not():
    expected = REFERENCE["zero_pad"](A_PREV, 1)[0, 1, 1:3, 0]  # two entries of the reference
    found = read(expected, 2 * expected, name="X_pad", function="zero_pad")
    assert (found.id, found.values["factor"]) == ("off_by_factor", 2.0)
    assert read(expected[:1], 2 * expected[:1], name="X_pad", function="zero_pad") is None


@pytest.mark.parametrize("got", ["text", [["a", "b"]], {"Z": 1}], ids=["text", "list", "dict"])
def test_something_that_is_not_numbers_is_read_for_nothing(got):
    assert read(Z, got) is None


def test_a_factor_read_on_two_entries_of_many_tiny_ones():
    expected = np.zeros((2, 2, 2))
    expected[0, 0, 0], expected[1, 1, 1] = 2.0, -3.0
    expected[0, 1, 0] = 1e-9  # far below the others: not read for the factor
    found = read(expected, 3 * expected, name="dA")
    assert (found.id, found.values["factor"]) == ("off_by_factor", 3.0)


def test_an_offset_per_channel_says_its_largest_channel():
    found = read(Z, Z + np.array([0.5, -2.0, 1.0, 0.0]))
    assert found.id == "constant_offset" and found.values == {"name": "Z", "offset": -2.0, "per_channel": True}
    assert read(Z, Z + 0.5).values == {"name": "Z", "offset": 0.5}


def test_an_offset_in_one_example_only_is_not_an_offset():
    got = Z.copy()
    got[0] += 1.0
    found = read(Z, got)
    assert found.id == "some_examples" and found.values == {"name": "Z", "right": "1, 2"}


def test_right_values_at_the_wrong_places():
    found = read(Z, np.swapaxes(Z, 1, 2))
    assert found.values == {"name": "Z", "axes": [1, 2]} and found.id == "values_misplaced"
    found = read(Z, np.flip(Z, 3))
    assert found.values == {"name": "Z", "axis": 3}
    found = read(Z, np.flip(Z, 0))
    assert found.values == {"name": "Z", "axis": 0}
    shuffled = RNG.permutation(Z.ravel()).reshape(Z.shape)
    assert read(Z, shuffled).values == {"name": "Z"} and read(Z, shuffled).id == "values_misplaced"


def test_right_values_in_the_wrong_shape():
    found = read(Z, np.transpose(Z, (3, 0, 1, 2)))
    assert found.id == "transposed_shape"
    assert found.values == {"name": "Z", "got": [4, 3, 6, 6], "expected": [3, 6, 6, 4], "order": [3, 0, 1, 2]}
    found = read(Z, Z.reshape(3, 36, 4))
    assert found.values == {"name": "Z", "got": [3, 36, 4], "expected": [3, 6, 6, 4]} and found.id == "reshaped"
    assert read(Z, RNG.normal(size=(3, 36, 4))) is None
    assert read(Z, Z[:, :3]) is None  # another size


def test_some_examples_or_some_channels_right():
    got = Z.copy()
    got[1] = RNG.normal(size=got[1].shape)
    assert read(Z, got).values == {"name": "Z", "right": "0, 2"}
    got = Z.copy()
    got[..., 1:3] = RNG.normal(size=got[..., 1:3].shape)
    found = read(Z, got, name="dW", function="conv_backward")
    assert (found.id, found.values) == ("some_channels", {"name": "dW", "right": "0, 3"})
    assert read(Z, got).id == "some_channels"  # no example all right: the channels are read


def test_some_examples_are_read_on_the_lessons_batch_first_outputs_only():
    got = Z.copy()
    got[1] = RNG.normal(size=got[1].shape)
    assert read(Z, got, name="dW", function="conv_backward") is None  # its channels all differ somewhere


def test_a_networks_gradients_say_which_part_goes_wrong():
    names = ["cost", "grads"]
    grads = {"dW1": Z[0], "db1": B.ravel(), "dW2": W}
    expected = (1.5, grads)

    def read_pair(got):
        return explain_output("model_cost_and_gradients", names, expected, got,
                              outputs_difference("model_cost_and_gradients", names, expected, got, Tolerance()))

    found = read_pair((1.5, {**grads, "db1": 2 * B.ravel()}))
    assert (found.id, found.values) == ("some_gradients", {"name": "grads", "right": ["dW1", "dW2"], "wrong": ["db1"]})
    assert read_pair((1.25, grads)).values == {"name": "cost"}
    missing = read_pair((1.5, {"dW1": Z[0]}))
    assert (missing.id, missing.values) == ("gradient_keys", {"name": "grads", "keys": ["dW1", "db1", "dW2"]})
    assert read_pair((1.5, {key: value + 1 for key, value in grads.items()})) is None  # all wrong: no part
    assert read_pair((1.5, [1, 2])) is None


# -- evidence ------------------------------------------------------------------------------------------------
def test_the_outputs_that_differ_are_found_in_order():
    A, cache = REFERENCE["pool_forward"](A_PREV, POOL, mode="max")
    tolerance = Tolerance()
    names = ["A", "cache"]
    assert first_differing("pool_forward", names, (A, cache), (A, cache), tolerance) is None
    assert differing("pool_forward", names, (A, cache), (A, cache), tolerance) == []
    name, e, g = first_differing("pool_forward", names, (A, cache), (2 * A, cache), tolerance)
    assert name == "A" and e is A and np.allclose(g, 2 * A)
    assert [found[0] for found in differing("pool_forward", names, (A, cache), (2 * A, (A_PREV, {})), tolerance)] \
        == ["A", "cache"]
    assert first_differing("pool_forward", names, (A, cache), (A, (A_PREV, {})), tolerance)[0] == "cache"
    for other in (A, (A,), (A, cache, 1)):  # another number of values: nothing to pair
        assert first_differing("pool_forward", names, (A, cache), other, tolerance) is None
        assert differing("pool_forward", names, (A, cache), other, tolerance) == []
    assert first_differing("zero_pad", ["X_pad"], A, A + 1, tolerance)[0] == "X_pad"
    assert first_differing("zero_pad", ["X_pad"], A, A, tolerance) is None
    assert differing("zero_pad", ["X_pad"], A, A + 1, tolerance)[0][0] == "X_pad"


def test_numeric_reads_numbers_and_arrays_not_truth_values_or_text():
    assert numeric(True) is None and numeric("3") is None and numeric(None) is None
    assert numeric(3).dtype == float and numeric(np.array([True, False])).tolist() == [1.0, 0.0]
    assert numeric(np.array(["a"])) is None
    assert numeric(np.float32(2.5)) == 2.5 and numeric(np.float32(2.5)).dtype == float


# -- separation: the factors that break a function, on runs of a learner's function against the reference ----
def _pool_stride_ignored(A_prev, hparameters, mode="max"):
    """A learner's pool_forward whose window moves by 1 whatever the stride."""
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    reduce = np.max if mode == "max" else np.mean
    A = np.array([[[reduce(A_prev[i, h:h + f, w:w + f], axis=(0, 1)) for w in range(n_W)] for h in range(n_H)]
                  for i in range(m)])
    return A, (A_prev, hparameters)


def _pool_average_summed(A_prev, hparameters, mode="max"):
    """A learner's pool_forward whose average is the window's sum."""
    A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode="max")
    if mode == "average":
        f = hparameters["f"]
        A = REFERENCE["pool_forward"](A_prev, hparameters, mode="average")[0] * f * f
    return A, cache


def _pool_backward_overwriting(dA, cache, mode="max"):
    """A learner's pool_backward that sets each window's gradient instead of adding it (``=`` for ``+=``)."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros_like(A_prev)
    m, n_H, n_W, n_C = dA.shape
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    top, left = h * stride, w * stride
                    window = A_prev[i, top:top + f, left:left + f, c]
                    if mode == "max":
                        dA_prev[i, top:top + f, left:left + f, c] = REFERENCE["create_mask_from_window"](window) \
                            * dA[i, h, w, c]
                    else:
                        dA_prev[i, top:top + f, left:left + f, c] = REFERENCE["distribute_value"](
                            dA[i, h, w, c], (f, f))
    return dA_prev


def _overlap(f, stride):
    return "touching" if f == stride else "overlapping" if f > stride else "gaps"


def _forward_runs(learner, strides=(1, 2, 3), fs=(1, 2), modes=("max", "average"), ms=(1, 2), kind="case"):
    from autograder.diagnosis.evidence import Run

    runs = []
    for stride in strides:
        for f in fs:
            for mode in modes:
                for m in ms:
                    A_prev = RNG.normal(size=(m, 6, 6, 2))
                    hparameters = {"f": f, "stride": stride}
                    expected = REFERENCE["pool_forward"](A_prev, hparameters, mode=mode)[0]
                    got = learner(A_prev, hparameters, mode=mode)[0]
                    runs.append(Run(f"{stride}-{f}-{mode}-{m}", kind, {"stride": stride, "f": f, "mode": mode, "m": m},
                                    bool(np.allclose(got, expected))))
    return runs


def test_a_stride_ignored_is_named_from_the_runs():
    from autograder.diagnosis.separation import Condition, factor_diagnosis, separate

    runs = _forward_runs(_pool_stride_ignored)
    assert separate(runs) == ((Condition("stride", False),), False)
    found = factor_diagnosis(runs)
    assert (found.id, found.source) == ("factor", "probe")
    assert found.values == {"factor": "stride", "right": 1, "wrong": 2, "factors": ["stride"],
                            "rights": {"stride": 1}, "wrongs": {"stride": 2}, "broken_when": "any",
                            "simple_breaks": [], "kinds": {}, "passed": 8, "failed": 16, "of": 16}
    runs.append(dataclasses.replace(runs[0], id="no stride", factors={"m": 1}))  # a run without the factor
    found = factor_diagnosis(runs)
    assert (found.values["passed"], found.values["of"]) == (9, 16)  # it is not a run with a stride over 1


def test_an_average_summed_breaks_only_with_both_the_average_and_a_window_over_one():
    from autograder.diagnosis.separation import factor_diagnosis, separate

    runs = _forward_runs(_pool_average_summed)
    assert separate(runs)[1] is False  # two factors at once: no one-factor probe change shows that
    found = factor_diagnosis(runs)
    assert found.values == {"factor": "mode", "right": "max", "wrong": "average", "factors": ["mode", "f"],
                            "rights": {"mode": "max", "f": 1}, "wrongs": {"mode": "average", "f": 2},
                            "broken_when": "all", "simple_breaks": [], "kinds": {}, "passed": 18, "failed": 6,
                            "of": 6}


def test_a_gradient_overwritten_breaks_where_windows_overlap():
    from autograder.diagnosis.evidence import Run
    from autograder.diagnosis.separation import factor_diagnosis

    runs = []
    for stride in (1, 2, 3):
        for f in (1, 2, 3):
            A_prev = RNG.normal(size=(1, 7, 7, 1))
            hparameters = {"f": f, "stride": stride}
            A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode="average")
            dA = RNG.normal(size=A.shape)
            expected = REFERENCE["pool_backward"](dA, cache, mode="average")
            runs.append(Run(f"{stride}-{f}", "case", {"overlap": _overlap(f, stride), "stride": stride},
                            bool(np.allclose(_pool_backward_overwriting(dA, cache, mode="average"), expected))))
    found = factor_diagnosis(runs)
    assert found.values["factors"] == ["overlap"] and found.values["kinds"] == {"overlap": "overlapping"}
    assert (found.values["right"], found.values["wrong"]) == ("touching", "overlapping")
    assert (found.values["passed"], found.values["failed"], found.values["of"]) == (6, 3, 3)


def test_a_claim_needs_a_run_that_passed_and_one_that_failed():
    from autograder.diagnosis.separation import factor_diagnosis

    assert factor_diagnosis(_forward_runs(lambda A_prev, hp, mode: REFERENCE["pool_forward"](A_prev, hp, mode=mode))) \
        is None
    wrong = _forward_runs(lambda A_prev, hp, mode: (REFERENCE["pool_forward"](A_prev, hp, mode=mode)[0] + 1, None))
    assert factor_diagnosis(wrong) is None


def test_a_probe_that_changes_one_factor_and_fails_witnesses_the_claim():
    from autograder.diagnosis.evidence import SIMPLE
    from autograder.diagnosis.separation import Condition, separate

    runs = _forward_runs(_pool_stride_ignored, strides=(1, 2), fs=(2,), modes=("max",), ms=(1,), kind="probe")
    root, child = runs
    assert (root.passed, child.passed) == (True, False) and root.factors["stride"] == SIMPLE["stride"]
    child.parent, child.edge = root.id, "stride"
    assert separate(runs) == ((Condition("stride", False),), True)
    child.edge = "f"  # the tree's edge is another factor: it shows nothing of the stride
    assert separate(runs) == ((Condition("stride", False),), False)
    cases = _forward_runs(_pool_stride_ignored, strides=(1, 2), fs=(2,), modes=("max",), ms=(1, 2))
    child.edge, child.passed = "stride", True  # a change of the stride alone that still passes shows nothing
    assert separate([*cases, root, child]) == ((Condition("stride", False),), False)


# -- ratios: a factor or the bias, across the runs ------------------------------------------------------------
def _pool_runs(scale, fs=(2, 3), strides=(1, 2), ms=(1, 2), positive=False):
    """Failing runs of pool_forward (average) whose A is ``scale(run)`` times the reference's (of inputs above 0:
    ``positive``)."""
    from autograder.diagnosis.evidence import Run

    runs = []
    for f in fs:
        for stride in strides:
            for m in ms:
                A_prev = RNG.normal(size=(m, 7, 7, 2))
                A_prev = 1 + np.abs(A_prev) if positive else A_prev
                hparameters = {"f": f, "stride": stride}
                A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode="average")
                factors = {"f": f, "stride": stride, "m": m, "mode": "average"}
                got = (A * scale(factors), cache)
                runs.append(Run(f"{f}-{stride}-{m}", "case", factors, False, expected=(A, cache), got=got,
                                facts={"positions": A.shape[1] * A.shape[2]}, args=(A_prev, hparameters)))
    return runs


def test_a_factor_that_is_the_windows_area_on_every_run_is_named_and_undone():
    from autograder.diagnosis.ratios import constant_factor

    runs = _pool_runs(lambda factors: factors["f"] ** 2)
    diagnosis, explained, undo = constant_factor("pool_forward", ["A", "cache"], runs)
    assert (diagnosis.id, diagnosis.values) == ("off_by_factor", {
        "name": "A", "factor": 4.0, "runs": 8, "because": "window_area", "power": 1, "value": 4})
    assert explained == runs
    for run in runs:
        assert np.allclose(undo(run)[0], run.expected[0]) and undo(run)[1] is run.got[1]
    diagnosis, _, undo = constant_factor("pool_forward", ["A", "cache"], _pool_runs(lambda factors: 1 / factors["m"],
                                                                                    ms=(2, 3)))
    assert diagnosis.values == {"name": "A", "factor": 0.5, "runs": 8, "because": "batch", "power": -1, "value": 2}


def test_a_constant_factor_without_a_size_is_said_and_undone_and_a_changing_one_is_not():
    from autograder.diagnosis.ratios import constant_factor

    runs = _pool_runs(lambda factors: 1.7)
    diagnosis, _, undo = constant_factor("pool_forward", ["A", "cache"], runs)
    assert diagnosis.values == {"name": "A", "factor": 1.7, "runs": 8, "candidates": []}
    assert all(np.allclose(undo(run)[0], run.expected[0]) for run in runs)
    assert undo(dataclasses.replace(runs[0], got=())) is None  # another number of values: nothing to undo
    positive = _pool_runs(lambda factors: 1.7, positive=True)  # entries that differ, all of one sign
    assert constant_factor("pool_forward", ["A", "cache"], positive)[0].values["candidates"] == []
    assert constant_factor("pool_forward", ["A", "cache"],
                           _pool_runs(lambda factors: 1.5 + factors["stride"] + 0.1 * factors["m"])) is None
    runs[0].passed = True
    assert constant_factor("pool_forward", ["A", "cache"], runs)[0].values["runs"] == 7


def test_no_factor_is_read_into_outputs_that_are_not_a_multiple():
    from autograder.diagnosis.ratios import constant_factor, run_ratios

    runs = _pool_runs(lambda factors: 2.0)
    for run in runs:
        run.got = (run.got[0] + 0.5, run.got[1])
    assert constant_factor("pool_forward", ["A", "cache"], runs) is None
    run = _pool_runs(lambda factors: 3.0, fs=(2,), strides=(1,), ms=(1,))[0]
    assert run_ratios("pool_forward", ["A", "cache"], run) == {"A": pytest.approx(3.0)}
    run.raised = object()
    assert run_ratios("pool_forward", ["A", "cache"], run) is None
    tiny = dataclasses.replace(run, raised=None, expected=(run.expected[0] * 1e-7, run.got[1]),
                               got=(run.expected[0] * 3e-7, run.got[1]))  # a factor on entries far below 1
    assert run_ratios("pool_forward", ["A", "cache"], tiny) == {"A": pytest.approx(3.0)}
    two = dataclasses.replace(tiny, expected=(np.array([1.5, -2.0]), None), got=(np.array([3.0, -4.0]), None))
    assert run_ratios("pool_forward", ["A", "cache"], two) == {"A": pytest.approx(2.0)}  # two entries are enough
    text = dataclasses.replace(two, got=("text", None))
    assert run_ratios("pool_forward", ["A", "cache"], text) is None


def _conv_runs(bias_times):
    """Failing runs of conv_forward whose Z has the bias counted ``bias_times`` times."""
    from autograder.diagnosis.evidence import Run

    runs = []
    for n_C in (1, 3):  # an output 4 wide: no axis but the channels' is n_C long
        A_prev, W, b = RNG.normal(size=(2, 5, 5, 2)), RNG.normal(size=(2, 2, 2, n_C)), RNG.normal(size=(1, 1, 1, n_C))
        hparameters = {"stride": 1, "pad": 0}
        Z, cache = REFERENCE["conv_forward"](A_prev, W, b, hparameters)
        runs.append(Run(f"c{n_C}", "case", {"n_C": n_C}, False, expected=(Z, cache), args=(A_prev, W, b, hparameters),
                        got=(Z + (bias_times - 1) * b.reshape(-1), cache)))
    return runs


@pytest.mark.parametrize("times, cause", [(2, "bias_counted"), (3, "bias_counted"), (0, "bias_missing")])
def test_a_bias_counted_again_or_left_out_is_named_and_undone(times, cause):
    from autograder.diagnosis.ratios import bias_offset

    runs = _conv_runs(times)
    diagnosis, explained, undo = bias_offset("conv_forward", ["Z", "cache"], runs)
    assert (diagnosis.id, diagnosis.values) == (cause, {"name": "Z", "times": times})
    assert explained == runs
    for run in runs:
        assert np.allclose(undo(run)[0], run.expected[0])


def test_an_offset_that_is_not_a_multiple_of_the_bias_is_not_the_bias():
    from autograder.diagnosis.ratios import bias_offset

    runs = _conv_runs(2)
    for run in runs:
        run.got = (run.got[0] + 0.01, run.got[1])
    assert bias_offset("conv_forward", ["Z", "cache"], runs) is None
    runs = _conv_runs(2)[:1] + _conv_runs(3)[1:]  # counted twice here, three times there: no one count
    assert bias_offset("conv_forward", ["Z", "cache"], runs) is None
    runs = _conv_runs(2)
    for run in runs:  # a bias of zeros: an offset cannot be read as a multiple of it
        b = run.args[2]
        run.args = (run.args[0], run.args[1], np.zeros_like(b), run.args[3])
        run.got = (run.expected[0] + 0.5, run.got[1])
    assert bias_offset("conv_forward", ["Z", "cache"], runs) is None


# -- oracle: a correct helper's answers as a table, standing in for a learner's --------------------------------
def _learner_scope(conv_single_step):
    """A learner's namespace: the lesson's conv_forward (its code, looking its helpers up here) calling their
    own ``conv_single_step``."""
    import types

    scope = {"np": np, "zero_pad": REFERENCE["zero_pad"], "conv_single_step": conv_single_step}
    scope["conv_forward"] = types.FunctionType(REFERENCE["conv_forward"].__code__, scope, "conv_forward")
    return scope


def _without_bias(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W))


CONV_ARGS = (RNG.normal(size=(1, 3, 3, 2)), RNG.normal(size=(2, 2, 2, 2)), RNG.normal(size=(1, 1, 1, 2)),
             {"stride": 1, "pad": 0})


def test_a_stand_in_answers_a_correct_helpers_calls_from_its_table():
    from autograder.diagnosis.oracle import recording, standing_in

    reference_scope = _learner_scope(REFERENCE["conv_single_step"])
    with recording(reference_scope, ("conv_single_step", "zero_pad", "absent")) as tables:
        expected = reference_scope["conv_forward"](*CONV_ARGS)[0]
    assert set(tables) == {"conv_single_step", "zero_pad"} and len(tables["conv_single_step"]) == 8
    assert reference_scope["conv_single_step"] is REFERENCE["conv_single_step"]  # put back
    scope = _learner_scope(_without_bias)
    assert not np.allclose(scope["conv_forward"](*CONV_ARGS)[0], expected)
    with standing_in(scope, ("zero_pad",), {"conv_single_step": tables["conv_single_step"]}) as seen:
        got = scope["conv_forward"](*CONV_ARGS)[0]
    assert np.allclose(got, expected)
    assert seen.called == {"zero_pad", "conv_single_step"} and not seen.missed_any and seen.missed == {}
    assert scope["conv_single_step"] is _without_bias
    with standing_in(scope, ("conv_single_step", "zero_pad", "np")) as seen:  # trace only: the learner's answers
        assert not np.allclose(scope["conv_forward"](*CONV_ARGS)[0], expected)
        # once called, a traced name is the learner's own again: the loop's other calls go straight to it
        assert scope["conv_single_step"] is _without_bias and scope["zero_pad"] is REFERENCE["zero_pad"]
    assert seen.called == {"zero_pad", "conv_single_step"}
    scope["unused"] = unused = REFERENCE["pool_forward"]
    with standing_in(scope, ("unused",)) as seen:  # a name never called stays a stand-in to the end
        scope["conv_forward"](*CONV_ARGS)
        assert scope["unused"] is not unused
    assert seen.called == set() and scope["unused"] is unused


def test_the_calls_a_table_misses_are_remembered_once_each_and_answered_by_the_learners_own():
    from autograder.diagnosis.oracle import key, standing_in

    a, W, b = CONV_ARGS[0][0, :2, :2, :], CONV_ARGS[1][..., 0], CONV_ARGS[2][..., 0]
    scope = {"conv_single_step": _without_bias}
    table = {key((a, W, b)): 5.0}
    with standing_in(scope, (), {"conv_single_step": table}) as seen:
        assert scope["conv_single_step"](a, W, b) == 5.0
        assert scope["conv_single_step"](a, 2 * W, b) == pytest.approx(_without_bias(a, 2 * W, b))
        scope["conv_single_step"](a, 2 * W, b)  # the same miss again: kept once
        scope["conv_single_step"](a, 3 * W, b=b)
    assert seen.called == {"conv_single_step"} and seen.missed_any
    assert [(len(args), sorted(kwargs)) for args, kwargs in seen.missed["conv_single_step"]] == [(3, []), (2, ["b"])]
    assert np.allclose(seen.missed["conv_single_step"][0][0][1], 2 * W)


def test_a_learners_helper_that_raises_on_a_miss_gets_an_answer_of_the_right_kind():
    from autograder.diagnosis.oracle import standing_in

    def broken(*args):
        raise IndexError("learner")

    scope = {"helper": broken}
    with standing_in(scope, (), {"helper": {"k": 7.0}}) as seen:
        assert scope["helper"](1.0) == 7.0
    with standing_in(scope, (), {"helper": {}}) as seen, pytest.raises(IndexError):
        scope["helper"](1.0)
    assert seen.missed == {"helper": [((1.0,), {})]}


def test_a_name_bound_anew_during_the_stand_in_stays_as_the_learner_bound_it():
    from autograder.diagnosis.oracle import standing_in

    scope = {"helper": _without_bias}
    with standing_in(scope, ("helper",)):
        scope["helper"] = len
    assert scope["helper"] is len
    with standing_in(scope, ("helper",)):
        assert scope["helper"] is not len
    assert scope["helper"] is len


def test_keys_are_the_values_not_their_shapes_or_types():
    from autograder.diagnosis.oracle import Unkeyable, key

    b = CONV_ARGS[2][..., :1]
    assert key((b,)) == key((float(b.ravel()[0]),))
    assert key((0.1 + 0.2,)) == key((0.3,)) and key((1.0,)) != key((1.0 + 1e-6,))
    assert key((2,)) == key((2.0,)) == key((np.int64(2),)) and key((True,)) == key((1,))
    assert key(([1, 2],)) == key(((1, 2),)) and key(((1, 2),)) != key(((1, 2, 0),)) != key(((1, (2, 0)),))
    assert key((), {"a": 1, "b": 2}) == key((), {"b": 2, "a": 1}) != key((), {"a": 2, "b": 1})
    assert key((), {"a": 1}) != key((1,)) and key(({"a": 1},)) != key(((1,),))
    assert key(("max",)) != key(("average",)) and key((None,)) != key((0,)) and key(("",)) != key((None,))
    assert key((np.zeros(2),)) != key((np.zeros(3),)) and key((np.zeros(1),)) == key((0.0,))
    assert key((-0.0,)) == key((0.0,))
    assert len(key((1,))) == 20
    with pytest.raises(Unkeyable):
        key((object(),))
    with pytest.raises(Unkeyable):
        key((np.array(["a"]),))


def test_a_table_as_data_and_back():
    from autograder.diagnosis.oracle import key, table_from_data, table_to_data

    numbers = {key((1,)): 2.5, key((2,)): np.float32(-1.0), key((3,)): 4}
    data = table_to_data(numbers, lambda value: value)
    assert set(data) == {"keys", "numbers"} and data["numbers"].dtype == np.float64
    assert table_from_data(data, lambda value: value) == {key((1,)): 2.5, key((2,)): -1.0, key((3,)): 4.0}
    arrays = {key((1,)): np.arange(3.0), key((2,)): True}
    data = table_to_data(arrays, lambda value: value)
    assert set(data) == {"keys", "values"}
    back = table_from_data(data, lambda value: value)
    assert list(back) == list(arrays) and np.array_equal(back[key((1,))], np.arange(3.0)) and back[key((2,))] is True
    assert table_from_data(table_to_data({}, lambda value: value), lambda value: value) == {}


# -- edits: a mechanical fix of an exception, written into the learner's line -----------------------------------
def _raised(code: str, where: str = "conv_single_step"):
    """The Raised of ``code`` run for real (numpy 2 refuses float() of an array that is not 0-dimensional)."""
    from autograder.diagnosis import explain_raised
    from autograder.verdict import Raised

    try:
        exec(code, {"np": np, "b": CONV_ARGS[2][..., :1], "x": np.ones((1, 1, 1)), "k": np.ones(1)})
    except Exception as error:
        raised = Raised(type(error).__name__, str(error), code, where)
        return explain_raised(where, raised), raised
    raise AssertionError(f"{code} raised nothing")


@pytest.mark.parametrize("code, fixes", [
    ("Z = float(np.sum(x) + b)", ["Z = (np.sum(x) + b).item()"]),
    ("Z = float(b) + float(x)", ["Z = b.item() + float(x)", "Z = float(b) + x.item()"]),
    ("Z = int(b[0]) + 1", ["Z = int(b[0].item()) + 1"]),
    ("Z = np.float(np.sum(x)) + b.item()", ["Z = float(np.sum(x)) + b.item()", "Z = (np.sum(x)).item() + b.item()"]),
    ("Z = numpy.int(k) if (numpy := np) else 0", ["Z = int(k) if (numpy := np) else 0",
                                                 "Z = int(k.item()) if (numpy := np) else 0"]),
    ("Z = np.int(k) + np.int_(k)", ["Z = int(k) + np.int_(k)", "Z = int(k.item()) + np.int_(k)"]),
    # the same call twice: every alias at once, or one call at a time (a proposal changes one call)
    ("Z = np.float(b) - np.float(b)", ["Z = float(b) - float(b)", "Z = b.item() - np.float(b)"]),
])
def test_the_fixes_proposed_for_a_real_exception(code, fixes):
    from autograder.diagnosis.edits import Edit, proposals

    diagnosis, raised = _raised(code)
    assert proposals(diagnosis, raised) == [Edit("conv_single_step", code, fix) for fix in fixes]


def test_no_fix_without_the_line_or_the_function_or_for_another_cause():
    from autograder.diagnosis.edits import proposals
    from autograder.verdict import Diagnosis, Raised

    diagnosis, raised = _raised("Z = float(b)")
    assert proposals(diagnosis, Raised(raised.type, raised.message, None, raised.where)) == []
    assert proposals(diagnosis, Raised(raised.type, raised.message, raised.line, None)) == []
    assert proposals(Diagnosis("none_used", "exception", {}), raised) == []
    assert proposals(Diagnosis("numpy_alias_removed", "exception", {"alias": "bool", "builtin": "bool"}),
                     Raised("AttributeError", "module 'numpy' has no attribute 'bool'", "y = np.float(1)", "f")) == []


def _learner_step(a_slice_prev, W, b):
    Z = float(np.sum(a_slice_prev * W) + b)  # the bias
    return Z


def test_a_fix_is_tried_on_the_learners_function_compiled_again():
    from autograder.diagnosis.edits import Edit, edited_function

    a, W, b = CONV_ARGS[0][0, :2, :2, :], CONV_ARGS[1][..., 0], CONV_ARGS[2][..., :1]
    with pytest.raises(TypeError):
        _learner_step(a, W, b)
    edit = Edit("_learner_step", "Z = float(np.sum(a_slice_prev * W) + b)  # the bias",
                "Z = (np.sum(a_slice_prev * W) + b).item()  # the bias")
    fixed = edited_function(_learner_step, edit)
    assert fixed(a, W, b) == pytest.approx(REFERENCE["conv_single_step"](a, W, b))
    assert fixed.__globals__ is _learner_step.__globals__
    assert edited_function(_learner_step, Edit("_learner_step", "Z = 0", "Z = 1")) is None  # not its line
    assert edited_function(len, edit) is None  # no source
    assert edited_function(_learner_step, Edit("_learner_step", edit.line, "Z = (")) is None  # does not compile


def test_a_fix_is_written_into_its_function_of_the_cell_only():
    from autograder.diagnosis.edits import Edit, edited_cell

    code = "def first(b):\n    return float(b)\n\n\ndef second(b):\n    return float(b)\n"
    edit = Edit("second", "return float(b)", "return b.item()")
    assert edited_cell(code, edit) == "def first(b):\n    return float(b)\n\n\ndef second(b):\n    return b.item()\n"
    assert edited_cell(code, Edit("first", "return float(b)", "return b.item()")).startswith(
        "def first(b):\n    return b.item()\n\n\ndef second(b):\n    return float(b)")
    assert edited_cell(code, Edit("third", "return float(b)", "return b.item()")) is None
    assert edited_cell("def second(b:\n", edit) is None
    assert edited_cell("def second(b):\n    return float(b)", edit) == "def second(b):\n    return b.item()"


def test_the_new_line_is_quoted_without_its_comment_unless_the_comment_is_code():
    from autograder.diagnosis.edits import Edit

    assert Edit("f", "", "Z = b.item()  # the bias").shown == "Z = b.item()"
    assert Edit("f", "", "Z = b.item()").shown == "Z = b.item()"
    assert Edit("f", "", "print('#', b.item())").shown == "print('#', b.item())"


# -- shapes: what the shapes in a real numpy error say about the windows, read with the case's sizes ------------
def _shape_run(code, args, factors, env, run_id="c1"):
    """A run of a learner's layer that raised on ``code`` (a real numpy error), read as the judge reads it."""
    from numpy.lib.stride_tricks import sliding_window_view

    from autograder.diagnosis import explain_raised
    from autograder.diagnosis.evidence import Run
    from autograder.verdict import Raised

    try:
        exec(code, {"np": np, "sliding_window_view": sliding_window_view, **env})
    except Exception as error:
        raised = Raised(type(error).__name__, str(error), code, "conv_forward")
    else:
        raise AssertionError(f"{code} raised nothing")
    diagnosis = explain_raised("conv_forward", raised)
    run = Run(run_id, "case", factors, False, raised=raised, args=args)
    return diagnosis, run


def _unpadded(m=2, side=5, f=3, stride=1, pad=1, run_id="c1", width=None):
    width = width or side
    A_prev, W = RNG.normal(size=(m, side, width, 3)), RNG.normal(size=(f, f, 3, 4))
    n_H, n_W = (side + 2 * pad - f) // stride + 1, (width + 2 * pad - f) // stride + 1
    code = (f"Z = np.einsum('mhwcij,ijcn->mhwn', sliding_window_view(A_prev, ({f}, {f}), axis=(1, 2))"
            f"[:, ::{stride}, ::{stride}], W) + np.zeros(({m}, {n_H}, {n_W}, 4))")
    return _shape_run(code, (A_prev, W, B, {"stride": stride, "pad": pad}),
                      {"f": f, "stride": stride, "pad": pad, "m": m}, {"A_prev": A_prev, "W": W}, run_id)


def test_windows_cut_before_the_padding_are_read_with_each_cases_sizes():
    from autograder.diagnosis.shapes import unpadded_windows
    from autograder.verdict import Diagnosis

    diagnosis, run = _unpadded()
    readings = unpadded_windows(diagnosis, [run])
    assert list(readings) == ["c1"] and readings["c1"].id == "windows_of_unpadded_input"
    assert readings["c1"].values == {"line": run.raised.line, "shape": "(2, 3, 3, 4)", "rows": 3, "cols": 3,
                                     "n_H": 5, "n_W": 5, "pad": 1}
    other, second = _unpadded(m=3, side=7, f=3, stride=2, pad=2, run_id="c2")
    readings = unpadded_windows(other, [run, second])
    assert readings["c2"].values["shape"] == "(3, 3, 3, 4)"
    assert (readings["c2"].values["rows"], readings["c2"].values["n_H"], readings["c2"].values["pad"]) == (3, 5, 2)
    assert unpadded_windows(diagnosis, []) is None
    assert unpadded_windows(Diagnosis("none_used", "exception", {}), [run]) is None
    wide, wide_run = _unpadded(side=5, width=7, run_id="c3")  # not square: rows and columns apart
    assert unpadded_windows(wide, [wide_run])["c3"].values == {
        "line": wide_run.raised.line, "shape": "(2, 3, 5, 4)", "rows": 3, "cols": 5, "n_H": 5, "n_W": 7, "pad": 1}
    without = dataclasses.replace(wide_run, factors={"f": 3, "pad": 1, "m": 2})  # no stride known: nothing read
    assert unpadded_windows(wide, [without]) is None
    run_without = dataclasses.replace(second, factors={**second.factors, "pad": 0})
    assert unpadded_windows(diagnosis, [run, run_without]) is None  # one run does not show it: nothing is said
    run.factors = {**run.factors, "m": 3}  # another batch: the shape is not this case's
    assert unpadded_windows(diagnosis, [run]) is None


def test_windows_laid_side_by_side_are_read_with_each_cases_sizes():
    from autograder.diagnosis.shapes import tiled_windows

    dA, A_prev = RNG.normal(size=(2, 4, 4, 3)), RNG.normal(size=(2, 5, 5, 3))
    code = "dA_prev = np.repeat(np.repeat(dA, 2, axis=1), 2, axis=2) * np.zeros(A_prev.shape)"
    diagnosis, run = _shape_run(code, (dA, (A_prev, {"f": 2, "stride": 1}), "max"), {"f": 2, "stride": 1, "m": 2},
                                {"dA": dA, "A_prev": A_prev})
    readings = tiled_windows(diagnosis, [run])
    assert readings["c1"].id == "windows_tiled"
    assert readings["c1"].values == {"line": code, "shape": "(2, 8, 8, 3)", "rows": 8, "cols": 8, "n_H": 4,
                                     "n_W": 4, "f": 2, "stride": 1}
    forward, forward_run = _shape_run(  # a forward pass: the output's size comes from the input's
        "A = np.repeat(np.zeros((2, 4, 4, 3)), 2, axis=1) + np.zeros((2, 4, 4, 3))", (A_prev, {"f": 2, "stride": 1}),
        {"f": 2, "stride": 1, "m": 2}, {})
    assert tiled_windows(forward, [forward_run]) is None  # (2, 8, 4, 3): rows tiled, not the columns
    run.factors = {"f": 2, "stride": 2, "m": 2}
    assert tiled_windows(diagnosis, [run]) is None  # the windows do tile the input: nothing wrong in that
    code = "A = np.repeat(np.repeat(np.zeros((2, 4, 4, 3)), 2, axis=1), 2, axis=2) * A_prev"
    forward, forward_run = _shape_run(code, (A_prev, {"f": 2, "stride": 1}), {"f": 2, "stride": 1, "m": 2},
                                      {"A_prev": A_prev})  # a forward pass: n_H from the input's size
    assert tiled_windows(forward, [forward_run])["c1"].values == {
        "line": code, "shape": "(2, 8, 8, 3)", "rows": 8, "cols": 8, "n_H": 4, "n_W": 4, "f": 2, "stride": 1}


def test_an_output_short_by_the_rows_no_window_reaches():
    from autograder.diagnosis.evidence import Run
    from autograder.diagnosis.shapes import remainder_rows

    A_prev = RNG.normal(size=(1, 6, 6, 1))
    hparameters = {"f": 3, "stride": 2}
    A, cache = REFERENCE["pool_forward"](A_prev, hparameters, mode="max")
    dA = RNG.normal(size=A.shape)
    expected = REFERENCE["pool_backward"](dA, cache, mode="max")
    short = expected[:, :5, :5, :].copy()  # the learner's dA_prev stops at the last window
    run = Run("c1", "case", {"f": 3, "stride": 2}, False, expected=expected, got=short, args=(dA, cache, "max"))
    reading, explained, readings = remainder_rows("pool_backward", ["dA_prev"], [run])
    assert explained == [run] and readings == {"c1": reading} and reading.id == "remainder_rows_missing"
    assert reading.values == {"name": "dA_prev", "got": "(1, 5, 5, 1)", "expected": "(1, 6, 6, 1)", "rows": 1,
                              "cols": 1, "stride": 2}
    run.factors = {"f": 3, "stride": 3}  # then the windows reach every row
    assert remainder_rows("pool_backward", ["dA_prev"], [run]) is None
    run.factors = {"f": 3, "stride": 2}
    run.got = expected[:, :4, :4, :]  # short by more than the remainder
    assert remainder_rows("pool_backward", ["dA_prev"], [run]) is None


def test_the_padding_put_on_the_batch_or_the_channels_too():
    from autograder.diagnosis.shapes import padded_axes

    A_prev, W = RNG.normal(size=(2, 4, 4, 3)), RNG.normal(size=(3, 3, 3, 4))
    args = (A_prev, W, B, {"stride": 1, "pad": 1})
    factors = {"f": 3, "stride": 1, "pad": 1, "m": 2}
    batch, run = _shape_run("Z = np.pad(A_prev, 1)[:, 0:3, 0:3, :] * W[..., 0]", args, factors,
                            {"A_prev": A_prev, "W": W})
    assert padded_axes(batch, [run])["c1"].values == {"line": run.raised.line, "axis": "batch", "size": 2,
                                                      "padded": 4, "pad": 1}
    channels, channel_run = _shape_run(
        "Z = np.einsum('mhwc,hwcn->mhwn', np.pad(A_prev, 1)[1:3, 0:3, 0:3, :], W, optimize=True)", args, factors,
        {"A_prev": A_prev, "W": W})
    reading = padded_axes(channels, [channel_run])["c1"]
    assert (reading.id, reading.values["axis"], reading.values["size"], reading.values["padded"]) == (
        "axis_padded", "channel", 3, 5)
    assert padded_axes(batch, [_shape_run("Z = np.pad(A_prev, 1)[:, 0:3, 0:3, :] * W[..., 0]", args,
                                          {**factors, "f": 4}, {"A_prev": A_prev, "W": W})[1]]) is None
    assert padded_axes(batch, [_shape_run("Z = np.zeros((3, 3, 3, 5)) * W[..., 0]", args, factors, {"W": W})[1]]) \
        is None


def test_an_einsum_letter_given_to_both_channel_axes():
    from autograder.diagnosis.shapes import einsum_channel_letters
    from autograder.verdict import Diagnosis

    a, W = RNG.normal(size=(3, 3, 2)), RNG.normal(size=(3, 3, 2, 4))
    factors = {"n_C": 4, "n_C_prev": 2, "f": 3}
    for code in ("Z = np.einsum('ijc,ijc->c', a, W[:, :, 0, :])",
                 "Z = np.einsum('ijc,ijc->c', a, W[:, :, 0, :], optimize=True)"):
        diagnosis, run = _shape_run(code, (a, W), factors, {"a": a, "W": W})
        reading = einsum_channel_letters(diagnosis, [run])["c1"]
        assert (reading.id, reading.values) == ("einsum_channel_letters", {"line": code, "letter": "c", "n_C": 4,
                                                                             "n_C_prev": 2})
        assert einsum_channel_letters(Diagnosis("broadcast_mismatch", "exception", {}), [run]) is None
        run.factors = {**factors, "n_C": 2}
        assert einsum_channel_letters(diagnosis, [run]) is None
    diagnosis, run = _shape_run("Z = np.einsum('ijc,ijc->c', a, W[:2, :, 0, :2])", (a, W), factors, {"a": a, "W": W})
    assert einsum_channel_letters(diagnosis, [run]) is None  # the letters that differ are not the channels


def test_outputs_of_up_to_six_axes_are_read_for_their_shape_and_more_are_not():
    """Every permutation of the axes is tried (720 of 6 axes): past six, a shape is not read (the lesson's outputs
    have at most six)."""
    six = RNG.normal(size=(2, 1, 2, 1, 2, 3))
    assert read(six, six.reshape(4, 2, 3)).id == "reshaped"
    assert read(six.reshape(4, 2, 3), six).id == "reshaped"
    seven = RNG.normal(size=(2, 1, 2, 1, 2, 1, 3))
    assert read(seven, seven.reshape(4, 2, 3)) is None
    assert read(seven.reshape(4, 2, 3), seven) is None


# -- proof: causes proven across the runs, a helper's failure, a fix tried ------------------------------------
def _case(run_id, passed=True, **fields):
    from autograder.diagnosis.evidence import Run

    return Run(run_id, "case", fields.pop("factors", {"stride": 1}), passed, **fields)


def test_the_failing_helpers_a_function_calls_are_those_traced_or_raised_in_on_a_failing_run():
    from autograder.diagnosis.proof import called_helpers
    from autograder.verdict import Outcome, Raised, Verdict

    wrong, right = Outcome.WRONG_VALUE, Outcome.PASSED
    helpers = {"zero_pad": Verdict("zero_pad", wrong), "conv_single_step": Verdict("conv_single_step", wrong),
               "distribute_value": Verdict("distribute_value", wrong), "pool_forward": Verdict("pool_forward", right),
               "conv_forward": Verdict("conv_forward", wrong)}
    runs = [_case("a", True, traced=frozenset({"distribute_value"})),  # a run that passed proves no helper wrong
            _case("b", False, traced=frozenset({"conv_single_step", "pool_forward", "conv_forward"})),
            _case("c", False, raised=Raised("ValueError", "x", "y = 1", "zero_pad")),
            _case("d", False, raised=Raised("ValueError", "x", "y = 1", "conv_forward"))]
    assert called_helpers("conv_forward", runs, helpers) == ["zero_pad", "conv_single_step"]
    assert called_helpers("conv_forward", runs[:1], helpers) == []


def test_a_failing_helper_is_named_first_and_the_rest_proven_with_its_right_answers():
    from autograder.diagnosis.proof import explain
    from autograder.verdict import Outcome, Verdict

    helpers = {"conv_single_step": Verdict("conv_single_step", Outcome.WRONG_VALUE)}
    traced = frozenset({"conv_single_step"})
    runs = [_case("a", False, traced=traced), _case("b", False), _case("c", True, traced=traced)]
    finding = explain("conv_forward", ["Z", "cache"], runs, helpers)
    assert [(d.id, d.source, d.values) for d in finding.causes] == [
        ("helper_fails", "helper", {"helper": "conv_single_step", "helpers": ["conv_single_step"],
                                    "causes": ["wrong_value"]})]
    assert [[run.id for run in runs] for runs in finding.exhibits] == [["a"]]
    rerun = [_case("a", True), _case("b", True), _case("c", True)]
    finding = explain("conv_forward", ["Z", "cache"], runs, helpers, rerun)
    assert finding.causes[1] == finding.causes[1].__class__(
        "own_code_right", "helper", {"helpers": ["conv_single_step"], "own_code_right": True})
    missed = [_case("a", True, missed=True), *rerun[1:]]  # right only with a helper's answer it did not ask for
    assert explain("conv_forward", ["Z", "cache"], runs, helpers, missed).causes[1].id == "own_code_wrong"
    rerun = _pool_runs(lambda factors: factors["f"] ** 2)  # with the right helper in, still off by the area
    finding = explain("pool_forward", ["A", "cache"], [*rerun[:1], _case("x", False, traced=traced)], helpers, rerun)
    own = finding.causes[1]
    assert (own.id, own.values["because"], own.values["with_helpers"], own.values["helpers_used"]) == (
        "off_by_factor", "window_area", True, ["conv_single_step"])


def test_the_runs_a_cause_explains_once_undone():
    from autograder.diagnosis.proof import _undone

    runs = _pool_runs(lambda factors: 2.0, fs=(2,), strides=(1, 2), ms=(1, 2))

    def undo(run):
        return None if run.id == runs[1].id else (run.got[0] / 2, run.got[1])

    other = _pool_runs(lambda factors: 3.0, fs=(2,), strides=(1,), ms=(1,))[0]
    found = _undone("pool_forward", ["A", "cache"], [runs[0], runs[1], runs[2], other, runs[3]], [runs[0]], undo)
    assert [run.id for run in found] == [runs[2].id, runs[3].id]


def test_a_run_that_proves_nothing_is_read_for_no_pattern():
    from autograder.diagnosis.proof import explain_own
    from autograder.verdict import Outcome, Verdict

    # ran with stand-ins that lacked an answer it asked for: its verdict passed, it counts as failing
    missed = _case("m", False, missed=True, verdict=Verdict("pool_forward", Outcome.PASSED), expected=AVERAGE,
                   got=AVERAGE)
    finding = explain_own("pool_forward", ["A"], [missed, _case("p", True)])
    assert finding.causes == []


def _unpad_run(run_id, pad):
    from autograder.diagnosis import explain_raised
    from autograder.verdict import Raised, Verdict, Outcome

    code = "A = X[:, pad:-pad, pad:-pad, :].reshape(2, 3)"
    try:
        exec(code, {"X": np.zeros((1, 3, 3, 1)), "pad": pad})
    except ValueError as error:
        raised = Raised("ValueError", str(error), code, "zero_pad")
    diagnosis = explain_raised("zero_pad", raised)
    return diagnosis, _case(run_id, False, factors={"pad": pad}, raised=raised,
                            verdict=Verdict("zero_pad", Outcome.RAISED, raised=raised, diagnosis=diagnosis))


def test_an_array_emptied_by_a_negative_pad_slice_is_that_slice_on_every_run_at_pad_0():
    from autograder.diagnosis.proof import _refined

    source = "def zero_pad(X, pad):\n    A = X[:, pad:-pad, pad:-pad, :]  # the inside\n    return A\n"
    diagnosis, run = _unpad_run("a", 0)
    assert diagnosis.id == "reshape_size"
    refined = _refined(diagnosis, [run, _unpad_run("b", 0)[1]], source)
    assert (refined.id, refined.source, refined.values) == (
        "unpad_negative_slice", "exception", {"line": "A = X[:, pad:-pad, pad:-pad, :].reshape(2, 3)"})
    assert _refined(diagnosis, [run], source.replace("-pad", "X.shape[1] - pad")) == diagnosis
    assert _refined(diagnosis, [run], "# X[:, pad:-pad]\n") == diagnosis  # in a comment only
    assert _refined(diagnosis, [run], "") == diagnosis
    assert _refined(diagnosis, [run, dataclasses.replace(run, factors={"pad": 1})], source) == diagnosis


def test_a_fix_tried_says_what_it_did_then_the_causes_left():
    from autograder.diagnosis.edits import Edit
    from autograder.diagnosis.proof import Finding, tried_fix
    from autograder.verdict import Outcome, Verdict

    first, raised = _raised("Z = float(b)")
    edit = Edit("conv_single_step", "Z = float(b)", "Z = b.item()  # the bias")
    shown = [_case("a", False, raised=raised)]
    finding = Finding([first, first], [shown, [_case("b", False)]])
    passing = [_case("a", True), _case("b", True)]
    fixed = tried_fix("conv_single_step", ["Z"], first, edit, finding, passing, None, None)
    assert [(d.id, d.values) for d in fixed.causes] == [(first.id, {**first.values, "tried": "passes",
                                                                     "new": "Z = b.item()"})]
    assert fixed.exhibits == [shown]
    still = [_case("a", False, raised=raised, verdict=Verdict("conv_single_step", Outcome.RAISED, raised=raised,
                                                               diagnosis=first)), _case("b", True)]
    assert tried_fix("conv_single_step", ["Z"], first, edit, finding, still, None, None) is None
    again = _pool_runs(lambda factors: factors["f"] ** 2)  # the error gone, the output is off by the window's area
    fixed = tried_fix("pool_forward", ["A", "cache"], first, edit, finding, again, None, None)
    assert [d.id for d in fixed.causes] == [first.id, "off_by_factor"]
    assert fixed.causes[0].values["tried"] == "error_gone" and fixed.causes[1].values["fixes_all"] is True
    assert fixed.exhibits == [shown, again]


def test_the_misses_a_stand_in_remembers_are_bounded_in_calls_and_in_entries():
    from autograder.diagnosis import oracle

    scope = {"helper": lambda *args: 0.0}
    with oracle.standing_in(scope, (), {"helper": {"k": 1.0}}) as seen:
        for index in range(oracle.MISSES_KEPT + 3):
            scope["helper"](float(index))
    assert len(seen.missed["helper"]) == oracle.MISSES_KEPT and seen.called == {"helper"}
    half = oracle.MISSED_ENTRIES // 2
    with oracle.standing_in(scope, (), {"helper": {"k": 1.0}}) as seen:
        scope["helper"](np.zeros(half))
        scope["helper"](np.ones(oracle.MISSED_ENTRIES - half + 1))  # one entry over the bound: not kept
        scope["helper"](np.ones(oracle.MISSED_ENTRIES - half))  # exactly at the bound: kept
        scope["helper"](np.ones(1))  # then nothing more
    assert [np.size(args[0]) for args, _ in seen.missed["helper"]] == [half, oracle.MISSED_ENTRIES - half]


def test_a_call_without_a_key_is_answered_and_left_out_of_the_table():
    from autograder.diagnosis.oracle import recording

    scope = {"helper": lambda value, how="x": 2}
    with recording(scope, ("helper",)) as tables:
        assert scope["helper"](object()) == 2 and scope["helper"](1.0, how=object()) == 2
        assert scope["helper"](1.0) == 2
    assert list(tables["helper"].values()) == [2]


# -- evidence: a stored case, run and judged --------------------------------------------------------------------
def _stored(function, fn, index=0):
    from autograder import casefile
    from autograder.diagnosis.evidence import stored_run
    from autograder.judge import place_of

    manifest, arrays = casefile.read("conv_step_by_step", casefile.DATA_DIR)
    entry = casefile.Manifest(manifest).function(function)
    case = entry.cases[index]
    got = fn(*casefile.decode(case.args, arrays), **casefile.decode(case.kwargs, arrays))
    return case, lambda **extra: stored_run(function, entry.outputs, case, arrays, place_of(case, 1, 1), got=got,
                                            **extra)


def test_a_stored_case_run_with_a_catalogued_mistake_says_which_and_keeps_their_outputs():
    def bias_forgotten(a_slice_prev, W, b):
        return np.sum(a_slice_prev * W)

    case, run_of = _stored("conv_single_step", bias_forgotten)
    run = run_of()
    assert not run.passed and run.matched == "bias_forgotten" and run.matches == ("bias_forgotten",)
    assert set(run.fingerprints) == {m.id for m in case.mistakes} == run.shown_mistakes
    assert run.fingerprints["bias_forgotten"] == pytest.approx(run.got)  # the mistake's output is the learner's
    assert (run.hidden, run.kind, run.id) == (case.hidden, "case", case.id)
    missed = run_of(missed=True)  # with stand-ins that lacked an answer: it proves nothing, matches nothing
    assert (missed.passed, missed.matched, missed.matches) == (False, None, ())
    right, run_of = _stored("conv_single_step", REFERENCE["conv_single_step"])
    run = run_of()
    assert run.passed and (run.matched, run.matches, run.fingerprints) == (None, (), {})
    assert run.shown_mistakes == {m.id for m in right.mistakes}


def test_a_wrong_output_that_is_no_catalogued_mistake_matches_none():
    case, run_of = _stored("conv_single_step", lambda a_slice_prev, W, b: 3.0)
    run = run_of()
    assert not run.passed and (run.matched, run.matches) == (None, ()) and run.fingerprints


def test_outputs_that_differ_of_something_that_is_not_a_tuple_are_none():
    from autograder.diagnosis.evidence import differing, first_differing

    for got in (None, 3.0, np.zeros(2)):
        assert differing("pool_forward", ["A", "cache"], (MAXED, None), got, Tolerance()) == []
        assert first_differing("pool_forward", ["A", "cache"], (MAXED, None), got, Tolerance()) is None


# -- local: the diagnosis in the learner's kernel, over the stored cases ------------------------------------------
def _alias_then_scalar(a_slice_prev, W, b):
    return np.float(np.sum(a_slice_prev * W) + b)  # noqa: NPY001 (a learner's numpy 1 code)


def test_of_the_fixes_of_a_learners_own_line_the_one_that_passes_every_case_is_offered():
    """Its first proposal (``float(...)`` for ``np.float(...)``) ends that error but numpy 2 refuses float() of
    the (1, 1, 1) sum; the second (``(...).item()``) passes every case: that one is offered."""
    import autograder
    from autograder.diagnosis import local

    verdict = local.diagnose(autograder.checks(STEP_BY_STEP.name), "conv_single_step", _alias_then_scalar)
    assert verdict.diagnosis.id == "numpy_alias_removed"
    assert (verdict.diagnosis.values["tried"], verdict.diagnosis.values["new"]) == (
        "passes", "return (np.sum(a_slice_prev * W) + b).item()")


def test_the_learners_source_is_read_up_to_its_bound():
    from autograder.diagnosis.local import learner_source

    home = {"first": _alias_then_scalar, "second": _learner_step, "np": np, "number": 3}
    both = learner_source(home)
    assert "def _alias_then_scalar" in both and "def _learner_step" in both
    assert learner_source(home, limit=10) == learner_source({"first": _alias_then_scalar})


def test_without_a_rerun_the_own_code_is_right_when_every_failing_run_matched_a_mistake_of_the_helpers_cell():
    """The class grader's first pass (no job with the helpers' right answers yet): the catalogue says in which
    function's cell each mistake is made; every failing run matched one made in the helper blamed, and no run
    that passed shows one: the function's own code is right."""
    from autograder.diagnosis.proof import explain
    from autograder.verdict import Outcome, Verdict

    helpers = {"conv_single_step": Verdict("conv_single_step", Outcome.WRONG_VALUE)}
    traced, mistake = frozenset({"conv_single_step"}), frozenset({"bias_per_element"})
    runs = [_case("a", False, traced=traced, matched="bias_per_element", shown_mistakes=mistake),
            _case("b", False, traced=traced, matched="bias_per_element", shown_mistakes=mistake),
            _case("c", True, traced=traced)]
    cells = {"bias_per_element": "conv_single_step"}
    assert [d.id for d in explain("conv_forward", ["Z", "cache"], runs, helpers, None, cells).causes] == [
        "helper_fails", "own_code_right"]
    assert [d.id for d in explain("conv_forward", ["Z", "cache"], runs, helpers, None, None).causes] == [
        "helper_fails"]
    elsewhere = {"bias_per_element": "conv_forward"}  # a mistake of the function's own cell proves nothing of it
    assert [d.id for d in explain("conv_forward", ["Z", "cache"], runs, helpers, None, elsewhere).causes] == [
        "helper_fails"]


def test_an_edit_that_made_every_run_pass_is_shown_on_the_runs_that_failed():
    from autograder.diagnosis.edits import Edit
    from autograder.diagnosis.proof import edit_fixed

    runs = [_case("a", False), _case("b", True), _case("c", False)]
    edit = Edit("pool_forward", "if mode == 'avg':", "if mode == 'average':")
    found = edit_fixed("mode_misspelled", edit, [_case(run.id, True) for run in runs], runs, mode="average")
    assert [d.id for d in found.causes] == ["mode_misspelled"]
    assert [[run.id for run in group] for group in found.exhibits] == [["a", "c"]]
    assert edit_fixed("mode_misspelled", edit, [_case("a", True), _case("b", True), _case("c", False)], runs) is None


def test_among_claims_that_separate_the_runs_as_well_the_one_probe_changes_show_is_taken():
    """Two claims of two conditions each fit these runs equally well (the same precision, the same kind): one on
    stride and f, each shown by a probe that changes that factor alone and fails; one on pad and f at their
    simplest values, which no probe change shows. The one the probes show is said, though pad comes first in
    FACTOR_ORDER. (Found by a search over random runs for where that ordering decides.)"""
    from autograder.diagnosis.evidence import Run
    from autograder.diagnosis.separation import Condition, separate

    def case(name, pad, f, stride, m, passed):
        return Run(name, "case", {"pad": pad, "f": f, "stride": stride, "m": m}, passed)

    simplest = {"pad": 0, "f": 1, "stride": 1, "m": 1}
    runs = [case("c0", 1, 2, 3, 2, True), case("c1", 1, 1, 3, 2, False), case("c2", 1, 2, 1, 1, True),
            case("c3", 1, 3, 1, 2, True), case("c4", 0, 1, 3, 1, True), case("c5", 2, 2, 3, 1, True)]
    for edge, value, passed in (("pad", 1, True), ("f", 2, False), ("stride", 2, False)):
        runs += [Run(f"{edge}-root", "probe", simplest, True),
                 Run(f"{edge}-changed", "probe", {**simplest, edge: value}, passed, parent=f"{edge}-root", edge=edge)]
    assert separate(runs) == ((Condition("stride", False), Condition("f", False)), True)


def test_the_case_shown_is_one_where_the_cause_was_read_when_it_is_read_run_by_run():
    from autograder.diagnosis.proof import Finding
    from autograder.verdict import Diagnosis

    first, second, third = _case("a", False), _case("b", False), _case("c", False)
    cause = Diagnosis("windows_tiled", "exception", {"rows": 3})
    finding = Finding([cause], [[first, second, third]], {0: {"b": cause, "c": cause}})
    assert finding.shown([first, second, third]).id == "b"  # its numbers are b's own, not another case's
    assert finding.for_shown(second) == [cause]
    unread = Finding([cause], [[first, second]])
    assert unread.shown([first, second]).id == "a"  # read once for all: the first that shows it


def test_values_cut_to_whole_numbers_are_read_as_an_integer_array_or_floor_division():
    """A held-out tester's conv_forward made Z with dtype=int: it was told "Z is all zeros" under a case whose
    shown entry is 1 (a pattern of one probe said under another case)."""
    def kind(expected, got):
        return getattr(read(expected, got), "id", None)
    assert kind(Z, Z.astype(int)) == "cut_to_whole_numbers"  # toward zero, as an integer array stores it
    assert kind(Z, np.floor(Z)) == "cut_to_whole_numbers"  # down, as // does
    assert kind(Z, np.round(Z)) != "cut_to_whole_numbers"  # rounded: not a cut fraction
    assert kind(np.round(Z), np.round(Z) + 1) != "cut_to_whole_numbers"  # whole numbers expected: nothing cut


def test_all_zeros_where_every_entry_is_a_fraction_says_both_ways_it_comes():
    small = Z / (2 * np.abs(Z).max())  # every entry between -1 and 1: cut to whole numbers, all are 0
    assert read(small, np.zeros_like(small)).id == "all_zeros_fractions"
    assert read(Z, np.zeros_like(Z)).id == "all_zeros"  # entries of 1 and more: a cut would keep them


def test_values_moved_along_the_height_and_width_are_read_as_such():
    """A held-out tester's zero_pad put all the padding after the values ((0, 2 * pad)): it was told that a
    reshape took the axes in another order, and there is no reshape."""
    X = A_PREV
    expected = np.pad(X, ((0, 0), (2, 2), (2, 2), (0, 0)))
    found = read(expected, np.pad(X, ((0, 0), (0, 4), (0, 4), (0, 0))), name="X_pad", function="zero_pad")
    assert (found.id, found.values) == ("values_moved", {"name": "X_pad", "rows": -2, "cols": -2})
    found = read(expected, np.pad(X, ((0, 0), (3, 1), (2, 2), (0, 0))), name="X_pad", function="zero_pad")
    assert (found.id, found.values) == ("values_moved", {"name": "X_pad", "rows": 1, "cols": 0})


LOOP_NAMES = """
def layer(x, n):
    size = x.shape[0]
    total = 0
    for i in range(n):
        for i in range(size):
            total += x[i]
        total += i
    for j in range(n):
        total += j
    for j in range(size):
        total -= j
    for size in range(n):
        total += size
    return total
"""


def test_a_loop_counter_is_renamed_only_where_it_takes_over_a_name_read_outside_its_loop():
    from autograder.diagnosis.edits import edited_cell, loop_name_edits

    edits = loop_name_edits(LOOP_NAMES, "layer")
    # the inner i takes over the outer loop's counter, read after it; the last loop takes over size, but size is
    # read nowhere outside it after; two loops side by side that each count with j share nothing
    assert [(edit.line, edit.renamed) for edit in edits] == [("for i in range(size):", ("i", "i_inner"))]
    assert "for size in range(n)" not in [edit.line for edit in loop_name_edits(LOOP_NAMES, "layer")]
    changed = edited_cell(LOOP_NAMES, edits[0])
    assert "        for i_inner in range(size):\n            total += x[i_inner]\n        total += i\n" in changed


HELPERS_THAT_WRITE = """import numpy as np

def marks(x, y, z, w, v, u):
    mask = x
    mask[mask < 0] = 0
    y += 1
    np.copyto(z, 0)
    w.fill(0)
    view = v.reshape(-1)[1:]
    view[0] = 1
    u = u.copy()
    u[0] = 1
    return x

def leaves(x):
    x = x * 2
    x[0] = 0
    fresh = x == 1
    fresh[0] = True
    return fresh

def caller(A, B):
    marks(A[0, 1:3], B, A, A[0], A, B)
    leaves(A[1:])
    marks(A * 2, B, A, A, A, A)
    return A
"""


def test_a_helper_writes_into_a_parameter_through_its_name_or_a_view_until_the_name_is_given_another_value():
    from autograder.diagnosis.edits import parameter_writes, parsed_function

    writes = {}
    for name in ("marks", "leaves"):
        node, lines = parsed_function(HELPERS_THAT_WRITE, name)
        writes[name] = parameter_writes(node, lines)
    assert writes["marks"] == {"x": "mask[mask < 0] = 0", "y": "y += 1", "z": "np.copyto(z, 0)", "w": "w.fill(0)",
                               "v": "view[0] = 1"}  # u was copied before it was written
    assert writes["leaves"] == {}


def test_a_helper_is_handed_a_copy_of_each_array_of_the_callers_that_it_writes_into():
    from autograder.diagnosis.edits import copied_argument_edits

    edits = copied_argument_edits(HELPERS_THAT_WRITE, "caller")
    assert [(edit.new, values["parameter"]) for _, edit, values in edits] == [
        ("marks(A[0, 1:3].copy(), B, A, A[0], A, B)", "x"), ("marks(A[0, 1:3], B.copy(), A, A[0], A, B)", "y")]
    assert {cause for cause, _, _ in edits} == {"helper_writes_its_input"}  # two at most; none for A * 2 (a new array)


def test_a_one_taken_away_is_offered_in_the_function_and_its_helpers_but_not_in_a_division_rounded_up():
    from autograder.diagnosis.edits import minus_one_edits

    source = ("def ends(corner, f):\n    return corner + f - 1\n\n"
              "def layer(m, n, f):\n    batches = (m + n - 1) // n\n    last = ends(0, f)\n    top = m + f - 1\n"
              "    return batches, last, top\n")
    assert [(edit.where, edit.new) for edit in minus_one_edits(source, "layer")] == [
        ("layer", "top = m + f"), ("ends", "return corner + f")]
