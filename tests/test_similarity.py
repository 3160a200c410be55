"""`autograder similarity`: disguised copies rank above independent solutions; the report an instructor reads.

Every class here is a real nbgrader course in ``tmp_path``: the kit's release
of conv_step_by_step (or a release made here, with a guided skeleton), and
notebooks written with nbformat under ``submitted/``. The solutions are the
instructor notebook's and three independent implementations in other styles
(``bench/similarity.py``, checked against the reference below); the disguises
are that file's too. Nothing a submission holds is ever run by the tool.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import string
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.similarity import cli, entries, extract, normalize, report
from autograder.similarity import compare as compare_module
from autograder.similarity.compare import DEFAULT_THRESHOLD, Entry, compare
from autograder.messages import CATALOGUES
from bench.similarity import DISGUISES, IMPLEMENTATIONS, reference_solution

WORDS = {language: {key.removeprefix("similarity."): text for key, text in words.items()
                    if key.startswith("similarity.")} for language, words in CATALOGUES.items()}

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "conv_step_by_step"
RELEASE = REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
SOLUTIONS = {"reference": reference_solution(), **IMPLEMENTATIONS}


# -- building courses -----------------------------------------------------------------------------------------
def filled_notebook(release: Path, cells: dict[str, str], own_cell: str | None = None) -> nbformat.NotebookNode:
    """The release with the solution cells named in ``cells`` replaced, plus a learner's own cell if given."""
    notebook = nbformat.read(release, as_version=4)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in cells:
            cell.source = cells[meta["grade_id"]]
    if own_cell is not None:
        notebook.cells.append(nbformat.v4.new_code_cell(own_cell))
    return notebook


def make_course(root: Path, submissions: dict[str, dict[str, str] | bytes], release: Path = RELEASE) -> Path:
    """A course at ``root``: ``release`` as the release notebook, and one notebook per student.

    A submission is {grade_id: code} (filled into the release, with an own cell of the learner's) or the bytes
    of the notebook file itself.
    """
    (root / "release" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(release, root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    for student, content in submissions.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        path = folder / f"{ASSIGNMENT}.ipynb"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            own = f"%matplotlib inline\n!ls\nimport numpy as np\nprint({student!r})"
            nbformat.write(filled_notebook(release, content, own), path)
    return root


def similarity(course: Path, *options: str) -> dict:
    """Run the command on ``course`` (in this process) and return its JSON report."""
    assert cli.main([ASSIGNMENT, "--course", str(course), "--no-progress", *options]) == 0
    return json.loads((course / "reports" / ASSIGNMENT / "similarity.json").read_text(encoding="utf-8"))


def disguised(cells: dict[str, str], disguise: str, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    return {name: DISGUISES[disguise](code, rng) for name, code in cells.items()}


def overall(data: dict) -> dict[frozenset, float]:
    return {frozenset((pair["a"], pair["b"])): pair["overall"] for pair in data["pairs"]}


# -- the test data is what it claims to be -----------------------------------------------------------------
def _namespace(cells: dict[str, str]) -> dict:
    scope = {"np": np}
    for code in cells.values():
        exec(code, scope)  # trusted test data, not a submission
    return scope


@pytest.mark.parametrize("style", list(IMPLEMENTATIONS))
@pytest.mark.parametrize("stride, pad, f", [(1, 0, 3), (2, 1, 2)])
def test_each_independent_solution_is_correct(style, stride, pad, f):
    mine, reference = _namespace(IMPLEMENTATIONS[style]), _namespace(SOLUTIONS["reference"])
    rng = np.random.default_rng(stride * 10 + pad)
    A_prev, W = rng.standard_normal((2, 7, 6, 3)), rng.standard_normal((f, f, 3, 4))
    b = rng.standard_normal((1, 1, 1, 4))
    Z, cache = mine["conv_forward"](A_prev, W, b, {"stride": stride, "pad": pad})
    Z_ref, cache_ref = reference["conv_forward"](A_prev, W, b, {"stride": stride, "pad": pad})
    np.testing.assert_allclose(Z, Z_ref, atol=1e-10)
    dZ = rng.standard_normal(Z.shape)
    for got, expected in zip(mine["conv_backward"](dZ, cache), reference["conv_backward"](dZ, cache_ref)):
        np.testing.assert_allclose(got, expected, atol=1e-10)
    for mode in ("max", "average"):
        A, pool_cache = mine["pool_forward"](A_prev, {"stride": stride, "f": f}, mode)
        A_ref, pool_cache_ref = reference["pool_forward"](A_prev, {"stride": stride, "f": f}, mode)
        np.testing.assert_allclose(A, A_ref, atol=1e-10)
        dA = rng.standard_normal(A.shape)
        np.testing.assert_allclose(mine["pool_backward"](dA, pool_cache, mode),
                                   reference["pool_backward"](dA, pool_cache_ref, mode), atol=1e-10)


# -- item 5: disguised copies against independent solutions ----------------------------------------------------
@pytest.mark.parametrize("disguise", list(DISGUISES))
def test_a_disguised_copy_ranks_above_every_pair_of_independent_solutions(tmp_path, disguise):
    class_ = {style: cells for style, cells in SOLUTIONS.items()}
    class_ |= {f"{style}_copy": disguised(cells, disguise, seed)
               for seed, (style, cells) in enumerate(SOLUTIONS.items())}
    scores = overall(similarity(make_course(tmp_path, class_), "--threshold", "0"))
    copies = {style: scores[frozenset((style, f"{style}_copy"))] for style in SOLUTIONS}
    independent = {pair: score for pair, score in scores.items()
                   if len({student.removesuffix("_copy") for student in pair}) == 2}
    assert len(independent) == 24 and len(scores) == 28
    assert min(copies.values()) > max(independent.values()), (copies, max(independent.values()))
    assert min(copies.values()) >= 0.9
    assert max(independent.values()) < DEFAULT_THRESHOLD


def test_a_disguise_changes_the_text_but_not_the_normalized_tokens():
    """Guard against a disguise that does nothing: the copies above really are disguised."""
    source = SOLUTIONS["loops_by_position"]["conv_backward"]
    for name, disguise in DISGUISES.items():
        changed = disguise(source, random.Random(3))
        assert changed.strip() != source.strip(), name
        assert normalize.function_tokens(changed).tokens == normalize.function_tokens(source).tokens, name


def test_independent_solutions_are_not_flagged_at_the_default_threshold(tmp_path):
    data = similarity(make_course(tmp_path, SOLUTIONS))
    assert data["threshold"] == DEFAULT_THRESHOLD
    assert data["students"] == 4 and data["pairs"] == [] and data["pairs_total"] == 0
    assert all(pairs == [] for pairs in data["function_pairs"].values()), data["function_pairs"]
    assert data["clusters"] == []


@pytest.mark.parametrize("spelling, same_as", [
    ("a = np.multiply(b, c)", "a = b * c"),
    ("a = np.multiply(b, c)", "a = c * b"),
    ("a = np.add(np.subtract(b, c), d)", "a = d + (b - c)"),
    ("a = np.dot(b, c)", "a = b @ c"),
    ("a = b.dot(c)", "a = np.matmul(b, c)"),
    ("a = np.divide(b, c)", "a = b / c"),
    ("a = b.sum(axis=0)", "a = np.sum(b, axis=0)"),
    ("a = np.transpose(b)", "a = b.T"),
    ("a = np.reshape(b, (c, d))", "a = b.reshape(c, d)"),
    ("a = np.zeros_like(b)", "a = np.zeros(b.shape)"),
    ("a += b", "a = a + b"),
    ("for i in range(0, n): a = i", "for j in range(n): b = j"),
    ("a = b > c", "a = c < b"),
    ("a = f(x, axis=1, keepdims=True)", "a = f(x, keepdims=True, axis=1)"),
    ("x = p['stride']\ny = p['pad']\nz = x + y", "y = p['pad']\nx = p['stride']\nz = x + y"),
])
def test_equivalent_spellings_give_the_same_tokens(spelling, same_as):
    def tokens(body: str) -> list[str]:  # every value returned: a statement whose result is unused is left out
        return normalize.function_tokens("def f(p, b, c, d, n, x):\n" + "\n".join(
            "    " + line for line in (body + "\nreturn a, b, x, y, z").split("\n"))).tokens
    assert tokens(spelling) == tokens(same_as)


@pytest.mark.parametrize("one, other", [("a = b * c", "a = b @ c"), ("a = b - 1", "a = 1 - b"),
                                        ("a = np.sum(b)", "a = np.max(b)"), ("x = y\nz = x + 1", "z = x + 1\nx = y")])
def test_different_code_gives_different_tokens(one, other):
    def tokens(body: str) -> list[str]:
        return normalize.function_tokens("def f(a, b, c, x, y, z):\n" + "\n".join(
            "    " + line for line in (body + "\nreturn a, x, z").split("\n"))).tokens
    assert tokens(one) != tokens(other)


# -- the release's code is the base --------------------------------------------------------------------------
GUIDED_STUB = '''def conv_forward(A_prev, W, b, hparameters):
    """Forward pass of a convolution layer."""
    # Retrieve the dimensions of the input and of the filters
    # (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    # (f, f, n_C_prev, n_C) = W.shape
    stride = hparameters["stride"]
    pad = hparameters["pad"]
    # Compute the output size, then make the output and the padded input
    # n_H = None
    # n_W = None
    # Z = np.zeros((m, n_H, n_W, n_C))
    # A_prev_pad = zero_pad(A_prev, pad)
    # for i in range(m):
    #     a_prev_pad = A_prev_pad[i]
    #     for h in range(n_H):
    #         vert_start = None
    #         vert_end = None
    #         for w in range(n_W):
    #             horiz_start = None
    #             horiz_end = None
    #             for c in range(n_C):
    #                 a_slice_prev = None
    #                 weights = W[:, :, :, c]
    #                 biases = b[:, :, :, c]
    #                 Z[i, h, w, c] = None
    # YOUR CODE HERE
    raise NotImplementedError()
    cache = (A_prev, W, b, hparameters)
    return Z, cache
'''
PLAIN_STUB = '''def conv_forward(A_prev, W, b, hparameters):
    """Forward pass of a convolution layer."""
    # YOUR CODE HERE
    raise NotImplementedError()
    cache = (A_prev, W, b, hparameters)
    return Z, cache
'''


def _uncommented(stub: str) -> str:
    """The guided stub as a learner starts: its commented code lines made code, the ``raise`` taken out."""
    lines = []
    for line in stub.split("\n"):
        indent, _, text = line.partition("# ")
        is_code = not indent.strip() and "#" in line and ("=" in text or text.endswith(":"))
        if "raise NotImplementedError()" not in line:
            lines.append(indent + text if is_code else line)
    return "\n".join(lines)


def _filled(stub: str, blanks: list[str]) -> str:
    """The guided stub with its lines uncommented and each ``None`` replaced, in order, by ``blanks``."""
    code = _uncommented(stub)
    for blank in blanks:
        code = code.replace("None", blank, 1)
    return code


FILL_ONE = ["int((n_H_prev + 2 * pad - f) / stride) + 1", "int((n_W_prev + 2 * pad - f) / stride) + 1",
            "h * stride", "vert_start + f", "w * stride", "horiz_start + f",
            "a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]",
            "conv_single_step(a_slice_prev, weights, biases)"]
FILL_TWO = ["1 + (n_H_prev - f + pad * 2) // stride", "1 + (n_W_prev - f + pad * 2) // stride",
            "stride * h", "stride * h + f", "stride * w", "stride * w + f",
            "a_prev_pad[vert_start:vert_end, horiz_start:horiz_end]",
            "np.sum(np.multiply(a_slice_prev, weights)) + biases.item()"]


def _release_with(tmp_path: Path, stub: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Convolution"),
                      nbformat.v4.new_code_cell("import numpy as np"),
                      nbformat.v4.new_code_cell(stub, metadata={"nbgrader": {
                          "solution": True, "grade": False, "locked": False, "grade_id": "conv_forward"}})]
    path = tmp_path / f"release-{len(stub)}.ipynb"
    nbformat.write(notebook, path)
    return path


def test_a_solution_that_fills_the_given_skeleton_is_not_flagged_for_the_skeleton(tmp_path):
    students = {"one": {"conv_forward": _filled(GUIDED_STUB, FILL_ONE)},
                "two": {"conv_forward": _filled(GUIDED_STUB, FILL_TWO)},
                "uncommented_only": {"conv_forward": _uncommented(GUIDED_STUB)},
                "as_released": {"conv_forward": GUIDED_STUB}}
    assert "conv_single_step(a_slice_prev, weights, biases)" in students["one"]["conv_forward"]
    guided = make_course(tmp_path / "guided", students, _release_with(tmp_path, GUIDED_STUB))
    data = similarity(guided)
    assert data["functions"] == ["conv_forward"]
    assert data["pairs"] == [] and data["function_pairs"]["conv_forward"] == [] and data["clusters"] == []
    with_base = overall(similarity(guided, "--threshold", "0"))[frozenset(("one", "two"))]
    plain = make_course(tmp_path / "plain", students, _release_with(tmp_path, PLAIN_STUB))
    without_base = overall(similarity(plain, "--threshold", "0"))[frozenset(("one", "two"))]
    assert with_base < DEFAULT_THRESHOLD
    assert without_base > with_base + 0.2  # what was subtracted is the skeleton they share
    skeleton_only = frozenset(("one", "uncommented_only"))
    assert overall(similarity(guided, "--threshold", "0"))[skeleton_only] < 0.15
    # without the base, the skeleton alone is a visible share (less than the whole skeleton: its lines that
    # only assign the blanks, None, compute nothing used, and statements whose results are unused do not count)
    assert overall(similarity(plain, "--threshold", "0"))[skeleton_only] > 0.25


# -- files that cannot be read cost only themselves -------------------------------------------------------------
def _notebook_bytes(cells: list) -> bytes:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}).encode()


MALFORMED = {
    "truncated": (lambda good: good[: len(good) // 2], "unreadable"),
    "not_json": (lambda good: b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "unreadable"),
    "json_but_a_list": (lambda good: b"[1, 2, 3]", "unreadable"),
    "cells_not_a_list": (lambda good: b'{"cells": "no", "nbformat": 4}', "unreadable"),
    "sources_not_text": (lambda good: _notebook_bytes([{"cell_type": "code", "source": 12}, 7, None]), "no_function"),
    "nothing_parses": (lambda good: _notebook_bytes([{"cell_type": "code", "source": "def conv_forward(:\n  ]"}]),
                       "no_function"),
    "absurdly_nested": (lambda good: _notebook_bytes([{"cell_type": "code", "source":
                                                       "def conv_forward(a):\n    return " + "(" * 5000 + ")" * 5000}]),
                        "no_function"),
    "empty_file": (lambda good: b"", "unreadable"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_notebook_is_skipped_with_a_reason(tmp_path, kind):
    make_bad, reason = MALFORMED[kind]
    good = nbformat.writes(filled_notebook(RELEASE, SOLUTIONS["reference"])).encode()
    course = make_course(tmp_path, {"bad": make_bad(good), "original": SOLUTIONS["reference"],
                                    "copy": disguised(SOLUTIONS["reference"], "all_at_once", 1),
                                    "other": SOLUTIONS["gather"]})
    data = similarity(course)
    assert [(item["id"], item["reason"]) for item in data["skipped"]] == [("bad", reason)]
    assert data["skipped"][0]["message"]
    assert data["students"] == 3 and frozenset(("original", "copy")) in overall(data)


def test_a_huge_notebook_is_skipped_and_a_missing_one_too(tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "MAX_FILE_BYTES", 1_000_000)
    course = make_course(tmp_path, {"huge": _notebook_bytes([{"cell_type": "code", "source": "x = 1\n" * 200_000}]),
                                    "fine": SOLUTIONS["reference"]})
    (course / "submitted" / "no_notebook" / ASSIGNMENT).mkdir(parents=True)
    data = similarity(course)
    assert {item["id"]: item["reason"] for item in data["skipped"]} == {"huge": "too_large", "no_notebook": "missing"}
    assert any("1000000" in item["message"] for item in data["skipped"])


def test_a_cell_that_does_not_parse_keeps_the_functions_that_do():
    cells = ["%timeit x = 1\n!pip install numpy\nresult = !ls",
             "def zero_pad(X, pad):\n    return np.pad(X, pad)\n\nthis line is not python\n",
             "def conv_forward(A_prev, W, b, hparameters):\n    return 1\n",
             "def conv_forward(A_prev, W, b, hparameters):\n    return 2\n",  # the last definition counts
             "%%bash\ndef pool_forward(): echo no"]
    found = extract.functions_in_cells(cells, ["zero_pad", "conv_forward", "pool_forward"])
    assert set(found.functions) == {"zero_pad", "conv_forward"}
    assert "return 2" in found.functions["conv_forward"]
    assert [reason for reason, _ in found.notes] == ["cell_does_not_parse"]


def test_the_functions_compared_are_those_of_the_release_solution_cells():
    assert extract.solution_function_names(RELEASE) == [
        "zero_pad", "conv_single_step", "conv_forward", "pool_forward", "conv_backward", "create_mask_from_window",
        "distribute_value", "pool_backward"]
    names = extract.solution_function_names(REPO / "release" / "conv_application" / "conv_application.ipynb")
    assert {"conv_forward", "pool_backward", "model_forward", "model_backward", "model_cost_and_gradients",
            "train_model"} <= set(names)


# -- known solutions, clusters ---------------------------------------------------------------------------------
def test_known_solutions_in_a_folder_are_compared_and_reported_apart(tmp_path):
    known = tmp_path / "known"
    (known / ".git").mkdir(parents=True)
    (known / ".git" / "ignored.py").write_text("def conv_forward(A_prev, W, b, hparameters):\n    return 0\n")
    script = "\n\n".join(["import numpy as np", *SOLUTIONS["offsets"].values(),
                          "if __name__ == '__main__':\n    print(zero_pad(np.ones((1, 2, 2, 1)), 1))"])
    (known / "solution.py").write_text(script)
    public = nbformat.v4.new_notebook()
    public.cells = [nbformat.v4.new_markdown_cell("My solutions"), nbformat.v4.new_code_cell("%matplotlib inline")]
    public.cells += [nbformat.v4.new_code_cell(code) for code in SOLUTIONS["gather"].values()]
    nbformat.write(public, known / "Convolution_model_Step_by_Step_v2a.ipynb")
    course = make_course(tmp_path / "course", {
        "took_the_script": disguised(SOLUTIONS["offsets"], "all_at_once", 4),
        "took_the_notebook": disguised(SOLUTIONS["gather"], "renamed", 5),
        "wrote_their_own": SOLUTIONS["loops_by_position"], "reference": SOLUTIONS["reference"]})
    data = similarity(course, "--against", str(known))
    assert sorted(data["known_solutions"]) == ["Convolution_model_Step_by_Step_v2a.ipynb", "solution.py"]
    matches = {(match["student"], match["known"]): match for match in data["known_matches"]}
    assert set(matches) == {("took_the_script", "solution.py"),
                            ("took_the_notebook", "Convolution_model_Step_by_Step_v2a.ipynb")}
    assert all(match["overall"] >= 0.9 for match in matches.values())
    assert data["pairs"] == []  # the two who took a public solution took different ones
    html = (course / "reports" / ASSIGNMENT / "similarity.html").read_text(encoding="utf-8")
    assert "solution.py" in html and WORDS["en"]["heading_known"] in html


def test_three_students_sharing_one_solution_make_a_cluster(tmp_path):
    course = make_course(tmp_path, {
        "ann": SOLUTIONS["gather"], "bob": disguised(SOLUTIONS["gather"], "reordered", 1),
        "cy": disguised(SOLUTIONS["gather"], "all_at_once", 2),
        "dee": SOLUTIONS["offsets"], "eve": disguised(SOLUTIONS["offsets"], "renamed", 3),  # a pair, not a cluster
        "fay": SOLUTIONS["reference"], "gus": SOLUTIONS["loops_by_position"]})
    data = similarity(course)
    assert [cluster["students"] for cluster in data["clusters"]] == [["ann", "bob", "cy"]]
    assert data["clusters"][0]["size"] == 3 and data["clusters"][0]["mean_overall"] >= 0.9
    assert set(overall(data)) == {frozenset(p) for p in [("ann", "bob"), ("ann", "cy"), ("bob", "cy"), ("dee", "eve")]}


# -- the report ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> tuple[Path, dict, str]:
    """A class with one disguised pair, one independent learner, one unreadable notebook: (course, JSON, HTML)."""
    hostile = dict(SOLUTIONS["reference"])
    hostile["zero_pad"] = hostile["zero_pad"].replace("return X_pad",
                                                      "# </pre><script>alert(1)</script>\n    return X_pad")
    course = make_course(tmp_path_factory.mktemp("report"), {
        "amy": hostile, "ben": disguised(hostile, "renamed", 7), "cat": SOLUTIONS["gather"], "dan": b"{oops"})
    data = similarity(course)
    return course, data, (course / "reports" / ASSIGNMENT / "similarity.html").read_text(encoding="utf-8")


def test_the_json_report_holds_ranked_pairs_per_function_and_overall(reported):
    _, data, _ = reported
    assert {"generated_by", "assignment", "notice", "method", "threshold", "functions", "students", "known_solutions",
            "pairs", "pairs_total", "function_pairs", "function_pairs_total", "known_matches", "known_matches_total",
            "clusters", "skipped", "notes"} <= set(data)
    assert data["notice"] == WORDS["en"]["notice"] and "Schleimer" in data["method"]["reference"]
    assert data["functions"] == extract.solution_function_names(RELEASE)
    [pair] = data["pairs"]
    assert {pair["a"], pair["b"]} == {"amy", "ben"} and pair["overall"] == pytest.approx(1.0)
    assert set(pair["functions"]) == set(data["functions"])
    assert pair["functions"]["conv_backward"] == pytest.approx(1.0)
    assert pair["functions"]["create_mask_from_window"] is None  # too short to score on its own
    lines = pair["matched_lines"]["conv_forward"]
    assert lines["a"] and lines["b"] and all(first <= last for first, last in lines["a"] + lines["b"])
    for name in ("conv_forward", "pool_forward", "conv_backward", "pool_backward"):
        assert [{p["a"], p["b"]} for p in data["function_pairs"][name]] == [{"amy", "ben"}]
    [skipped] = data["skipped"]
    assert (skipped["id"], skipped["kind"], skipped["reason"]) == ("dan", "student", "unreadable")
    assert skipped["message"].startswith("the file could not be read (JSONDecodeError")


def test_the_html_report_shows_both_excerpts_side_by_side_with_the_matches_marked(reported):
    _, _, html = reported
    assert WORDS["en"]["notice"] in html
    side = html[html.index("<h4>conv_forward: 100%</h4>"):]
    side = side[side.index("<table class='side'>"):side.index("</table>")]
    amy, ben = side.split("</td><td>")
    assert "amy" in html and "ben" in html
    # ben renamed every identifier (comments keep their words): his code is his own text
    assert "vert_start = " in amy and "vert_start = " not in ben
    assert "<mark class='r" in amy and "<mark class='r" in ben
    assert "<script>" not in html and "&lt;/pre&gt;&lt;script&gt;" in html


def test_the_report_can_be_read_in_chinese(tmp_path):
    course = make_course(tmp_path, {"a": SOLUTIONS["gather"], "b": disguised(SOLUTIONS["gather"], "commented", 1)})
    data = similarity(course, "--language", "zh")
    html = (course / "reports" / ASSIGNMENT / "similarity.html").read_text(encoding="utf-8")
    assert data["notice"] == WORDS["zh"]["notice"] and WORDS["zh"]["notice"] in html
    assert WORDS["zh"]["heading_pairs"] in html and WORDS["en"]["heading_pairs"] not in html


def test_every_sentence_exists_in_both_languages_with_the_same_blanks():
    fields = lambda text: sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)  # noqa: E731
    assert set(WORDS["en"]) == set(WORDS["zh"])
    for key, text in WORDS["en"].items():
        assert fields(text) == fields(WORDS["zh"][key]), key


def test_summary_line_data_gives_the_counts_and_the_link(reported, tmp_path):
    course, data, _ = reported
    line = report.summary_line_data(course, ASSIGNMENT)
    assert line == {"pairs": 1, "clusters": 0, "known_matches": 0, "threshold": DEFAULT_THRESHOLD, "students": 3,
                    "skipped": 1, "link": "similarity.html", "json": "similarity.json"}
    assert (course / "reports" / ASSIGNMENT / line["link"]).exists()
    assert report.summary_line_data(tmp_path, ASSIGNMENT) is None


def test_the_command_refuses_a_course_without_a_release_and_a_bad_threshold(tmp_path, capsys):
    assert cli.main([ASSIGNMENT, "--course", str(tmp_path), "--no-progress"]) == 2
    assert "nbgrader generate_assignment" in capsys.readouterr().err
    course = make_course(tmp_path / "c", {"a": SOLUTIONS["reference"]})
    assert cli.main([ASSIGNMENT, "--course", str(course), "--threshold", "1.5"]) == 2
    assert cli.main([ASSIGNMENT, "--course", str(course), "--against", str(tmp_path / "nowhere")]) == 2


def test_worker_processes_read_the_same_and_a_file_that_kills_its_worker_costs_only_itself(tmp_path, monkeypatch):
    names = list(SOLUTIONS["reference"])
    sources = []
    for number in range(9):
        path = tmp_path / f"solution_{number}.py"
        path.write_text("\n\n".join(disguised(SOLUTIONS["gather"], "renamed", number).values()))
        sources.append(entries.Source(f"solution_{number}", "known", path))
    bases = entries.release_bases(extract.read_functions(RELEASE, names).functions)
    serial = entries.read_entries(sources, names, bases, workers=1)
    monkeypatch.setattr(entries, "PARALLEL_FROM", 4)
    monkeypatch.setattr(entries, "CHUNK", 2)
    parallel = entries.read_entries(sources, names, bases, workers=2)
    assert [(e.id, e.hashes) for e in parallel] == [(e.id, e.hashes) for e in serial]
    assert all(e.hashes == serial[0].hashes for e in serial)  # renamed copies: the same fingerprints
    reader = entries.read_entry

    def dies_on_the_fifth(source, *args):
        if source.id == "solution_4":
            os._exit(1)  # what a segfault in the reader would look like, in a worker
        return reader(source, *args)

    monkeypatch.setattr(entries, "read_entry", dies_on_the_fifth)
    results = entries.read_entries(sources, names, bases, workers=2)
    assert [type(r).__name__ for r in results] == ["Entry"] * 4 + ["Skipped"] + ["Entry"] * 4
    assert results[4].reason == entries.READER_FAILED


# -- the scores -----------------------------------------------------------------------------------------------------
def test_shared_counts_from_the_inverted_index_equal_set_intersections():
    rng = np.random.default_rng(0)
    names = ["f", "g"]
    def random_set() -> frozenset[int]:
        return frozenset(rng.choice(60, size=rng.integers(0, 40), replace=False).tolist())

    entries = [Entry(f"s{i}", "student", {name: random_set() for name in names}, {}) for i in range(30)]
    table = compare_module._Students(entries, names, common_limit=25, min_fingerprints=1)
    for i in range(30):
        for j in range(i + 1, 30):
            for name in names:
                common = table.common[name]
                expected = len((entries[i].hashes[name] & entries[j].hashes[name]) - common)
                assert table.shared[name][i, j] == expected
    result = compare(entries, names, threshold=0.0, common_floor=25, common_fraction=0.0, min_fingerprints=1)
    a, b = result.pairs[0].a, result.pairs[0].b
    ea, eb = (next(e for e in entries if e.id == x) for x in (a, b))
    union_a = sum(len(ea.hashes[n] - result.common[n]) for n in names)
    union_b = sum(len(eb.hashes[n] - result.common[n]) for n in names)
    shared = sum(len((ea.hashes[n] & eb.hashes[n]) - result.common[n]) for n in names)
    assert result.pairs[0].overall == pytest.approx(2 * shared / (union_a + union_b))
    assert result.pairs_total == 30 * 29 // 2


def _fingerprints(start: int, count: int) -> frozenset[int]:
    return frozenset(range(start, start + count))


def test_a_known_solution_written_the_way_the_class_writes_a_function_matches_nobody_for_it():
    """25 learners write f the common way (the skeleton's loops) and g their own way; a public solution has the
    common f and a g of its own. Nobody matches it for f; the one learner who took its g does."""
    common_f, public_g = _fingerprints(0, 30), _fingerprints(10_000, 40)
    entries = [Entry(f"s{i}", compare_module.STUDENT,
                     {"f": common_f | _fingerprints(1000 + 100 * i, 20), "g": _fingerprints(5000 + 100 * i, 40)}, {})
               for i in range(25)]
    entries.append(Entry("copied_g", compare_module.STUDENT, {"f": common_f | _fingerprints(9000, 20), "g": public_g},
                         {}))
    entries.append(Entry("public", compare_module.KNOWN, {"f": common_f, "g": public_g}, {}))
    matches = compare(entries, ["f", "g"]).known_matches
    assert [(pair.a, pair.best()) for pair in matches] == [("copied_g", ("g", 1.0))]


def test_a_public_solution_handed_in_by_much_of_the_class_is_still_matched_for_each_of_them():
    """Its code is common in the class then, and counts all the same in the overall score."""
    public = {"f": _fingerprints(0, 30), "g": _fingerprints(10_000, 40)}
    entries = [Entry(f"copier{i}", compare_module.STUDENT, dict(public), {}) for i in range(25)]
    entries += [Entry(f"own{i}", compare_module.STUDENT,
                      {"f": _fingerprints(1000 + 100 * i, 30), "g": _fingerprints(5000 + 100 * i, 40)}, {})
                for i in range(5)]
    entries.append(Entry("public", compare_module.KNOWN, public, {}))
    comparison = compare(entries, ["f", "g"])
    assert {pair.a for pair in comparison.known_matches} == {f"copier{i}" for i in range(25)}
    assert all(pair.overall == 1.0 for pair in comparison.known_matches)
