"""Both ends of a sandbox job's answers, in-process: the cell runner that makes them (``cells.py``, the
child's side, run here without a jail) and the reading of them on the trusted side (``answers.py``).

The real sandbox runs the same code in a jailed child (tests/test_sandbox_*.py, tests/test_grading_*.py);
here each rule is held in milliseconds (``make mutation`` runs these first for both modules):

- a message forged by learner code reads as exactly one thing, every field of any type or missing,
  every text cut to its bound;
- cells run in order in one namespace, their IPython syntax turned into Python, a broken cell costing
  that cell only; a checkpoint takes the functions as they are then;
- an answer is a value, the error raised (its text and line bounded), too large, or missing; calls with
  the diagnosis's stand-ins say which helpers were called and which calls no table answered.
"""
from __future__ import annotations

import io

import numpy as np
import pytest

from autograder.diagnosis import oracle
from autograder.grading import answers, cells, wire
from autograder.verdict import Raised, Stop


# -- answers.py: reading a message ------------------------------------------------------------------------
def test_a_value_reads_as_the_value():
    answer = answers.read({"ok": True, "value": wire.pack((np.arange(3.0), 2))})
    assert answer.ok and not answer.missing and answer.stop is None and answer.raised is None
    np.testing.assert_array_equal(answer.value[0], np.arange(3.0))
    assert answer.value[1] == 2


@pytest.mark.parametrize("message", [None, {"missing": True}, {"missing": 1, "ok": True, "value": wire.pack(1)}])
def test_no_message_or_a_missing_function_reads_as_missing(message):
    assert answers.read(message) == answers.Answer(missing=True)
    assert not answers.read(message).ok  # only a value is ok


def test_only_a_value_is_ok_and_an_answer_stays_as_read():
    import dataclasses

    for message in ({"aborted": True}, {"too_large": 9}, {"ok": False, "unreadable": True},
                    {"ok": False, "error_type": "E", "error_message": "m"}):
        assert not answers.read(message).ok
    answer = answers.read({"ok": True, "value": wire.pack(1)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.value = 2


def test_a_stopped_call_reads_as_its_stop_and_a_skipped_one_as_not_timed():
    assert answers.read({"aborted": True, "stop": {"reason": "memory", "limit_mib": 64, "used_mib": 70,
                                                   "seconds": 2, "status": 9}}) == answers.Answer(
        stop=Stop("memory", 2.0, 64, 70, 9))
    assert answers.read({"aborted": True, "stop": "anything"}) == answers.Answer(stop=Stop("no_answer"))
    assert answers.read({"skipped": True, "stop": {"reason": "memory"}}) == answers.Answer(stop=Stop("not_timed"))
    assert answers.read({"aborted": True, "skipped": True, "stop": {"reason": "exited"}}).stop == Stop("exited")


def test_a_stop_keeps_only_values_of_the_right_type_and_a_bounded_reason():
    assert answers.stop({"reason": "x" * 1000}).reason == "x" * answers.TYPE_KEPT
    assert answers.stop({"reason": "m", "seconds": 1.5, "limit_mib": 1.5, "used_mib": True, "status": "9"}) == \
        Stop("m", 1.5, None, None, None)
    assert answers.stop({"reason": "m", "seconds": "1", "limit_mib": 3, "used_mib": 4, "status": -9}) == \
        Stop("m", None, 3, 4, -9)
    assert answers.stop({"reason": "m", "seconds": True}).seconds is None
    assert answers.stop({"reason": 3}) == Stop("no_answer") and answers.stop(None) == Stop("no_answer")


def test_too_large_reads_as_its_size_whatever_it_holds():
    assert answers.read({"too_large": 5000, "ok": True, "value": wire.pack(1)}) == answers.Answer(too_large=5000)
    assert answers.read({"too_large": "big"}) == answers.Answer(too_large=0)
    assert answers.read({"too_large": 0}) != answers.Answer(too_large=0)  # 0 is no size: read on


@pytest.mark.parametrize("message", [{"ok": False, "unreadable": "x"}, {"ok": False, "unsendable": "too deep"},
                                     {"ok": True, "value": {"array": 3}}, {"ok": True}])
def test_what_cannot_be_read_or_sent_reads_as_unreadable(message):
    assert answers.read(message) == answers.Answer(unreadable=True)


def test_an_error_reads_as_raised_with_its_type_message_line_and_place():
    answer = answers.read({"ok": False, "error_type": "ValueError", "error_message": "shapes differ",
                           "line": "Z = W @ A", "where": "conv_forward"})
    assert answer == answers.Answer(raised=Raised("ValueError", "shapes differ", "Z = W @ A", "conv_forward"))
    stub = answers.read({"ok": False, "error_type": "NotImplementedError", "error_message": ""})
    assert stub.not_implemented and stub.raised.type == "NotImplementedError"
    flagged = answers.read({"ok": False, "error_type": "MyError", "error_message": "", "not_implemented": True})
    assert flagged.not_implemented
    assert not answers.read({"ok": False, "error_type": "E", "error_message": "", "not_implemented": 1}).not_implemented
    assert not answers.read({"ok": False, "error_type": "E", "error_message": ""}).not_implemented


def test_an_error_is_read_from_its_text_when_its_fields_are_not_strings():
    assert answers.raised({"error": "KeyError: 'W'"}) == Raised("KeyError", "'W'")
    assert answers.raised({"error_type": 3, "error_message": "m", "error": "TypeError: t"}) == Raised("TypeError", "t")
    assert answers.raised({"error_type": "T", "error_message": None, "error": "ValueError: v"}) == \
        Raised("ValueError", "v")
    assert answers.raised({"error": "it broke"}) == Raised("Exception", "it broke")


def test_an_errors_texts_are_bounded_and_its_place_must_be_a_name():
    error = answers.raised({"error_type": "T" * 1000, "error_message": "m" * 5000, "line": "l" * 1000,
                            "where": "f" * 101})
    assert (len(error.type), len(error.message), len(error.line)) == (
        answers.TYPE_KEPT, answers.MESSAGE_KEPT, answers.LINE_KEPT)
    assert error.where == "f" * 101
    for where in ("f" * 102, "1f", "f.g", "f g", "", 7, None, "f\n"):
        assert answers.raised({"error_type": "T", "error_message": "", "where": where}).where is None
    assert answers.raised({"error_type": "T", "error_message": "", "line": 5}).line is None
    assert answers.raised({"error_type": "T", "error_message": "", "where": "_f9"}).where == "_f9"


# -- cells.py: the child's side ---------------------------------------------------------------------------
def messages(stream: io.BytesIO) -> list[dict]:
    stream.seek(0)
    found = []
    while (message := wire.receive(stream)) is not None:
        found.append(message)
    return found


def runner(answer_bytes: int = 10 ** 6) -> tuple[cells.CellRunner, io.BytesIO]:
    stream = io.BytesIO()
    return cells.CellRunner(stream, answer_bytes), stream


def test_python_of_leaves_python_alone_and_turns_ipython_syntax_into_python():
    assert cells.python_of("x = 1\n") == "x = 1\n"
    turned = cells.python_of("%time y = 2\n!pip install torch\n")
    assert "get_ipython().run_line_magic('time', 'y = 2')" in turned and "get_ipython().system(" in turned
    assert cells.python_of("def (:\n") == "def (:\n"  # neither: left for the cell's own SyntaxError


def test_cells_run_in_order_in_one_namespace_and_a_broken_cell_costs_that_cell_only():
    run, stream = runner()
    run.run_cells([{"label": "a", "code": "x = 2"}, {"label": "b", "code": "y = x * undefined"},
                   {"label": "c", "code": "%time z = x + 1\n%timeit -n 3 -r 2 w = z * 2\n%matplotlib inline\n"
                                          "!ls\n%%capture\n"},
                   {"label": "d", "code": "%%time\nv = w + 1\n"}, {"label": "e", "code": "%%bash\nq = 1\n"},
                   {"label": "f", "code": "raise SystemExit(3)"}, {"label": "g", "code": "display(v); out = 1"}])
    sent = messages(stream)
    assert [m["label"] for m in sent] == list("abcdefg") and all(m["type"] == "cell" for m in sent)
    assert [m["label"] for m in sent if m.get("error")] == ["b", "f"]
    assert sent[1]["error_type"] == "NameError" and sent[1]["line"] == "y = x * undefined"
    assert sent[1]["at"] == ["b", 1] and sent[1]["where"] == "<module>"
    assert sent[5]["error_type"] == "SystemExit"
    assert (run.scope["z"], run.scope["w"], run.scope["v"], run.scope["out"]) == (3, 6, 7, 1)
    assert "q" not in run.scope  # another magic's body is not run
    shell = cells.Shell({}, "<cell x>")
    assert shell.getoutput("ls") == [] and shell.system("ls") is None and shell.magic("time 1") is None


def test_a_checkpoint_takes_the_functions_as_they_are_then():
    run, stream = runner()
    run.run_cells([{"label": "f", "code": "def f(): return 1\nnot_a_function = 3"},
                   {"label": "test_f", "code": "", "takes": ["f", "g", "not_a_function"]},
                   {"label": "later", "code": "def f(): return 2\ndef g(): return 3"}])
    assert messages(stream)[1] == {"type": "cell", "label": "test_f", "error": None}
    assert run.function("f")() == 1  # as the checkpoint saw it
    assert run.scope["f"]() == 2 and len(messages(stream)) == 3  # and the cells after it ran too
    assert run.function("g") is None  # not defined at the checkpoint: missing
    assert run.function("not_a_function") is None
    assert run.function("later_name") is None
    run.scope["h"] = lambda: 4
    assert run.function("h")() == 4  # not taken at any checkpoint: as it is now


def test_an_error_message_is_bounded_and_points_at_the_learners_line():
    run, stream = runner()
    run.run_cells([{"label": "c1", "code": "def f(x):\n    y = x + 1\n    raise ValueError('v' * 5000)\n"}])
    message = run.answer(run.scope["f"], wire.pack((1,)), wire.pack({}))
    assert message["ok"] is False and message["error_type"] == "ValueError"
    assert message["error_message"] == "v" * cells.ERROR_KEPT and message["error"].startswith("ValueError: vvv")
    assert len(message["error"]) == len("ValueError: ") + cells.ERROR_KEPT
    assert message["line"] == "raise ValueError('v' * 5000)" and message["where"] == "f" and message["at"] == ["c1", 3]
    assert message["not_implemented"] is False
    stub = cells.error_message(NotImplementedError())
    assert stub["not_implemented"] is True and stub["line"] is None and stub["where"] is None and stub["at"] is None

    class Rude(Exception):
        def __str__(self):
            raise RuntimeError("no")
    assert cells.error_message(Rude())["error_message"] == ""
    long_line = cells.error_message(_raise_in_cell("x = 1; " * 1000 + "undefined"))
    assert len(long_line["line"]) == cells.ERROR_KEPT


def _raise_in_cell(code: str) -> BaseException:
    import linecache

    try:
        linecache.cache["<cell long>"] = (len(code), None, [code], "<cell long>")
        exec(compile(code, "<cell long>", "exec"), {})
    except BaseException as error:
        return error
    raise AssertionError("it ran")


def test_packed_size_counts_arrays_at_their_size_and_containers_by_their_items():
    assert cells.packed_size(np.zeros(300, dtype=np.uint8)) == 300 * 4 // 3 + 128
    assert cells.packed_size(np.zeros(3, dtype=np.float64)) == 24 * 4 // 3 + 128
    assert cells.packed_size(np.zeros(10, dtype=np.uint8)) == 13 + 128  # base64's 4/3, in whole bytes
    assert cells.packed_size((np.zeros(3), "abc")) == 16 + (32 + 128) + (3 + 16)
    assert cells.packed_size([1, 2.0]) == 16 + 32 + 32
    assert cells.packed_size({"ab": np.zeros(6, dtype=np.uint8), 7: None}) == 16 + 2 + (8 + 128) + 1 + 32


def test_an_answer_is_a_value_or_too_large_at_its_bound():
    run, _ = runner(answer_bytes=cells.packed_size(np.zeros(30)))
    assert run.answer(lambda n: np.zeros(n), wire.pack((30,)), wire.pack({}))["ok"] is True
    assert run.answer(lambda n: np.zeros(n), wire.pack((31,)), wire.pack({})) == {
        "ok": False, "too_large": cells.packed_size(np.zeros(31))}
    message = run.answer(lambda a, b=0: a * 2 + b, wire.pack((np.arange(3.0),)), wire.pack({"b": 1}))
    np.testing.assert_array_equal(wire.unpack(message["value"]), np.arange(3.0) * 2 + 1)
    blobs: list[bytes] = []
    message = run.answer(lambda a: a, wire.pack((np.arange(4.0),)), wire.pack({}), reply_blobs=blobs)
    assert blobs and message["ok"]
    np.testing.assert_array_equal(wire.unpack(message["value"], blobs), np.arange(4.0))


def test_calls_are_answered_in_order_a_missing_function_as_missing():
    run, stream = runner()
    run.run_cells([{"label": "f", "code": "def f(x):\n    return x + 1\ndef g(x):\n    return f(x) * 2\n"}])
    stream.seek(0)
    stream.truncate()
    run.run_calls([{"id": 0, "function": "f", "args": wire.pack((1,)), "kwargs": wire.pack({})},
                   {"id": 1, "function": "nope", "args": wire.pack(()), "kwargs": wire.pack({})},
                   {"id": 2, "function": "g", "args": wire.pack((1,)), "kwargs": wire.pack({}), "trace": ["f"]}],
                  io.BytesIO())
    sent = messages(stream)
    assert [m["id"] for m in sent] == [0, 1, 2] and all(m["type"] == "call" for m in sent)
    assert sent[0] == {"type": "call", "id": 0, "ok": True, "value": wire.pack(2)}
    assert sent[1] == {"type": "call", "id": 1, "error": None, "missing": True}
    assert sent[2]["value"] == wire.pack(4) and sent[2]["traced"] == ["f"]
    assert run.scope["f"](1) == 2 and not hasattr(run.scope["f"], "__wrapped__")  # put back after the call


def table(function, *calls) -> dict:
    """A stand-in's table as the wire carries it: {key of the arguments: answer}."""
    return oracle.table_to_data({oracle.key(args): function(*args) for args in calls}, wire.pack)


def test_stand_ins_answer_from_their_table_and_the_calls_they_miss_are_sent():
    run, _ = runner()
    run.run_cells([{"label": "f", "code": "def h(x):\n    return x + 100\n"
                                          "def g(x):\n    return h(x) + h(x + 1)\n"
                                          "def k(x):\n    return 0\n"}])
    g = run.scope["g"]
    answered = run.answer_standing_in(g, {"args": wire.pack((1,)), "kwargs": wire.pack({}), "trace": ["k"],
                                          "answers": {"h": table(lambda x: x * 10, (1,), (2,))}})
    assert wire.unpack(answered["value"]) == 30 and answered["traced"] == ["h"] and "missed" not in answered
    missed = run.answer_standing_in(g, {"args": wire.pack((5,)), "kwargs": wire.pack({}),
                                        "answers": {"h": table(lambda x: x * 10, (5,))}})
    assert wire.unpack(missed["value"]) == 50 + 106  # the miss answered by the learner's own h
    assert {name: wire.unpack(calls) for name, calls in missed["missed"].items()} == {"h": [((6,), {})]}
    broken = run.answer_standing_in(g, {"args": wire.pack((1,)), "kwargs": wire.pack({}),
                                        "answers": {"h": {"keys": 3}}})
    assert wire.unpack(broken["value"]) == 101 + 102 and broken["traced"] == []  # an unreadable table: none


def test_the_calls_a_stand_in_missed_are_not_sent_over_the_answers_bound():
    run, _ = runner(answer_bytes=400)
    run.run_cells([{"label": "f", "code": "import numpy as np\ndef h(x):\n    return 1\n"
                                          "def g(x):\n    return h(x)\n"}])
    call = {"args": wire.pack((np.zeros(200),)), "kwargs": wire.pack({}),
            "answers": {"h": table(lambda x: 5, (np.ones(2),))}}
    message = run.answer_standing_in(run.scope["g"], call)
    assert message["unkeyable"] is True and "missed" not in message and wire.unpack(message["value"]) == 1
    run.answer_bytes = 10 ** 6
    message = run.answer_standing_in(run.scope["g"], call)
    assert "unkeyable" not in message and set(message["missed"]) == {"h"}


@pytest.mark.parametrize("tables", [
    {"h": {"keys": 3}},  # not an array on the wire: WireError
    {"h": {"numbers": wire.pack(np.zeros(1))}},  # no keys: KeyError
    {"h": 3},  # not a table at all: TypeError
    {"h": {"keys": wire.pack(np.zeros(5, dtype=np.uint8)), "numbers": wire.pack(np.zeros(1))}},  # ValueError
], ids=["wire", "key", "type", "value"])
def test_a_table_that_cannot_be_read_answers_nothing_and_the_call_runs_on(tables):
    run, _ = runner()
    run.run_cells([{"label": "f", "code": "def h(x):\n    return x + 100\ndef g(x):\n    return h(x)\n"}])
    message = run.answer_standing_in(run.scope["g"], {"args": wire.pack((1,)), "kwargs": wire.pack({}),
                                                      "answers": tables})
    assert wire.unpack(message["value"]) == 101 and message["traced"] == [] and "missed" not in message


def test_the_missed_calls_are_sent_up_to_the_answers_bound_exactly():
    run, _ = runner()
    run.run_cells([{"label": "f", "code": "def h(x):\n    return 1\ndef g(x):\n    return h(x)\n"}])
    call = {"args": wire.pack((np.zeros(200),)), "kwargs": wire.pack({}),
            "answers": {"h": table(lambda x: 5, (np.ones(2),))}}
    run.answer_bytes = cells.packed_size({"h": wire.pack([((np.zeros(200),), {})])})
    assert "missed" in run.answer_standing_in(run.scope["g"], call)
    run.answer_bytes -= 1
    assert run.answer_standing_in(run.scope["g"], call)["unkeyable"] is True


def test_a_missed_call_that_cannot_cross_the_wire_is_said_unkeyable():
    run, _ = runner()
    run.run_cells([{"label": "f", "code": "def h(x):\n    return 1\ndef g(x):\n    return h(object())\n"}])
    message = run.answer_standing_in(run.scope["g"], {"args": wire.pack((1,)), "kwargs": wire.pack({}),
                                                      "answers": {"h": table(lambda x: 5, (2,))}})
    assert message["unkeyable"] is True and "missed" not in message and wire.unpack(message["value"]) == 1
