"""The causes of a failure, each proven on every case and probe run, in the order to fix them.

:func:`explain` takes the evidence (:class:`~.evidence.Run`: every case, visible and hidden, and every
probe, as it ran) and returns a :class:`Finding`: the causes, and the case to show, one that exhibits
the first of them. Each cause is claimed only where the runs agree with it:

0. **An output size that follows another formula** (rounded up; f and stride the other way round), or **an
   output with its batch or channel axis padded**, read on every failing run (:mod:`.sizes`), unless a
   catalogued mistake matches on every failing run.
1. **A helper it really calls** (traced on a failing run, or the exception was raised inside it) and
   that fails its own checks. The function is then judged with correct answers in place of the helper's
   (``rerun``, :mod:`.oracle`): "the rest of it is right" only when it then passes every run, else its
   own causes follow, found the same way on those runs.
2. **Exceptions**, each rule on the runs that raised it (:mod:`.exceptions`), in the learner's terms; two
   shapes that do not fit are read with each case's sizes (an array with as many window positions as the
   unpadded input has, on every run that raised it: windows cut before the padding; n_H * f rows: the
   windows' blocks side by side, right only when stride = f; :mod:`.shapes`), one cause even when it reads
   as two messages.
3. **A catalogued mistake** whose fingerprint the output matched, named only when no run that passed has
   that mistake's fingerprint (so the mistake would have shown there); it explains the runs it matched.
4. **The bias counted a wrong number of times**, **a constant factor** (:mod:`.ratios`); **an output short
   by the rows no window reaches** (:mod:`.shapes`).
5. **The factors that break it** (:mod:`.separation`), on the runs no cause above explains, and the
   runs that pass.
6. **A pattern of the wrong values** on a case (values misplaced, only some examples right, ...).
7. Else a narrow fact, never a guess: it fails even on the simplest probe; or nothing is said.

After each cause, the runs it explains are set aside and the rest is looked at again (two bugs, two
causes). Last, a mechanical change of the learner's code (a fancy-indexed += made np.add.at, a mode
compared with a word it is never given; :func:`edit_fixed`) replaces all of this when, tried, it makes every
case and probe pass. A fix is promised ("with this change, your function passes every case": ``fixes_all``) only
where it was tried on every failing run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from ..compare import outputs_difference
from ..verdict import Diagnosis, Verdict
from .evidence import Run, differing
from .exceptions import explain_raised
from .patterns import explain_output
from .ratios import bias_offset, constant_factor, factor_readings
from .separation import factor_diagnosis, separate
from .sizes import padded_output_axes, size_formula
from .unbound import unbound_reading
from .shapes import (SHAPE_IN_MESSAGE, einsum_channel_letters, padded_axes, remainder, remainder_rows, tiled_windows,
                     unpadded_windows)

# Per-case patterns that say where the values go wrong (the cross-run readings above replace the others).
CASE_PATTERNS = ("returned_none", "bool_mask", "number_for_array", "number_for_mask", "not_finite", "all_zeros",
                 "all_zeros_fractions", "cut_to_whole_numbers", "values_misplaced", "values_moved", "reshaped",
                 "transposed_shape", "axis_not_summed", "some_examples", "some_channels", "cost_wrong",
                 "some_gradients", "gradient_keys")
# Patterns that may be a coincidence of one run, said only when every failing run that returned values shows
# them: some right entries (only some examples or channels right: with a max in the function, by the luck of the
# values), and "the right values in the wrong shape" (on a case with m = 1, a dW that kept the batch axis is
# the expected one reshaped; with m > 1 it is not, and reshaping it fails), an axis not summed over (the sum is
# checked on each run, and the advice holds only where every failing run shows it). The others are exact on every run
# they are read on (a transpose, a move of the right values).
GUESSED_PATTERNS = ("some_examples", "some_channels", "reshaped", "axis_not_summed")
QUOTED_FACTORS = ("stride", "pad", "f", "m", "n_C", "n_C_prev", "mode")
WHEN_KEYS = ("factors", "rights", "wrongs", "broken_when", "simple_breaks", "kinds", "failed", "of", "passed")
EMPTY_OR_SHORT = ("slice_too_short", "reshape_size", "broadcast_mismatch")
NEGATIVE_PAD_SLICE = re.compile(r"\[[^\]#]*:\s*-\s*pad\b")


def _refined(diagnosis: Diagnosis, group: Sequence[Run], source: str) -> Diagnosis:
    """An array that came out empty or short, read with the learner's code: a [pad:-pad] slice in it, and every
    run that raised it at pad 0 (where the case has a pad), is that slice, empty when pad is 0."""
    if diagnosis.id not in EMPTY_OR_SHORT or not source:
        return diagnosis
    if diagnosis.id == "reshape_size" and "array of size 0" not in str(diagnosis.values.get("detail", "")):
        return diagnosis
    code = "\n".join(line.split("#", 1)[0] for line in source.splitlines())
    if not NEGATIVE_PAD_SLICE.search(code) or any(run.factors.get("pad", 0) != 0 for run in group):
        return diagnosis
    # a function without a pad of its own (pooling) may pass pad = 0 to a helper that cuts with [pad:-pad]: that
    # slice shows as an axis of length 0, on every run (an array merely too long or short is another cause)
    if any("pad" not in run.factors and not _has_empty_axis(run) for run in group):
        return diagnosis
    raised = group[0].raised
    return Diagnosis("unpad_negative_slice", "exception", {"line": (raised.line if raised else None) or "..."})


def _exception_id(run: Run) -> str | None:
    """The id of the exception a run raised, as read (None if it raised nothing, or nothing read)."""
    diagnosis = run.verdict.diagnosis if run.verdict is not None and run.raised is not None else None
    return diagnosis.id if diagnosis is not None and diagnosis.source == "exception" else None


def _beyond_f(diagnosis: Diagnosis, group: Sequence[Run], runs: Sequence[Run]) -> Diagnosis:
    """np.pad given a negative width on exactly the runs where pad > f - 1, among every run that has a pad and an
    f: there a width such as f - 1 - pad (a full convolution's padding of dZ) is below 0, and nowhere else."""
    if diagnosis.id != "pad_width_negative":
        return diagnosis
    sized = [run for run in runs if isinstance(run.factors.get("pad"), int) and isinstance(run.factors.get("f"), int)]
    beyond = {run.id for run in sized if run.factors["pad"] > run.factors["f"] - 1}
    raised = [run for run in runs if _exception_id(run) == "pad_width_negative"]  # a cause before may hold some
    if not beyond or beyond != {run.id for run in group} or beyond != {run.id for run in raised} \
            or len(sized) == len(beyond) or len({run.raised.line for run in raised}) != 1:
        return diagnosis
    return Diagnosis("pad_width_negative_beyond_f", "exception", {**diagnosis.values, "count": len(beyond),
                                                                 "others": len(sized) - len(beyond)})


def _error_condition(runs: Sequence[Run], group: Sequence[Run]) -> Diagnosis | None:
    """The condition under which the error of ``group`` comes, read from the runs that passed and those that
    raised it (another cause's runs do not blur it, and a remaining failure under it is said to be that
    condition, ``same_condition``), with its cases counted among every run: "it comes on 2 of the 3 cases tried
    with X" counts a case with X that failed another way too, as the learner may be shown one."""
    tried = [run for run in runs if run.passed] + list(group)
    when, found = factor_diagnosis(tried), separate(tried)
    if when is None or not found:
        return None
    under = [run for run in runs if any(condition.holds(run) for condition in found[0])]
    return Diagnosis(when.id, when.source, {**when.values, "of": len(under)})


def _same_condition(claim: Diagnosis, cause: Diagnosis) -> bool:
    """Whether a factor claim names the same condition as the runs an exception cause was raised on."""
    when = cause.values.get("when") if cause.source == "exception" else None
    return isinstance(when, Mapping) and all(
        when.get(key) == claim.values.get(key) for key in ("factors", "broken_when", "simple_breaks", "kinds"))


def _has_empty_axis(run: Run) -> bool:
    message = run.raised.message if run.raised is not None else ""
    return "size 0" in message or any(
        0 in shape for shape in (tuple(int(n) for n in found.split(",") if n.strip())
                                 for found in SHAPE_IN_MESSAGE.findall(message)))


def _stale_state(read: dict[str, tuple[Diagnosis, list[Run], dict[str, Diagnosis]]]) -> None:
    """An object the function reads from a name that another call sets (``holder.method(...)`` with ``holder``
    None on some runs), and errors raised inside that very method on the other runs: there the name held an
    object left by an earlier call, made from another input. Those runs are that cause too, not causes of their
    own (their shapes are the earlier call's): they join it, in ``read``, and their own readings go."""
    state = read.get("none_attribute")
    if state is None:
        return
    method = state[0].values.get("attribute")
    for key, (_, group, _) in list(read.items()):
        if key != "none_attribute" and method and all(run.raised is not None and run.raised.where == method
                                                      for run in group):
            state[2].update({run.id: state[0] for run in state[1] if run.id not in state[2]})
            state[2].update({run.id: Diagnosis("stale_state", "exception", dict(state[0].values)) for run in group})
            state[1].extend(group)
            del read[key]


OWN_CONDITION = ("pad_width_negative_beyond_f", "remainder_rows_raised")  # causes that say their own condition
SHAPE_ERRORS = ("broadcast_mismatch", "slice_too_short", "broadcast_short_slice", "einsum_shapes", "einsum_label_sizes")


def _remainder_raised(read: dict[str, tuple[Diagnosis, list[Run], dict[str, Diagnosis]]], runs: Sequence[Run]) -> None:
    """Shape errors (of one kind or several) raised only on runs where the stride does not divide
    n_H_prev + 2 * pad - f, leaving rows and columns no window reaches: one cause, in ``read``.
    Only there: no run where it divides raised one of them, and one with a stride above 1 that divides (and
    raised nothing) shows that the stride alone is not the condition. (A run where it does not divide may also
    fail without an error, or pass with f = 1: an empty window adds nothing, one cut to a row broadcasts; one
    with a larger window that passed where it does not divide rules the reading out.)"""
    family = [key for key in SHAPE_ERRORS if key in read]
    if not family:
        return
    group = [run for key in family for run in read[key][1]]
    rests = {run.id: remainder(run) for run in runs}
    everywhere = [run for run in runs if _exception_id(run) in SHAPE_ERRORS]  # a cause before may hold some
    if any(rests.get(run.id) is None or not any(rests[run.id]) for run in everywhere) \
            or len({run.raised.line for run in everywhere}) != 1:  # the line quoted is the line of every one
        return
    quiet = [run for run in runs if run.raised is None and rests[run.id] == (0, 0) and run.factors["stride"] > 1]
    if not quiet:
        return
    # an array short of those rows fails wherever there are some and a window is more than 1 x 1 (with f = 1 an
    # empty window adds nothing): one such run that passed (another mode's branch, say) shows that it is not
    if any(run.passed and any(rests.get(run.id) or (0, 0)) and (run.factors.get("f") or 1) > 1 for run in runs):
        return
    for key in family:
        del read[key]
    order = {run.id: index for index, run in enumerate(runs)}
    group.sort(key=lambda run: order.get(run.id, len(order)))
    first = group[0]
    read["remainder_rows_raised"] = (Diagnosis("remainder_rows_raised", "exception", {
        "line": ((first.raised.line if first.raised else None) or "...").strip(), "count": len(everywhere),
        "total": sum(rest is not None and any(rest) for rest in rests.values()),
        "others": sum(rest == (0, 0) for rest in rests.values()), "rows": rests[first.id][0],
        "cols": rests[first.id][1], "stride": first.factors["stride"]}), group, {})


def _silent_remainder(finding: "Finding", left: list[Run], runs: Sequence[Run]) -> None:
    """When shape errors were read as the rows no window reaches, and every failing run left is one where the
    stride does not divide that failed without an error, and no run where it divides failed without an error,
    those runs go with that cause (said as such)."""
    index = next((i for i, cause in enumerate(finding.causes) if cause.id == "remainder_rows_raised"), None)
    if index is None or not left or not all(run.raised is None and any(remainder(run) or (0, 0)) for run in left):
        return
    if any(not run.passed and run.raised is None and remainder(run) == (0, 0) for run in runs):
        return
    cause = finding.causes[index]
    finding.causes[index] = Diagnosis("remainder_rows_raised_and_silent", cause.source,
                                      {**cause.values, "silent": len(left)})
    finding.exhibits[index].extend(left)
    left[:] = []


@dataclass
class Finding:
    causes: list[Diagnosis]
    exhibits: list[list[Run]] = field(default_factory=list)  # per cause, the runs that show it
    # per cause, its reading on each run that shows it, where it is read run by run (a pattern's values)
    readings: dict[int, dict[str, Diagnosis]] = field(default_factory=dict)

    def for_shown(self, shown: Run) -> list[Diagnosis]:
        """The causes as said under ``shown``: an exception's reading is the one of the shown case itself
        (its line, its shapes), when it raised there."""
        own = shown.verdict.diagnosis if shown.verdict is not None else None
        causes = []
        for index, (diagnosis, exhibiting) in enumerate(zip(self.causes, self.exhibits + [[]] * len(self.causes))):
            if (own is not None and own.source == "exception" and diagnosis.source == "exception"
                    and own.id == diagnosis.id and any(run.id == shown.id for run in exhibiting)):
                diagnosis = Diagnosis(own.id, own.source, {**diagnosis.values, **own.values})
                if own.id in ("own_assert", "own_raise"):
                    diagnosis = _with_quoted_values(diagnosis, shown)
            read = self.readings.get(index, {})
            reading = read.get(shown.id)
            if reading is None and read and diagnosis.id in CASE_PATTERNS:
                continue  # a pattern of other runs' values ("Z is all zeros"), not of the one shown: not said
            if reading is None and read and "value" in diagnosis.values:
                # a number read run by run, and not on the shown case: said without a value "on this case"
                diagnosis = Diagnosis(diagnosis.id, diagnosis.source,
                                      {k: v for k, v in diagnosis.values.items() if k != "value"})
            if reading is not None:
                diagnosis = Diagnosis(reading.id, reading.source, {**reading.values, **{
                    k: v for k, v in diagnosis.values.items() if k in ("fixes_all", "with_helpers", "helpers_used")}})
            causes.append(diagnosis)
        return causes

    def shown(self, runs: Sequence[Run], hidden: bool | None = None) -> Run | None:
        """The case to show: the first case (of the visibility asked for, if any) that exhibits a cause,
        the first cause first, and of those one where the cause was read, if it is read run by run (so that
        the numbers said are the shown case's own); else the first failing case."""
        cases = [run for run in runs if run.is_case and not run.passed and (hidden is None or run.hidden == hidden)]
        for index, exhibiting in enumerate(self.exhibits):
            ids = {run.id for run in exhibiting}
            showing = [run for run in cases if run.id in ids]
            read = self.readings.get(index) or {}
            showing = [run for run in showing if run.id in read] or showing
            if showing:
                return showing[0]
        return cases[0] if cases else None


def _with_quoted_values(diagnosis: Diagnosis, run: Run) -> Diagnosis:
    """An assert's condition, or a raise, with the values its names have on the case that triggered it."""
    text = str(diagnosis.values.get("condition") or diagnosis.values.get("line") or "")
    shown = [f"{name} = {run.factors[name]!r}" if isinstance(run.factors[name], str)
             else f"{name} = {run.factors[name]}"
             for name in QUOTED_FACTORS if name in run.factors and re.search(rf"\b{name}\b", text)]
    return Diagnosis(diagnosis.id, diagnosis.source, {**diagnosis.values, "values": ", ".join(shown)})


def _exceptions(runs: list[Run], source: str = "") -> list[tuple[Diagnosis, list[Run]]]:
    groups: dict[str, list[Run]] = {}
    found: dict[str, Diagnosis] = {}
    for run in runs:
        verdict = run.verdict
        diagnosis = (verdict.diagnosis if verdict and verdict.diagnosis and verdict.diagnosis.source == "exception"
                     else None)
        if diagnosis is None and run.raised is not None:  # an UnboundLocalError, read with the learner's code
            diagnosis = unbound_reading(run.raised, source)
        if run.raised is None or diagnosis is None:
            continue
        groups.setdefault(diagnosis.id, []).append(run)
        found.setdefault(diagnosis.id, diagnosis)
    out = []
    for key, group in groups.items():
        diagnosis = found[key]
        if diagnosis.id in ("own_assert", "own_raise"):
            diagnosis = _with_quoted_values(diagnosis, group[0])
        out.append((diagnosis, group))
    return out


def _mistakes(runs: list[Run], every: Sequence[Run], skip: frozenset[str] = frozenset()
              ) -> list[tuple[Diagnosis, list[Run]]]:
    out, taken = [], set()
    counts: dict[str, int] = {}
    for run in runs:
        for mistake in run.matches or ((run.matched,) if run.matched else ()):
            if mistake not in skip:
                counts[mistake] = counts.get(mistake, 0) + 1
    for mistake in sorted(counts, key=lambda m: -counts[m]):
        if any(run.passed and mistake in run.shown_mistakes for run in every):
            continue  # it would have shown on a run that passed: not this mistake
        matched = [run for run in runs if mistake in (run.matches or (run.matched,)) and run.id not in taken]
        if not matched:
            continue
        taken |= {run.id for run in matched}
        out.append((Diagnosis(mistake, "mistake"), matched))
    return out


def _undone(function: str, names: Sequence[str], left: list[Run], explained: list[Run], undo) -> list[Run]:
    """The failing runs that one cause explains once it is undone on their outputs (correct for it, and look
    at what still fails): right then. (A run on which a mistake named before shows is not among ``left``: see
    :func:`_explain_own`; so "that mistake, once undone" never comes up.)"""
    found, ids = [], {run.id for run in explained}
    for run in left:
        if run.id in ids:
            continue
        corrected = undo(run)
        if corrected is not None and outputs_difference(function, names, run.expected, corrected,
                                                        run.tolerance) is None:
            found.append(run)
    return found


def _pattern(function: str, names: Sequence[str], runs: list[Run]) -> tuple[Diagnosis, list[Run], dict] | None:
    """The pattern of the wrong values seen on the most failing runs: (its reading on the first, the runs,
    {run id: its reading there})."""
    found: dict[str, tuple[Diagnosis, list[Run], dict]] = {}
    for run in runs:
        if run.verdict is None or run.verdict.difference is None or run.raised is not None:
            continue
        diagnosis = explain_output(function, names, run.expected, run.got, run.verdict.difference, run.facts)
        if diagnosis and diagnosis.id in CASE_PATTERNS:
            entry = found.setdefault(diagnosis.id, (diagnosis, [], {}))
            entry[1].append(run)
            entry[2][run.id] = diagnosis
    if not found:
        return None
    return max(found.values(), key=lambda item: len(item[1]))


def _fact(runs: Sequence[Run], failing: list[Run]) -> tuple[Diagnosis, list[Run]] | None:
    root = next((run for run in runs if run.kind == "probe" and run.parent is None), None)
    if root is not None and not root.passed and root in failing:
        return Diagnosis("simplest_probe_fails", "probe", {"described": root.description}), failing
    return None


def explain_own(function: str, names: Sequence[str], runs: Sequence[Run], source: str = "",
                ruled_out: frozenset[str] = frozenset()) -> Finding:
    """The function's own causes, on ``runs`` (its helpers' answers are right, or it calls none); ``source`` is
    the learner's code, read for what an exception alone cannot tell; ``ruled_out``: catalogued mistakes never
    named (see :func:`_ruled_out`).

    A catalogued mistake matched on some runs, but not on others where it shows, may match by coincidence
    (the bias counted twice is the bias counted per element of a 1 x 1 x 2 slice): the reading without it is
    taken instead when it explains more of the failing runs, or as many with fewer causes."""
    first = _explain_own(function, names, runs, source, ruled_out)
    failing = [run for run in runs if not run.passed]

    def partly(finding: Finding) -> frozenset[str]:
        """The mistakes ``finding`` names that show on a failing run where they are not matched."""
        return frozenset(d.id for d in finding.causes if d.source == "mistake" and any(
            d.id in run.shown_mistakes and d.id not in (run.matches or (run.matched,)) for run in failing))

    def score(finding: Finding) -> tuple[int, int]:
        """(failing runs it leaves unexplained, causes it names): a run on which two named mistakes show at
        once counts as explained by them; a claim of several factors counts one cause per factor."""
        mistakes = {d.id for d in finding.causes if d.source == "mistake"}
        shown = {run.id for group in finding.exhibits for run in group}
        left = sum(run.id not in shown and len(run.shown_mistakes & mistakes) < 2 for run in failing)
        return left, sum(len(d.values.get("factors") or [0]) for d in finding.causes)

    def matched(m: str) -> list[Run]:
        return [run for run in failing if m in (run.matches or (run.matched,))]

    def error_kind(run: Run) -> str | None:
        """The reading of the error a run raised, also where a mistake's fingerprint matched it."""
        found = explain_raised(function, run.raised) if run.raised is not None else None
        return found.id if found is not None else None

    def coincidental(finding: Finding) -> frozenset[str]:
        """The mistakes ``finding`` names that match by coincidence, never causes to name."""
        part = partly(finding)
        # matched on probes alone, none of the failing cases (where it shows too): a coincidence of a probe's small
        # inputs (a garbage output that equals the bias-less one on a 1 x 1 input)
        found = {m for m in part if not any(run.is_case for run in matched(m))}
        # values that match on probes alone, and on the cases only the error they raised: neither is the mistake's
        # own doing (a window one row short raises at the border what windows cut from A_prev raise)
        found |= {m for m in part if not any(run.is_case and run.raised is None for run in matched(m))
                  and any(not run.is_case and run.raised is None for run in matched(m))}
        # matched only where the function raised (the same error message), and either not where it shows and the
        # function returned values, or the same kind of error came on a run it cannot explain (there it computes
        # the right values): the same error from another bug (a window one column short raises what padding every
        # axis raises)
        for m in {d.id for d in finding.causes if d.source == "mistake"}:
            if not all(run.raised is not None for run in matched(m)):
                continue
            kinds = {error_kind(run) for run in matched(m)} - {None}
            if any(m in run.shown_mistakes and run.raised is None and m not in (run.matches or (run.matched,))
                   for run in failing) or any(m not in run.shown_mistakes and error_kind(run) in kinds
                                              for run in failing):
                found.add(m)
        return frozenset(found)

    def without(skip: frozenset[str]) -> Finding:
        """The reading without the mistakes of ``skip``, and without every mistake named in their place that is a
        coincidence too."""
        while True:
            found = _explain_own(function, names, runs, source, skip)
            more = coincidental(found) - skip
            if not more:
                return found
            skip |= more

    coincidences = coincidental(first)
    if coincidences:  # even where the reading with them explains every failing run
        return without(coincidences | ruled_out)
    partial = partly(first)
    if not partial or score(first)[0] == 0:
        return first
    other = without(partial | ruled_out)
    # only for causes that the outputs themselves prove (a mistake's fingerprint, the bias, a factor): a claim
    # about factors or a pattern does not displace a catalogued mistake written another way on some runs
    proven = all(d.source in ("mistake", "exception") or d.id in TRIED for d in other.causes)
    return other if proven and score(other) < score(first) else first


def _explain_own(function: str, names: Sequence[str], runs: Sequence[Run], source: str,
                 skip: frozenset[str]) -> Finding:
    failing = [run for run in runs if not run.passed]
    finding = Finding([])
    left = list(failing)

    def take(diagnosis: Diagnosis, explained: list[Run]) -> None:
        ids = {run.id for run in explained}
        finding.causes.append(diagnosis)
        finding.exhibits.append(explained)
        left[:] = [run for run in left if run.id not in ids]

    _whole_shape(function, names, runs, failing, skip, finding, take, left)
    read: dict[str, tuple[Diagnosis, list[Run], dict[str, Diagnosis]]] = {}
    for diagnosis, group in _exceptions(left, source):
        diagnosis = _beyond_f(_refined(diagnosis, group, source), group, runs)
        per_run = (unpadded_windows(diagnosis, group) or tiled_windows(diagnosis, group)
                   or padded_axes(diagnosis, group) or einsum_channel_letters(diagnosis, group) or {})
        if per_run:
            diagnosis = per_run[group[0].id]
        if diagnosis.id in read:  # one cause read from two messages (an array too long here, too short there)
            read[diagnosis.id][1].extend(group)
            read[diagnosis.id][2].update(per_run)
        else:
            read[diagnosis.id] = (diagnosis, list(group), dict(per_run))
    _stale_state(read)
    if function.endswith("backward"):  # its advice is a gradient's size: a forward pass's is size_rounded_up
        _remainder_raised(read, runs)
    for diagnosis, group, per_run in read.values():
        when = _error_condition(runs, group) if diagnosis.id not in OWN_CONDITION else None
        # the narrow fact that goes with it: on which cases it is raised, and on which not
        when_values = ({} if when is None
                       else {"when": {key: when.values[key] for key in WHEN_KEYS if key in when.values}})
        diagnosis = Diagnosis(diagnosis.id, diagnosis.source, {**diagnosis.values, **when_values})
        if per_run:  # read run by run: each case shown with its own sizes
            finding.readings[len(finding.causes)] = {
                key: Diagnosis(reading.id, reading.source, {**reading.values, **when_values})
                for key, reading in per_run.items()}
            diagnosis = finding.readings[len(finding.causes)][group[0].id]
        take(diagnosis, group)
    named_mistakes = []
    for diagnosis, group in _mistakes(left, runs, skip):
        take(diagnosis, group)
        named_mistakes.append(diagnosis.id)
    # A run on which a named mistake shows, but whose output is not that mistake's, has that mistake and
    # something else, or the same mistake written another way: no evidence of a cause of its own.
    left[:] = [run for run in left if not run.shown_mistakes & set(named_mistakes)]
    _silent_remainder(finding, left, runs)
    for finder in (bias_offset, constant_factor):
        if left:
            found = finder(function, names, left)
            if found:
                diagnosis, explained, undo = found
                explained = explained + _undone(function, names, left, explained, undo)
                finding.readings[len(finding.causes)] = factor_readings(diagnosis, explained)
                take(diagnosis, explained)
    if left:
        found = remainder_rows(function, names, left)
        if found:
            finding.readings[len(finding.causes)] = found[2]
            take(found[0], found[1])
    if left:
        found = _pattern(function, names, left)
        if found and len(found[1]) == len(left):  # one pattern on every failing run: the most specific claim
            finding.readings[len(finding.causes)] = found[2]
            take(found[0], found[1])
    if left:
        explained_ids = {run.id for group in finding.exhibits for run in group}
        rest = [run for run in runs if run.id not in explained_ids]
        diagnosis = factor_diagnosis(rest)
        if diagnosis:
            if any(_same_condition(diagnosis, cause) for cause in finding.causes):
                # no cause of its own: the runs left fail under the very condition that an error above comes
                # under (pad above 0), without raising it; said as that, to look at again once it is fixed
                diagnosis = Diagnosis("same_condition", "probe", {
                    key: diagnosis.values[key] for key in WHEN_KEYS if key in diagnosis.values})
            elif finding.causes:
                diagnosis = Diagnosis(diagnosis.id, diagnosis.source, {**diagnosis.values, "on_the_rest": True})
            take(diagnosis, [run for run in left])
    if left:
        found = _pattern(function, names, left)
        # the runs a pattern can be read on: values returned, and an output that differs in more than one entry
        readable = [run for run in left if run.raised is None and not run.missed and any(
            isinstance(e, np.ndarray) and e.size > 1  # a cache's tuple is not read here, nor sized (2803d17)
            for _, e, _ in differing(function, names, run.expected, run.got, run.tolerance))]
        if found and (found[0].id not in GUESSED_PATTERNS or len(found[1]) == len(readable)):
            finding.readings[len(finding.causes)] = found[2]
            take(found[0], found[1])
    if left and not finding.causes:
        found = _fact(runs, left)
        if found:
            take(*found)
    _fixes_all(finding, failing)
    return finding


def _whole_shape(function: str, names: Sequence[str], runs: Sequence[Run], failing: list[Run],
                 skip: frozenset[str], finding: Finding, take, left: list[Run]) -> None:
    """An output size that follows another formula, or an output with its batch or channel axes padded, read on
    every failing run (:mod:`.sizes`): one cause for all of them, unless a catalogued mistake matches on every
    failing run (its own words are then the more specific)."""
    if not failing:
        return
    common = set.intersection(*(set(run.matches or (run.matched,)) for run in failing)) - {None} - set(skip)
    if common:
        return
    sized = size_formula(function, names, runs)
    if sized is not None:
        diagnosis, shown, explained, readings = sized
        finding.readings[len(finding.causes)] = readings
        take(diagnosis, shown)
        ids = {run.id for run in explained}
        left[:] = [run for run in left if run.id not in ids]
        return
    padded = padded_output_axes(function, names, runs)
    if padded is not None:
        finding.readings[len(finding.causes)] = padded[2]
        take(padded[0], padded[1])


def called_helpers(function: str, runs: Sequence[Run], helpers: Mapping[str, Verdict]) -> list[str]:
    """The failing helpers ``function`` really calls: traced on a failing run, or the error was raised in them."""
    called: set[str] = set()
    for run in runs:
        if run.passed:
            continue
        called |= set(run.traced)
        if run.raised is not None and run.raised.where and run.raised.where != function:
            called.add(run.raised.where)
    return [name for name, verdict in helpers.items() if name in called and name != function and not verdict.passed]


def explain(function: str, names: Sequence[str], runs: Sequence[Run], helpers: Mapping[str, Verdict] | None = None,
            rerun: Sequence[Run] | None = None, mistake_cells: Mapping[str, str] | None = None,
            source: str = "") -> Finding:
    """The causes of ``function``'s failures on ``runs`` (see the module's docstring).

    ``helpers``: the verdicts of the assignment's other graded functions, in notebook order; ``rerun``: the
    same runs with correct answers in place of the failing helpers ``function`` calls (None: not run);
    ``mistake_cells``: the function whose cell each catalogued mistake is made in."""
    blamed = called_helpers(function, runs, helpers or {})
    if not blamed:
        return explain_own(function, names, runs, source,
                           _ruled_out(function, runs, helpers or {}, mistake_cells or {}))
    failing = [run for run in runs if not run.passed]
    causes = [cause for name in blamed for cause in helpers[name].causes()]
    helper = Diagnosis("helper_fails", "helper", {"helper": blamed[0], "helpers": blamed,
                                                  **({"causes": causes} if causes else {})})
    shows = [run for run in failing if set(run.traced) & set(blamed)
             or (run.raised is not None and run.raised.where in blamed)]
    finding = Finding([helper], [shows or failing])
    if rerun:
        if all(run.passed and not run.missed for run in rerun):
            finding.causes.append(Diagnosis("own_code_right", "helper", {"helpers": blamed, "own_code_right": True}))
            finding.exhibits.append([])
            return finding
        own = explain_own(function, names, rerun, source)
        if own.causes:
            finding.causes += [_own(diagnosis, blamed) for diagnosis in own.causes]
            finding.exhibits += [[] for _ in own.causes]
        else:
            finding.causes.append(Diagnosis("own_code_wrong", "helper", {"helpers": blamed}))
            finding.exhibits.append([])
        return finding
    cells = mistake_cells or {}
    if failing and all(any(cells.get(m) in blamed for m in (run.matches or (run.matched,)) if m) for run in failing) \
            and not any(
            run.passed and run.shown_mistakes & {m for m, cell in cells.items() if cell in blamed} for run in runs):
        finding.causes.append(Diagnosis("own_code_right", "helper", {"helpers": blamed, "own_code_right": True}))
        finding.exhibits.append([])
    return finding


def _ruled_out(function: str, runs: Sequence[Run], helpers: Mapping[str, Verdict],
               mistake_cells: Mapping[str, str]) -> frozenset[str]:
    """The catalogued mistakes made in another graded function's cell that ``function`` calls (traced on a run)
    and that passes its own cases: the learner's helper is right, so its mistake cannot be this function's cause,
    whatever the outputs look like (``* f`` after a right distribute_value gives what dz / f in it would)."""
    called = {name for run in runs for name in run.traced}
    return frozenset(mistake for mistake, cell in mistake_cells.items()
                     if cell != function and cell in called and cell in helpers and helpers[cell].passed)


def _own(diagnosis: Diagnosis, helpers: list[str]) -> Diagnosis:
    """A cause found with correct helper answers in: it is the function's own (the words say so)."""
    return Diagnosis(diagnosis.id, diagnosis.source, {**diagnosis.values, "with_helpers": True,
                                                      "helpers_used": list(helpers)})


# causes whose fix is tried on the outputs themselves
TRIED = ("mistake", "off_by_factor", "bias_counted", "bias_missing")


def _fixes_all(finding: Finding, failing: list[Run]) -> None:
    """Mark the one cause that explains every failing run, if its fix is one tried on the outputs (undoing
    the catalogued mistake, removing the factor, adding the bias once): then the fix makes every case pass."""
    for index, diagnosis in enumerate(finding.causes):
        values = {k: v for k, v in diagnosis.values.items() if k != "fixes_all"}
        kind = "mistake" if diagnosis.source == "mistake" else diagnosis.id
        if len(finding.causes) == 1 and kind in TRIED and \
                {run.id for run in finding.exhibits[index]} >= {run.id for run in failing}:
            values["fixes_all"] = True
        finding.causes[index] = Diagnosis(diagnosis.id, diagnosis.source, values)


def tried_fix(function: str, names: Sequence[str], first: Diagnosis, edit, finding: Finding, again: Sequence[Run],
              helpers: Mapping[str, Verdict] | None, mistake_cells: Mapping[str, str] | None,
              source: str = "") -> Finding | None:
    """The finding once ``edit`` (a mechanical fix of the first cause, an exception) was tried: ``again`` are
    the runs of the function with it. None if the fix did not end that exception."""
    if all(run.passed for run in again):
        fixed = Diagnosis(first.id, first.source, {**first.values, "tried": "passes", "new": edit.shown})
        return Finding([fixed], finding.exhibits[:1])
    if any(run.raised is not None and run.verdict is not None and run.verdict.diagnosis is not None
           and run.verdict.diagnosis.id == first.id for run in again):
        return None
    rest = explain(function, names, again, helpers, None, mistake_cells, source)
    if first.id == "own_assert":
        # the learner's check of a computed shape, taken out: what still fails without it is what it caught (the
        # check is right); said as those causes, each introduced by the check that stopped the function first
        if not rest.causes or any(d.id in ("simplest_probe_fails", "own_code_wrong") for d in rest.causes):
            return None
        line = first.values.get("line") or first.values.get("condition") or edit.line
        caught = [Diagnosis(d.id, d.source, {**d.values, "caught_by": line}) if index == 0 else d
                  for index, d in enumerate(rest.causes)]
        return Finding(caught, rest.exhibits, dict(rest.readings))
    fixed = Diagnosis(first.id, first.source, {**first.values, "tried": "error_gone", "new": edit.shown})
    return Finding([fixed, *rest.causes], finding.exhibits[:1] + rest.exhibits)



def edit_fixed(cause: str, edit, again: Sequence[Run], runs: Sequence[Run], **values) -> Finding | None:
    """The finding once ``edit``, a mechanical change of the learner's code read as ``cause``, was tried:
    ``again`` are the function's runs with it (every case and probe). Only when it then passes them all is that
    the cause, said with the change that was tried; else None, and nothing is said of it. The causes tried
    (:mod:`.edits`): ``scatter_without_add_at``, a fancy-indexed ``x[index] += value`` made
    ``np.add.at(x, index, value)`` (the += kept one share where the index names an entry twice);
    ``mode_misspelled``, ``mode == "word"`` with a word the function is never called with, made the mode the
    failing runs have (that branch never ran)."""
    if not again or not all(run.passed and not run.missed for run in again):
        return None
    failing = [run for run in runs if not run.passed]
    return Finding([Diagnosis(cause, "probe", {
        "line": edit.line, "new": edit.shown, "where": edit.where, "tried": "passes", **values})], [failing])
