"""Finding solution lines where a learner could see them; shared by the leak tests."""
from __future__ import annotations

from pathlib import Path

import nbformat

from instructor import reference

MIN_LINE = 12  # shorter lines ("else:", "return Z") are not telling


def solution_lines(notebook: Path) -> set[str]:
    """Every telling line between BEGIN SOLUTION and END SOLUTION of an instructor notebook."""
    lines, inside = set(), False
    for code in reference.solution_sources(notebook).values():
        for line in code.splitlines():
            text = line.strip()
            if text == "### BEGIN SOLUTION":
                inside = True
            elif text == "### END SOLUTION":
                inside = False
            elif inside and len(text) >= MIN_LINE and not text.startswith("#"):
                lines.add(text)
    return lines


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
