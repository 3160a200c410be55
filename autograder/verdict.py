"""A check's verdict as data: what one graded function did on one case, and why.

The judge (:mod:`autograder.judge`) and the class grader make verdicts; nothing
makes sentences until a person reads one. A verdict is rendered into words at
the edge (the notebook's check cell, the feedback, the report, the class
summary) by :mod:`autograder.render`, in a language of
:mod:`autograder.messages`. A verdict round-trips through JSON
(:meth:`Verdict.to_json`, :meth:`Verdict.from_json`), so the grader stores it
with each result and renders it again in any language; nothing ever parses a
sentence back into meaning.

    Verdict(function="conv_single_step", outcome=Outcome.WRONG_VALUE,
            place=Place("lesson", hidden=False, position=1, count=1, description="a_slice_prev (4, 4, 3), ..."),
            difference=Difference("wrong_value", "Z", expected=Shown.of_number(-6.99), got=Shown.of_number(-23.16)),
            diagnosis=Diagnosis("bias_per_element", source="mistake"))
"""
from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

import numpy as np


class Outcome(str, Enum):
    """What happened, in one word: the ``kind`` of a function's result in report.json."""

    PASSED = "passed"
    WRONG_VALUE = "wrong_value"  # right type and shape, wrong numbers
    WRONG_SHAPE = "wrong_shape"
    WRONG_TYPE = "wrong_type"  # not an array, not a number, None, a dtype that holds no numbers, ...
    WRONG_COUNT = "wrong_count"  # another number of returned values
    RAISED = "raised"
    NOT_WRITTEN = "not_written"  # the stub's NotImplementedError
    MISSING = "missing"  # the function is not defined (its cell deleted, renamed or broken)
    DID_NOT_FINISH = "did_not_finish"  # over a time or memory limit, or its process ended
    TOO_SLOW = "too_slow"
    WRONG_WHEN_TIMED = "wrong_when_timed"
    NOT_ACCURATE = "not_accurate"  # a trained model below the accuracy needed
    NOT_GRADED = "not_graded"  # the notebook could not be read


@dataclass(frozen=True)
class Place:
    """Which case a verdict is about, as the learner can know it (never its expected values)."""

    id: str
    hidden: bool
    position: int  # 1-based, among the cases of the same visibility
    count: int
    description: str  # shapes and hyper-parameters, e.g. "A_prev (2, 7, 5, 3), W (3, 3, 3, 4), ..."
    kind: str = "reference"  # "reference", "gradient", "speed" or "training"


@dataclass(frozen=True)
class Shown:
    """A value described for a learner: what came back, or what was expected."""

    kind: str  # "array", "number", "none", "tuple", "list", "dict" or "other"
    shape: tuple[int, ...] | None = None  # arrays
    dtype: str | None = None  # arrays
    length: int | None = None  # tuples and lists
    keys: tuple[str, ...] | None = None  # dicts
    type: str | None = None  # "other": the Python type's name
    number: float | int | bool | None = None  # "number": its value

    @staticmethod
    def of(value: Any) -> "Shown":
        """Describe any value (never holding on to it)."""
        if value is None:
            return Shown("none")
        if isinstance(value, np.ndarray):
            return Shown("array", shape=tuple(int(n) for n in value.shape), dtype=str(value.dtype))
        if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):  # not complex: "other"
            return Shown.of_number(value)
        if isinstance(value, (tuple, list)):
            return Shown("tuple" if isinstance(value, tuple) else "list", length=len(value))
        if isinstance(value, dict):
            return Shown("dict", keys=tuple(str(key) for key in value))
        return Shown("other", type=type(value).__name__)

    @staticmethod
    def of_number(value: Any) -> "Shown":
        item = value.item() if isinstance(value, np.generic) else value
        return Shown("number", number=item if isinstance(item, (bool, int, float)) else float(item))


@dataclass(frozen=True)
class Difference:
    """How a returned value differs from the expected one (see :data:`DIFFERENCES`)."""

    what: str
    name: str  # how the learner knows the value: "Z", "cache[3]", "grads['W1']"
    expected: Shown | None = None
    got: Shown | None = None
    index: tuple[int, ...] | None = None  # the worst entry of an array ("wrong_entries")
    wrong: int | None = None  # entries that differ
    size: int | None = None  # entries in all
    key: str | None = None  # "missing_key"


# Difference.what, and the Outcome each one is
DIFFERENCES: dict[str, Outcome] = {
    "wrong_value": Outcome.WRONG_VALUE,  # a single value
    "wrong_entries": Outcome.WRONG_VALUE,  # some entries of an array
    "wrong_shape": Outcome.WRONG_SHAPE,
    "not_array": Outcome.WRONG_TYPE,
    "not_numbers": Outcome.WRONG_TYPE,  # an array whose dtype holds no numbers
    "not_boolean": Outcome.WRONG_VALUE,  # a mask that holds values other than 0/1
    "not_number": Outcome.WRONG_TYPE,
    "not_tuple": Outcome.WRONG_TYPE,
    "wrong_length": Outcome.WRONG_TYPE,
    "not_dict": Outcome.WRONG_TYPE,
    "missing_key": Outcome.WRONG_TYPE,
    "wrong_count": Outcome.WRONG_COUNT,  # name: the function; expected.length names; got: what came back
    "unreadable": Outcome.WRONG_TYPE,  # what came back from a sandbox could not be read
    "too_large": Outcome.WRONG_TYPE,  # what came back from a sandbox was larger than an answer may be (size: bytes)
}


@dataclass(frozen=True)
class Raised:
    """An exception raised by a learner's code, as plain data (it may come from a sandbox)."""

    type: str  # "TypeError"
    message: str
    line: str | None = None  # the learner's line that raised it
    where: str | None = None  # the learner's function whose line it is (e.g. a helper the graded function called)

    @property
    def text(self) -> str:
        return f"{self.type}: {self.message}" if self.message else self.type

    @staticmethod
    def parse(text: str, line: str | None = None) -> "Raised":
        """From "Type: message", the form in which a sandbox reports an error."""
        kind, _, message = str(text).partition(": ")
        if not re.fullmatch(r"[A-Za-z_][\w.]*", kind):
            return Raised("Exception", str(text), line)
        return Raised(kind, message, line)


@dataclass(frozen=True)
class Stop:
    """Why a function did not finish."""

    reason: str  # "call_timeout", "submission_timeout", "memory", "exited", "not_timed", "garbled" or "no_answer"
    seconds: float | None = None  # the limit that was passed
    limit_mib: int | None = None
    used_mib: int | None = None
    status: int | None = None  # exit status of the process


@dataclass(frozen=True)
class Timing:
    """A timed run against the time allowed (see :mod:`autograder.speed`)."""

    took: float
    allowed: float
    factor: float
    calibration: tuple[int, int, int]  # (M, K, N): copy an M x K matrix, multiply it by a K x N one


@dataclass(frozen=True)
class Accuracy:
    accuracy: float
    count: int
    needed: float
    which: str  # "test" or "training"


@dataclass(frozen=True)
class Diagnosis:
    """Why it went wrong: a catalogued mistake, an interpreted exception, a probe's finding, a pattern, ...

    ``id`` names a catalogued mistake (``source == "mistake"``, its hint is the catalogue's) or an entry of
    the diagnoses in :mod:`autograder.messages`; ``values`` fill in that entry's placeholders."""

    id: str
    source: str  # "mistake", "exception", "pattern", "probe", "helper", "timing" or "training"
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    function: str
    outcome: Outcome
    place: Place | None = None
    difference: Difference | None = None
    raised: Raised | None = None
    stop: Stop | None = None
    timing: Timing | None = None
    accuracy: Accuracy | None = None
    diagnosis: Diagnosis | None = None
    cell_error: Raised | None = None  # MISSING: why the cell that defines the function did not run
    # more to know: e.g. the same function judged again with the reference's helpers in place of the learner's
    also: tuple["Verdict", ...] = ()
    # the causes after the first (``diagnosis``), in the order to fix them: each proven on the cases run
    more: tuple[Diagnosis, ...] = ()

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    @property
    def mistake(self) -> str | None:
        """The id of the catalogued mistake it matched, if any."""
        return self.diagnosis.id if self.diagnosis and self.diagnosis.source == "mistake" else None

    def cause(self) -> str:
        """What the class summary groups lost marks by: the diagnosis, else an exception's pattern, else the
        outcome, e.g. ``"bias_per_element"``, ``"raised:TypeError: 'float' object cannot be interpreted as an
        integer"``, ``"not_written"``."""
        if self.diagnosis:
            return cause_of(self.diagnosis)[0]
        if self.outcome is Outcome.RAISED and self.raised:
            return f"raised:{self.raised.type}: {message_pattern(self.raised.message)}"
        return self.outcome.value

    def causes(self) -> list[str]:
        """Every cause the class summary counts: :meth:`cause` for the first, then each further one. A helper's
        failure counts as the helper's own causes (see :func:`cause_of`)."""
        if not self.diagnosis:
            return [self.cause()]
        return [key for diagnosis in (self.diagnosis, *self.more) if diagnosis.id not in NOT_CAUSES
                for key in cause_of(diagnosis)]

    def with_diagnosis(self, diagnosis: Diagnosis | None) -> "Verdict":
        return dataclasses.replace(self, diagnosis=diagnosis) if diagnosis else self

    def to_json(self) -> dict:
        return _plain(self)

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Verdict":
        return _build(Verdict, data)


@dataclass(frozen=True)
class Note:
    """Something about a notebook as a whole: a problem (shown to the learner too) or a flag (for the instructor).

    ``key`` is the catalogue's entry, e.g. ``"problem.cell_failed"`` or ``"flag.locked_edited"``; a ``cell``
    among the values is ``{"kind": "solution" | "added" | "given", "grade_id": ..., "number": ...}``."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        return _plain(self)

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "Note":
        return _build(Note, data)


NOT_CAUSES = ("own_code_right",)  # findings that go with a cause, and are none themselves


def cause_of(diagnosis: Diagnosis) -> list[str]:
    """The causes one diagnosis stands for in the class summary: a factor by its name (one cause per factor:
    stride, pad, ...), a failing helper by the helper's own causes (``helper:`` first, so that the summary can
    say where the marks were lost), anything else by its id."""
    values = diagnosis.values
    if diagnosis.id == "factor":
        factors = values.get("factors") or [values.get("factor")]
        return [f"factor:{factor}" for factor in factors]
    if diagnosis.id == "helper_fails" and values.get("causes"):
        return [str(cause) for cause in values["causes"]]
    return [diagnosis.id]


def message_pattern(message: str) -> str:
    """An exception's message with its particulars (numbers, shapes, quoted names) blanked, for grouping."""
    text = re.sub(r"\([\d, ]*\)", "(...)", str(message).splitlines()[0] if message else "")
    text = re.sub(r"'[^']*'", "'...'", text)
    return re.sub(r"-?\d+(\.\d+)?", "N", text)[:160]


# -- JSON ----------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if getattr(value, f.name) is not None
                and not (f.name in ("also", "more") and not getattr(value, f.name))}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)  # evaluates every annotation: once per class, not once per verdict read


def _build(cls: type, data: Mapping[str, Any]) -> Any:
    hints = _hints(cls)
    return cls(**{f.name: _value(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data})


def _value(annotation: Any, data: Any) -> Any:
    if data is None:
        return None
    options = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) \
        else (annotation,)
    for option in options:
        if option is type(None):
            continue
        origin = typing.get_origin(option)
        if dataclasses.is_dataclass(option):
            return _build(option, data)
        if isinstance(option, type) and issubclass(option, Enum):
            return option(data)
        if origin is tuple:
            args = typing.get_args(option)
            inner = args[0] if args else Any
            return tuple(_value(inner, item) for item in data)
        if origin in (Mapping, dict) or option in (Mapping, dict):
            return dict(data)
        return data
    return data
