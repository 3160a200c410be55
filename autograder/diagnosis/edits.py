"""Mechanical fixes of an exception, tried on the learner's own code before they are offered.

Some exceptions have one fix that can be written into the learner's line: numpy 2 refuses
``float(b)`` of an array of shape (1, 1, 1), and ``b.item()`` works on every numpy; ``np.float`` no
longer exists, and the built-in ``float`` (or ``.item()``, for an array) takes its place. An
:class:`Edit` is that change of one line of one function. It is offered as the fix only after the
function was run again with it, on every case: in the learner's kernel by recompiling the function
(:func:`edited_function`), in the class grader by a sandbox job with the edited cell
(:func:`edited_cell`). The words then say what the run showed: every case passes, or the error is gone
and something else still goes wrong (named after it), or nothing is promised.
"""
from __future__ import annotations

import ast
import functools
import inspect
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from ..verdict import Diagnosis, Raised

if TYPE_CHECKING:
    from .evidence import Run

# an assert on the shape of an array (``assert(Z.shape == (m, n_H, n_W, n_C))``): a check of what was computed
SHAPE_CHECK = re.compile(r"^assert\b.*\b[A-Za-z_]\w*\.shape\b")
SIMPLE_OPERAND = re.compile(r"[A-Za-z_][\w.]*(\[[^\[\]()]*\])?")


@dataclass(frozen=True)
class Edit:
    where: str  # the function whose line changes
    line: str  # the line as it is (without its indentation)
    new: str  # the line as it becomes
    # a loop's line: (name, another name) made in every line of the loop's body as well, a whole name at a time
    renamed: tuple[str, str] | None = None

    @property
    def shown(self) -> str:
        """The new line as the words quote it: without a comment at its end."""
        code = self.new.split("#", 1)[0].rstrip() if "#" in self.new else self.new
        try:
            ast.parse(code)
        except SyntaxError:
            return self.new
        return code


def _calls(line: str, name: str) -> list[str]:
    """Every call ``name(...)`` in ``line``, parentheses balanced, e.g. ``np.float(np.sum(x) + b)``."""
    found = []
    for start in (m.start() for m in re.finditer(rf"(?<![\w.]){re.escape(name)}\(", line)):
        depth, index = 0, start + len(name)
        for index in range(start + len(name), len(line)):
            depth += {"(": 1, ")": -1}.get(line[index], 0)
            if depth == 0:
                found.append(line[start:index + 1])
                break
    return found


def _item(inner: str) -> str:
    return f"{inner}.item()" if SIMPLE_OPERAND.fullmatch(inner.strip()) else f"({inner}).item()"


def proposals(diagnosis: Diagnosis, raised: Raised) -> list[Edit]:
    """The edits that may fix ``raised``, read as ``diagnosis``, in the order to try them."""
    if not raised.line or not raised.where:
        return []
    line = raised.line.strip()
    edits: list[str] = []
    if diagnosis.id == "numpy2_scalar_conversion":
        for kind in ("float", "int"):
            for call in _calls(line, kind):
                inner = call[len(kind) + 1:-1]
                edits.append(line.replace(call, _item(inner) if kind == "float" else f"int({_item(inner)})", 1))
    elif diagnosis.id == "numpy_alias_removed":
        alias, builtin = diagnosis.values.get("alias"), diagnosis.values.get("builtin")
        for module in ("np", "numpy"):
            if f"{module}.{alias}" in line:
                edits.append(re.sub(rf"\b{module}\.{alias}\b(?!\w)", builtin, line))
                for call in _calls(line, f"{module}.{alias}"):
                    if builtin in ("float", "int", "complex", "bool"):
                        inner = call[len(module) + len(alias) + 2:-1]
                        taken = _item(inner) if builtin == "float" else f"{builtin}({_item(inner)})"
                        edits.append(line.replace(call, taken, 1))
    elif diagnosis.id == "own_assert" and SHAPE_CHECK.match(line):
        edits.append("pass")  # a check of a computed array's shape, taken out: what it caught shows without it
    elif diagnosis.id == "einsum_channel_letters":
        edits += _letters_swapped(line, raised.message or "", str(diagnosis.values.get("letter", "")))
    return [Edit(raised.where, line, new) for new in dict.fromkeys(edits) if new != line]


def fixes_to_try(diagnosis: Diagnosis, runs: Sequence["Run"], function: str) -> list[Edit]:
    """The edits that may fix ``diagnosis``, an exception, proposed by each of ``runs`` that raised it in
    ``function``'s own lines, in the runs' order: one line may be read differently from each case (an einsum's
    letter swaps come from that case's shapes, and two lengths may coincide on one case)."""
    return list(dict.fromkeys(edit for run in runs if run.raised is not None and run.raised.where == function
                              for edit in proposals(diagnosis, run.raised)))


def _letters_swapped(line: str, message: str, letter: str) -> list[str]:
    """The einsum line with ``letter`` and another letter of one operand swapped, each such swap after which
    every letter stands for one length in the operands' shapes (numpy's message, read by
    :func:`.shapes.operand_letters`)."""
    from .shapes import operand_letters

    read = operand_letters(line, message)
    if read is None or not letter:
        return []
    subscripts, operands = read
    found = []
    for index, (letters, shape) in enumerate(operands):
        if letter not in letters:
            continue
        for other in letters:
            if other == letter:
                continue
            swapped = letters.translate(str.maketrans({letter: other, other: letter}))
            trial = [(swapped, shape) if k == index else pair for k, pair in enumerate(operands)]
            sizes: dict[str, set[int]] = {}
            for names, lengths in trial:
                for name, length in zip(names, lengths):
                    sizes.setdefault(name, set()).add(length)
            if all(len(lengths) == 1 for lengths in sizes.values()):
                inputs = [names for names, _ in trial]
                new = subscripts.replace(subscripts.split("->")[0].replace(" ", ""), ",".join(inputs), 1)
                if new != subscripts and line.count(subscripts) == 1:
                    found.append(line.replace(subscripts, new, 1))
    return found[:2]


def _replace_line(source: str, edit: Edit, first: int = 0, last: int | None = None) -> str | None:
    lines = source.splitlines(keepends=True)
    end = len(lines) if last is None else min(last, len(lines))
    for index in range(first, end):
        text = lines[index]
        if text.strip() == edit.line:
            indent = text[:len(text) - len(text.lstrip())]
            lines[index] = indent + edit.new + ("\n" if text.endswith("\n") else "")
            if edit.renamed:
                _rename_in_body(lines, index, end, indent, *edit.renamed)
            return "".join(lines)
    return None


def _rename_in_body(lines: list[str], opening: int, end: int, indent: str, name: str, other: str) -> None:
    """``name`` made ``other`` in the lines after ``lines[opening]`` that are indented deeper than ``indent``
    (the block it opens), a whole name at a time (not an attribute ``x.name``)."""
    whole = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    for index in range(opening + 1, end):
        text = lines[index]
        if text.strip() and not (text.startswith(indent) and len(text) - len(text.lstrip()) > len(indent)):
            return
        lines[index] = whole.sub(other, text)


def edited_function(fn: Callable, edit: Edit) -> Callable | None:
    """``fn`` compiled again with ``edit`` made, in the same globals; None if its source cannot be had."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None
    changed = _replace_line(source, edit)
    if changed is None:
        return None
    namespace: dict = {}
    try:
        exec(compile(changed, "<fix tried>", "exec"), fn.__globals__, namespace)
    except Exception:  # the learner's source no longer compiles alone (a decorator, a closure): not tried
        return None
    found = namespace.get(fn.__name__)
    return found if callable(found) else None


def edited_cell(code: str, edit: Edit) -> str | None:
    """A cell's code with ``edit`` made inside the definition of ``edit.where``; None if it is not there."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == edit.where:
            return _replace_line(code, edit, node.lineno - 1, node.end_lineno)
    return None


# -- a += through a fancy index, tried as np.add.at ---------------------------------------------------------
NUMPY_IMPORT = re.compile(r"^\s*import\s+numpy(?:\s+as\s+(\w+))?\s*$", re.M)
MAX_SCATTER_EDITS = 2
MAGIC = re.compile(r"^[ \t]*[%!].*$", re.M)


@dataclass(frozen=True, eq=False)
class _Read:
    """A learner's source read once (the diagnosis of one submission asks it many times): its syntax tree (None
    when it does not parse), its lines, its definitions by name in the order of a walk. Never changed."""

    source: str
    tree: ast.Module | None
    lines: list[str]
    defs: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]


@functools.lru_cache(maxsize=8)
def _read(source: str) -> _Read:
    """``source`` read, a notebook's %magic and !shell lines as empty lines, so that the numbering holds."""
    source = MAGIC.sub("", source)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return _Read(source, None, [], {})
    defs: dict[str, list] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defs.setdefault(node.name, []).append(node)
    return _Read(source, tree, source.splitlines(), defs)


def parsed_function(source: str, function: str) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef | None, list[str]]:
    """(the definition of ``function`` in ``source``, or None where the source does not parse or has none; the
    source's lines), a notebook's %magic and !shell lines read as empty lines, so that the numbering holds."""
    read = _read(source)
    if read.tree is None:
        return None, []
    return (read.defs[function][0] if function in read.defs else None), read.lines


def _numpy_name(source: str) -> str | None:
    found = NUMPY_IMPORT.search(source)
    return None if found is None else (found.group(1) or "numpy")


def _is_basic(index: ast.expr) -> bool:
    """An index of slices and constants only: a += through it adds every share (no entry is named twice)."""
    return isinstance(index, (ast.Slice, ast.Constant)) or (
        isinstance(index, ast.Tuple) and all(isinstance(e, (ast.Slice, ast.Constant)) for e in index.elts))


def _index_text(index: ast.expr) -> str:
    """The index as np.add.at takes it: a tuple, with each ``a:b:c`` written ``slice(a, b, c)``."""
    def part(node: ast.expr) -> str:
        if isinstance(node, ast.Slice):
            parts = [ast.unparse(x) if x is not None else "None" for x in (node.lower, node.upper, node.step)]
            while len(parts) > 1 and parts[-1] == "None":
                parts.pop()
            return "slice(" + ", ".join(parts) + ")"
        return ast.unparse(node)
    if isinstance(index, ast.Tuple):
        return "(" + ", ".join(part(e) for e in index.elts) + ("," if len(index.elts) == 1 else "") + ")"
    return part(index)


def _called_names(node: ast.AST) -> set[str]:
    return {call.func.id for call in ast.walk(node) if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)}


def scatter_edits(source: str, function: str, numpy: str | None = None) -> list[Edit]:
    """Each one-line ``x[index] += value`` whose index is not made of slices alone (a fancy index, which keeps
    one share where it names an entry twice), in ``function`` or in the learner's functions it calls (by name,
    in ``source``, the learner's code), as the edit ``np.add.at(x, index, value)``: to be tried on every case
    before anything is said of it. ``numpy``: the name numpy has in the learner's namespace (None: read from an
    ``import numpy`` line of ``source``)."""
    numpy = numpy or _numpy_name(source)
    read = _read(source)  # a notebook's %magic and !shell lines, kept as empty lines (the numbering holds)
    if read.tree is None or numpy is None:
        return []
    defs = {name: found[-1] for name, found in read.defs.items()}
    reach, todo = [], [function]
    while todo:
        name = todo.pop(0)
        if name in defs and name not in reach:
            reach.append(name)
            todo += sorted(_called_names(defs[name]) - set(reach))
    lines = read.lines
    edits = []
    for name in reach:
        for node in ast.walk(defs[name]):
            if not (isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add)
                    and isinstance(node.target, ast.Subscript) and node.lineno == node.end_lineno):
                continue
            if _is_basic(node.target.slice):
                continue
            line = lines[node.lineno - 1]
            statement = line[node.col_offset:node.end_col_offset]
            new = (f"{numpy}.add.at({ast.unparse(node.target.value)}, {_index_text(node.target.slice)}, "
                   f"{ast.unparse(node.value)})")
            edits.append(Edit(name, line.strip(), line.strip().replace(statement, new, 1)))
    return list(dict.fromkeys(edits))[:MAX_SCATTER_EDITS]


def _loop_counters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names that ``function`` binds only as the counter of a ``for name in range(...)`` loop: whole numbers
    whenever they are read (nothing else in the function stores them; not a parameter, global or nonlocal)."""
    counters, other = set(), set()
    for node in ast.walk(function):
        if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name) \
                and isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name) \
                and node.iter.func.id == "range":
            counters.add(node.target.id)
    targets = {id(node.target) for node in ast.walk(function) if isinstance(node, (ast.For, ast.AsyncFor))
               and isinstance(node.target, ast.Name) and node.target.id in counters}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and id(node) not in targets:
            other.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            other.update(node.names)
        elif isinstance(node, ast.arg):
            other.add(node.arg)
    return counters - other


@functools.lru_cache(maxsize=8)
def _plain(read: _Read) -> bool:
    """Whether ``range`` in ``source`` is surely the built-in (nothing there binds that name or reaches builtins),
    no error is caught there (no ``try``, no ``with``: an error of a += ends the run), no class defined (an
    index or array of the learner's own), and no code run from text."""
    if read.tree is None or re.search(r"builtins|\b(exec|eval|compile)\b", read.source):  # code that binds range,
        return False  # or runs code not seen here
    for node in ast.walk(read.tree):
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try), ast.With, ast.AsyncWith, ast.ClassDef)):
            return False
        if isinstance(node, ast.Name) and node.id == "range" and not isinstance(node.ctx, ast.Load):
            return False
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == "range":
            return False
        if isinstance(node, ast.alias) and (node.asname or node.name) == "range":
            return False
        if isinstance(node, ast.arg) and node.arg == "range":
            return False
        if isinstance(node, (ast.Global, ast.Nonlocal)) and "range" in node.names:
            return False
    return True


def names_each_entry_once(source: str, edit: Edit) -> bool:
    """Whether the ``x[index] += value`` that a :func:`scatter_edits` edit changes surely names no entry twice:
    each part of its index a slice, a constant or a ``for ... in range(...)`` counter of its function (a whole
    number), and no error caught anywhere in ``source``. Then, on an array, ``np.add.at`` adds exactly what the +=
    adds wherever the += runs without an error (on anything else it raises): the edit cannot make a run that
    returned a wrong value pass, and there is nothing to try."""
    read = _read(source)
    defs = read.defs.get(edit.where, [])
    if len(defs) != 1 or not _plain(read):
        return False
    counters, lines = _loop_counters(defs[0]), read.lines
    found = False
    for node in ast.walk(defs[0]):
        if not (isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript)
                and lines[node.lineno - 1].strip() == edit.line):
            continue
        index = node.target.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        if not all(isinstance(part, (ast.Slice, ast.Constant)) or (isinstance(part, ast.Name) and part.id in counters)
                   for part in parts):
            return False
        found = True
    return found


def edited_scope(fn: Callable, edit: Edit, home: dict) -> tuple[Callable, dict] | None:
    """(``fn``, the graded function, in a copy of its namespace where ``edit.where``, ``fn`` itself or a helper
    of the learner's, is compiled again with ``edit`` made; that namespace); None if that cannot be done."""
    target = fn if edit.where == getattr(fn, "__name__", None) else home.get(edit.where)
    if not callable(target):
        return None
    edited = edited_function(target, edit)
    if edited is None:
        return None
    namespace = dict(getattr(fn, "__globals__", home))
    namespace[edit.where] = edited
    if edit.where == getattr(fn, "__name__", None):
        return type(edited)(edited.__code__, namespace, edited.__name__, edited.__defaults__,
                            edited.__closure__), namespace
    return type(fn)(fn.__code__, namespace, fn.__name__, fn.__defaults__, fn.__closure__), namespace


# -- a mode compared with another word, tried with the word the caller passes ----------------------------------
def mode_edits(source: str, function: str, modes: Sequence[str], failing: Sequence[str]) -> list[Edit]:
    """Each one-line comparison ``mode == "word"`` in ``function`` (in ``source``) whose word is none of the
    ``modes`` the function is called with, as the edit that puts in its place a mode of ``failing`` (the modes of
    the failing runs) that the function never compares with: to be tried on every case before it is said."""
    node, lines = parsed_function(source, function)
    if node is None:
        return []
    compares = []
    for compare in ast.walk(node):
        if isinstance(compare, ast.Compare) and len(compare.ops) == 1 and isinstance(compare.ops[0],
                                                                                    (ast.Eq, ast.NotEq)):
            sides = (compare.left, compare.comparators[0])
            word = next((s for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)), None)
            if word is not None and any(isinstance(s, ast.Name) and s.id == "mode" for s in sides):
                compares.append(word)
    said = {word.value for word in compares}
    missing = [mode for mode in failing if mode not in said]
    edits = []
    for word in compares:
        if word.value in modes or word.lineno != word.end_lineno or len(missing) != 1:
            continue
        line = lines[word.lineno - 1]
        segment = line[word.col_offset:word.end_col_offset]
        quote = segment[-1] if segment[-1] in "'\"" else '"'
        new = line[:word.col_offset] + quote + missing[0] + quote + line[word.end_col_offset:]
        edits.append(Edit(function, line.strip(), new.strip()))
    return list(dict.fromkeys(edits))[:MAX_SCATTER_EDITS]


# -- a loop counter that takes over a name the function uses for something else, tried under a name of its own --
def _holders(function: ast.FunctionDef | ast.AsyncFunctionDef, loop: ast.For) -> list[ast.AST]:
    """The loops (for, while) of ``function`` that hold ``loop``."""
    return [node for node in ast.walk(function) if isinstance(node, (ast.For, ast.AsyncFor, ast.While))
            and node is not loop and id(loop) in {id(inner) for inner in ast.walk(node)}]


def _read_after(function: ast.FunctionDef | ast.AsyncFunctionDef, loop: ast.For, name: str) -> bool:
    """Whether ``function`` reads ``name`` outside ``loop`` where that can come after the loop has run: below it,
    or anywhere in a loop that holds it (its next round)."""
    inside = {id(node) for node in ast.walk(loop)}
    around = {id(node) for holder in _holders(function, loop) for node in ast.walk(holder)}
    return any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
               and id(node) not in inside and (node.lineno > loop.end_lineno or id(node) in around)
               for node in ast.walk(function))


def _names_bound_outside(function: ast.FunctionDef | ast.AsyncFunctionDef, loop: ast.For) -> set[str]:
    """Names ``function`` binds other than as the counter of ``loop`` or of a loop beside it: its parameters, its
    assignments outside ``loop``, and the counters of the loops that hold ``loop``."""
    inside = {id(node) for node in ast.walk(loop)}
    holders = _holders(function, loop)
    counters = {id(node.target) for node in ast.walk(function) if isinstance(node, (ast.For, ast.AsyncFor))}
    bound = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)}
    bound |= {node.id for node in ast.walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
              and id(node) not in inside and id(node) not in counters}
    bound |= {holder.target.id for holder in holders if isinstance(getattr(holder, "target", None), ast.Name)}
    return bound


def loop_name_edits(source: str, function: str) -> list[Edit]:
    """Each ``for name in ...:`` of ``function`` (in ``source``) whose counter is a name the function also binds
    outside that loop (a parameter, an assignment, the counter of a loop around it) and reads where the loop has
    run by then (below it, or in a loop around it): there the name holds the loop's last count. The edit gives
    the counter a name of its own, in the loop's line and body: to be tried on every case before anything is said
    of it."""
    node, lines = parsed_function(source, function)
    if node is None:
        return []
    taken = set(re.findall(r"[A-Za-z_]\w*", source))
    edits = []
    for loop in ast.walk(node):
        if not (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name)
                and loop.target.lineno == loop.lineno == loop.target.end_lineno):
            continue
        name = loop.target.id
        if not _read_after(node, loop, name) or name not in _names_bound_outside(node, loop):
            continue
        other = next((f"{name}_{k}" for k in ("inner", "k", "loop", "count") if f"{name}_{k}" not in taken), None)
        if other is None:
            continue
        line = lines[loop.lineno - 1]
        new = line[:loop.target.col_offset] + other + line[loop.target.end_col_offset:]
        edits.append(Edit(function, line.strip(), new.strip(), (name, other)))
    return list(dict.fromkeys(edits))[:MAX_SCATTER_EDITS]


def source_edits(source: str, function: str, runs: Sequence["Run"], numpy: str | None = None
                 ) -> list[tuple[str, Edit, dict]]:
    """(the cause, the edit, its values) of every mechanical change of the learner's code to try on ``function``
    (whose ``runs`` tell the modes it is called with): a fancy-indexed += made np.add.at (:func:`scatter_edits`);
    a mode compared with a word it is never given (:func:`mode_edits`); a // where every value came out rounded down
    (:func:`division_edits`); as_strided's steps (:func:`strided_edits`); a loop counter that takes over a name
    used outside the loop, given a name of its own (:func:`loop_name_edits`); a helper of the learner's that writes
    into the array it is given, handed a copy (:func:`copied_argument_edits`); a 1 taken away from a sum, in the
    function or a helper of the learner's it calls (:func:`minus_one_edits`); ``a / b * c`` made ``a / (b * c)``
    (:func:`precedence_edits`)."""
    found = [("scatter_without_add_at", edit, {}) for edit in scatter_edits(source, function, numpy)]
    modes = sorted({run.factors.get("mode") for run in runs} - {None})
    failing = sorted({run.factors.get("mode") for run in runs if not run.passed} - {None})
    for edit in mode_edits(source, function, modes, failing) if modes else []:
        mode = next((m for m in failing if m not in edit.line and m in edit.new), None)
        if mode is not None:
            found.append(("mode_misspelled", edit, {"mode": mode}))
    if _rounded_down(runs):
        found += [("floor_division", edit, {}) for edit in division_edits(source, function)]
    found += strided_edits(source, function, numpy)
    found += [("loop_name_reused", edit, {"name": edit.renamed[0], "renamed": edit.renamed[1]})
              for edit in loop_name_edits(source, function)]
    found += copied_argument_edits(source, function)
    found += [("minus_one_extra", edit, {}) for edit in minus_one_edits(source, function)]
    found += precedence_edits(source, function)
    return found


def _is_as_strided(call: ast.AST) -> bool:
    return isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Name) and (
        (isinstance(call.func, ast.Name) and call.func.id == "as_strided")
        or (isinstance(call.func, ast.Attribute) and call.func.attr == "as_strided"))


def strided_edits(source: str, function: str, numpy: str | None = None) -> list[tuple[str, Edit, dict]]:
    """(cause, edit, values) for each ``as_strided(a, ...)`` in ``function`` (in ``source``): ``b.strides`` of
    another array ``b`` in the same function made ``a.strides`` (``strides_of_another_array``: the steps of one
    array used to walk another, e.g. the unpadded one's on the padded one); and ``a`` made contiguous first
    (``strides_assume_contiguous``: steps computed by hand as if ``a``, a transpose or a slice, were laid out in
    order). Each to be tried on every case before it is said."""
    numpy = numpy or _numpy_name(source)
    node, lines = parsed_function(source, function)
    if node is None or numpy is None:
        return []
    found: list[tuple[str, Edit, dict]] = []
    calls = [call for call in ast.walk(node) if _is_as_strided(call)]
    for call in calls:
        array = call.args[0].id
        for other in ast.walk(node):
            if isinstance(other, ast.Attribute) and other.attr == "strides" and isinstance(other.value, ast.Name) \
                    and other.value.id != array and other.lineno == other.end_lineno:
                line = lines[other.lineno - 1]
                new = line[:other.col_offset] + f"{array}.strides" + line[other.end_col_offset:]
                found.append(("strides_of_another_array", Edit(function, line.strip(), new.strip()),
                              {"array": array, "other": other.value.id}))
        first = call.args[0]
        if first.lineno == first.end_lineno:
            line = lines[first.lineno - 1]
            new = line[:first.col_offset] + f"{numpy}.ascontiguousarray({array})" + line[first.end_col_offset:]
            found.append(("strides_assume_contiguous", Edit(function, line.strip(), new.strip()), {"array": array}))
    unique = {edit: (cause, edit, values) for cause, edit, values in found}
    return list(unique.values())[:MAX_SCATTER_EDITS]


def _rounded_down(runs: Sequence["Run"]) -> bool:
    """Whether every failing run returned, for each output, the right values rounded down to whole numbers
    (np.floor of what it should be), with some right value that is not whole."""
    failing = [run for run in runs if not run.passed]
    if not failing:
        return False
    fractional = False
    for run in failing:
        if run.raised is not None or run.missed or run.got is None:
            return False
        pairs = list(zip(run.expected, run.got)) if isinstance(run.expected, tuple) else [(run.expected, run.got)]
        if isinstance(run.expected, tuple) and (not isinstance(run.got, (tuple, list))
                                                or len(run.got) != len(run.expected)):
            return False
        for expected, got in pairs:
            try:
                e, g = np.asarray(expected, dtype=float), np.asarray(got, dtype=float)
            except (TypeError, ValueError):
                return False
            if e.shape != g.shape or not np.allclose(g, np.floor(e), rtol=1e-9, atol=1e-9):
                return False
            fractional = fractional or bool(np.any(np.abs(e - np.round(e)) > 1e-6))
    return fractional


def division_edits(source: str, function: str) -> list[Edit]:
    """Each one-line floor division ``a // b`` in ``function`` (in ``source``), as the edit ``a / b``: to be
    tried on every case before it is said (only when the outputs are the right values rounded down)."""
    node, lines = parsed_function(source, function)
    if node is None:
        return []
    edits = []
    for division in ast.walk(node):
        if isinstance(division, ast.BinOp) and isinstance(division.op, ast.FloorDiv) \
                and division.lineno == division.end_lineno:
            line = lines[division.lineno - 1]
            segment = line[division.col_offset:division.end_col_offset]
            new = segment.replace("//", "/", 1) if segment.count("//") == 1 else None
            if new is not None:
                edits.append(Edit(function, line.strip(), (line[:division.col_offset] + new
                                                           + line[division.end_col_offset:]).strip()))
    return list(dict.fromkeys(edits))[:MAX_SCATTER_EDITS]


# -- a helper that writes into the array it is given --------------------------------------------------------
WRITING_METHODS = frozenset({"fill", "sort", "put", "itemset", "partition", "resize", "setfield"})
WRITING_FUNCTIONS = frozenset({"copyto", "place", "putmask", "put", "put_along_axis", "fill_diagonal"})
VIEW_METHODS = frozenset({"reshape", "view", "ravel", "transpose", "swapaxes", "squeeze", "T"})


def _alias_of(value: ast.expr, aliases: dict[str, str]) -> str | None:
    """The parameter whose array ``value`` is (the name itself, a slice of it, a reshaped or transposed view), or
    None: an expression that makes a new array (``x == m``, ``x.copy()``, ``x * 2``) holds none."""
    if isinstance(value, ast.Name):
        return aliases.get(value.id)
    if isinstance(value, ast.Subscript):
        parts = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
        basic = all(isinstance(part, (ast.Slice, ast.Constant, ast.Name)) for part in parts)
        return _alias_of(value.value, aliases) if basic else None
    if isinstance(value, ast.Attribute) and value.attr == "T":
        return _alias_of(value.value, aliases)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in VIEW_METHODS:
        return _alias_of(value.func.value, aliases)
    return None


def _written(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The parameter whose array the statement or call ``node`` writes into, or None."""
    def target(expr: ast.expr) -> str | None:
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
            return aliases.get(expr.value.id)  # x[...] = v, x[...] += v
        return None

    if isinstance(node, ast.Assign):
        return next((p for p in map(target, node.targets) if p), None)
    if isinstance(node, ast.AugAssign):  # x += v writes into an array in place
        return aliases.get(node.target.id) if isinstance(node.target, ast.Name) else target(node.target)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in WRITING_METHODS and isinstance(func.value, ast.Name):
            return aliases.get(func.value.id)
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in WRITING_FUNCTIONS and node.args and isinstance(node.args[0], ast.Name):
            return aliases.get(node.args[0].id)
        return next((aliases.get(k.value.id) for k in node.keywords
                     if k.arg == "out" and isinstance(k.value, ast.Name) and aliases.get(k.value.id)), None)
    return None


def parameter_writes(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> dict[str, str]:
    """{parameter: the first line of ``function`` that writes into the array the parameter was given}: through
    the name or a view of it (``mask = x``, ``x[...] = 0``, ``x += 1``, ``x.fill(0)``, ``np.copyto(x, ...)``),
    read in the order of the lines, before the name is given another value (``x = x.copy()``)."""
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]
    aliases = {name: name for name in params}
    found: dict[str, str] = {}
    nodes = [node for node in ast.walk(function) if isinstance(node, (ast.Assign, ast.AugAssign, ast.Call))
             and node is not function]
    for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
        written = _written(node, aliases)
        if written is not None and written not in found and 0 < node.lineno <= len(lines):
            found[written] = lines[node.lineno - 1].strip()
        if isinstance(node, ast.Assign):
            alias = _alias_of(node.value, aliases)
            for name in (t.id for t in node.targets if isinstance(t, ast.Name)):
                if alias is not None:
                    aliases[name] = alias
                else:
                    aliases.pop(name, None)
    return found


def copied_argument_edits(source: str, function: str) -> list[tuple[str, Edit, dict]]:
    """(cause, edit, values) for each call in ``function`` (in ``source``) of another function of the learner's
    that writes into the array it is given (:func:`parameter_writes`), where the argument is an array of the
    caller's or a slice of one (a name, ``A[...]``): the edit hands the helper a copy (``A[...].copy()``), to be
    tried on every case before anything is said (``helper_writes_its_input``)."""
    node, lines = parsed_function(source, function)
    if node is None:
        return []
    defs = _read(source).defs
    found = []
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id != function
                and call.func.id in defs and call.lineno == call.end_lineno):
            continue
        helper = defs[call.func.id][-1]  # the last definition, the one a notebook run in order calls
        writes = parameter_writes(helper, lines)
        if not writes or helper.args.vararg is not None:
            continue
        params = [a.arg for a in (*helper.args.posonlyargs, *helper.args.args)]
        given = list(zip(params, call.args)) + [(k.arg, k.value) for k in call.keywords if k.arg]
        for param, argument in given:
            if param not in writes or not isinstance(argument, (ast.Name, ast.Subscript)) \
                    or argument.lineno != argument.end_lineno:
                continue
            line = lines[call.lineno - 1]
            segment = line[argument.col_offset:argument.end_col_offset]
            new = line[:argument.col_offset] + segment + ".copy()" + line[argument.end_col_offset:]
            found.append(("helper_writes_its_input", Edit(function, line.strip(), new.strip()),
                          {"helper": helper.name, "parameter": param, "write": writes[param], "argument": segment}))
    return list({edit: (cause, edit, values) for cause, edit, values in found}.values())[:MAX_SCATTER_EDITS]


# -- a 1 taken away from a sum, tried without it ------------------------------------------------------------------
MINUS_ONE = re.compile(r"\s*-\s*1\s*$")


def _called_helpers(source: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.FunctionDef]:
    """The last definitions in ``source`` of the learner's functions that ``node`` calls by name."""
    defs = _read(source).defs
    return [defs[name][-1] for name in sorted(_called_names(node)) if name in defs and name != node.name]


def minus_one_edits(source: str, function: str) -> list[Edit]:
    """Each one-line ``a + b - 1`` in ``function`` (in ``source``) or in a function of the learner's it calls, as the
    edit ``a + b``: a window's end written as if a slice took its last entry (``corner + f - 1``), to be tried on
    every case before it is said (``minus_one_extra``)."""
    node, lines = parsed_function(source, function)
    if node is None:
        return []
    edits = []
    for where in [node, *_called_helpers(source, node)]:
        ceilings = {id(n.left) for n in ast.walk(where) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.FloorDiv)}
        for sub in ast.walk(where):
            if id(sub) in ceilings:  # (a + b - 1) // b: a division rounded up, as it should be
                continue
            if not (isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Sub) and isinstance(sub.left, ast.BinOp)
                    and isinstance(sub.left.op, ast.Add) and isinstance(sub.right, ast.Constant)
                    and sub.right.value == 1 and sub.lineno == sub.end_lineno):
                continue
            line = lines[sub.lineno - 1]
            segment = line[sub.col_offset:sub.end_col_offset]
            if not MINUS_ONE.search(segment):
                continue
            new = line[:sub.col_offset] + MINUS_ONE.sub("", segment) + line[sub.end_col_offset:]
            edits.append(Edit(where.name, line.strip(), new.strip()))
    return list(dict.fromkeys(edits))[:MAX_SCATTER_EDITS]


# -- a / b * c written for a / (b * c) ---------------------------------------------------------------------------
def precedence_edits(source: str, function: str) -> list[tuple[str, Edit, dict]]:
    """(cause, edit, values) for each one-line ``a / b * c`` in ``function`` (in ``source``): numpy, as Python,
    reads it ``(a / b) * c``; the edit ``a / (b * c)`` is tried on every case before anything is said
    (``division_precedence``)."""
    node, lines = parsed_function(source, function)
    if node is None:
        return []
    found = []
    for product in ast.walk(node):
        if not (isinstance(product, ast.BinOp) and isinstance(product.op, ast.Mult)
                and isinstance(product.left, ast.BinOp) and isinstance(product.left.op, ast.Div)
                and product.lineno == product.end_lineno):
            continue
        line = lines[product.lineno - 1]
        a, b, c = (line[part.col_offset:part.end_col_offset] for part in
                   (product.left.left, product.left.right, product.right))
        segment = line[product.col_offset:product.end_col_offset]
        if not (segment.startswith(a) and segment.endswith(c)):  # parentheses around a part: left as it is
            continue
        new = line[:product.col_offset] + f"{a} / ({b} * {c})" + line[product.end_col_offset:]
        found.append(("division_precedence", Edit(function, line.strip(), new.strip()), {"divisor": b, "factor": c}))
    return list({edit: (cause, edit, values) for cause, edit, values in found}.values())[:MAX_SCATTER_EDITS]
