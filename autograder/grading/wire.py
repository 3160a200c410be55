"""Messages across the sandbox wall: length-prefixed JSON with arrays as .npy bytes.

Nothing is ever unpickled: arrays are read with ``allow_pickle=False`` and
every message has a size cap and a nesting cap, so a hostile sandbox can send
nonsense but not code, not more than the cap, and nothing nested so deep that
reading it (or writing it on) would exhaust Python's recursion limit: every
such message is a :class:`WireError`, never another exception.

Arrays travel inside the JSON, base64-encoded, or, where a clock runs (the
zygote's timed calls), as raw ``.npy`` *blobs* after it: ``pack(value, blobs)``
puts them in the list ``blobs``, ``send(stream, message, blobs)`` writes them
after the JSON (which lists their sizes under ``"blobs"``), and ``receive``
hands them back as ``message["blobs"]``, a list of bytes, for ``unpack``. That
takes a hundredth of the time of base64 and JSON for the arrays of a timing
case, so the time measured is the learner's code, not the transport.
"""
from __future__ import annotations

import base64
import io
import json
import re
import struct
from typing import Any, BinaryIO

import numpy as np

MAX_MESSAGE = 256 * 1024 * 1024
MAX_DEPTH = 20  # values nested in values (a tuple in a list in ...), see unpack
MAX_NESTING = 100  # JSON levels of a whole message: over twice what MAX_DEPTH needs, far below the recursion limit
PRIVATE_TMP = "AUTOGRADER_PRIVATE_TMP"  # in the zygote's environment: its /tmp is the sandbox's own (bubblewrap)
_HEADER = struct.Struct(">Q")
# The .npy header numpy writes for a plain array (format 1.0), read without ``ast.literal_eval``: the common case
# of every message, read here about fifty times faster than ``np.load``; anything else goes to ``np.load``.
_NPY_MAGIC = b"\x93NUMPY\x01\x00"
_NPY_HEADER = re.compile(rb"\{'descr': '([<>|=](?:b1|[iu][1248]|f[248]))', 'fortran_order': (False|True), "
                         rb"'shape': \(((?:\d{1,12}, )*\d{0,12}|\d{1,12},)\), \} *\n")


class WireError(Exception):
    """A message that is not well formed, or too large."""


def pack(value: Any, blobs: list[bytes] | None = None) -> Any:
    """A JSON-able form of numbers, strings, tuples, lists, dicts and numeric arrays.

    With a list ``blobs``, arrays are appended to it as .npy bytes and referred to by index."""
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:  # dtype object, or a record with an object field
            raise WireError("arrays of Python objects cannot cross the sandbox")
        data = _npy(value)
        if blobs is not None:
            blobs.append(data)
            return {"blob": len(blobs) - 1}
        return {"array": base64.b64encode(data).decode("ascii")}
    if isinstance(value, np.generic):
        return (pack(np.asarray(value), blobs) if not isinstance(value, (np.bool_, np.number))
                else {"value": value.item()})
    if isinstance(value, tuple):
        return {"tuple": [pack(v, blobs) for v in value]}
    if isinstance(value, list):
        return {"list": [pack(v, blobs) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): pack(v, blobs) for k, v in value.items()}}
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and not np.isfinite(value):
            return {"float": repr(value)}
        return {"value": value}
    raise WireError(f"a value of type {type(value).__name__} cannot cross the sandbox")


def _npy(array: np.ndarray) -> bytes:
    """``array`` as the bytes ``np.save`` writes (format 1.0, the header padded to 64 bytes); numpy's own writer
    for anything but a plain numeric or boolean array."""
    descr = array.dtype.str
    if array.dtype.fields is not None or not _NPY_HEADER_DTYPE.fullmatch(descr) or array.ndim > 32:
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return buffer.getvalue()
    fortran = array.flags.f_contiguous and not array.flags.c_contiguous
    shape = "(" + "".join(f"{n}, " for n in array.shape)[:-2] + ("," if array.ndim == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    header += " " * (63 - (len(_NPY_MAGIC) + 2 + len(header)) % 64) + "\n"
    return (_NPY_MAGIC + struct.pack("<H", len(header)) + header.encode("latin1")
            + array.tobytes("F" if fortran else "C"))


_NPY_HEADER_DTYPE = re.compile(r"[<>|=][biuf][1248]")


def _array(data: bytes) -> np.ndarray:
    """The array in ``.npy`` bytes, never unpickled: a plain numeric or boolean array read here (a copy: the
    learner's code may write into its arguments), anything else by ``np.load(allow_pickle=False)``."""
    try:  # whatever a forged blob makes either reader raise is a WireError
        if data[:8] == _NPY_MAGIC and len(data) >= 10:
            end = 10 + int.from_bytes(data[8:10], "little")
            found = _NPY_HEADER.fullmatch(data, 10, end)
            if found:
                dtype = np.dtype(found[1].decode("ascii"))
                shape = tuple(int(n) for n in found[3].split(b",") if n.strip())
                count = 1
                for n in shape:
                    count *= n
                if len(data) - end >= count * dtype.itemsize:
                    flat = np.frombuffer(data, dtype, count, end).copy()
                    return flat.reshape(shape, order="F" if found[2] == b"True" else "C")
        return np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as error:
        raise WireError(f"malformed array: {error}") from None


def unpack(obj: Any, blobs: list[bytes] = (), depth: int = 0) -> Any:
    """Inverse of :func:`pack` (``blobs``: those the message came with); raises WireError on anything unexpected."""
    if depth > MAX_DEPTH or not isinstance(obj, dict) or len(obj) != 1:
        raise WireError("malformed value")
    (kind, payload), = obj.items()
    if kind == "array":
        try:
            return _array(base64.b64decode(payload))
        except (TypeError, ValueError) as error:  # not base64, or not a string at all (a forged message)
            raise WireError(f"malformed array: {error}") from None
    if kind == "blob":
        if type(payload) is not int or not 0 <= payload < len(blobs):
            raise WireError("malformed value")
        return _array(blobs[payload])
    if kind in ("tuple", "list") and isinstance(payload, list):
        items = [unpack(v, blobs, depth + 1) for v in payload]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict" and isinstance(payload, dict):
        return {k: unpack(v, blobs, depth + 1) for k, v in payload.items()}
    if kind == "float" and payload in ("nan", "inf", "-inf"):
        return float(payload)
    if kind == "value" and (payload is None or isinstance(payload, (bool, int, float, str))):
        return payload
    raise WireError("malformed value")


def send(stream: BinaryIO, message: dict, blobs: list[bytes] = ()) -> None:
    """Write ``message``, then its ``blobs`` (raw bytes, see :func:`pack`)."""
    if blobs:
        message = {**message, "blobs": [len(blob) for blob in blobs]}
    data = json.dumps(message).encode()
    stream.write(_HEADER.pack(len(data)) + data)
    for blob in blobs:
        stream.write(blob)
    stream.flush()


def _too_deep(message: dict) -> bool:
    """Whether ``message`` holds containers more than MAX_NESTING levels deep (walked without recursion)."""
    level = [message]
    for _ in range(MAX_NESTING):
        level = [child for container in level
                 for child in (container.values() if isinstance(container, dict) else container)
                 if isinstance(child, (dict, list))]
        if not level:
            return False
    return True


def receive(stream: BinaryIO, limit: int = MAX_MESSAGE) -> dict | None:
    """The next message, or None at end of stream; WireError for one over ``limit`` bytes (blobs included),
    before any of it is read, and for one nested more than MAX_NESTING deep."""
    header = stream.read(_HEADER.size)
    if not header:
        return None
    if len(header) < _HEADER.size:
        raise WireError("truncated message")
    (size,) = _HEADER.unpack(header)
    if size > limit:
        raise WireError(f"message of {size} bytes is over the cap")
    data = stream.read(size)
    if len(data) < size:
        raise WireError("truncated message")
    try:
        message = json.loads(data)
    except RecursionError:  # json's parser recurses once per level: ~1,000 levels end it
        raise WireError("message nested too deep") from None
    except ValueError:
        raise WireError("message is not JSON") from None
    if not isinstance(message, dict):
        raise WireError("message is not an object")
    if _too_deep(message):
        raise WireError("message nested too deep")
    if "blobs" in message:
        sizes = message["blobs"]
        if (not isinstance(sizes, list) or not all(type(n) is int and n >= 0 for n in sizes)
                or size + sum(sizes) > limit):
            raise WireError("malformed blob sizes, or blobs over the cap")
        message["blobs"] = [stream.read(n) for n in sizes]
        if any(len(blob) < n for blob, n in zip(message["blobs"], sizes)):
            raise WireError("truncated message")
    return message
