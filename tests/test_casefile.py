"""The case file's on-disk form (autograder.casefile): what is written is read back, byte for byte reproducible.

Every value a case holds (arrays, tuples, lists, dicts, numbers, strings, None)
comes back equal, arrays as fresh copies; a value that cannot be stored is
refused; two writes of the same data give the same bytes; the comparison of
two case files tolerates only floating-point rounding in float arrays.
"""
from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest

import autograder
from autograder import casefile
from instructor import drift
from instructor.assignments import REGISTRY

RNG = np.random.default_rng(3)
VALUE = (RNG.standard_normal((2, 3, 4)), {"stride": 2, "pad": 0, "mode": "max"}, [np.arange(3), None, True, 2.5],
         np.float64(1.25), np.int32(4), np.array(True))


def round_trip(value):
    store = casefile.ArrayStore()
    encoded = json.loads(json.dumps(casefile.encode(value, store)))
    return casefile.decode(encoded, store.arrays), store


def test_values_come_back_equal():
    back, store = round_trip(VALUE)
    assert isinstance(back, tuple) and len(back) == len(VALUE)
    assert np.array_equal(back[0], VALUE[0]) and back[0].dtype == VALUE[0].dtype
    assert back[1] == VALUE[1] and isinstance(back[2], list)
    assert np.array_equal(back[2][0], np.arange(3)) and back[2][1:] == [None, True, 2.5]
    assert back[3] == 1.25 and type(back[3]) is float and back[4] == 4 and type(back[4]) is int
    assert back[5].shape == () and bool(back[5]) is True
    assert sorted(store.arrays) == ["a0", "a1", "a2"]


def test_arrays_are_stored_and_read_as_copies():
    array = np.zeros(3)
    store = casefile.ArrayStore()
    encoded = casefile.encode((array,), store)
    array[0] = 5.0  # the caller changes its array after storing it
    assert store.arrays["a0"][0] == 0.0
    first, second = casefile.decode(encoded, store.arrays)[0], casefile.decode(encoded, store.arrays)[0]
    first[1] = 7.0  # a learner's function changes its input
    assert second[1] == 0.0 and store.arrays["a0"][1] == 0.0


@pytest.mark.parametrize("value", [object(), {1, 2}, b"x", 1j], ids=["object", "set", "bytes", "complex"])
def test_values_that_cannot_be_stored_are_refused(value):
    with pytest.raises(TypeError):
        casefile.encode([value], casefile.ArrayStore())


def test_an_unknown_entry_is_refused():
    with pytest.raises(ValueError):
        casefile.decode({"code": "print()"}, {})


def test_a_written_case_file_is_read_back_and_reproducible(tmp_path):
    store = casefile.ArrayStore()
    manifest = {"functions": {"f": {"args": casefile.encode(VALUE, store)}}, "b": 1, "a": [1, 2]}
    casefile.write("demo", manifest, store, tmp_path / "one")
    casefile.write("demo", manifest, store, tmp_path / "two")
    for suffix in (".json", ".npz"):
        assert (tmp_path / "one" / f"demo{suffix}").read_bytes() == (tmp_path / "two" / f"demo{suffix}").read_bytes()
    read_manifest, arrays = casefile.read("demo", tmp_path / "one")
    assert read_manifest == manifest
    assert sorted(arrays) == sorted(store.arrays)
    assert all(np.array_equal(arrays[key], store.arrays[key]) for key in arrays)
    assert (tmp_path / "one" / "demo.json").read_text().endswith("}\n")
    assert casefile.paths("demo", tmp_path) == (tmp_path / "demo.json", tmp_path / "demo.npz")


def test_a_missing_case_file_says_to_reinstall(tmp_path):
    with pytest.raises(FileNotFoundError, match="reinstall"):
        casefile.read("nothing", tmp_path)


def _written(tmp_path, name: str, arrays: dict, manifest: dict | None = None):
    store = casefile.ArrayStore()
    store.arrays.update(arrays)
    casefile.write("demo", manifest or {"x": 1}, store, tmp_path / name)
    return casefile.paths("demo", tmp_path / name)


@pytest.mark.parametrize("change, same", [
    (lambda a: {"a0": a["a0"] * (1 + 1e-12), "a1": a["a1"]}, True),  # rounding in a float array
    (lambda a: {"a0": a["a0"] * (1 + 1e-6), "a1": a["a1"]}, False),
    (lambda a: {"a0": a["a0"], "a1": a["a1"] + 1}, False),  # integers must be equal
    (lambda a: {"a0": a["a0"].astype(np.float32), "a1": a["a1"]}, False),
    (lambda a: {"a0": a["a0"][:1], "a1": a["a1"]}, False),
    (lambda a: {"a0": a["a0"]}, False),
    (lambda a: {**a, "a2": np.zeros(1)}, False),
    (lambda a: {"a0": a["a0"], "a1": a["a1"].astype(np.int32)}, False),
], ids=["rounding", "float_change", "int_change", "dtype", "shape", "fewer", "more", "int_dtype"])
def test_case_files_are_the_same_up_to_rounding_only(tmp_path, change, same):
    arrays = {"a0": RNG.standard_normal((3, 2)), "a1": np.arange(4)}
    left = _written(tmp_path, "left", arrays)
    right = _written(tmp_path, "right", change(arrays))
    assert (drift.differences(left[0], right[0]) == []) is same


def test_manifests_are_compared_as_data(tmp_path):
    left = _written(tmp_path, "left", {}, {"a": 1, "b": [1, 2]})
    right = _written(tmp_path, "right", {}, {"b": [1, 2], "a": 1})
    other = _written(tmp_path, "other", {}, {"a": 1, "b": [2, 1]})
    assert drift.differences(left[0], right[0]) == [] and drift.differences(left[0], other[0]) != []


def test_nan_equals_nan_in_a_case_file(tmp_path):
    arrays = {"a0": np.array([np.nan, 1.0])}
    assert drift.differences(_written(tmp_path, "left", arrays)[0], _written(tmp_path, "right", arrays)[0]) == []


def test_a_case_file_is_written_into_folders_made_as_needed_and_again_over_itself(tmp_path):
    store = casefile.ArrayStore()
    manifest = {"args": casefile.encode((np.ones(2),), store)}
    folder = tmp_path / "new" / "data"
    casefile.write("demo", manifest, store, folder)
    casefile.write("demo", manifest, store, folder)
    assert casefile.read("demo", folder)[0] == manifest


@pytest.mark.parametrize("assignment", ["conv_step_by_step"])  # the others are the same code, and larger
def test_the_shipped_case_files_are_in_the_form_write_gives(tmp_path, assignment):
    """Rewritten from their own data, the shipped files come out the same: the same JSON text, the same
    archive entries with the same fixed time (so that a rebuild changes no byte that the data does not)."""
    import zipfile

    manifest, arrays = casefile.read(assignment, casefile.DATA_DIR)
    store = casefile.ArrayStore()
    store.arrays.update(arrays)
    casefile.write(assignment, manifest, store, tmp_path)
    shipped, written = casefile.paths(assignment, casefile.DATA_DIR), casefile.paths(assignment, tmp_path)
    assert written[0].read_text() == shipped[0].read_text()
    with zipfile.ZipFile(shipped[1]) as left, zipfile.ZipFile(written[1]) as right:
        assert [(i.filename, i.date_time, i.compress_type) for i in left.infolist()] == \
               [(i.filename, i.date_time, i.compress_type) for i in right.infolist()]
        assert {i.date_time for i in right.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert drift.differences(shipped[0], written[0]) == []


def test_an_object_array_is_never_written(tmp_path):
    store = casefile.ArrayStore()
    store.add(np.array([{"code": 1}], dtype=object))
    with pytest.raises(ValueError):
        casefile.write("demo", {}, store, tmp_path)


class _WritesAFile:
    def __init__(self, path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return exec, (f"open({self.path!r}, 'w').write('unpickled')",)


def test_a_case_file_holding_a_pickle_is_refused_and_never_unpickled(tmp_path):
    import io
    import zipfile

    marker = tmp_path / "ran"
    array = np.empty(1, dtype=object)
    array[0] = _WritesAFile(marker)
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    (tmp_path / "demo.json").write_text("{}")
    with zipfile.ZipFile(tmp_path / "demo.npz", "w") as archive:
        archive.writestr("a0.npy", buffer.getvalue())
    with pytest.raises(ValueError):
        casefile.read("demo", tmp_path)
    assert not marker.exists()


def test_the_same_data_built_in_another_order_gives_the_same_bytes(tmp_path):
    store = casefile.ArrayStore()
    store.add(np.arange(3))
    casefile.write("demo", {"b": {"y": 1, "x": 2}, "a": 1}, store, tmp_path / "one")
    casefile.write("demo", {"a": 1, "b": {"x": 2, "y": 1}}, store, tmp_path / "two")
    assert (tmp_path / "one" / "demo.json").read_bytes() == (tmp_path / "two" / "demo.json").read_bytes()


def test_the_manifest_is_read_through_typed_accessors():
    """:class:`casefile.Manifest` is the one reader of a stored manifest's functions: every graded function
    in order, with its outputs, calls, cases and probes as stored, each case and probe a typed
    :class:`casefile.StoredCase` that holds all of its entry (written back, it is the entry as stored)."""
    for assignment in ("conv_step_by_step", "conv_vectorized", "conv_application"):
        raw, _ = casefile.read(assignment, casefile.DATA_DIR)
        manifest = casefile.Manifest(raw)
        assert list(manifest.functions) == list(raw["functions"]) and manifest.hints == raw.get("hints", {})
        for name, stored in raw["functions"].items():
            entry = manifest.function(name)
            assert name in manifest and entry.name == name
            assert list(entry.outputs) == stored["outputs"] and list(entry.calls) == stored.get("calls", [])
            assert all(isinstance(case, casefile.StoredCase) for case in entry.items("case") + entry.items("probe"))
            assert [case.stored() for case in entry.items("case")] == stored["cases"]
            assert [probe.stored() for probe in entry.items("probe")] == stored.get("probes", [])
            assert all(probe.edge is not None and probe.hidden and not probe.is_speed for probe in entry.probes)
            assert all(case.edge is None and (case.budget is not None) == case.is_speed for case in entry.cases)
        assert "no_such_function" not in manifest
        with pytest.raises(KeyError):
            manifest.function("no_such_function")


def test_no_module_reads_a_manifests_functions_by_key_but_casefile():
    import re
    from pathlib import Path

    root = Path(casefile.__file__).resolve().parent.parent
    pattern = re.compile(r"""manifest\w*(?:\.raw)?(?:\["functions"\]|\.get\("functions")""")
    readers = [str(path.relative_to(root)) for tree in ("autograder", "instructor", "bench")
               for path in sorted((root / tree).rglob("*.py")) if pattern.search(path.read_text())]
    assert readers == []  # casefile.Manifest reads its own raw JSON


# What a stored case or probe holds (casefile.StoredCase), and what its mistakes, budget and timed runs hold: read by
# attribute outside casefile.py, never by key. The sandbox's messages (calls, answers, timed runs on the wire)
# are dicts of their own modules (grading/wire.py, answers.py, timing.py, cells.py, sandbox.py, zygote.py) and are
# read as variables of their own names (call, message, run, order, inputs), which the scan leaves alone.
CASE_KEYS = ("id", "hidden", "kind", "description", "args", "kwargs", "expected", "tolerance", "mistakes",
             "factors", "facts", "answers", "budget", "runs", "parent", "factor", "value", "parent_value", "depth",
             "output", "raises", "calibration")
CASE_NAMES = r"(?:case|probe|entry|item|stored|lesson|mistake|m|first|timed|speed_case|left|right)"
CASE_BY_KEY = re.compile(rf"""\b{CASE_NAMES}(?:\[["'](?:{"|".join(CASE_KEYS)})["']\]"""
                         rf"""|\.get\(["'](?:{"|".join(CASE_KEYS)})["']"""
                         rf"""|\[["']budget["']\]\[)""")


def _case_readers(trees: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[str]:
    from pathlib import Path

    root = Path(casefile.__file__).resolve().parent.parent
    return [f"{path.relative_to(root)}:{number}: {line.strip()}" for tree in trees
            for path in sorted((root / tree).rglob("*.py")) if str(path.relative_to(root)) not in skip
            for number, line in enumerate(path.read_text().splitlines(), 1) if CASE_BY_KEY.search(line)]


def test_no_module_reads_a_case_by_key_but_casefile():
    """A case or probe is read through :class:`casefile.StoredCase` (and its :class:`casefile.MistakeMark`,
    :class:`casefile.Budget`, :class:`casefile.TimedRun`): casefile.py reads the stored entry, nobody else
    does. The build (instructor/build.py) writes entries and instructor/drift.py compares two manifests as
    JSON trees: neither reads a case."""
    readers = _case_readers(("autograder", "instructor", "bench"),
                            skip=("autograder/casefile.py", "instructor/build.py", "instructor/drift.py"))
    assert readers == []


def test_the_case_scan_finds_a_case_read_by_key(tmp_path):
    """The scan above can fail: it sees the reads it forbids, by key and by ``.get``."""
    for line in ('tolerance = Tolerance(**case["tolerance"])', "if case.get('kind') == 'speed':",
                 'found.append(mistake["id"])', 'allowed = allowed_time(case["budget"]["factor"], 1)',
                 'parent = entry.get("parent")', 'table = item["answers"]'):
        assert CASE_BY_KEY.search(line), line
    for line in ('send({"id": call["id"]})', 'if message.get("kind") == "added":', 'run["calibration"] or x',
                 'case.tolerance', 'raw["id"]'):
        assert not CASE_BY_KEY.search(line), line


def test_a_manifest_and_its_entries_cannot_be_changed_once_read():
    """A plan and the checks share one manifest: nobody may rebind what it holds."""
    import dataclasses

    manifest = casefile.Manifest(casefile.read("conv_step_by_step", casefile.DATA_DIR)[0])
    entry = manifest.function("conv_forward")
    with pytest.raises(dataclasses.FrozenInstanceError):
        manifest.raw = {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.cases = ()


@pytest.mark.parametrize("assignment", sorted(REGISTRY))
def test_no_two_cases_or_probes_of_a_function_share_an_id(assignment):
    """The diagnosis knows a run by its id: a probe named like a hidden case (pool_forward's overlap_average) took
    the case's place in the factor readings, and a learner's average divided by f went unnamed."""
    case_file = autograder.checks(assignment).case_file
    for function in case_file.functions:
        entry = case_file.function(function)
        ids = [case.id for case in entry.cases if not case.is_speed] + [probe.id for probe in entry.probes]
        assert len(ids) == len(set(ids)), (function, sorted(i for i in ids if ids.count(i) > 1))


def test_an_assignment_with_two_runs_of_a_function_under_one_id_is_refused():
    step = REGISTRY["conv_step_by_step"]
    twice = tuple(step.cases) + tuple(dataclasses.replace(case, hidden=True) for case in step.cases_of("zero_pad")[:1])
    with pytest.raises(ValueError, match="zero_pad has two cases or probes named lesson"):
        dataclasses.replace(step, cases=twice)
