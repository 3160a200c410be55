"""The on-disk form of a test-case file: a JSON manifest plus an .npz of arrays.

A case file is written at build time by ``python -m instructor.build`` from the
reference and the mistake catalogue, and read by :mod:`autograder.checks` on a
learner's machine. It holds inputs, expected outputs and mistake fingerprints
as data, never code that solves an exercise.

Values are encoded as small JSON objects so that tuples (caches), dicts
(hyper-parameters), scalars and arrays survive the round trip::

    {"array": "a12"}  {"tuple": [...]}  {"list": [...]}  {"dict": {...}}  {"value": 3}
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # keeps the .npz byte-for-byte reproducible


class ArrayStore:
    """Collects the arrays of a manifest under short keys while encoding."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def add(self, array: np.ndarray) -> str:
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.array(array, copy=True)
        return key


def encode(value: Any, store: ArrayStore) -> dict:
    """Encode ``value`` into JSON-able form, putting arrays into ``store``."""
    if isinstance(value, np.ndarray):
        return {"array": store.add(value)}
    if isinstance(value, tuple):
        return {"tuple": [encode(v, store) for v in value]}
    if isinstance(value, list):
        return {"list": [encode(v, store) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): encode(v, store) for k, v in value.items()}}
    if isinstance(value, np.generic):
        return {"value": value.item()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise TypeError(f"cannot store a value of type {type(value).__name__} in a case file")


def decode(obj: dict, arrays: dict[str, np.ndarray]) -> Any:
    """Inverse of :func:`encode`; every array comes back as a fresh copy."""
    (kind, payload), = obj.items()
    if kind == "array":
        return np.array(arrays[payload], copy=True)
    if kind == "tuple":
        return tuple(decode(v, arrays) for v in payload)
    if kind == "list":
        return [decode(v, arrays) for v in payload]
    if kind == "dict":
        return {k: decode(v, arrays) for k, v in payload.items()}
    if kind == "value":
        return payload
    raise ValueError(f"unknown entry {kind!r} in a case file")


def paths(assignment: str, directory: Path = DATA_DIR) -> tuple[Path, Path]:
    """The manifest and array file of ``assignment``."""
    return directory / f"{assignment}.json", directory / f"{assignment}.npz"


def write(assignment: str, manifest: dict, store: ArrayStore, directory: Path) -> None:
    """Write a case file reproducibly: same content, same bytes."""
    manifest_path, arrays_path = paths(assignment, directory)
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    with zipfile.ZipFile(arrays_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(store.arrays):
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, store.arrays[key], allow_pickle=False)
            archive.writestr(info, buffer.getvalue())


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array of a case file's ``.npz``, by key."""
    with np.load(path, allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}


def read(assignment: str, directory: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Load the manifest (as stored: read it through :class:`Manifest`) and all arrays of ``assignment``."""
    manifest_path, arrays_path = paths(assignment, directory)
    if not manifest_path.exists():
        raise FileNotFoundError(
            f"no checks are installed for assignment {assignment!r} ({manifest_path} is missing); "
            "reinstall the course package"
        )
    return json.loads(manifest_path.read_text()), read_arrays(arrays_path)


# A value as :func:`encode` writes it (``{"array": key}``, ``{"tuple": [...]}``, ...): :func:`decode` it with the
# case file's arrays. A timed run's inputs are templates instead (``{"normal": shape}`` for an array,
# :func:`autograder.speed.draw`).
Encoded = dict


@dataclass(frozen=True)
class Tolerance:
    """Entries agree when ``|got - expected| <= atol + rtol * |expected|`` (and, with ``equal_nan``, when both are
    NaN: a catalogued mistake's fingerprint may hold the NaN of a mean of nothing, and so may the same mistake).

    Stored with each case as ``{"rtol", "atol", "equal_nan"}``; compared with by :mod:`autograder.compare`."""

    rtol: float = 1e-6
    atol: float = 1e-9
    equal_nan: bool = False


@dataclass(frozen=True)
class MistakeMark:
    """What one catalogued mistake leaves on a case or probe (its fingerprint): the value it returns there
    (``output``, encoded) or the error it raises (``raises``, ``"Type: message"``); exactly one of the two."""

    id: str  # the mistake's id in the catalogue (a key of Manifest.hints)
    output: Encoded | None = None
    raises: str | None = None

    @classmethod
    def of(cls, raw: dict) -> "MistakeMark":
        return cls(raw["id"], raw.get("output"), raw.get("raises"))

    def stored(self) -> dict:
        return {"id": self.id, **({"output": self.output} if self.output is not None else {}),
                **({"raises": self.raises} if self.raises is not None else {})}


@dataclass(frozen=True)
class Budget:
    """The time a speed case allows (:mod:`autograder.speed`): ``factor`` times the time numpy takes, measured
    then, to copy an (M, K) matrix and multiply it by a (K, N) one, ``calibration`` = (M, K, N)."""

    calibration: tuple[int, ...]  # (M, K, N)
    factor: float  # as stored (an int in the case files)

    @classmethod
    def of(cls, raw: dict) -> "Budget":
        return cls(tuple(raw["calibration"]), raw["factor"])

    def stored(self) -> dict:
        return {"calibration": list(self.calibration), "factor": self.factor}


@dataclass(frozen=True)
class TimedRun:
    """One timed run of a speed case, of another shape than the case's own inputs: the templates of its inputs
    (``args``, ``kwargs``: every array as ``{"normal": shape}``, drawn anew for every submission by
    :func:`autograder.speed.draw`) and its own calibration (M, K, N; None: the case's budget's)."""

    args: Encoded
    kwargs: Encoded
    calibration: tuple[int, ...] | None

    @classmethod
    def of(cls, raw: dict) -> "TimedRun":
        calibration = raw.get("calibration")
        return cls(raw["args"], raw["kwargs"], tuple(calibration) if calibration is not None else None)

    def stored(self) -> dict:
        return {"args": self.args, "kwargs": self.kwargs,
                "calibration": list(self.calibration) if self.calibration is not None else None}


@dataclass(frozen=True)
class ProbeEdge:
    """Where a probe sits in its function's probe tree (:mod:`instructor.probes`): it differs from its
    ``parent`` probe (an id; None at the root) in the one ``factor`` (stride, pad, ...), which is ``value``
    here and ``parent_value`` there; ``depth`` is its distance from the root."""

    parent: str | None
    factor: str | None
    value: Any
    parent_value: Any
    depth: int


@dataclass(frozen=True)
class StoredCase:
    """One stored case or probe of a graded function, as the judge and the diagnosis read it.

    A probe (``edge`` set) is never shown as a case: it is hidden and of kind "reference". ``args`` and
    ``kwargs`` are the inputs, ``expected`` the reference's outputs (encoded, see :data:`Encoded`; None for the
    visible timing case, judged on errors only), ``tolerance`` how close an output must be, ``mistakes`` the
    fingerprints of the catalogued mistakes that show on it, in catalogue order. ``factors`` ({factor: value},
    e.g. ``{"stride": 2, "shape": "square"}``) are what the diagnosis varies, ``facts`` ({name: number}, e.g.
    ``{"area": 4, "positions": 49}``) what it may divide by; ``answers`` ({helper: table as
    :func:`autograder.diagnosis.oracle.table_to_data` writes it}) what the graded helpers return to the
    reference's calls on it. A speed case has a ``budget`` and may have timed ``runs`` of other shapes."""

    id: str
    hidden: bool = True
    kind: str = "reference"  # "reference", "gradient" or "speed" (instructor/case.py's KINDS)
    description: str = ""  # its inputs' shapes and hyper-parameters, for a learner
    args: Encoded = field(default_factory=lambda: {"tuple": []})
    kwargs: Encoded = field(default_factory=lambda: {"dict": {}})
    expected: Encoded | None = None
    tolerance: Tolerance = Tolerance()
    mistakes: tuple[MistakeMark, ...] = ()
    factors: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, dict] = field(default_factory=dict)
    budget: Budget | None = None
    runs: tuple[TimedRun, ...] = ()
    edge: ProbeEdge | None = None

    @property
    def is_speed(self) -> bool:
        """Whether it is a timing case (timed as well as compared; kept apart from the others)."""
        return self.kind == "speed"

    @classmethod
    def of(cls, raw: dict) -> "StoredCase":
        """A case or probe as stored in a manifest (a probe is an entry with a ``parent``)."""
        edge = ProbeEdge(raw["parent"], raw.get("factor"), raw.get("value"), raw.get("parent_value"),
                         raw.get("depth", 0)) if "parent" in raw else None
        budget, runs = raw.get("budget"), raw.get("runs") or ()
        return cls(raw["id"], bool(raw.get("hidden", True)), raw.get("kind", "reference"), raw.get("description", ""),
                   raw.get("args", {"tuple": []}), raw.get("kwargs", {"dict": {}}), raw.get("expected"),
                   Tolerance(**raw["tolerance"]) if "tolerance" in raw else Tolerance(),
                   tuple(MistakeMark.of(mistake) for mistake in raw.get("mistakes", ())),
                   dict(raw.get("factors", {})), dict(raw.get("facts", {})), dict(raw.get("answers", {})),
                   Budget.of(budget) if budget else None, tuple(TimedRun.of(run) for run in runs), edge)

    def stored(self) -> dict:
        """The inverse of :meth:`of`: the entry as ``instructor.build`` writes it."""
        edge = self.edge
        return {
            **({"hidden": self.hidden, "kind": self.kind} if edge is None else
               {"parent": edge.parent, "factor": edge.factor, "value": edge.value, "parent_value": edge.parent_value,
                "depth": edge.depth}),
            "id": self.id, "description": self.description, "args": self.args, "kwargs": self.kwargs,
            **({"expected": self.expected} if self.expected is not None else {}),
            "tolerance": {"rtol": self.tolerance.rtol, "atol": self.tolerance.atol,
                          "equal_nan": self.tolerance.equal_nan},
            "mistakes": [mistake.stored() for mistake in self.mistakes], "factors": self.factors, "facts": self.facts,
            **({"answers": self.answers} if self.answers else {}),
            **({"budget": self.budget.stored()} if self.budget else {}),
            **({"runs": [run.stored() for run in self.runs]} if self.runs else {}),
        }


@dataclass(frozen=True)
class FunctionEntry:
    """One graded function's part of a manifest: what it returns (by the lesson's names), the other graded
    functions it calls, its stored cases (timing cases included, in order) and its probes, each a
    :class:`StoredCase`."""

    name: str
    outputs: tuple[str, ...]
    calls: tuple[str, ...]
    cases: tuple[StoredCase, ...]
    probes: tuple[StoredCase, ...]

    @classmethod
    def of(cls, name: str, raw: dict) -> "FunctionEntry":
        return cls(name, tuple(raw["outputs"]), tuple(raw.get("calls", ())),
                   tuple(StoredCase.of(case) for case in raw["cases"]),
                   tuple(StoredCase.of({"parent": None, **probe}) for probe in raw.get("probes", ())))

    def items(self, kind: str) -> tuple[StoredCase, ...]:
        """Its cases (``kind`` "case") or its probes (``kind`` "probe")."""
        return self.cases if kind == "case" else self.probes


@dataclass(frozen=True)
class Manifest:
    """A case file's manifest, read through typed accessors (the only reader of its ``"functions"``).

    ``raw`` is the JSON object as stored: ``{"hints", "mistake_cells", "functions": {name: {"outputs",
    "calls", "cases", "probes"}}}``."""

    raw: dict = field(repr=False)
    _entries: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_entries", {name: FunctionEntry.of(name, entry)
                                              for name, entry in self.raw.get("functions", {}).items()})

    @property
    def functions(self) -> tuple[str, ...]:
        """The graded functions checked on cases, in the manifest's order."""
        return tuple(self._entries)

    def __contains__(self, function: object) -> bool:
        return function in self._entries

    def function(self, name: str) -> FunctionEntry:
        """The entry of graded function ``name`` (KeyError if the case file has none)."""
        return self._entries[name]

    @property
    def hints(self) -> dict:
        """{mistake id: {language: hint}} of the catalogued mistakes."""
        return self.raw.get("hints", {})

    @property
    def mistake_cells(self) -> dict:
        """{mistake id: the solution cell (graded function) a catalogued mistake is made in}, for the diagnosis."""
        return self.raw.get("mistake_cells", {})
