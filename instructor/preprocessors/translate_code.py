"""Code cells in the edition's language: their comments, docstrings and printed words, not their code.

The translation of a code cell is kept beside its English, in the instructor notebook, as a table
``cell.metadata["translations"][language]``: ``{English: translation}`` for three kinds of text.

- **Comments.** A block of full-line comments (consecutive lines, same column) is one entry, its
  text without the ``# `` and with its lines joined by newlines; the translation is written back
  as a block at the same column, one ``# `` line per line of the translation. A comment after
  code on the same line is one entry of one line.
- **Docstrings.** The docstring's text (``inspect.cleandoc``) is one entry; the translation is
  written back between the same quotes, indented as the original.
- **Printed words.** A string literal that a ``print(...)`` shows (an argument, or a string
  inside one, such as a table's headings), or the ``desc`` of a progress bar, is one entry, keyed by its source text
  (quotes included, ``f"..."`` too); the translation is another literal of the same kind, and an
  f-string keeps the same replacement fields.

Everything else of the cell stays as it is: the code of both editions is the same token for token
once comments, docstrings and translated strings are set aside (tests/test_selfstudy.py).
:func:`code_translation_problems` lists what a cell's table is missing or gets wrong, and the
build stops on any of them (:class:`TranslateCode`). nbgrader's ``# YOUR CODE HERE`` and solution
markers are not translated: the lesson's text names them.
"""
from __future__ import annotations

import ast
import builtins
import inspect
import io
import keyword
import re
import tokenize
from dataclasses import dataclass

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

UNTRANSLATED_COMMENTS = ("YOUR CODE HERE",)
_MARKER = re.compile(r"^#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_']+")
# Words that a printed string may hold in every language: names of tools and units.
# Keyword arguments whose string a tool shows (tqdm's progress bar).
SHOWN_KEYWORDS = frozenset({"desc"})
NEUTRAL_WORDS = frozenset({"PyTorch", "numpy", "BLAS", "MB", "GB", "ms", "µs", "dgemm", "im2col"})


@dataclass(frozen=True)
class Piece:
    """A translatable text of a code cell: where it is, and its key in the cell's translation table."""

    kind: str  # "comment", "docstring" or "string"
    key: str
    start: tuple[int, int]  # (line, column) of its first character, lines from 1
    end: tuple[int, int]  # (line, column) just after its last character
    column: int  # where a comment block or a docstring's lines start
    inline: bool = False  # a comment after code on its line


def _parsable(code: str) -> str:
    """``code`` with IPython's ``%magic`` and ``!shell`` lines made into ``pass`` lines (positions kept)."""
    lines = code.split("\n")
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                     else line for line in lines)


def _comments(code: str) -> list[Piece]:
    lines = code.split("\n")
    found: list[Piece] = []
    tokens = [token for token in tokenize.generate_tokens(io.StringIO(code).readline)
              if token.type == tokenize.COMMENT]
    for token in tokens:
        (row, col), (end_row, end_col) = token.start, token.end
        text = token.string.lstrip("#").rstrip()
        text = text[1:] if text.startswith(" ") else text  # "# " starts a line; an indent after it is kept
        if _MARKER.match(token.string.strip()) or text.strip() in UNTRANSLATED_COMMENTS:
            continue
        inline = bool(lines[row - 1][:col].strip())
        previous = found[-1] if found else None
        if (not inline and previous is not None and not previous.inline and previous.kind == "comment"
                and previous.end[0] == row - 1 and previous.column == col):
            found[-1] = Piece("comment", previous.key + "\n" + text, previous.start, (end_row, end_col), col)
        else:
            found.append(Piece("comment", text, (row, col), (end_row, end_col), col, inline))
    return found


def _docstring_nodes(tree: ast.AST) -> set[int]:
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                nodes.add(id(first.value))
    return nodes


def _is_string(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _printed_strings(tree: ast.AST) -> list[ast.AST]:
    """The string literals that a ``print(...)`` shows: its arguments, and the strings inside them (a table's
    headings), but not those that index, compare or key (code), and the ``desc`` of a progress bar."""
    found = []

    def shown(node: ast.AST) -> None:
        if _is_string(node):
            found.append(node)
        elif not isinstance(node, (ast.Subscript, ast.Compare, ast.Dict, ast.Lambda, ast.keyword)):
            for child in ast.iter_child_nodes(node):
                shown(child)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            for arg in node.args:
                shown(arg)
        elif isinstance(node, ast.keyword) and node.arg in SHOWN_KEYWORDS and _is_string(node.value):
            found.append(node.value)
    return found


def pieces(code: str) -> list[Piece]:
    """The translatable texts of ``code``, in the order they come."""
    tree = ast.parse(_parsable(code))
    lines = code.split("\n")
    found = _comments(code)
    docstrings = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in docstrings:
            column = lines[node.lineno - 1][:node.col_offset]
            found.append(Piece("docstring", inspect.cleandoc(node.value), (node.lineno, node.col_offset),
                               (node.end_lineno, node.end_col_offset), len(column)))
    for node in _printed_strings(tree):
        found.append(Piece("string", ast.get_source_segment(code, node), (node.lineno, node.col_offset),
                           (node.end_lineno, node.end_col_offset), node.col_offset))
    return sorted(found, key=lambda piece: piece.start)


def identifiers(code: str) -> set[str]:
    """Every name the code uses or defines (variables, attributes, arguments, functions, string keys), and
    Python's own."""
    names = set(dir(builtins)) | set(keyword.kwlist)
    tree = ast.parse(_parsable(code))
    shown = {id(node) for node in _printed_strings(tree)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names |= set((node.asname or node.name).split("."))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier()
              and id(node) not in shown):
            names.add(node.value)  # a key or a mode, e.g. "stride" or "average" (not a printed word)
    return names


def _literal(text: str) -> ast.AST:
    """The expression of a literal's source text (implicitly joined literals may span lines)."""
    return ast.parse("(" + text + "\n)", mode="eval").body


def words_of(literal: str) -> list[str]:
    """The words of a string literal's text (not of an f-string's replacement fields)."""
    node = _literal(literal)
    parts = [node] if isinstance(node, ast.Constant) else \
        [part for part in node.values if isinstance(part, ast.Constant)]
    return [word for part in parts for word in _WORD.findall(str(part.value))]


def needs_translation(piece: Piece, code: str) -> bool:
    """Docstrings always; a comment or a printed string when it holds a word that is not a name of the code."""
    if piece.kind == "docstring":
        return True
    names = identifiers(code) | NEUTRAL_WORDS
    words = _WORD.findall(piece.key) if piece.kind == "comment" else words_of(piece.key)
    return any(word not in names for word in words)


def _fields(literal: str) -> list[str]:
    node = _literal(literal)
    return sorted(ast.dump(part.value) for part in getattr(node, "values", []) if isinstance(part, ast.FormattedValue))


def value_problem(piece: Piece, value: object) -> str | None:
    """Why ``value`` cannot stand for ``piece`` in the code, or None."""
    if not isinstance(value, str) or not value.strip():
        return "an empty translation"
    if piece.kind == "comment" and piece.inline and "\n" in value:
        return "a comment after code must stay on one line"
    if piece.kind == "docstring" and ('"""' in value or "'''" in value or "\\" in value):
        return "a docstring's translation may not hold quotes or backslashes"
    if piece.kind == "string":
        literals = [token for token in tokenize.generate_tokens(io.StringIO(piece.key).readline)
                    if token.type == tokenize.STRING]
        if len(literals) > 1:
            return f"{piece.key!r} joins {len(literals)} literals: make it one literal, or one argument each"
        try:
            original, translated = (_literal(text) for text in (piece.key, value))
        except SyntaxError:
            return f"{value!r} is not a string literal"
        if type(original) is not type(translated) or not _is_string(translated):
            return f"{value!r} is not a string literal of the same kind as {piece.key!r}"
        if _fields(piece.key) != _fields(value):
            return f"{value!r} does not keep the replacement fields of {piece.key!r}"
    return None


def _written(piece: Piece, value: str, code_lines: list[str]) -> str:
    """The text that takes the place of ``piece`` (from its start to its end) in the translated code."""
    if piece.kind == "comment":
        indent = " " * piece.column
        return ("\n" + indent).join("# " + line if line else "#" for line in value.split("\n"))
    if piece.kind == "docstring":
        original = "\n".join(code_lines[piece.start[0] - 1:piece.end[0]])
        quote = '"""' if '"""' in original else "'''"
        indent = " " * piece.column
        lines = value.split("\n")
        text = lines[0] + "".join("\n" + (indent + line if line else "") for line in lines[1:])
        closing_alone = code_lines[piece.end[0] - 1][:piece.end[1] - 3].strip() == "" and piece.end[0] > piece.start[0]
        return quote + text + ("\n" + indent if closing_alone else "") + quote
    return value


def translate(code: str, table: dict[str, str]) -> str:
    """``code`` with the texts that ``table`` translates written in their translation."""
    if not table:
        return code
    lines = code.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def at(position: tuple[int, int]) -> int:
        return offsets[position[0] - 1] + position[1]

    result = code
    for piece in sorted(pieces(code), key=lambda piece: piece.start, reverse=True):
        if piece.key in table:
            result = result[:at(piece.start)] + _written(piece, table[piece.key], lines) + result[at(piece.end):]
    return result


def _solution_lines(code: str) -> set[int]:
    """Lines (from 1) between nbgrader's BEGIN and END markers: nbgrader takes them out of the release."""
    inside, lines = False, set()
    for number, line in enumerate(code.split("\n"), start=1):
        if _MARKER.match(line.strip()):
            inside = line.strip().split()[1] == "BEGIN"
        elif inside:
            lines.add(number)
    return lines


def code_translation_problems(code: str, table: dict[str, str] | None) -> list[str]:
    """What the translation ``table`` of the instructor notebook's code cell ``code`` misses or gets wrong ([] if
    nothing). What lies between nbgrader's markers never reaches a learner: it may be translated, and need not be."""
    table = table or {}
    if not isinstance(table, dict):
        return ["the translation of a code cell must be a table {English: translation}"]
    found = pieces(code)
    released = [piece for piece in found if piece.start[0] not in _solution_lines(code)]
    problems = [f"no translation of the {piece.kind} {piece.key!r}" for piece in released
                if piece.key not in table and needs_translation(piece, code)]
    for piece in found:
        if piece.key in table:
            problem = value_problem(piece, table[piece.key])
            if problem:
                problems.append(f"the {piece.kind} {piece.key!r}: {problem}")
    keys = {piece.key for piece in found}
    problems += [f"{key!r} is translated but is not in the cell" for key in table if key not in keys]
    if not problems:
        try:
            ast.parse(_parsable(translate(code, table)))
        except SyntaxError as error:
            problems.append(f"the translated cell is not Python: {error}")
    return problems


class TranslateCode(Preprocessor):
    """Write each code cell's comments, docstrings and printed words in ``language`` (nothing to do for English)."""

    language = Unicode("en").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and self.language != "en":
            original = resources["source_cells"][index]
            table = original.metadata.get("translations", {}).get(self.language)
            problems = code_translation_problems(original.source, table)
            if problems:
                raise ValueError(f"{resources['where']} cell {index}: the {self.language} translation of its code is "
                                 f"not usable: {'; '.join(problems)}")
            source = cell.source if isinstance(cell.source, str) else "".join(cell.source)  # lines, from JSON
            cell.source = translate(source, dict(table) if table else {})
        return cell, resources
