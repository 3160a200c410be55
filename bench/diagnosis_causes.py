"""What the diagnosis bench judges the kit's verdicts by: the causes it knows, and a verdict against a note.

On data only (a verdict's JSON, a corpus note), never on rendered sentences:

- :data:`CAUSES`: every cause tag a corpus note may use (tests/corpus/README.md), with the claims of the
  kit that name it with advice that works, and those that name it with advice that does not. A claim
  is a :class:`~autograder.verdict.Diagnosis` found anywhere in a verdict (its diagnosis, the verdicts in
  ``also``, any later field that holds diagnoses), seen as a set of keys: its id, and its id qualified by
  what it is about (``factor:stride``, ``helper_fails:conv_single_step``, ``reshaped:db``,
  ``off_by_factor:window_area``).
- :func:`judge`: one lost mark against its note: every true cause named with advice that works, the
  function's own code said to be right when it is, and no wrong claim.

The claims that a verdict's own evidence contradicts are found in bench/diagnosis_evidence.py.

The claim ids of the kit are those of ``autograder.messages`` (``diagnosis.*``) and of the catalogues
(``instructor/assignments/*/mistakes.py``). A diagnosis engine that adds an id which names one of these
causes adds it to that cause's ``names`` here; the notes (the truth) do not change.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

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
    "bias_forgotten": _kind("the bias is never added", "bias_forgotten", "matrix_bias_forgotten", "constant_offset"),
    "bias_of_first_channel": _kind("every output channel gets the bias of filter 0",
                                   "bias_of_first_channel", "some_channels", "factor:n_C"),
    # where the windows are
    "stride_ignored": _kind(
        "the windows do not move by the stride",
        "conv_stride_ignored", "pool_stride_ignored", "conv_backward_stride_ignored", "pool_backward_stride_ignored",
        "view_stride_ignored", "pool_view_stride_ignored", "offsets_stride_ignored", "pool_offsets_stride_ignored",
        "factor:stride"),
    "padding_forgotten": _kind("the input is never padded", "conv_padding_forgotten", "view_padding_forgotten",
                               "conv_slice_from_unpadded_input", "factor:pad"),
    "pad_widths_for_one_image": _kind(
        "np.pad given (before, after) pairs for 3 axes of a 4-axis batch",
        "pad_widths_for_one_image", "pad_batch_and_height"),
    "unpad_negative_index": _kind(
        "the padding cut off with [pad:-pad], empty at pad 0",
        "unpad_with_negative_index", "vectorized_unpad_with_negative_index", "broadcast_short_slice", "factor:pad"),
    "pool_over_batch": _kind("the pooling window spans every example", "pool_over_batch", "factor:m", "some_examples"),
    "pool_over_channels": _kind("the pooling window spans every channel",
                                "pool_over_channels", "factor:n_C", "some_channels"),
    "dW_from_unpadded_input": _kind("dW's windows taken from the unpadded input", "dW_from_unpadded_input",
                                    "dW_from_unpadded_slice", "offsets_dW_from_unpadded_input", "factor:pad"),
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
        "mask_not_compared_with_x", "mask_single_value", "mask_not_array"),
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
        "repeat_upsampling_needs_stride_equal_f", "method_needs_stride_equal_f",
        wrong_advice=("factor:overlap",)),
    # shapes, axes and layouts
    "db_shape_flat": _kind("db returned with shape (n_C,)", "vectorized_db_shape_flat", "reshaped:db", "db_shape_flat"),
    "filter_spatially_transposed": _kind(
        "each filter applied with its rows and columns swapped",
        "filter_spatially_transposed", "einsum_filter_axes_swapped", "dW_spatial_axes_swapped", "values_misplaced:dW"),
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
        "einsum_subscripts"),
    "strides_assume_contiguous": _kind("as_strided steps computed by hand for a non-contiguous (transposed) array",
                                       "strides_assume_contiguous"),
    "strides_of_another_array": _kind("as_strided steps of the unpadded array used on the padded one",
                                      "strides_of_another_array"),
    # backward passes written as a full convolution
    "full_conv_padding_negative": _kind("dZ padded by f - 1 - pad, negative when pad > f - 1",
                                        "full_conv_padding_negative"),
    "full_conv_stride_remainder": _kind(
        "the dilated dZ lacks the rows and columns that no window reached", "full_conv_stride_remainder"),
    "full_conv_kernel_flipped_all_axes": _kind("np.flip(W) reverses the channel axes too",
                                               "full_conv_kernel_flipped_all_axes"),
    # classes and their state
    "backward_ignores_cache": _kind("backward uses the layer of the last forward call, not its cache",
                                    "backward_ignores_cache"),
    "state_set_only_by_forward": _kind("backward reads an attribute that only forward sets",
                                       "state_set_only_by_forward"),
    # the learner's own checks and helpers
    "own_assert": _kind("the learner's own assert fails on a valid input", *OWN_ASSERT),
    "own_raise": _kind("the learner's own raise refuses a valid input", *OWN_RAISE),
    "helper_returns_none": _kind("the learner's own helper has no return, and its None is unpacked",
                                 "none_used", "none_unpacked", "helper_returned_none"),
    "hparameter_key_misnamed": _kind("hparameters read under a key it does not have", "hparameter_key"),
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
    "f_and_stride_swapped": _kind("f and stride swapped", "pool_f_and_stride_swapped", "f_and_stride_swapped"),
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
                             "vectorized_pool_mode_misspelled", "mode_fell_through", "factor:mode"),
    "name_from_other_branch": _kind("a name used in one branch that only the other branch defines",
                                    "name_from_other_branch"),
    "not_written": _kind("the function is still the stub", "outcome:not_written"),
    "output_channels_of_input": _kind("Z allocated with n_C_prev channels", "conv_output_channels_of_input"),
    "pad_all_axes": _kind("np.pad(X, pad) pads every axis", "pad_all_axes", "view_pad_all_axes"),
    "pad_channels": _kind("the channel axis padded too", "pad_channels_not_width"),
    "pool_reduced_over_wrong_axes": _kind("the pooling reduced over other axes than the window's",
                                          "pool_reduced_over_channel_axis", "pool_reduced_over_positions"),
    "returns_none": _kind("the function has no return statement", "returned_none"),
    "single_step_returns_array": _kind(
        "conv_single_step returns a (1, 1, 1) array, which conv_forward cannot store in one entry",
        "array_where_number_needed", "single_step_returns_array"),
    "size_from_other_axis": _kind("n_H computed from n_W_prev and n_W from n_H_prev", "pool_size_from_other_axis",
                                  "factor:shape"),
    "size_pad_counted_once": _kind("the output size counts pad once", "conv_size_pad_counted_once"),
    "size_rounded_up": _kind("the output size rounded up", "conv_size_not_floored"),
    "slice_from_unpadded_input": _kind("the input padded, but the windows cut from the unpadded one",
                                       "conv_slice_from_unpadded_input", "view_padding_forgotten", "factor:pad"),
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
    # the learner's numpy
    "numpy_float_alias_on_array": _kind(
        "np.float(b) of a (1, 1, 1) b: the alias is gone, and float(b) fails on numpy 2 too",
        "numpy_alias_removed", advice_ok=_takes_the_number_out, environment=True),
    "numpy_int_alias": _kind("np.int(...) of a number: the alias is gone", "numpy_alias_removed", environment=True),
    "numpy2_float_of_array": _kind("float() of a (1, 1, 1) array, refused by numpy 2",
                                   "numpy2_scalar_conversion", environment=True),
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
        claim.values.get("own_code_right") is True for claim in claims(verdict.to_json()))


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
