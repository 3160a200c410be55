"""Verdicts into words, in the reader's language: the only place that does it.

A :class:`Renderer` holds a language and the hints of the catalogued mistakes
it may meet (``{mistake id: {language: hint}}``, from a case file or a grading
plan). It renders a :class:`~autograder.verdict.Verdict` as lines of text
(headline, what differs, further findings, the hint), as plain text, or as an
HTML box for a notebook.
"""
from __future__ import annotations

import html
from typing import Any, Callable, Mapping

from .messages import Words
from .verdict import Diagnosis, Difference, Note, Outcome, Place, Raised, Shown, Stop, Verdict


# Diagnoses that are not a thing to fix, but what was found besides (the rest of the function is right).
NOTES = ("own_code_right",)


def number(value: Any) -> str:
    """A number as a learner reads it: floats to 10 significant digits."""
    if isinstance(value, float):
        return f"{value:.10g}"
    return repr(value)


def duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def share(fraction: float) -> str:
    return f"{fraction:.0%}"


def percent(fraction: float) -> str:
    return f"{fraction:.1%}"


class Renderer:
    def __init__(self, language: str, hints: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.say = Words(language)
        self.language = self.say.language
        self.hints = hints or {}

    # -- pieces ------------------------------------------------------------------------------------------
    def place(self, place: Place) -> str:
        if place.kind == "training":  # a trained model's digits: place.id says which
            return self.say("digits_place", which=self.say(f"which_{place.id}"))
        if place.kind == "speed" and not place.hidden:  # the one public timing case (autograder/timing.py)
            label = self.say("visible_timing")
        elif place.kind == "speed":
            label = self.say("case", kind=self.say("timing"), position=place.position, count=place.count)
        elif not place.hidden and place.count == 1:
            label = self.say("example")
        else:
            label = self.say("case", kind=self.say("hidden" if place.hidden else "visible"),
                             position=place.position, count=place.count)
        description = place.description + (self.say("gradient_case") if place.kind == "gradient" else "")
        return self.say("place", label=label, description=description)

    def shown(self, shown: Shown | None) -> str:
        if shown is None:
            return "?"
        if shown.kind == "array":
            return self.say("shown_array", shape=_shape(shown.shape))
        if shown.kind == "none":
            return self.say("shown_none")
        if shown.kind in ("tuple", "list"):
            return self.say(f"shown_{shown.kind}", length=shown.length)
        if shown.kind == "dict":
            return self.say("shown_dict")
        if shown.kind == "number":
            return self.say("shown_number", number=number(shown.number))
        return self.say("shown_other", type=shown.type)

    def difference(self, d: Difference) -> str:
        e, g = d.expected or Shown("other"), d.got or Shown("other")
        values: dict[str, Any] = {"name": d.name}
        if d.what == "not_array":
            values.update(shape=_shape(e.shape), got=self.shown(g))
        elif d.what == "wrong_shape":
            values.update(got=_shape(g.shape), expected=_shape(e.shape))
        elif d.what == "not_numbers":
            values.update(dtype=g.dtype if g.kind == "array" else g.type)
        elif d.what == "not_boolean":
            values.update(index=_shape(d.index), got=number(g.number))
        elif d.what == "wrong_value":
            values.update(expected=_value(e), got=_value(g))
        elif d.what == "wrong_entries":
            values.update(wrong=d.wrong, size=d.size, index=_shape(d.index), expected=number(e.number),
                          got=number(g.number))
        elif d.what in ("not_number", "not_tuple", "not_dict"):
            values.update(got=self.shown(g), count=e.length, keys=", ".join(repr(k) for k in e.keys or ()))
        elif d.what == "wrong_length":
            values.update(count=e.length, got=g.length)
        elif d.what == "missing_key":
            values.update(key=d.key)
        elif d.what == "too_large":
            values.update(mib=f"{(d.size or 0) / 2**20:.0f}")
        elif d.what == "wrong_count":
            got = (self.say("shown_values", count=g.length) if g.kind in ("tuple", "list")
                   else self.say("shown_one", type=g.type or g.kind))
            return self.say("wrong_count", function=d.name, count=e.length, names=", ".join(e.keys or ()), got=got)
        return self.say(d.what, **values)

    def raised(self, raised: Raised) -> str:
        where = self.say("raised_at", line=raised.line.strip()) if raised.line else ""
        return self.say("raised", text=raised.text, where=where)

    def stop(self, stop: Stop) -> str:
        values = {"seconds": f"{stop.seconds:g}" if stop.seconds is not None else "?",
                  "limit_mib": stop.limit_mib, "used_mib": stop.used_mib, "status": stop.status}
        return self.say(f"stop_{stop.reason}", **values)

    def cell(self, cell: Mapping[str, Any]) -> str:
        """A notebook cell as the learner finds it: by its grade id, or by its place when they added it."""
        return self.say(f"cell.{cell.get('kind', 'solution')}", grade_id=cell.get("grade_id"),
                        number=cell.get("number"))

    def note(self, note: Note) -> str:
        values = dict(note.values)
        if isinstance(values.get("cell"), Mapping):
            values["cell"] = self.cell(values["cell"])
        if isinstance(values.get("stop"), Mapping):
            values["reason"] = self.stop(Stop(**values.pop("stop")))
        return self.say(note.key, **values)

    def diagnosis(self, diagnosis: Diagnosis, function: str) -> str | None:
        """The words of a diagnosis: a catalogued mistake's hint, or the catalogue's entry for it."""
        if diagnosis.source == "mistake":
            hints = self.hints.get(diagnosis.id, {})
            text = hints.get(self.language) or hints.get("en")
        else:
            key = f"diagnosis.{diagnosis.id}"
            if not self.say.has(key):
                return None
            values = {"function": function, **diagnosis.values}
            extra = _DIAGNOSIS_VALUES.get(diagnosis.id)
            if extra:
                values.update(extra(self, values))
            text = self.say(key, **values)
        when = diagnosis.values.get("when")
        if text and isinstance(when, Mapping) and when.get("factors"):
            text = self.say("diagnosis.raised_when", text=text, when_right=_conditions(self, dict(when), "right"),
                            when_wrong=_conditions(self, dict(when), "wrong"), failed=when.get("failed", "?"),
                            of=when.get("of", "?"))
        if text and diagnosis.values.get("fixes_all"):
            kind = {"off_by_factor": "_factor", "bias_counted": "_bias", "bias_missing": "_bias"}.get(diagnosis.id, "")
            text = self.say(f"diagnosis.fixes_all{kind}", text=text)
        if text and diagnosis.values.get("caught_by"):
            text = self.say("diagnosis.caught_by", line=str(diagnosis.values["caught_by"]).strip(), text=text)
        if text and diagnosis.values.get("with_helpers"):
            text = self.say("diagnosis.with_helpers", function=function,
                            helpers=", ".join(diagnosis.values.get("helpers_used", ()) or ("?",)), text=text)
        return text

    # -- a verdict -----------------------------------------------------------------------------------------
    def headline(self, v: Verdict) -> str:
        place = self.place(v.place) if v.place else ""
        if v.outcome is Outcome.PASSED:
            return ""
        if v.outcome is Outcome.NOT_WRITTEN:
            return self.say("not_written", function=v.function)
        if v.outcome is Outcome.MISSING:
            text = self.say("missing", function=v.function)
            why = v.cell_error.text if v.cell_error else self.stop(v.stop) if v.stop else None
            if why:
                text = self.say("cell_failed", grade_id=v.function, error=why) + " " + text
            return text
        if v.outcome is Outcome.NOT_GRADED:
            return self.say("not_graded", function=v.function)
        if v.outcome is Outcome.DID_NOT_FINISH:
            return self.say("stopped", function=v.function, place=place,
                            reason=self.stop(v.stop) if v.stop else "?")
        if v.outcome is Outcome.TOO_SLOW and v.timing:
            t = v.timing
            return self.say("too_slow", function=v.function, place=place, took=duration(t.took),
                            allowed=duration(t.allowed), factor=f"{t.factor:g}",
                            calibration=duration(t.allowed / t.factor),
                            shape=f"{t.calibration[0]} x {t.calibration[1]}")
        if v.outcome is Outcome.WRONG_WHEN_TIMED:
            return self.say("wrong_when_timed", function=v.function, place=place)
        if v.outcome is Outcome.NOT_ACCURATE and v.accuracy:
            a = v.accuracy
            return self.say("not_accurate", function=v.function, accuracy=percent(a.accuracy), count=a.count,
                            which=self.say(f"which_{a.which}"), needed=share(a.needed))
        return self.say("not_right", function=v.function, place=place)

    def problem(self, v: Verdict) -> str | None:
        if v.difference:
            return self.difference(v.difference)
        if v.raised and v.outcome is not Outcome.NOT_WRITTEN:
            return self.raised(v.raised)
        return None

    def hint(self, v: Verdict) -> str | None:
        """The causes in words: one, or several in the order to fix them."""
        if not v.diagnosis:
            return None
        causes = [d for d in (v.diagnosis, *v.more) if d.id not in NOTES]
        notes = [d for d in (v.diagnosis, *v.more) if d.id in NOTES]
        texts = [text for text in (self.diagnosis(d, v.function) for d in causes) if text]
        said = [text for text in (self.diagnosis(d, v.function) for d in notes) if text]
        if len(texts) > 1:
            items = " ".join(self.say("hint_item", number=number, text=text) for number, text in enumerate(texts, 1))
            errors = [d for d in causes if d.source == "exception"]
            lines = {d.values.get("line") for d in errors}
            if len(errors) > 1 and len(lines) == 1 and None not in lines \
                    and all(d.source == "exception" or d.id == "same_condition" for d in causes):
                # errors of one line, each on cases of its own (and the runs left to look at again once they are
                # fixed): not said to be as many things to fix
                texts = [self.say("hint_one_line", count=len(texts), line=lines.pop(), items=items)]
            else:
                texts = [self.say("hint_many", count=len(texts), items=items)]
        return self.say("sentences_joined").join(texts + said) or None

    def lines(self, v: Verdict) -> list[str]:
        """Headline, what differs, what was found besides, and the hint (with its label)."""
        lines = [line for line in (self.headline(v), self.problem(v)) if line]
        for other in v.also:
            lines.append(self.also(v, other))
        hint = self.hint(v)
        if hint:
            lines.append(self.say("hint", hint=hint))
        return lines

    def also(self, v: Verdict, other: Verdict) -> str:
        """A second verdict on the same function, judged with the reference's helpers in place of the learner's."""
        helpers = ", ".join(v.diagnosis.values.get("helpers", ())) if v.diagnosis else ""
        if other.passed:
            return self.say("with_reference_helpers_pass", helpers=helpers, function=v.function)
        problem = " ".join(filter(None, [self.problem(other), self.hint(other)]))
        return self.say("with_reference_helpers_fail", helpers=helpers, function=v.function,
                        problem=problem or self.headline(other))

    def text(self, v: Verdict) -> str:
        return "\n".join(self.lines(v))

    def message(self, v: Verdict) -> str:
        """Everything but the hint: what report.json calls the message."""
        return "\n".join([line for line in (self.headline(v), self.problem(v)) if line]
                         + [self.also(v, other) for other in v.also])

    def html(self, v: Verdict) -> str:
        """A box for a notebook: headline, what differs, the hint set apart."""
        parts = [f"<p style='margin:0 0 .4em 0'><b>{html.escape(self.headline(v))}</b></p>"]
        for line in [self.problem(v), *[self.also(v, other) for other in v.also]]:
            if line:
                parts.append(f"<p style='margin:0 0 .4em 0'>{html.escape(line)}</p>")
        hint = self.hint(v)
        if hint:
            parts.append("<p style='margin:.4em 0 0 0;padding:.4em .6em;background:#fff6d6;"
                         f"border-left:4px solid #e0b000'><b>{html.escape(self.say('hint_label'))}</b> "
                         f"{html.escape(hint)}</p>")
        return ("<div class='autograder-check-failed' style='border:1px solid #d9534f;border-left:6px solid "
                "#d9534f;border-radius:4px;padding:.6em .8em;margin:.3em 0;background:#fdf2f2;color:#222;"
                "font-family:system-ui,sans-serif;font-size:.95em'>" + "".join(parts) + "</div>")

    def passed(self, function: str, count: int, hidden: bool) -> str:
        kind = self.say("hidden" if hidden else "visible")
        return self.say("passed_one" if count == 1 else "passed_many", function=function, count=count, kind=kind)


def _shape(shape: Any) -> str:
    return str(tuple(shape)) if shape is not None else "?"


def _value(shown: Shown) -> str:
    return number(shown.number) if shown.kind == "number" else repr(shown.type or shown.kind)


# -- diagnoses whose placeholders need words of their own ------------------------------------------------
def _conditions(r: Renderer, values: dict, side: str) -> str:
    """"with stride 1 and pad 0" (side "right") or "with a stride above 1 or with padding" (side "wrong")."""
    simple_breaks = set(values.get("simple_breaks", ()))
    factors = values.get("factors") or [values.get("factor")]
    parts = []
    kinds = values.get("kinds") or {}
    for factor in factors:
        if factor in kinds:  # one kind of the factor breaks it: "where windows overlap" / "where they do not"
            parts.append(r.say(f"when.{factor}.{'not_' if side == 'right' else ''}{kinds[factor]}"))
            continue
        simple = (side == "right") != (factor in simple_breaks)
        parts.append(r.say(f"when.{factor}.{'simple' if simple else 'other'}"))
    # broken when any condition holds: right when none does (and), wrong when one does (or); broken only when
    # all hold at once: right when one does not (or), wrong when all do (and)
    joined = ("and" if side == "right" else "or") if values.get("broken_when", "any") == "any" else \
        ("or" if side == "right" else "and")
    return r.say(f"when_joined_{joined}", first=", ".join(parts[:-1]), last=parts[-1]) if len(parts) > 1 else parts[0]


def _sentences(parts: list[str]) -> str:
    """Parts that each start as the rest of a sentence ("the window's size: ..."), the second and later ones
    made sentences of their own (a capital first letter: no change in a language without them)."""
    return " ".join([parts[0], *(part[:1].upper() + part[1:] for part in parts[1:])]) if parts else ""


def _factor_values(r: Renderer, values: dict) -> dict:
    factors = values.get("factors") or [values.get("factor")]
    return {"when_right": _conditions(r, values, "right"), "when_wrong": _conditions(r, values, "wrong"),
            "explanation": _sentences([r.say(f"look.{factor}_pool" if (factor, str(values.get("function", ""))[:4])
                                             == ("f", "pool") else f"look.{factor}") for factor in factors]),
            "on_the_rest": r.say("diagnosis.on_the_rest") if values.get("on_the_rest") else "",
            "passed": values.get("passed", "?"), "failed": values.get("failed", "?"), "of": values.get("of", "?")}


def _off_by_factor_values(r: Renderer, values: dict) -> dict:
    factor_text = number(values["factor"])
    named = [values["name"], *values.get("others", ())]
    name = r.say("names_joined", first=", ".join(named[:-1]), last=named[-1]) if len(named) > 1 else named[0]
    because = values.get("because")
    if because:
        quantity = r.say(f"quantity.{because}")
        key = "diagnosis.factor_named_up" if values.get("power", 1) > 0 else "diagnosis.factor_named_down"
        value = values.get("value")
        text = r.say(key, name=name, quantity=quantity,
                     on_this_case=r.say("diagnosis.factor_value", value=number(value)) if value is not None else "")
    else:
        candidates = [r.say(f"quantity.{c}") for c in values.get("candidates", ())]
        text = r.say("diagnosis.factor_unnamed", name=name, factor=factor_text,
                     candidates=r.say("diagnosis.factor_candidates", candidates="; ".join(candidates))
                     if candidates else "")
    return {"text": text}


def _helper_values(r: Renderer, values: dict) -> dict:
    helpers = values.get("helpers") or [values.get("helper")]
    causes = values.get("causes") or []
    why = r.say("diagnosis.helper_not_finished", helper=values["helper"]) if "not_written" in causes else ""
    return {"helpers": ", ".join(helpers), "why": why}


def _own_values(r: Renderer, values: dict) -> dict:
    return {"helpers": ", ".join(values.get("helpers") or ())}


def _quoted_values(r: Renderer, values: dict) -> dict:
    shown = values.get("values")
    message = values.get("message")
    return {"with_values": r.say("diagnosis.with_values", values=shown) if shown else "",
            "with_message": r.say("diagnosis.with_message", message=message) if message else "",
            "line": (values.get("line") or values.get("condition") or "...").strip()}


def _tried_fix_values(r: Renderer, values: dict) -> dict:
    """A mechanical fix: said to make every case pass only when it was tried and did."""
    new = values.get("new")
    if not new:
        return {"fix": r.say(f"diagnosis.{values.get('untried', 'item_fix')}", call=values.get("call", "float(...)"),
                             builtin=values.get("builtin", "float"))}
    tried = values.get("tried")
    key = {"passes": "fix_passes", "error_gone": "fix_error_gone"}.get(tried, "fix_untried")
    return {"fix": r.say(f"diagnosis.{key}", new=new.strip())}


def _edit_fix_values(r: Renderer, values: dict) -> dict:
    """A change of the learner's code that was tried: said with what the run showed; nothing when it was not
    tried or is left out (the class summary's general words)."""
    key = {"passes": "diagnosis.edit_fix_passes", "error_gone": "diagnosis.edit_fix_error_gone"}.get(
        values.get("tried"))
    return {"fix": r.say(key, new=str(values["new"]).strip()) if key and values.get("new") else ""}


def _loop_rename_values(r: Renderer, values: dict) -> dict:
    """A loop counter renamed, in its loop's line and body: said only when that was tried and every case passed."""
    if values.get("tried") != "passes" or not values.get("new"):
        return {"fix": ""}
    return {"fix": r.say("diagnosis.loop_rename_passes", new=str(values["new"]).strip(), name=values["name"],
                         renamed=values["renamed"])}


def _copied_argument_values(r: Renderer, values: dict) -> dict:
    """A helper handed a copy of its argument: said only when that was tried and every case passed."""
    if values.get("tried") != "passes" or not values.get("new"):
        return {"fix": ""}
    return {"fix": r.say("diagnosis.copied_argument_passes", new=str(values["new"]).strip(), where=values["where"],
                         helper=values["helper"], parameter=values["parameter"])}


def _constant_offset_values(r: Renderer, values: dict) -> dict:
    return {"offset": number(values["offset"]),
            "per_channel": r.say("diagnosis.per_channel") if values.get("per_channel") else ""}


def _misplaced_values(r: Renderer, values: dict) -> dict:
    if "axes" in values:
        how = r.say("diagnosis.axes_swapped", axes=" / ".join(str(a) for a in values["axes"]))
    elif "axis" in values:
        how = r.say("diagnosis.axis_flipped", axis=values["axis"])
    else:
        how = r.say("diagnosis.reordered")
    return {"how": how}


def _training_raised_values(r: Renderer, values: dict) -> dict:
    line = values.get("line")
    return {"where": r.say("raised_at", line=line.strip()) if line else ""}


def _bad_parameters_values(r: Renderer, values: dict) -> dict:
    problem = values["problem"]
    detail = dict(problem)
    kind = detail.pop("kind")
    if "got" in detail:
        detail["got"] = r.shown(Shown(**detail["got"]))
    return {"problem": r.say(f"bad_parameters.{kind}", **detail)}


def _size_values(r: Renderer, values: dict) -> dict:
    raised = values.get("raised") or 0
    return {"also_raised": r.say("diagnosis.size_also_raised", raised=raised) if raised else ""}


def _padded_axes_values(r: Renderer, values: dict) -> dict:
    join = r.say("axis_list_join")
    return {"axes": join.join(r.say(f"axis_name.{axis}") for axis in values["axes"]),
            "counts": join.join(f"{padded} = {size} + 2 * pad"  # a formula: the same in every language
                                for padded, size in zip(values["padded"], values["sizes"]))}


def _shapes_values(r: Renderer, values: dict) -> dict:
    return {"shapes": " / ".join(values.get("shapes", ()))}


def _broadcast_values(r: Renderer, values: dict) -> dict:
    """Why two shapes do not broadcast: other sizes along some axes (``sizes_differ``, read from the shapes by
    :func:`autograder.diagnosis.exceptions.sizes_differ`), or else an axis misplaced or missing."""
    count = values.get("sizes_differ")
    why = r.say("broadcast_why.sizes", count=count) if count else r.say("broadcast_why.axes")
    return {**_shapes_values(r, values), "why": why}


def _reshaped_values(r: Renderer, values: dict) -> dict:
    return {key: _shape(values[key]) for key in ("got", "expected") if key in values}


_DIAGNOSIS_VALUES: dict[str, Callable[[Renderer, dict], dict]] = {
    "factor": _factor_values,
    "off_by_factor": _off_by_factor_values,
    "constant_offset": _constant_offset_values,
    "values_misplaced": _misplaced_values,
    "training_raised": _training_raised_values,
    "bad_parameters": _bad_parameters_values,
    "broadcast_short_slice": _shapes_values,
    "broadcast_mismatch": _broadcast_values,
    "slice_too_short": _shapes_values,
    "einsum_shapes": _shapes_values,
    "same_condition": lambda r, values: {"when_wrong": _conditions(r, values, "wrong"),
                                         "when_right": _conditions(r, values, "right")},
    "axis_padded": lambda r, values: {"axis": r.say(f"axis_name.{values['axis']}")},
    "size_rounded_up": lambda r, values: _size_values(r, values),
    "size_f_stride_swapped": lambda r, values: _size_values(r, values),
    "output_axes_padded": lambda r, values: _padded_axes_values(r, values),
    "reshaped": _reshaped_values,
    "number_for_array": lambda r, values: {"shape": _shape(values["shape"])},
    "number_for_mask": lambda r, values: {"shape": _shape(values["shape"])},
    "some_gradients": lambda r, values: {key: ", ".join(values[key]) for key in ("right", "wrong")},
    "gradient_keys": lambda r, values: {"keys": ", ".join(values["keys"])},
    "transposed_shape": _reshaped_values,
    "axis_not_summed": _reshaped_values,
    "helper_fails": _helper_values,
    "own_code_right": _own_values,
    "own_code_wrong": _own_values,
    "own_assert": _quoted_values,
    "own_raise": _quoted_values,
    "einsum_channel_letters": _edit_fix_values,
    "scatter_without_add_at": _edit_fix_values,
    "mode_misspelled": _edit_fix_values,
    "loop_name_reused": _loop_rename_values,
    "helper_writes_its_input": _copied_argument_values,
    "floor_division": _edit_fix_values,
    "minus_one_extra": _edit_fix_values,
    "division_precedence": _edit_fix_values,
    "strides_of_another_array": _edit_fix_values,
    "strides_assume_contiguous": _edit_fix_values,
    "numpy2_scalar_conversion": _tried_fix_values,
    "numpy_alias_removed": _tried_fix_values,
}
