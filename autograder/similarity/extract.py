"""Notebooks and ``.py`` files -> the code each graded name reaches, without running anything.

A notebook is read as JSON (nbformat 4 ``cells``, or nbformat 3 ``worksheets``),
never executed, and its code cells are parsed one by one with :mod:`ast`:

- IPython lines (``%magic``, ``!shell``, ``x = !cmd``, ``obj?``) become blank
  lines, so line numbers stay those of the cell; a cell magic other than
  ``%%time``-like ones makes the cell no Python at all;
- a cell that does not parse is cut into its top-level statements, and each
  ``def`` that parses on its own is kept (so a typo below a function does not
  hide the function); what is lost is noted, never raised;
- a name bound twice keeps its last binding, as running the notebook would;
- what a graded name reaches (aliases, wrappers and helpers, class members,
  ``exec`` strings) is found by :mod:`.reach`.

A ``.py`` file (a public solution) is one cell, or, when it does not parse
whole, the cells that ``jupyter nbconvert --to script`` or jupytext marked
(``# In[3]:``, ``# %%``).

Everything a hostile file could make costly is bounded: the file's size, the
length of a function (:data:`MAX_FUNCTION_CHARS`); errors of any kind become
notes or a :class:`Unreadable` with the reason, for that file only.
"""
from __future__ import annotations

import ast
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterable

from .reach import Namespace, reached_sources

MAX_FILE_BYTES = 20 * 1024 * 1024  # the grader's limit for a notebook
MAX_FUNCTION_CHARS = 100_000  # a graded function is a few thousand characters; more is not compared

# Reasons, as data: words.py renders them.
UNREADABLE, TOO_LARGE, MISSING, NO_FUNCTION = "unreadable", "too_large", "missing", "no_function"
CELL_DOES_NOT_PARSE, FUNCTION_TOO_LONG = "cell_does_not_parse", "function_too_long"

_TIMING_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}  # their body is still Python
_SHELL_ASSIGNMENT = re.compile(r"^\s*[\w\s,.\[\]()]+=\s*[!%]")
_SCRIPT_CELL_MARKER = re.compile(r"^#\s*(In\[[ \d]*\]:|%%)")


class Unreadable(Exception):
    """A file whose code cannot be taken: ``reason`` (one of the constants above) and ``detail`` (dict)."""

    def __init__(self, reason: str, **detail: Any) -> None:
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail


@dataclass
class Extracted:
    """What one file holds: ``functions`` {name: source text of its ``def``}, ``notes`` [(reason, detail)]."""

    functions: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def strip_ipython(cell: str) -> str | None:
    """The cell as plain Python, IPython-only lines blanked; None for a cell that is not Python (``%%bash``)."""
    lines = cell.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        if first[2:].split(" ")[0] not in _TIMING_CELL_MAGICS:
            return None
        lines[0] = ""
    out = []
    for line in lines:
        stripped = line.strip()
        if (stripped.startswith(("%", "!")) or _SHELL_ASSIGNMENT.match(line)
                or (stripped.endswith("?") and not stripped.startswith("#"))):
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def _top_level_chunks(text: str) -> Iterable[str]:
    """Cut ``text`` before every line that starts at column 0 (not blank, not a comment, not a closing bracket).

    Each chunk keeps its leading blank lines so that its line numbers are those of ``text``.
    """
    lines = text.split("\n")
    start = 0
    for number, line in enumerate(lines):
        if number and line[:1] not in ("", " ", "\t", "#", ")", "]", "}"):
            yield "\n" * start + "\n".join(lines[start:number])
            start = number
    yield "\n" * start + "\n".join(lines[start:])


def _parsed(text: str) -> ast.Module:
    """``text`` parsed, once per process for a cell met again (the release's cells are in every notebook).
    The tree is only read, never changed."""
    return _parsed_cached(text) if len(text) <= 20_000 else ast.parse(text)


@functools.lru_cache(maxsize=256)
def _parsed_cached(text: str) -> ast.Module:
    return ast.parse(text)


_python = functools.lru_cache(maxsize=256)(lambda raw: strip_ipython(raw))  # the same cells, again


def _run_cell(namespace: Namespace, text: str) -> None:
    """Read one cell's top-level statements into ``namespace``; raises if the cell does not parse."""
    tree = _parsed(text)
    try:
        namespace.run(tree.body, text.split("\n"))
    except RecursionError:  # absurdly nested code: what was read before it stays
        pass


def functions_in_cells(cells: Iterable[str], names: Collection[str]) -> Extracted:
    """The code each name in ``names`` reaches over ``cells`` (in order), as :func:`.reach.reached_sources`
    composes it: its last definition (or binding), with the helpers and exec'd strings it reaches."""
    extracted = Extracted()
    namespace = Namespace()
    mentions = re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")
    for number, raw in enumerate(cells, start=1):
        text = _python(raw) if len(raw) <= 20_000 else strip_ipython(raw)
        if text is None:
            continue
        try:
            _run_cell(namespace, text)
            continue
        except Exception as error:  # SyntaxError, RecursionError, MemoryError, ValueError (null bytes) ...
            if mentions.search(text):
                extracted.notes.append((CELL_DOES_NOT_PARSE, {"cell": number, "error": _short(error)}))
        for chunk in _top_level_chunks(text):
            try:
                _run_cell(namespace, chunk)
            except Exception:
                continue
    for name in names:
        try:
            source = reached_sources(namespace, [name], names).get(name)
        except RecursionError:
            source = None
        if source is None:
            continue
        if len(source) > MAX_FUNCTION_CHARS:
            extracted.notes.append((FUNCTION_TOO_LONG, {"function": name, "chars": len(source)}))
        else:
            extracted.functions[name] = source
    return extracted


def _short(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= 160 else text[:157] + "..."


def _source_text(source: Any) -> str | None:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return None


def notebook_code_cells(data: bytes) -> list[str]:
    """The source of every code cell of a notebook file's bytes, in order; raises :class:`Unreadable`."""
    try:
        notebook = json.loads(data.decode("utf-8"))
    except Exception as error:
        raise Unreadable(UNREADABLE, error=_short(error)) from None
    if not isinstance(notebook, dict):
        raise Unreadable(UNREADABLE, error="the file is JSON but not a notebook")
    cells = notebook.get("cells")
    if cells is None and isinstance(notebook.get("worksheets"), list):  # nbformat 3
        cells = [cell for sheet in notebook["worksheets"] if isinstance(sheet, dict)
                 for cell in (sheet.get("cells") or []) if isinstance(cell, dict)]
        cells = [{"cell_type": cell.get("cell_type"), "source": cell.get("input")} for cell in cells]
    if not isinstance(cells, list):
        raise Unreadable(UNREADABLE, error="the notebook has no list of cells")
    code = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            text = _source_text(cell.get("source"))
            if text is not None:
                code.append(text)
    return code


def script_cells(text: str) -> list[str]:
    """A ``.py`` file as cells: the whole file if it parses, else the pieces between cell markers."""
    try:
        ast.parse(text)
        return [text]
    except Exception:
        pass
    cells, current = [], []
    for line in text.split("\n"):
        if _SCRIPT_CELL_MARKER.match(line) and current:
            cells.append("\n".join(current))
            current = []
        current.append(line)
    cells.append("\n".join(current))
    return cells


def read_functions(path: Path, names: Collection[str]) -> Extracted:
    """The named functions of a notebook (``.ipynb``) or a Python file; raises :class:`Unreadable`."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise Unreadable(MISSING, error=_short(error)) from None
    if size > MAX_FILE_BYTES:
        raise Unreadable(TOO_LARGE, size=size, limit=MAX_FILE_BYTES)
    try:
        data = path.read_bytes()[:MAX_FILE_BYTES + 1]
    except OSError as error:
        raise Unreadable(UNREADABLE, error=_short(error)) from None
    if path.suffix == ".py":
        cells = script_cells(data.decode("utf-8", errors="replace"))
    else:
        cells = notebook_code_cells(data)
    extracted = functions_in_cells(cells, names)
    if not extracted.functions:
        raise Unreadable(NO_FUNCTION, notes=[reason for reason, _ in extracted.notes])
    return extracted


def solution_function_names(release_notebook: Path) -> list[str]:
    """The functions an assignment grades: each top-level ``def`` in a cell marked ``nbgrader.solution``.

    In notebook order, without repeats (a cell may hold several functions, as assignment 3's ``layers``).
    """
    notebook = json.loads(release_notebook.read_text(encoding="utf-8"))
    names: list[str] = []
    for cell in notebook.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        text = _source_text(cell.get("source"))
        if cell.get("cell_type") != "code" or not meta.get("solution") or text is None:
            continue
        text = strip_ipython(text) or ""
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        names += [node.name for node in tree.body
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in names]
    return names
