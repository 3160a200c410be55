"""Finding solution lines where a learner could see them; shared by the leak tests."""
from __future__ import annotations

from pathlib import Path

import nbformat

from instructor import reference

MIN_LINE = 12  # shorter lines ("else:", "return Z") are not telling


def _lines(notebook: Path) -> tuple[set[str], set[str]]:
    """(telling lines between BEGIN SOLUTION and END SOLUTION, telling lines outside them) of a notebook's code."""
    lines, given, inside = set(), set(), False
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            text = line.strip()
            if text == "### BEGIN SOLUTION":
                inside = True
            elif text == "### END SOLUTION":
                inside = False
            elif len(text) >= MIN_LINE and not text.startswith("#"):
                (lines if inside else given).add(text)
    return lines, given


def given_lines(notebook: Path) -> set[str]:
    """The telling lines that an instructor notebook gives, outside its solution regions (a skeleton's loops)."""
    return _lines(notebook)[1]


def solution_lines(notebook: Path) -> set[str]:
    """Every telling line between BEGIN SOLUTION and END SOLUTION of an instructor notebook, but those that the
    notebook gives elsewhere (``for di in range(f):``, given in one cell, may be part of a solution in another)."""
    lines, given = _lines(notebook)
    return lines - given


def leaked(texts: dict[str, str], solutions: set[str]) -> dict[str, list[str]]:
    """{where: the solution lines found there} over ``texts`` ({where: text})."""
    found = {}
    for where, text in texts.items():
        hits = sorted({line.strip() for line in text.splitlines()} & solutions)
        if hits:
            found[where] = hits
    return found


def texts_under(folder: Path) -> dict[str, str]:
    """The cells of every notebook and the text of every source-like file under ``folder``."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".ipynb":
            cells = nbformat.read(path, as_version=4).cells
            texts.update({f"{path.name} cell {i}": cell.source for i, cell in enumerate(cells)})
        elif path.is_file() and path.suffix in (".py", ".json", ".md", ".txt", ".cfg", ".toml"):
            texts[str(path.relative_to(reference.REPO))] = path.read_text(errors="replace")
    return texts
