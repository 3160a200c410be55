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


@dataclass(frozen=True)
class FunctionEntry:
    """One graded function's part of a manifest: what it returns (by the lesson's names), the other graded
    functions it calls, its stored cases (timing cases included, in order) and its probes. A case or a probe
    is an entry as :mod:`autograder.judge` reads it (``id``, ``hidden``, ``kind``, ``args``, ``expected``, ...)."""

    name: str
    outputs: tuple[str, ...]
    calls: tuple[str, ...]
    cases: tuple[dict, ...]
    probes: tuple[dict, ...]

    @classmethod
    def of(cls, name: str, raw: dict) -> "FunctionEntry":
        return cls(name, tuple(raw["outputs"]), tuple(raw.get("calls", ())), tuple(raw["cases"]),
                   tuple(raw.get("probes", ())))

    def items(self, kind: str) -> tuple[dict, ...]:
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
