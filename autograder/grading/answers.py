"""Reading what came back from the sandbox (trusted side): the one place that does.

A sandbox's message is JSON that learner code may have forged: every field may
be missing or of any type. :func:`read` turns the message of one call into an
:class:`Answer`, a typed value with exactly one reading (missing, did not
finish, raised, could not be read, too large, or a value); :func:`raised` reads
an error, of a call or of a cell, with one rule for what is kept of its text.
The runner (:mod:`.runner`), the trained-model check (:mod:`.training`), the
timing check (:mod:`.timing`) and the sandbox (:mod:`.sandbox`) all read
through here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..verdict import Raised, Stop
from . import wire

TYPE_KEPT, MESSAGE_KEPT, LINE_KEPT = 200, 2000, 500  # characters kept of an error's type, message and line


def _text(value: object, kept: int) -> str | None:
    return value[:kept] if isinstance(value, str) else None


def raised(message: dict) -> Raised:
    """The error a sandbox reported, for a call or a cell (a string may hold anything: it is only ever shown)."""
    kind, text = message.get("error_type"), message.get("error_message")
    if isinstance(kind, str) and isinstance(text, str):
        found = Raised(kind, text)
    else:
        found = Raised.parse(str(message.get("error")))
    where = message.get("where")
    where = where if isinstance(where, str) and re.fullmatch(r"[A-Za-z_]\w{0,100}", where) else None
    return Raised(found.type[:TYPE_KEPT], found.message[:MESSAGE_KEPT], _text(message.get("line"), LINE_KEPT),
                  where)


def _int(value: object) -> int | None:
    return value if type(value) is int else None


def _number(value: object) -> float | None:
    return float(value) if type(value) in (int, float) else None


def stop(details: object) -> Stop:
    """Why a call did not finish, from the sandbox's side (``{"reason", ...}``); anything else: no answer."""
    if not isinstance(details, dict) or not isinstance(details.get("reason"), str):
        return Stop("no_answer")
    return Stop(details["reason"][:TYPE_KEPT], _number(details.get("seconds")), _int(details.get("limit_mib")),
                _int(details.get("used_mib")), _int(details.get("status")))


@dataclass(frozen=True)
class Answer:
    """One call's answer, read. ``value`` is set only when ``ok``."""

    ok: bool = False
    value: Any = None
    missing: bool = False  # the function is not defined
    stop: Stop | None = None  # it did not finish (time, memory, its process ended), or was never run
    raised: Raised | None = None
    not_implemented: bool = False  # it raised the stub's NotImplementedError
    unreadable: bool = False  # what came back could not be read, or could not be sent
    too_large: int | None = None  # bytes: an answer over the size a job may send back


def read(message: dict | None) -> Answer:
    """The answer in one call's message (None: no message came)."""
    if message is None or message.get("missing"):
        return Answer(missing=True)
    if message.get("aborted") or message.get("skipped"):
        return Answer(stop=stop(message.get("stop")) if message.get("aborted") else Stop("not_timed"))
    if message.get("too_large"):
        return Answer(too_large=_int(message.get("too_large")) or 0)
    if not message.get("ok"):
        if message.get("unreadable") or message.get("unsendable"):
            return Answer(unreadable=True)
        error = raised(message)
        return Answer(raised=error, not_implemented=message.get("not_implemented") is True
                      or error.type == "NotImplementedError")
    try:
        return Answer(ok=True, value=wire.unpack(message.get("value")))
    except wire.WireError:
        return Answer(unreadable=True)
