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
import inspect
import re
import textwrap
from dataclasses import dataclass
from typing import Callable

from ..verdict import Diagnosis, Raised

SIMPLE_OPERAND = re.compile(r"[A-Za-z_][\w.]*(\[[^\[\]()]*\])?")


@dataclass(frozen=True)
class Edit:
    where: str  # the function whose line changes
    line: str  # the line as it is (without its indentation)
    new: str  # the line as it becomes

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
    return [Edit(raised.where, line, new) for new in dict.fromkeys(edits) if new != line]


def _replace_line(source: str, edit: Edit, first: int = 0, last: int | None = None) -> str | None:
    lines = source.splitlines(keepends=True)
    for index in range(first, len(lines) if last is None else min(last, len(lines))):
        text = lines[index]
        if text.strip() == edit.line:
            indent = text[:len(text) - len(text.lstrip())]
            lines[index] = indent + edit.new + ("\n" if text.endswith("\n") else "")
            return "".join(lines)
    return None


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
