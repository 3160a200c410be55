"""The sandbox wall (autograder.grading.wire): what a hostile sandbox sends is refused, whole, with WireError.

Refused means: nothing in it runs (a pickled object array is never unpickled:
the payload here would write a file if it were), nothing past a size cap is
read (the stream below counts what was asked of it), and nothing nests deeper
than the caps (a message 100,000 levels deep once raised RecursionError, which
nobody caught). The last test sends such a message from learner code through
a real sandbox: the call ends as an answer that could not be read, promptly,
not as a timeout, and the sandbox grades the next call.
"""
from __future__ import annotations

import base64
import io
import json
import shutil
import struct
import time

import numpy as np
import pytest

from autograder.grading import wire
from autograder.grading.sandbox import Call, Limits, Sandbox

HEADER = struct.Struct(">Q")


def framed(message: bytes | str, *blobs: bytes) -> io.BytesIO:
    """A stream holding one message as ``send`` frames it: the length, the JSON, the blobs."""
    data = message.encode() if isinstance(message, str) else message
    return io.BytesIO(HEADER.pack(len(data)) + data + b"".join(blobs))


class CountingStream:
    """A stream of endless bytes that records every read asked of it (a hostile sandbox that never stops)."""

    def __init__(self, head: bytes) -> None:
        self.head, self.asked = head, []

    def read(self, size: int) -> bytes:
        self.asked.append(size)
        if self.head:
            chunk, self.head = self.head[:size], self.head[size:]
            return chunk
        return b""  # what a cap lets through is refused as truncated: the test looks at what was asked


# -- round trips: what the grader relies on ------------------------------------------------------------------
VALUES = [
    3, -2.5, True, None, "text", float("nan"), float("inf"), -float("inf"),
    (np.arange(6.0).reshape(2, 3), {"stride": 2, "pad": 0}),
    [np.zeros((2, 0)), np.array(True), np.arange(3, dtype=np.int8), np.array([[1.5]], dtype=np.float32)],
    {"W1": np.ones((3, 3, 1, 2)), "nested": ({"deep": [1, (2, 3)]},)},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
@pytest.mark.parametrize("as_blobs", [False, True], ids=["json", "blobs"])
def test_values_cross_the_wall_unchanged(value, as_blobs):
    blobs: list[bytes] | None = [] if as_blobs else None
    stream = io.BytesIO()
    wire.send(stream, {"type": "call", "value": wire.pack(value, blobs)}, blobs or [])
    stream.seek(0)
    message = wire.receive(stream)
    assert wire.receive(stream) is None  # the whole message, and nothing else, was read
    got = wire.unpack(message["value"], message.get("blobs", []))
    assert _same(got, value)


def _same(got, expected) -> bool:
    if isinstance(expected, (np.ndarray, np.generic)):
        expected = np.asarray(expected)
        return (isinstance(got, np.ndarray) and got.dtype == expected.dtype and got.shape == expected.shape
                and np.array_equal(got, expected))
    if isinstance(expected, float) and np.isnan(expected):
        return isinstance(got, float) and np.isnan(got)
    if isinstance(expected, (tuple, list)):
        return type(got) is type(expected) and len(got) == len(expected) and all(map(_same, got, expected))
    if isinstance(expected, dict):
        return isinstance(got, dict) and got.keys() == expected.keys() and all(
            _same(got[key], expected[key]) for key in expected)
    return type(got) is type(expected) and got == expected


ARRAYS = [np.zeros((2, 3)), np.arange(5), np.float64(3.0), np.zeros((0, 4), dtype=bool),
          np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.zeros((1,) * 5, dtype=">i4"), np.arange(8.0)[::3],
          np.zeros(3, dtype=np.uint8), np.ones(2, dtype=np.float16), np.zeros(2, dtype=complex),
          np.array(["a", "b"]), np.zeros(2, dtype=[("a", "<f8")]), np.ones((7, 7, 7, 7))]


@pytest.mark.parametrize("array", ARRAYS, ids=range(len(ARRAYS)))
def test_arrays_are_the_bytes_numpy_writes_and_read_back_writable(array):
    """The wire's own .npy reader and writer (the fast path) agree with numpy's, byte for byte; what is read is
    a copy the learner's code may write into."""
    array = np.asarray(array)
    saved = io.BytesIO()
    np.save(saved, array, allow_pickle=False)
    assert wire._npy(array) == saved.getvalue()
    back = wire._array(saved.getvalue())
    assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)
    assert back.flags.writeable


PLAIN = [np.zeros((2, 3)), np.arange(5), np.array(3.0), np.zeros((0, 4), dtype=bool), np.zeros((1,) * 5, dtype=">i4"),
         np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.zeros(3, dtype=np.uint8), np.ones(2, dtype=np.float16),
         np.ones((2,) * 3 + (1,) * 29)]  # 32 axes, the most the wire writes itself
NOT_PLAIN = [np.zeros(2, dtype=complex), np.array(["a", "b"]), np.zeros(2, dtype=[("a", "<f8")]),
             np.ones((1,) * 33)]  # more axes than the wire's own writer takes (its reader takes them: plain)


def _numpy_npy_refused(*args, **kwargs):
    raise AssertionError("numpy's .npy reader or writer was used for a plain array")


@pytest.mark.parametrize("array", PLAIN, ids=range(len(PLAIN)))
def test_plain_arrays_cross_without_numpys_npy_reader_and_writer(array, monkeypatch):
    """The fast path is taken for every plain numeric or boolean array (the reason it exists): with numpy's
    np.save and np.load made to fail, such an array still crosses whole, in C and in Fortran order."""
    data = wire._npy(array)
    monkeypatch.setattr(wire.np, "save", _numpy_npy_refused)
    monkeypatch.setattr(wire.np, "load", _numpy_npy_refused)
    for sent in (array, np.asfortranarray(array)):
        back = wire.unpack(wire.pack(sent))
        assert back.dtype == sent.dtype and back.shape == sent.shape and np.array_equal(back, sent)
    assert wire._array(data).shape == array.shape


@pytest.mark.parametrize("array", NOT_PLAIN, ids=range(len(NOT_PLAIN)))
def test_other_arrays_go_through_numpy(array, monkeypatch):
    """What the wire's own writer does not take is written by numpy, and what its reader does not take (any
    dtype but a plain number or boolean) read by numpy (without pickles)."""
    saved = io.BytesIO()
    np.save(saved, array, allow_pickle=False)
    used = []
    save, load = np.save, np.load
    monkeypatch.setattr(wire.np, "save", lambda *a, **k: used.append("save") or save(*a, **k))
    monkeypatch.setattr(wire.np, "load", lambda *a, **k: used.append("load") or load(*a, **k))
    assert wire._npy(array) == saved.getvalue() and used == ["save"]
    back = wire._array(saved.getvalue())
    plain = array.dtype.kind in "biuf"
    assert used == ["save"] + ([] if plain else ["load"]) and back.dtype == array.dtype and back.shape == array.shape


def _npy(header: str, data: bytes) -> bytes:
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


@pytest.mark.parametrize("forged", [
    _npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000), }", b"\0" * 64),  # fewer bytes than said
    _npy("{'descr': '<f8', 'fortran_order': False, 'shape': (20,), }", b"\0" * 100),  # a little fewer bytes
    b"\x93NUMPX" + _npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", b"\0" * 8)[6:],  # not .npy
    _npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\0" * 8),  # objects
    _npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", b"\0" * 8),
    _npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), '__class__': 1}", b"\0" * 8),
], ids=["short", "a little short", "no magic", "object", "negative", "odd keys"])
def test_forged_array_headers_are_refused(forged):
    with pytest.raises(wire.WireError):
        wire.unpack({"array": base64.b64encode(forged).decode()})
    with pytest.raises(wire.WireError):  # the way answers come: as blobs
        wire.unpack({"blob": 0}, [forged])


@pytest.mark.parametrize("descr", ["<f1", "|b2", "<b8", "<i3"])
def test_a_header_of_a_type_numpy_does_not_know_is_refused_as_a_blob_too(descr):
    forged = _npy("{'descr': '%s', 'fortran_order': False, 'shape': (2,), }" % descr, b"\0" * 64)
    with pytest.raises(wire.WireError):
        wire.unpack({"blob": 0}, [forged])


def test_numpy_scalars_cross_as_python_numbers():
    got = wire.unpack(wire.pack([np.float32(1.5), np.int64(7), np.bool_(True), np.float64(np.nan)]))
    assert got[:3] == [1.5, 7, True] and [type(v) for v in got] == [float, int, bool, float] and np.isnan(got[3])


def test_several_messages_in_a_stream_come_one_at_a_time_then_none():
    stream = io.BytesIO()
    for number in range(3):
        wire.send(stream, {"n": number}, [bytes([number]) * number] if number else [])
    wire.send(stream, {"n": 3}, [b"", b"\x03"])  # an empty blob is a blob
    stream.seek(0)
    assert [wire.receive(stream) for _ in range(5)] == [
        {"n": 0}, {"n": 1, "blobs": [b"\x01"]}, {"n": 2, "blobs": [b"\x02\x02"]}, {"n": 3, "blobs": [b"", b"\x03"]},
        None]


# -- pickles: nothing runs ---------------------------------------------------------------------------------
class _WritesAFile:
    """Unpickling this runs ``open(path, "w").write(...)``: a side effect the test can see."""

    def __init__(self, path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return exec, (f"open({self.path!r}, 'w').write('unpickled')",)


@pytest.fixture
def pickled_array(tmp_path):
    """(.npy bytes of an object array whose unpickling writes a file, that file's path)."""
    marker = tmp_path / "ran"
    array = np.empty(1, dtype=object)
    array[0] = _WritesAFile(marker)
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue(), marker


def test_the_pickle_payload_is_real(pickled_array):
    """The control: loaded the way the wire must never load it, the payload runs."""
    data, marker = pickled_array
    np.load(io.BytesIO(data), allow_pickle=True)
    assert marker.read_text() == "unpickled"


def test_a_pickled_object_array_is_refused_and_never_unpickled(pickled_array):
    data, marker = pickled_array
    as_base64 = {"array": base64.b64encode(data).decode("ascii")}
    stream = framed(json.dumps({"type": "call", "value": {"blob": 0}, "blobs": [len(data)]}), data)
    as_blob = wire.receive(stream)
    for value, blobs in ((as_base64, []), (as_blob["value"], as_blob["blobs"])):
        with pytest.raises(wire.WireError):
            wire.unpack({"tuple": [{"value": 1}, value]}, blobs)
    assert not marker.exists()


@pytest.mark.parametrize("array", [np.array([{"a": 1}], dtype=object),
                                   np.array([(1, {"a": 1})], dtype=[("n", int), ("o", object)])],
                         ids=["objects", "record_with_an_object_field"])
def test_an_object_array_is_not_sent(array):
    with pytest.raises(wire.WireError):
        wire.pack((array,))
    with pytest.raises(wire.WireError):
        wire.pack((array,), [])


@pytest.mark.parametrize("value", [object(), {1, 2}, b"bytes", 1j, np.array([None, 1])],
                         ids=["object", "set", "bytes", "complex", "object_array"])
def test_values_of_other_types_are_not_sent(value):
    with pytest.raises(wire.WireError):
        wire.pack([value])


@pytest.mark.parametrize("bad", [
    {"array": "not base64!"}, {"array": base64.b64encode(b"not an npy file").decode()}, {"array": 3}, {"array": None},
    {"array": ["AAAA"]},
    {"blob": 1}, {"blob": -1}, {"blob": True}, {"blob": "0"}, {"tuple": {"a": 1}}, {"list": "abc"},
    {"dict": [1]}, {"dict": []}, {"value": []}, {"float": []}, {"blob": []}, {"float": "1.5"}, {"value": [1]},
    {"value": {"a": 1}}, {"code": "print()"},
    {"value": 1, "list": []}, {}, [], "value", 3,
], ids=repr)
def test_malformed_values_are_refused(bad):
    with pytest.raises(wire.WireError):
        wire.unpack(bad, [b"\x93NUMPY"])


# -- size: a cap is a cap, and what is over it is not read ------------------------------------------------------
def test_the_cap_is_at_most_what_a_worker_can_hold():
    """At most 256 MiB, what a grading worker may hold for one message (a cap of 256 GiB would be no cap)."""
    assert 64 * 2**20 <= wire.MAX_MESSAGE <= 256 * 2**20


def test_a_header_over_the_cap_is_refused_before_anything_past_it_is_read():
    stream = CountingStream(HEADER.pack(wire.MAX_MESSAGE + 1))
    with pytest.raises(wire.WireError, match="over the cap"):
        wire.receive(stream)
    assert stream.asked == [HEADER.size]


def test_a_header_at_the_cap_is_read():
    """The control for the test above: a message of exactly the cap is read (and here found truncated)."""
    stream = CountingStream(HEADER.pack(wire.MAX_MESSAGE))
    with pytest.raises(wire.WireError, match="truncated"):
        wire.receive(stream)
    assert stream.asked == [HEADER.size, wire.MAX_MESSAGE]


@pytest.mark.parametrize("sizes", [[wire.MAX_MESSAGE], [wire.MAX_MESSAGE // 2] * 2, [1, wire.MAX_MESSAGE - 1]],
                         ids=["one", "two_halves", "just_over"])
def test_blobs_over_the_cap_are_refused_before_any_is_read(sizes):
    data = json.dumps({"type": "call", "blobs": sizes}).encode()
    stream = CountingStream(HEADER.pack(len(data)) + data)
    with pytest.raises(wire.WireError, match="cap"):
        wire.receive(stream)
    assert stream.asked == [HEADER.size, len(data)]


def test_blobs_up_to_the_cap_are_read():
    top = wire.MAX_MESSAGE
    while len(data := json.dumps({"blobs": [top]}).encode()) + top != wire.MAX_MESSAGE:
        top = wire.MAX_MESSAGE - len(data)  # the message and its blob fill the cap exactly
    stream = CountingStream(HEADER.pack(len(data)) + data)
    with pytest.raises(wire.WireError, match="truncated"):
        wire.receive(stream)
    assert stream.asked == [HEADER.size, len(data), top]


@pytest.mark.parametrize("sizes", [[-1], [1.0], [True], ["1"], {"0": 1}, 3], ids=repr)
def test_malformed_blob_sizes_are_refused(sizes):
    with pytest.raises(wire.WireError):
        wire.receive(framed(json.dumps({"blobs": sizes}), b"x" * 8))


@pytest.mark.parametrize("stream", [
    HEADER.pack(5)[:4], HEADER.pack(10) + b"{}", HEADER.pack(2) + b"{]", HEADER.pack(2) + b"[]",
    HEADER.pack(3) + b"\xff\xfe\xfd", HEADER.pack(14) + b'{"blobs": [4]}' + b"abc",
], ids=["short_header", "short_body", "not_json", "not_an_object", "not_utf8", "short_blob"])
def test_broken_streams_are_refused(stream):
    with pytest.raises(wire.WireError):
        wire.receive(io.BytesIO(stream))


# -- depth ---------------------------------------------------------------------------------------------------
def nested(levels: int) -> object:
    """A value ``levels`` tuples deep, around 1."""
    value: object = 1
    for _ in range(levels):
        value = (value,)
    return value


def test_values_nested_up_to_the_limit_cross():
    deepest = nested(wire.MAX_DEPTH)
    assert wire.unpack(wire.pack(deepest)) == deepest


@pytest.mark.parametrize("container", ["tuple", "list", "dict"])
def test_every_kind_of_container_counts_one_level(container):
    value: object = 1
    for _ in range(wire.MAX_DEPTH):
        value = {"tuple": lambda v: (v,), "list": lambda v: [v], "dict": lambda v: {"k": v}}[container](value)
    assert wire.unpack(wire.pack(value)) == value
    with pytest.raises(wire.WireError):
        wire.unpack(wire.pack({"tuple": (value,), "list": [value], "dict": {"k": value}}[container]))


def test_a_value_nested_past_the_limit_is_refused():
    with pytest.raises(wire.WireError):
        wire.unpack(wire.pack(nested(wire.MAX_DEPTH + 1)))


def test_the_limit_holds_whatever_holds_the_values():
    value = {"dict": {"a": {"list": [{"dict": {"b": wire.pack(nested(wire.MAX_DEPTH - 1))}}]}}}
    with pytest.raises(wire.WireError):
        wire.unpack(value)


@pytest.mark.parametrize("levels", [1_000, 100_000], ids=["1000", "100000"])
def test_a_message_nested_deeper_than_python_can_parse_is_a_wire_error(levels):
    """It once raised RecursionError, which the zygote did not catch: it died, with the job's other calls."""
    body = '{"type": "call", "id": 0, "ok": true, "value": ' + "[" * levels + "]" * levels + "}"
    with pytest.raises(wire.WireError, match="too deep"):
        wire.receive(framed(body))


def test_a_message_nested_past_the_cap_but_parseable_is_refused():
    """Deep enough to trouble whoever writes it on (json.dumps recurses too), shallow enough to parse."""
    body = json.dumps({"type": "cell", "error": nested(wire.MAX_NESTING)})
    with pytest.raises(wire.WireError, match="too deep"):
        wire.receive(framed(body))


def test_a_message_nested_up_to_the_cap_is_read():
    value = [[[]]]
    for _ in range(wire.MAX_NESTING - 4):
        value = [value]
    message = {"type": "cell", "error": value}  # the message, then MAX_NESTING - 1 lists
    assert wire.receive(framed(json.dumps(message))) == message


def test_every_message_the_grader_sends_is_within_the_caps():
    """The deepest value that may cross, inside a timed call's inputs (the most deeply wrapped message)."""
    deepest = wire.pack(nested(wire.MAX_DEPTH))
    message = {"calls": [{"id": 0, "args": {"tuple": [deepest]}, "kwargs": {"dict": {}},
                          "runs": [{"args": {"tuple": [deepest]}, "kwargs": {"dict": {}}}]}]}
    stream = io.BytesIO()
    wire.send(stream, message)
    stream.seek(0)
    assert wire.receive(stream) == message


# -- through a real sandbox ----------------------------------------------------------------------------------
DEEP_ANSWER = """
import gc, io, os, struct

def _results_pipe():
    for candidate in gc.get_objects():
        if isinstance(candidate, io.BufferedWriter) and not candidate.closed and candidate.fileno() not in (1, 2):
            try:
                if os.fstat(candidate.fileno()).st_mode & 0o170000 == 0o010000:
                    return candidate
            except (OSError, ValueError):
                pass

def deep():
    data = ('{"type": "call", "id": 0, "ok": true, "value": ' + "[" * 100000 + "]" * 100000 + "}").encode()
    stream = _results_pipe()
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()
    return "after the deep message"

def honest(x):
    return 2 * x
"""


@pytest.mark.parametrize("isolate", [True, False], ids=["bubblewrap", "no_sandbox"])
def test_a_message_nested_100000_deep_from_learner_code_ends_its_call_as_garbled_not_a_timeout(isolate):
    if isolate and shutil.which("bwrap") is None:
        pytest.skip("needs bubblewrap")
    limits = Limits(call_seconds=30, submission_seconds=60)
    with Sandbox(limits, isolate=isolate) as sandbox:
        started = time.monotonic()
        outcome = sandbox.run([("deep", DEEP_ANSWER)], [Call(0, "deep", (), {}), Call(1, "honest", (4,), {})])
        took = time.monotonic() - started
    assert outcome.results[0]["stop"] == {"reason": "garbled"}
    assert outcome.results[1]["ok"] is True and wire.unpack(outcome.results[1]["value"]) == 8
    assert took < limits.call_seconds  # not a call that waited for its timeout
