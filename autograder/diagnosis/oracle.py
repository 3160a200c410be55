"""Correct answers of a helper, as data: what a correct function gets back from the helpers it calls.

When a learner's ``conv_forward`` fails and it calls their ``conv_single_step``, which fails too, the
question is whether the rest of ``conv_forward`` is right. It is answered by running ``conv_forward``
again with a *stand-in* for ``conv_single_step``: a function that holds no solution code, only a table
of answers, ``{key of the arguments: what a correct conv_single_step returns for them}``.

- The kit's build fills the table of each case and probe with the calls that the reference
  ``conv_forward`` makes (:func:`recording`), so that the self-check, which has no reference code
  (DESIGN.md: solutions never reach learners), can do it on the learner's machine.
- The class grader makes the same tables in its trusted process, and answers in a second round the
  calls a learner's function makes that a correct one does not (:attr:`StandIns.missed`), with the
  reference run there: the reference never runs where a learner's code can read it.

A call whose arguments are not in the table is a *miss*: the stand-in remembers its arguments and answers
with the learner's own helper, so that the function runs on. A trace-only stand-in notes its first call,
which says which helpers a function really calls (:attr:`StandIns.called`), and then gives the name back
to the learner's own helper: the other calls (thousands in a loop) cost nothing more.

Keys: a digest of the arguments' values (numbers and arrays as float64, rounded to 9 decimals, their
shapes left out: ``b`` of shape (1, 1, 1) and ``b[0, 0, 0]`` are the same argument), tuples and dicts by
their items.
"""
from __future__ import annotations

import copy
import functools
import hashlib
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping

import numpy as np

KEY_BYTES = 10
MISSES_KEPT = 5000  # calls whose arguments a stand-in remembers, at most
MISSED_ENTRIES = 2_000_000  # array entries among them, at most


class Unkeyable(Exception):
    """Arguments that have no key (an object that is not a number, an array, a string or a container)."""


def _canonical(value: Any, out: list[bytes]) -> None:
    if isinstance(value, (np.ndarray, np.generic, int, float, bool)) and not isinstance(value, str):
        array = np.asarray(value)
        if array.dtype.kind in "biuf":
            out.append(b"a%d;" % array.size)
            out.append((np.round(array.astype(np.float64).ravel(), 9) + 0.0).tobytes())
            return
    if isinstance(value, (tuple, list)):
        out.append(b"t%d;" % len(value))
        for item in value:
            _canonical(item, out)
        return
    if isinstance(value, Mapping):
        out.append(b"d%d;" % len(value))
        for name in sorted(value, key=str):
            out.append(str(name).encode() + b"=")
            _canonical(value[name], out)
        return
    if isinstance(value, str):
        out.append(b"u" + value.encode() + b";")
        return
    if value is None:
        out.append(b"n;")
        return
    raise Unkeyable(type(value).__name__)


def key(args: tuple, kwargs: Mapping[str, Any] | None = None) -> str:
    """The key of a call's arguments (positional, then keyword by name)."""
    out: list[bytes] = []
    _canonical(tuple(args), out)
    _canonical(dict(kwargs or {}), out)
    return hashlib.blake2b(b"".join(out), digest_size=KEY_BYTES).hexdigest()


def _copy(value: Any) -> Any:
    return copy.deepcopy(value)


# -- tables as data -----------------------------------------------------------------------------------
def table_to_data(table: Mapping[str, Any], encode: Callable[[Any], Any]) -> dict:
    """A table as plain data, its values through ``encode`` (a case file's or the wire's): numbers as one
    array, anything else one by one."""
    keys = list(table)
    values = [table[k] for k in keys]
    packed = encode(np.frombuffer(bytes.fromhex("".join(keys)), dtype=np.uint8).reshape(len(keys), KEY_BYTES))
    if values and all(isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, bool)
                      for v in values):
        return {"keys": packed, "numbers": encode(np.array(values, dtype=np.float64))}
    return {"keys": packed, "values": encode(values)}


def table_from_data(data: Mapping[str, Any], decode: Callable[[Any], Any]) -> dict[str, Any]:
    keys = [row.tobytes().hex() for row in np.asarray(decode(data["keys"]), dtype=np.uint8).reshape(-1, KEY_BYTES)]
    if "numbers" in data:
        return dict(zip(keys, (float(x) for x in np.asarray(decode(data["numbers"]), dtype=np.float64))))
    return dict(zip(keys, decode(data["values"])))


# -- recording a correct function's calls (the build, and the grader's trusted process) ---------------
@contextmanager
def recording(scope: dict, names: tuple[str, ...] | list[str]) -> Iterator[dict[str, dict[str, Any]]]:
    """While it lasts, every call of ``scope[name]`` is recorded: ``{name: {key: what it returned}}``."""
    tables: dict[str, dict[str, Any]] = {name: {} for name in names if callable(scope.get(name))}
    saved = {name: scope[name] for name in tables}

    def recorder(name: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def recorded(*args, **kwargs):
            answer = function(*args, **kwargs)
            try:
                tables[name].setdefault(key(args, kwargs), _copy(answer))
            except Unkeyable:
                pass
            return answer
        return recorded

    scope.update({name: recorder(name, function) for name, function in saved.items()})
    try:
        yield tables
    finally:
        scope.update(saved)


# -- standing in for a learner's helpers (the sandbox, and the learner's kernel) --------------------------
class StandIns:
    """What the stand-ins saw during one call: the names called, and the arguments of the calls they missed."""

    def __init__(self) -> None:
        self.called: set[str] = set()
        self.missed: dict[str, list[tuple[tuple, dict]]] = {}
        self._entries = 0

    def _miss(self, name: str, args: tuple, kwargs: dict) -> None:
        kept = self.missed.setdefault(name, [])
        size = sum(np.size(a) for a in (*args, *kwargs.values()) if isinstance(a, np.ndarray))
        if len(kept) < MISSES_KEPT and self._entries + size <= MISSED_ENTRIES:
            try:
                if key(args, kwargs) in {key(a, k) for a, k in kept[-1:]}:
                    return
            except Unkeyable:
                pass
            kept.append((_copy(args), _copy(dict(kwargs))))
            self._entries += size

    @property
    def missed_any(self) -> bool:
        return any(self.missed.values())


def _stand_in(name: str, own: Callable, table: Mapping[str, Any] | None, seen: StandIns, scope: dict) -> Callable:
    @functools.wraps(own)
    def stand_in(*args, **kwargs):
        seen.called.add(name)
        if table is None:
            if scope.get(name) is stand_in:  # traced: called, and that is all a trace says; the rest go straight
                scope[name] = own
            return own(*args, **kwargs)
        try:
            found = key(args, kwargs)
        except Unkeyable:
            found = None
        if found is not None and found in table:
            return _copy(table[found])
        seen._miss(name, args, kwargs)
        try:
            return own(*args, **kwargs)
        except Exception:
            if not table:
                raise
            # the learner's own helper fails here too: answer anything of the right kind, so that the function
            # runs on and every call it misses is known (the run proves nothing either way: it missed)
            return _copy(next(iter(table.values())))
    return stand_in


@contextmanager
def standing_in(scope: dict, trace: tuple[str, ...] | list[str] = (),
                answers: Mapping[str, Mapping[str, Any]] | None = None) -> Iterator[StandIns]:
    """While it lasts, each name of ``trace`` in ``scope`` notes that it is called, and each name of ``answers``
    answers from its table (a miss: the learner's own, remembered). ``scope`` is the namespace in which
    the learner's functions look their helpers up (their ``__globals__``)."""
    seen = StandIns()
    answers = answers or {}
    names = [name for name in dict.fromkeys([*trace, *answers]) if callable(scope.get(name))]
    saved = {name: scope[name] for name in names}
    scope.update({name: _stand_in(name, own, answers.get(name), seen, scope) for name, own in saved.items()})
    standing = {name: scope[name] for name in saved}
    try:
        yield seen
    finally:
        for name, own in saved.items():
            if scope.get(name) is standing[name]:  # unless the learner's code bound the name anew meanwhile
                scope[name] = own
