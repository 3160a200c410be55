"""What the diagnosis bench judges the kit's verdicts by: the causes it knows, and the checks of a claim.

Three parts, all on data (a verdict's JSON, a corpus note, the learner's function run again here), never
on rendered sentences:

- :data:`CAUSES`: every cause tag a corpus note may use (tests/corpus/README.md), with the claims of the
  kit that name it with advice that works, and those that name it with advice that does not. A claim
  is a :class:`~autograder.verdict.Diagnosis` found anywhere in a verdict (its diagnosis, the verdicts in
  ``also``, any later field that holds diagnoses), seen as a set of keys: its id, and its id qualified by
  what it is about (``factor:stride``, ``helper_fails:conv_single_step``, ``reshaped:db``,
  ``off_by_factor:window_area``).
- :func:`judge`: one lost mark against its note: every true cause named with advice that works, the
  function's own code said to be right when it is, and no wrong claim.
- :func:`contradictions`: the claims a verdict makes that its own evidence contradicts, found by running
  the learner's function again on every case and probe of the plan (a factor claim "right with X" under
  a failing case with X, a case shown that does not exhibit the cause claimed, a constant factor named
  that the runs do not establish, a helper blamed that the function never calls, a claim under an
  unfinished function).

The claim ids of the kit are those of ``autograder.messages`` (``diagnosis.*``) and of the catalogues
(``instructor/assignments/*/mistakes.py``). A diagnosis engine that adds an id which names one of these
causes adds it to that cause's ``names`` here; the notes (the truth) do not change.
"""
from __future__ import annotations

import contextlib
import io
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from autograder import casefile
from autograder.compare import outputs_difference
from autograder.verdict import Outcome, Verdict


# -- the causes ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CauseKind:
    """A kind of cause: which claims of the kit name it.

    ``names``: claim keys that name it with advice that works. ``wrong_advice``: claim keys that name it,
    or its symptom, with a fix that does not work for it. ``advice_ok``: a further test of a naming claim's
    values (e.g. that the fix offered for ``np.float(b)`` takes the number out of the array). A claim key
    found in the ``names`` of another cause than the true ones is a wrong cause. ``environment``: a cause
    of the learner's numpy, not of their reasoning (the instructor's to fix for the class)."""

    what: str
    names: frozenset[str]
    wrong_advice: frozenset[str] = frozenset()
    advice_ok: Callable[[Mapping[str, Any]], bool] | None = None
    environment: bool = False


def _kind(what: str, *names: str, wrong_advice: Sequence[str] = (), advice_ok=None,
          environment: bool = False) -> CauseKind:
    return CauseKind(what, frozenset(names), frozenset(wrong_advice), advice_ok, environment)


# Claim ids a rebuilt diagnosis engine may use for the learner's own checks and for stale state.
OWN_ASSERT = ("own_assert", "learner_assert")
OWN_RAISE = ("own_raise", "learner_raise")


def _takes_the_number_out(values: Mapping[str, Any]) -> bool:
    """A fix for np.float(b) with a (1, 1, 1) b works only if it takes the number out (b.item(), b[0, 0, 0])."""
    return any(".item()" in str(value) or "[0, 0, 0" in str(value) for value in values.values())


CAUSES: dict[str, CauseKind] = {
    # the bias
    "bias_per_element": _kind("b added to every element of the slice before the sum",
                              "bias_per_element", "constant_offset"),
    "bias_forgotten": _kind("the bias is never added", "bias_forgotten", "matrix_bias_forgotten", "constant_offset",
                            "bias_missing"),
    "bias_of_first_channel": _kind("every output channel gets the bias of filter 0",
                                   "bias_of_first_channel", "some_channels", "factor:n_C"),
    # where the windows are
    "stride_ignored": _kind(
        "the windows do not move by the stride",
        "conv_stride_ignored", "pool_stride_ignored", "conv_backward_stride_ignored", "pool_backward_stride_ignored",
        "view_stride_ignored", "pool_view_stride_ignored", "offsets_stride_ignored", "pool_offsets_stride_ignored",
        "factor:stride"),
    "padding_forgotten": _kind("the input is never padded", "conv_padding_forgotten", "view_padding_forgotten",
                               "conv_slice_from_unpadded_input", "windows_of_unpadded_input", "factor:pad"),
    "pad_widths_for_one_image": _kind(
        "np.pad given (before, after) pairs for 3 axes of a 4-axis batch",
        "pad_widths_for_one_image", "pad_batch_and_height", "pad_width_axes"),
    "unpad_negative_index": _kind(
        "the padding cut off with [pad:-pad], empty at pad 0",
        "unpad_with_negative_index", "vectorized_unpad_with_negative_index", "broadcast_short_slice", "factor:pad",
        "unpad_negative_slice"),
    "pool_over_batch": _kind("the pooling window spans every example", "pool_over_batch", "factor:m", "some_examples"),
    "pool_over_channels": _kind("the pooling window spans every channel",
                                "pool_over_channels", "factor:n_C", "some_channels"),
    "dW_from_unpadded_input": _kind("dW's windows taken from the unpadded input", "dW_from_unpadded_input",
                                    "dW_from_unpadded_slice", "offsets_dW_from_unpadded_input",
                                    "windows_of_unpadded_input",
                                    "factor:pad"),
    # accumulation
    "gradient_overwritten": _kind(
        "a gradient assigned (=) where it must be added (+=)",
        "conv_dA_overwritten", "conv_dW_overwritten", "conv_db_overwritten", "pool_gradient_overwritten",
        "offsets_dA_overwritten", "pool_offsets_overwritten", "gradient_overwritten", "factor:overlap"),
    "scatter_without_add_at": _kind(
        "a fancy-indexed += keeps one of the repeated indices' contributions",
        "scatter_without_add_at", "pool_scatter_without_add_at",
        wrong_advice=("factor:overlap",)),  # "accumulate with +=": it already does
    "scatter_through_overlapping_view": _kind(
        "+= through an as_strided view whose windows share memory keeps one share",
        "scatter_through_overlapping_view", "scatter_without_add_at", "pool_scatter_without_add_at",
        wrong_advice=("factor:overlap",)),
    # pooling and its helpers
    "average_not_divided": _kind("average pooling sums without dividing by f * f", "average_not_divided",
                                 "pool_average_not_divided", "off_by_factor:window_area"),
    "mask_from_min": _kind("the mask marks the minimum", "mask_from_min"),
    "mask_not_compared_with_x": _kind(
        "the mask is one bool (True == np.max(x)), not x compared with its maximum",
        "mask_not_compared_with_x", "mask_single_value", "mask_not_array", "number_for_mask"),
    "dA_read_at_window_corner": _kind(
        "pool_backward reads dA at the window's corner, not at the output position",
        "dA_read_at_window_corner",
        wrong_advice=("factor:stride",)),  # "the window's start must move by the stride": it does
    "distribute_divided_by_side": _kind("dz divided by one side of the window", "distribute_divided_by_side",
                                        "off_by_factor:window_side"),
    "method_needs_stride_equal_f": _kind(
        "a pooling method (f x f blocks) that is right only when stride == f, guarded by the learner's assert",
        "method_needs_stride_equal_f", *OWN_ASSERT),
    "repeat_upsampling_needs_stride_equal_f": _kind(
        "average pooling's gradient spread with np.repeat, right only when stride == f",
        "repeat_upsampling_needs_stride_equal_f", "method_needs_stride_equal_f", "windows_tiled",
        wrong_advice=("factor:overlap",)),
    # shapes, axes and layouts
    "db_shape_flat": _kind("db returned with shape (n_C,)", "vectorized_db_shape_flat", "reshaped:db", "db_shape_flat"),
    "filter_spatially_transposed": _kind(
        "each filter applied with its rows and columns swapped",
        "filter_spatially_transposed", "einsum_filter_axes_swapped", "dW_spatial_axes_swapped", "values_misplaced:dW",
        "conv_backward_filter_transposed", "offsets_filter_spatially_transposed"),
    "dW_spatial_axes_swapped": _kind("dW with its rows and columns swapped", "dW_spatial_axes_swapped",
                                     "values_misplaced:dW"),
    "output_reshaped_not_transposed": _kind(
        "a channels-first result reshaped, not transposed, to (m, n_H, n_W, n_C)",
        "output_reshaped_not_transposed", "product_reshaped_channels_first", "values_misplaced:Z"),
    "einsum_window_axes_order": _kind(
        "einsum letters read the window view's axes in another order than sliding_window_view gives",
        "einsum_window_axes_order", "window_axes_order", "einsum_subscripts"),
    "einsum_channel_letters_swapped": _kind(
        "einsum letters of W's input and output channels swapped", "einsum_channel_letters_swapped",
        "einsum_subscripts", "einsum_channel_letters"),
    "strides_assume_contiguous": _kind("as_strided steps computed by hand for a non-contiguous (transposed) array",
                                       "strides_assume_contiguous"),
    "strides_of_another_array": _kind("as_strided steps of the unpadded array used on the padded one",
                                      "strides_of_another_array"),
    # backward passes written as a full convolution
    "full_conv_padding_negative": _kind("dZ padded by f - 1 - pad, negative when pad > f - 1",
                                        "full_conv_padding_negative", "pad_width_negative_beyond_f",
                                        "pad_width_negative"),
    "full_conv_stride_remainder": _kind(
        "the dilated dZ lacks the rows and columns that no window reached", "full_conv_stride_remainder",
        "remainder_rows_missing", "remainder_rows_raised", "remainder_rows_raised_and_silent"),
    "full_conv_kernel_flipped_all_axes": _kind("np.flip(W) reverses the channel axes too",
                                               "full_conv_kernel_flipped_all_axes",
                                               "conv_backward_filter_channels_reversed",
                                               "offsets_filter_channels_reversed"),
    # classes and their state
    "backward_ignores_cache": _kind("backward uses the layer of the last forward call, not its cache",
                                    "backward_ignores_cache", "none_attribute", "stale_state"),
    "state_set_only_by_forward": _kind("backward reads an attribute that only forward sets",
                                       "state_set_only_by_forward", "attribute_not_set", "none_attribute"),
    # the learner's own checks and helpers
    "own_assert": _kind("the learner's own assert fails on a valid input", *OWN_ASSERT),
    "own_raise": _kind("the learner's own raise refuses a valid input", *OWN_RAISE),
    "helper_returns_none": _kind("the learner's own helper has no return, and its None is unpacked",
                                 "none_used", "none_unpacked", "helper_returned_none", "none_from_helper"),
    "hparameter_key_misnamed": _kind("hparameters read under a key it does not have", "hparameter_key", "key_missing"),
    # the learner's numpy
    "numpy_float_alias_on_array": _kind(
        "np.float(b) of a (1, 1, 1) b: the alias is gone, and float(b) fails on numpy 2 too",
        "numpy_alias_removed", advice_ok=_takes_the_number_out, environment=True),
    "numpy_int_alias": _kind("np.int(...) of a number: the alias is gone", "numpy_alias_removed", environment=True),
    "numpy2_float_of_array": _kind("float() of a (1, 1, 1) array, refused by numpy 2",
                                   "numpy2_scalar_conversion", environment=True),
    # more of the lesson's mistakes (the first corpus, in the course's own style)
    "average_gradient_divided_by_f": _kind("average pool_backward shares dA / f, not dA / (f * f)",
                                           "pool_average_gradient_divided_by_f", "off_by_factor:window_side"),
    "dW_reshaped_not_transposed": _kind("dW computed in another axis order and reshaped, not transposed",
                                        "dW_reshaped_not_transposed", "values_misplaced:dW"),
    "db_never_updated": _kind("db never updated in the loops", "db_never_updated", "all_zeros:db"),
    "db_not_summed_over_batch": _kind("db summed over the positions only, not the examples",
                                      "db_not_summed_over_batch"),
    "distribute_divided_by_sides_sum": _kind("dz divided by n_H + n_W", "distribute_divided_by_sides_sum"),
    "distribute_not_divided": _kind("dz not divided by the window's area", "distribute_not_divided",
                                    "off_by_factor:window_area"),
    "distribute_returns_scalar": _kind("distribute_value returns one number, not an array",
                                       "distribute_returns_scalar", "number_for_array"),
    "example_index_fixed": _kind("an example index fixed to 0", "pool_backward_example_fixed", "conv_example_fixed",
                                 "conv_backward_example_fixed", "some_examples", "factor:m"),
    "f_and_stride_swapped": _kind("f and stride swapped", "pool_f_and_stride_swapped", "f_and_stride_swapped",
                                  "size_f_stride_swapped"),
    "filter_matrix_reshaped_wrong": _kind("the filter matrix reshaped (n_C, -1) and transposed",
                                          "filter_matrix_reshaped_wrong"),
    "filter_not_transposed": _kind("dZ sent back through W[di, dj] without its transpose",
                                   "offsets_filter_not_transposed", "filter_not_transposed"),
    "first_filter_only": _kind("every channel's gradient sent back through the first filter",
                               "conv_backward_first_filter_only", "factor:n_C"),
    "float_size": _kind("an output size computed with /", "float_size", "conv_size_true_division"),
    "floor_division": _kind("dz // (n_H * n_W) rounds the share down", "floor_division"),
    "gradient_written_to_copy": _kind("the gradients added onto a copy, never onto the returned array",
                                      "gradient_written_to_copy", "all_zeros:dA_prev"),
    "helper_arguments_swapped": _kind("a helper called with its arguments the other way round",
                                      "distribute_value_arguments_swapped", "helper_arguments_swapped"),
    "loops_height_width_swapped": _kind("h loops to n_W and w to n_H", "conv_loops_height_width_swapped",
                                        "factor:shape"),
    "loops_over_input_size": _kind("the loops run over the input's sizes, not the output's",
                                   "pool_loops_over_input_size", "conv_backward_loops_over_input_size",
                                   "index_out_of_bounds"),
    "loops_over_positions": _kind("a loop over the output positions in 'Vectorize it'", "loop_over_positions"),
    "mask_holds_the_values": _kind("the mask holds the maximum's value instead of True",
                                   "mask_holds_the_values", "bool_mask"),
    "mask_inverted": _kind("the mask marks every entry but the maximum", "mask_inverted"),
    "mask_max_per_column": _kind("the mask compares x with the maximum of each column", "mask_max_per_column"),
    "maxima_unstrided": _kind("pool_backward's window maxima taken without [:, ::stride, ::stride]",
                              "pool_backward_maxima_unstrided", "maxima_unstrided"),
    "maxima_without_keepdims": _kind("window maxima without keepdims, compared with the windows",
                                     "maxima_without_keepdims", "broadcast_mismatch"),
    "mode_misspelled": _kind("the average branch compares mode with another word", "pool_mode_misspelled",
                             "vectorized_pool_mode_misspelled", "mode_fell_through", "factor:mode",
                             "mode_misspelled"),
    "name_from_other_branch": _kind("a name used in one branch that only the other branch defines",
                                    "name_from_other_branch"),
    "not_written": _kind("the function is still the stub", "outcome:not_written"),
    "output_channels_of_input": _kind("Z allocated with n_C_prev channels", "conv_output_channels_of_input"),
    "pad_all_axes": _kind("np.pad(X, pad) pads every axis", "pad_all_axes", "view_pad_all_axes", "axis_padded",
                          "output_axes_padded"),
    "pad_channels": _kind("the channel axis padded too", "pad_channels_not_width", "axis_padded",
                          "output_axes_padded"),
    "pool_reduced_over_wrong_axes": _kind("the pooling reduced over other axes than the window's",
                                          "pool_reduced_over_channel_axis", "pool_reduced_over_positions"),
    "returns_none": _kind("the function has no return statement", "returned_none"),
    "single_step_returns_array": _kind(
        "conv_single_step returns a (1, 1, 1) array, which conv_forward cannot store in one entry",
        "array_where_number_needed", "single_step_returns_array"),
    "size_from_other_axis": _kind("n_H computed from n_W_prev and n_W from n_H_prev", "pool_size_from_other_axis",
                                  "factor:shape"),
    "size_pad_counted_once": _kind("the output size counts pad once", "conv_size_pad_counted_once"),
    "size_rounded_up": _kind("the output size rounded up", "conv_size_not_floored", "size_rounded_up"),
    "slice_from_unpadded_input": _kind("the input padded, but the windows cut from the unpadded one",
                                       "conv_slice_from_unpadded_input", "view_padding_forgotten",
                                       "windows_of_unpadded_input",
                                       "factor:pad"),
    "tensordot_axes_mismatched": _kind("tensordot pairs the view's and W's axes in different orders",
                                       "tensordot_axes_mismatched", "window_axes_order"),
    "undefined_helper": _kind("a helper called by a name the notebook does not define", "undefined_helper",
                              "undefined_name"),
    "unpad_outside_example_loop": _kind("the un-padding line dedented out of the example loop",
                                        "unpad_outside_example_loop", "some_examples"),
    "updates_swapped": _kind("the input's and the filter's gradient updates swapped", "conv_backward_updates_swapped"),
    "used_before_its_loop": _kind("a line using the loop variable placed before its loop", "used_before_its_loop"),
    "window_axes_order": _kind("the window view flattened with the channel axis first", "window_axes_order"),
    "window_end_by_stride": _kind("the window ends at its start plus stride, not plus f",
                                  "pool_backward_window_end_by_stride"),
    "window_start_without_stride": _kind("the window's end moves by the stride, its start does not",
                                         "conv_stride_on_window_end_only", "factor:stride"),
}


# Claims that state a fact about the case shown (its output, or which value of a factor breaks it) without
# proposing a cause of their own: they name a cause when it is in its names, and are a wrong claim only
# when a note forbids them. (Other claims, e.g. "right with stride 1: the window's start must move by the
# stride", propose a cause: naming another cause than the true ones makes them wrong.)
DESCRIPTIVE = frozenset({"all_zeros", "not_finite", "reshaped", "transposed_shape", "values_misplaced", "some_examples",
                         "some_channels", "off_by_factor", "factor:mode", "simplest_case"})


# -- claims ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Claim:
    id: str
    source: str
    values: Mapping[str, Any]

    @property
    def keys(self) -> frozenset[str]:
        found = {self.id}
        for key in ("factor", "helper", "name", "because"):
            value = self.values.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                found.add(f"{self.id}:{value}")
        for helper in self.values.get("helpers", ()) or ():
            found.add(f"{self.id}:{helper}")
        for factor in self.values.get("factors", ()) or ():  # a claim of several factors names each
            found.add(f"{self.id}:{factor}")
        return frozenset(found)


def claims(verdict: Mapping[str, Any]) -> list[Claim]:
    """Every diagnosis anywhere in a verdict's JSON: a mapping with an ``id`` and a ``source``."""
    found: list[Claim] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            if isinstance(value.get("id"), str) and isinstance(value.get("source"), str):
                found.append(Claim(value["id"], value["source"], dict(value.get("values") or {})))
            for inner in value.values():
                walk(inner)
        elif isinstance(value, (list, tuple)):
            for inner in value:
                walk(inner)
    walk(verdict)
    return found


def own_code_said_right(verdict: Verdict) -> bool:
    """Whether the verdict says the function's own code is right: judged again with the reference's helpers
    it passes, or a diagnosis says so in its values."""
    return any(other.passed for other in verdict.also) or any(
        claim.values.get("own_code_right") is True or claim.id == "own_code_right"
        for claim in claims(verdict.to_json()))


# -- one lost mark against its note ----------------------------------------------------------------------
RIGHT, PARTLY, WRONG_ADVICE, WRONG_CAUSE, NOT_NAMED = "right", "partly named", "wrong advice", "wrong cause", \
    "not named"
JUDGEMENTS = (RIGHT, PARTLY, WRONG_ADVICE, WRONG_CAUSE, NOT_NAMED)


@dataclass
class Judgement:
    kind: str
    named: list[str] = field(default_factory=list)  # tags named with advice that works
    missing: list[str] = field(default_factory=list)  # tags not named
    wrong_advice: list[str] = field(default_factory=list)  # tags named with advice that does not work
    wrong: list[str] = field(default_factory=list)  # claim keys that are wrong here


def _names(tag: str, through: str | None) -> frozenset[str]:
    kind = CAUSES[tag]
    return kind.names | ({f"helper_fails:{through}"} if through else frozenset())


def _proposes_a_cause(claim: Claim) -> bool:
    """A descriptive claim that still proposes a cause: a constant factor said to be a size of the case."""
    return claim.id == "off_by_factor" and bool(claim.values.get("because"))


def judge(truth, verdict: Verdict) -> Judgement:
    """A lost mark of ``truth``'s function (an ``instructor.corpus.FunctionTruth``) against the verdict."""
    found = claims(verdict.to_json())
    stub = verdict.outcome in (Outcome.NOT_WRITTEN, Outcome.MISSING)
    if stub:  # an unfinished or missing function is named by its outcome, and must get nothing else
        found.append(Claim(f"outcome:{verdict.outcome.value}", "outcome", {}))
    true_tags = {cause.tag for cause in truth.causes}
    helpers = {cause.through for cause in truth.causes if cause.through}
    accepted = set().union(*(_names(cause.tag, cause.through) for cause in truth.causes))
    result = Judgement(NOT_NAMED)
    for cause in truth.causes:
        kind, names = CAUSES[cause.tag], _names(cause.tag, cause.through)
        naming = [claim for claim in found if claim.keys & names]
        good = [claim for claim in naming if not claim.keys & kind.wrong_advice
                and (kind.advice_ok is None or claim.id.startswith("helper_fails") or kind.advice_ok(claim.values))]
        if good:
            result.named.append(cause.tag)
        elif naming or any(claim.keys & kind.wrong_advice for claim in found):
            result.wrong_advice.append(cause.tag)
        else:
            result.missing.append(cause.tag)
    other_names = {key: tag for tag, kind in CAUSES.items() if tag not in true_tags for key in kind.names}
    for claim in found:
        keys = claim.keys
        if keys & set(truth.forbidden):
            result.wrong += sorted(keys & set(truth.forbidden))
        elif claim.id == "helper_fails":
            blamed = {claim.values.get("helper"), *(claim.values.get("helpers") or ())} - {None}
            result.wrong += [f"helper_fails:{helper}" for helper in sorted(blamed - helpers)]
        elif not keys & accepted and not (keys & DESCRIPTIVE and not _proposes_a_cause(claim)):
            result.wrong += sorted(key for key in keys if key in other_names)
            if claim.source == "mistake" and claim.id not in other_names:
                result.wrong.append(claim.id)  # a catalogued mistake no cause of this function is
    if stub:
        result.wrong += [f"a claim under a stub: {claim.id}" for claim in found if claim.source != "outcome"]
    said_right = own_code_said_right(verdict)
    if said_right and not truth.own_code_right:
        result.wrong.append("own_code_right")
    result.wrong = sorted(set(result.wrong))
    if result.wrong:
        result.kind = WRONG_CAUSE
    elif result.wrong_advice:
        result.kind = WRONG_ADVICE
    elif not result.missing and (said_right or not truth.own_code_right):
        result.kind = RIGHT
    elif result.named:
        result.kind = PARTLY
    return result


# -- evidence: the learner's function again, on every case and probe -------------------------------------
@dataclass(frozen=True)
class Run:
    """The learner's function on one case or probe of the plan."""

    id: str
    probe: bool
    factors: Mapping[str, Any]  # stride, pad, m, n_C, n_C_prev, shape, f, overlap, mode: those that apply
    sizes: Mapping[str, int]  # f, m, positions (n_H * n_W of the output), n_C, n_C_prev
    passed: bool
    ratios: Mapping[str, float | None]  # per output name: the constant factor got / expected, if there is one


def factors(function: str, args: tuple, kwargs: dict) -> tuple[dict, dict]:
    """(factor values, sizes) of a call of one of the lesson's layer functions."""
    if function in ("conv_backward", "pool_backward"):
        out, cache = args[0], args[1]
        a_prev, hparameters = cache[0], cache[-1]
        w = cache[1] if function == "conv_backward" else None
    elif function == "conv_forward":
        a_prev, w, _, hparameters = args
        out = None
    elif function == "pool_forward":
        a_prev, hparameters = args
        w, out = None, None
    elif function == "zero_pad":
        x, pad = args
        return ({"pad": pad, "m": x.shape[0], "n_C": x.shape[3],
                 "shape": "square" if x.shape[1] == x.shape[2] else "non_square"}, {"m": x.shape[0]})
    else:
        return {}, {}
    stride = hparameters["stride"]
    f = w.shape[0] if w is not None else hparameters["f"]
    n_C_prev = a_prev.shape[3]
    n_C = w.shape[3] if w is not None else n_C_prev
    found = {"stride": stride, "m": a_prev.shape[0], "n_C": n_C, "f": f,
             "shape": "square" if a_prev.shape[1] == a_prev.shape[2] else "non_square",
             "overlap": "overlapping" if f > stride else "touching" if f == stride else "gaps"}
    pad = hparameters.get("pad", 0)
    if w is not None:
        found.update(pad=pad, n_C_prev=n_C_prev)
    else:
        found["mode"] = kwargs.get("mode") or "max"
    if out is None:
        n_H = (a_prev.shape[1] + 2 * pad - f) // stride + 1
        n_W = (a_prev.shape[2] + 2 * pad - f) // stride + 1
    else:
        n_H, n_W = out.shape[1], out.shape[2]
    return found, {"f": f, "m": a_prev.shape[0], "positions": n_H * n_W, "n_C": n_C, "n_C_prev": n_C_prev,
                   "stride": stride}


def constant_ratio(expected: Any, got: Any) -> float | None:
    """k if ``got`` is k times ``expected`` everywhere (k != 1), else None."""
    try:
        e, g = np.asarray(expected, dtype=float), np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if e.shape != g.shape or e.size < 2 or not np.all(np.isfinite(g)):
        return None
    big = np.abs(e) > 1e-6 * max(float(np.max(np.abs(e))), 1e-300)
    if big.sum() < 2:
        return None
    k = float(np.median(g[big] / e[big]))
    if np.isclose(k, 1.0) or not np.allclose(g, k * e, rtol=1e-6, atol=1e-9):
        return None
    return k


def _outputs(names: Sequence[str], value: Any) -> dict[str, Any]:
    if len(names) == 1:
        return {names[0]: value}
    if isinstance(value, (tuple, list)) and len(value) == len(names):
        return dict(zip(names, value))
    return {}


def evidence(plan, function: str, fresh: Callable[[], dict]) -> list[Run]:
    """The learner's ``function`` on every case (but the timed ones) and every probe of ``plan``. ``fresh``
    gives the learner's names in a freshly loaded module (their state is not shared between the two)."""
    entry = plan.case_file.function(function)
    names = entry.outputs
    runs = []
    for group, probe in ((entry.cases, False), (entry.probes, True)):
        scope = fresh()
        fn = scope.get(function)
        for item in group:
            if item.is_speed:
                continue
            args, kwargs = casefile.decode(item.args, plan.arrays), casefile.decode(item.kwargs, plan.arrays)
            found, sizes = factors(function, args, kwargs)
            expected = casefile.decode(item.expected, plan.arrays)
            passed, ratios = False, {}
            if callable(fn):
                try:
                    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
                            np.errstate(all="ignore"):
                        warnings.simplefilter("ignore")
                        got = fn(*_copy(args), **_copy(kwargs))
                except Exception:
                    got = _RAISED
                if got is not _RAISED:
                    passed = outputs_difference(function, names, expected, got, item.tolerance) is None
                    e_out, g_out = _outputs(names, expected), _outputs(names, got)
                    ratios = {name: constant_ratio(e_out[name], g_out.get(name)) for name in e_out}
            runs.append(Run(item.id, probe, found, sizes, passed, ratios))
    return runs


_RAISED = object()


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def calls_of(fn: Callable, calls: Sequence[tuple[tuple, dict]], filename: str) -> set[str]:
    """Names of the functions of ``filename`` that ``fn`` calls on any of ``calls`` (itself excluded)."""
    called: set[str] = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename == filename:
            called.add(frame.f_code.co_name)
    for args, kwargs in calls:
        sys.setprofile(profile)
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                fn(*_copy(args), **_copy(kwargs))
        except Exception:
            pass
        finally:
            sys.setprofile(None)
    return called - {fn.__name__}


# -- contradictions: claims against their own evidence ---------------------------------------------------
# the sizes a constant factor could be, for a claim that names one
QUANTITIES: dict[str, Callable[[Mapping[str, int]], int]] = {  # by the names the kit's diagnosis gives them
    "window_side": lambda s: s["f"], "window_area": lambda s: s["f"] ** 2, "window_cube": lambda s: s["f"] ** 3,
    "window_volume": lambda s: s["f"] ** 2 * s["n_C_prev"], "batch": lambda s: s["m"],
    "positions": lambda s: s["positions"], "batch_positions": lambda s: s["m"] * s["positions"],
    "channels": lambda s: s["n_C"], "input_channels": lambda s: s["n_C_prev"], "stride": lambda s: s["stride"],
    "stride_squared": lambda s: s["stride"] ** 2,
}


def _is(value: float, size: int) -> bool:
    return size > 1 and (np.isclose(value, size, rtol=1e-6) or np.isclose(value, 1 / size, rtol=1e-6))


def _shown(verdict: Verdict, runs: list[Run]) -> Run | None:
    if verdict.place is None:
        return None
    return next((run for run in runs if run.id == verdict.place.id and not run.probe), None) or next(
        (run for run in runs if run.id == verdict.place.id), None)


def contradictions(verdict: Verdict, runs: list[Run] | None, helper_runs: Mapping[str, list[Run]],
                   called: set[str] | None) -> list[str]:
    """What the claims of ``verdict`` say that its evidence contradicts: ``runs`` are the function's own,
    ``helper_runs`` those of the helpers it is said to fail through, ``called`` the learner's functions it
    really calls (None when unknown)."""
    found = []
    if verdict.outcome is Outcome.NOT_WRITTEN and verdict.diagnosis is not None:
        found.append(f"a claim ({verdict.diagnosis.id}) under an unfinished function")
    shown = _shown(verdict, runs or [])
    for claim in claims(verdict.to_json()):
        values = claim.values
        if values.get("with_helpers") or values.get("on_the_rest"):
            continue  # a claim about other runs: with correct helpers put in, or those a cause above leaves
        if claim.id == "factor" and runs:
            # "right with X" (several factors: right when each has its right value): every run with X passes
            rights = values.get("rights") or {values.get("factor"): values.get("right")}
            text = " and ".join(f"{factor} {right}" for factor, right in rights.items())

            def right_here(run: Run) -> bool:
                at_right = [_at_right_value(run.factors.get(factor), right, values, factor)
                            for factor, right in rights.items()]
                # broken only when every factor is on its wrong side ("all"), else when any one is
                return any(at_right) if values.get("broken_when") == "all" else all(at_right)
            failing = [run.id for run in runs if right_here(run) and not run.passed]
            if shown is not None and right_here(shown):
                found.append(f"'right with {text}' shown under a failing case with {text}")
            elif failing:
                found.append(f"'right with {text}' but {len(failing)} case(s) with it fail "
                             f"({', '.join(failing[:3])})")
        elif claim.id == "simplest_probe_fails" and runs is not None:  # a claim about the simplest probe itself
            if any(run.passed for run in runs if run.probe and run.id == "root"):
                found.append("'fails even on the simplest input tried' but the simplest probe passes")
        elif claim.id == "simplest_case" and runs is not None:
            roots = [run for run in runs if run.probe and run.id == "root"]
            if any(run.passed for run in roots):
                found.append("'wrong even in the simplest case' but the simplest probe passes")
            simple = {"stride": 1, "pad": 0, "m": 1, "n_C": 1, "n_C_prev": 1}
            if shown is not None and any(shown.factors.get(k, v) != v for k, v in simple.items()):
                found.append("'wrong even in the simplest case' shown under a case that is not the simplest ("
                             + ", ".join(f"{k} {shown.factors[k]}" for k in simple if shown.factors.get(k, simple[k])
                                         != simple[k]) + ")")
        elif claim.id == "off_by_factor" and values.get("because") and runs:
            found += _factor_not_established(claim, runs)
        elif claim.id == "helper_fails":
            for helper in {values.get("helper"), *(values.get("helpers") or ())} - {None}:
                if called is not None and helper not in called:
                    found.append(f"blames {helper}, which the function calls on no case")
                elif helper in helper_runs and helper_runs[helper] and all(run.passed for run in helper_runs[helper]):
                    found.append(f"blames {helper}, which passes every case")
    return found


SIMPLE = {"stride": 1, "pad": 0, "m": 1, "n_C": 1, "n_C_prev": 1, "shape": "square", "f": 1, "overlap": "touching",
          "mode": "max"}


def _at_right_value(value: Any, right: Any, values: Mapping[str, Any], factor: str) -> bool:
    """Whether a run's value of ``factor`` is on the side a claim calls right: the simplest value, or (for a
    factor whose simplest value breaks it, e.g. f = 1) any other; a claim without sides compares values."""
    if value is None:
        return False
    kinds = values.get("kinds") or {}
    if factor in kinds:  # a claim about one kind of the factor: right wherever the factor is not that kind
        return value != kinds[factor]
    if factor in SIMPLE and "rights" in values:
        simple_breaks = factor in (values.get("simple_breaks") or ())
        return (value == SIMPLE[factor]) != simple_breaks
    return value == right


def _factor_not_established(claim: Claim, runs: list[Run]) -> list[str]:
    reason, name = claim.values["because"], claim.values.get("name")
    if reason not in QUANTITIES:
        return []
    measured = [(run, run.ratios.get(name)) for run in runs if run.ratios.get(name) is not None]
    wrong = [run.id for run, k in measured if not _is(k, QUANTITIES[reason](run.sizes))]
    if wrong:
        return [f"names the factor the {reason}, but on {', '.join(wrong[:3])} the factor is another"]
    others = [q for q in QUANTITIES if q != reason]
    apart = [run for run, k in measured
             if all(not _is(k, QUANTITIES[other](run.sizes)) for other in others if _size(run, other) > 1)]
    if not apart:
        return [f"names the factor the {reason}, but no run tells it apart from the other sizes"]
    return []


def _size(run: Run, quantity: str) -> int:
    try:
        return QUANTITIES[quantity](run.sizes)
    except KeyError:
        return 0
