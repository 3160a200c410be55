"""How much of what one submission controls reaches its result and the reports.

A submission decides how many of its cells fail and what their exceptions
say: a notebook of 20,000 failing cells once made 92 MB feedback pages and a
92 MB class summary. So each submission keeps at most :data:`MAX_NOTES`
notes of each kind (problems, flags), the first ones in notebook order,
followed by one note saying how many more there were (``problem.more``,
``flag.more``), and every text a learner controls in a note is cut to
:data:`MAX_TEXT` characters (an ellipsis marks the cut). The sandbox keeps
only the first :data:`MAX_CELL_ERRORS` errors of the cells a learner added
and counts the rest (the errors of the release's own cells are always kept:
there are as many as the release has), so the grader's memory does not grow
with the number of cells either.

The reports apply the same bounds again when they read a stored result, so a
result stored by an earlier version stays small on the page too.

    bounded_notes([Note("problem.cell_failed", {...})] * 30)
    -> the first 20, each cut, then Note("problem.more", {"count": 10})
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..verdict import Note

MAX_NOTES = 20  # notes of one kind per submission
MAX_TEXT = 300  # characters of one learner-controlled text in a note
MAX_MESSAGE = 4000  # characters of one function's rendered message in the reports
MAX_CELL_ERRORS = MAX_NOTES  # errors of added cells that the sandbox keeps (the rest are counted)
MORE = {"problems": "problem.more", "flags": "flag.more"}  # the note that counts those left out


def cut(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` of at most ``limit`` characters: cut with an ellipsis when longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _bounded_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return cut(value)
    if depth < 3 and isinstance(value, Mapping):
        return {str(key)[:64]: _bounded_value(item, depth + 1) for key, item in list(value.items())[:16]}
    if depth < 3 and isinstance(value, (list, tuple)):
        return [_bounded_value(item, depth + 1) for item in list(value)[:16]]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return cut(str(value))


def bounded_note(note: Note) -> Note:
    """``note`` with every text in its values cut to :data:`MAX_TEXT` characters."""
    return Note(note.key, _bounded_value(dict(note.values)))


def bounded_notes(notes: Iterable[Note], also_left_out: int = 0) -> list[Note]:
    """The first :data:`MAX_NOTES` of ``notes`` (all of one kind: problems or flags), each bounded, then one
    note (``problem.more`` or ``flag.more``, after the kind) saying how many more were left out: ``also_left_out``
    of them before this call (cell errors the sandbox only counted), and those over the bound here. Such a
    note already among ``notes`` (a stored result) adds its count."""
    kept: list[Note] = []
    left_out = max(0, also_left_out)
    more_key = None
    for note in notes:
        more_key = more_key or _more_key(note.key)
        if note.key in MORE.values():
            count = note.values.get("count")
            left_out += count if type(count) is int and count > 0 else 0
        elif len(kept) < MAX_NOTES:
            kept.append(bounded_note(note))
        else:
            left_out += 1
    if left_out:
        kept.append(Note(more_key or MORE["problems"], {"count": left_out}))
    return kept


def _more_key(key: str) -> str:
    return MORE["flags"] if key.startswith("flag.") else MORE["problems"]
