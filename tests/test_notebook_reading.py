"""A submission's cells are read as nbformat reads them, without its schema check (autograder.grading.notebook).

The class grader reads a version 4 notebook as plain JSON (nbformat's reader would also validate it, about
5 ms a submission, and reads an invalid notebook all the same); these tests hold it to nbformat's own
reading: the same cells from real notebooks, and the same refusals from broken ones.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder.grading.notebook import _cells

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted([*REPO.glob("release/*/*.ipynb"), *REPO.glob("source/*/*.ipynb"), *REPO.glob("notebooks/*.ipynb")])


def _as_nbformat_reads(text: str) -> list[tuple]:
    return [(cell.get("cell_type"), cell.get("source"), cell.get("metadata")) for cell in
            nbformat.reads(text, as_version=4).cells]


def _as_read_here(text: str) -> list[tuple]:
    return [(cell.get("cell_type"), cell.get("source"), cell.get("metadata")) for cell in _cells(text)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: str(path.relative_to(REPO)))
def test_the_kits_notebooks_read_as_nbformat_reads_them(path):
    text = path.read_text(encoding="utf-8")
    assert any(isinstance(cell["source"], list) for cell in json.loads(text)["cells"])  # lines split on disk
    assert _as_read_here(text) == _as_nbformat_reads(text)


def _notebook(cells, version=4) -> str:
    return json.dumps({"nbformat": version, "nbformat_minor": 5, "metadata": {}, "cells": cells})


CODE = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
BROKEN = {
    "a source line that is a number": _notebook([{**CODE, "source": ["x = 1\n", 2]}]),
    "a cell that is a number": _notebook([{**CODE, "source": "x = 1"}, 7]),
    "cells that are not a list": _notebook({"a": CODE}),
    "no cells": json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}}),
    "not JSON": "{\"nbformat\": 4, \"cells\": [",
    "a source that is a number": _notebook([{**CODE, "source": 5}]),
    "version 3": json.dumps(nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(
        cells=[nbformat.v3.new_code_cell(input="x = 1\ny = 2")])])),
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_an_odd_notebook_is_refused_or_read_as_nbformat_does(text):
    try:
        theirs = _as_nbformat_reads(text)
    except Exception as error:
        with pytest.raises(type(error)):
            _cells(text)
    else:
        assert _as_read_here(text) == theirs
