"""An exception read for its cause: its type, its message and the learner's line.

:func:`explain_raised` returns a :class:`~autograder.verdict.Diagnosis` whose id
names an entry ``diagnosis.<id>`` of the message catalogues, or None when the
exception is not one the kit knows how to read. The rules are tried in order;
each looks at the exception only (it may come from a sandbox as text), never
at the learner's objects.
"""
from __future__ import annotations

import ast
import builtins
import re
from typing import Callable, Collection

from ..verdict import Diagnosis, Raised

# numpy's removed aliases: alias -> (the builtin to use, the numpy type)
REMOVED_ALIASES = {
    "float": ("float", "float64"), "int": ("int", "int64"), "bool": ("bool", "bool_"),
    "object": ("object", "object_"), "complex": ("complex", "complex128"), "str": ("str", "str_"),
    "long": ("int", "int64"), "unicode": ("str", "str_"),
}
NUMPY_NAMES = ("np", "numpy")
SHAPE = re.compile(r"\(([\d, ]*)\)")


def _call(line: str | None) -> str:
    """The float(...) or int(...) call of a line, e.g. "float(b)"; "float(...)" if none is found."""
    if line:
        found = re.search(r"\b(float|int)\((?:[^()]|\([^()]*\))*\)", line)
        if found:
            return found.group(0)
    return "float(...)"


def _shapes(message: str) -> list[str]:
    return [f"({shape.replace(' ', '')})" for shape in SHAPE.findall(message)]


def _short(shapes: list[str], into: bool = False) -> bool:
    """Whether a broadcast error's shapes look like a slice cut short: an empty axis, or two shapes of the same
    rank that differ in one axis only (a window or a slice that came out shorter than its target). ``into``: the
    first shape is the array written into (numpy's "non-broadcastable output operand", a += into a slice), which
    numpy never stretches: there an axis of 1 against a longer one is a slice cut short too."""
    try:
        parsed = [tuple(int(n) for n in shape.strip("()").split(",") if n.strip()) for shape in shapes]
    except ValueError:
        return False
    if any(0 in shape for shape in parsed):
        return True
    if len(parsed) < 2 or len(parsed[0]) != len(parsed[1]):
        return False
    differing = [(a, b) for a, b in zip(parsed[0], parsed[1]) if a != b]
    return len(differing) == 1 and (1 not in differing[0] or (into and differing[0][0] < differing[0][1]))


def sizes_differ(shapes: list[str], into: bool = False) -> int | None:
    """How many axes two broadcast shapes of the same rank differ along, where neither is a reordering of the
    other and no differing axis has size 1 (so no axis is misplaced, none missing, none that numpy would
    stretch): e.g. (3, 3) and (2, 2), 2. ``into``: the first is the array written into (see :func:`_short`),
    which numpy never stretches: there its axes of 1 against longer ones count too. None for any other pair."""
    try:
        a, b = (tuple(int(n) for n in shape.strip("()").split(",") if n.strip()) for shape in shapes[:2])
    except ValueError:
        return None
    differing = [(x, y) for x, y in zip(a, b) if x != y]
    stretched = any(1 in pair for pair in differing) and not (into and all(x < y for x, y in differing))
    if len(a) != len(b) or sorted(a) == sorted(b) or len(differing) < 2 or stretched:
        return None
    return len(differing)


Rule = Callable[[Raised, str, Collection[str]], Diagnosis | None]


def _statement(line: str | None) -> ast.stmt | None:
    """The learner's line as one statement, if it parses alone."""
    if not line:
        return None
    try:
        tree = ast.parse(line.strip())
    except SyntaxError:
        return None
    return tree.body[0] if len(tree.body) == 1 else None


def _own_assert(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    """The learner's own ``assert``: quoted, with its message."""
    statement = _statement(r.line)
    if r.type != "AssertionError" or not isinstance(statement, ast.Assert):
        return None
    message = r.message.splitlines()[0][:200] if r.message else ""  # its own first line (pytest adds more)
    return Diagnosis("own_assert", "exception", {"line": r.line.strip(), "condition": ast.unparse(statement.test),
                                                 "message": message})


def _own_raise(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    """The learner's own ``raise SomeError(...)`` (not the stub's NotImplementedError, not a bare re-raise)."""
    statement = _statement(r.line)
    if not isinstance(statement, ast.Raise) or statement.exc is None or r.type == "NotImplementedError":
        return None
    message = r.message.splitlines()[0][:200] if r.message else ""
    return Diagnosis("own_raise", "exception", {"line": r.line.strip(), "message": message})


def _called(statement: ast.stmt | None) -> str | None:
    """The function whose result a line unpacks or indexes: ``A, cache = pool_forward(...)``, ``x = f(...)[0]``."""
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Subscript):
        value = value.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and not hasattr(builtins, value.func.id):
        return value.func.id
    return None


def _none_from_helper(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type != "TypeError" or not re.search(r"cannot unpack non-iterable NoneType|'NoneType' object is not "
                                              r"(subscriptable|iterable)", r.message):
        return None
    helper = _called(_statement(r.line))
    if helper is None:
        return None
    return Diagnosis("none_from_helper", "exception", {"line": r.line.strip(), "helper": helper})


def _key_missing(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type != "KeyError" or not r.line or "[" not in r.line:
        return None
    return Diagnosis("key_missing", "exception", {"line": r.line.strip(), "key": r.message[:80]})


def _index_range(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type == "IndexError" and r.message in ("tuple index out of range", "list index out of range") and r.line:
        return Diagnosis("index_range", "exception", {"line": r.line.strip()})
    return None


def _scalar_conversion(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type == "TypeError" and re.search(r"only (0-dimensional|length-1|size-1) arrays can be converted", r.message):
        return Diagnosis("numpy2_scalar_conversion", "exception", {"call": _call(r.line)})
    return None


def _removed_alias(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    found = re.match(r"module 'numpy' has no attribute '(\w+)'", r.message)
    if r.type == "AttributeError" and found and found.group(1) in REMOVED_ALIASES:
        builtin, replacement = REMOVED_ALIASES[found.group(1)]
        return Diagnosis("numpy_alias_removed", "exception",
                         {"alias": found.group(1), "builtin": builtin, "untried": "alias_fix"})
    return None


def _sequence(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type == "ValueError" and "setting an array element with a sequence" in r.message:
        return Diagnosis("array_where_number_needed", "exception", {"line": (r.line or "...").strip()})
    return None


def _float_size(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if ((r.type == "TypeError" and ("'float' object cannot be interpreted as an integer" in r.message
                                    or "slice indices must be integers" in r.message
                                    or "expected a sequence of integers" in r.message))
            or (r.type == "IndexError" and r.message.startswith("only integers, slices"))):
        return Diagnosis("float_size", "exception")
    return None


def _out_of_bounds(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    found = re.search(r"index -?\d+ is out of bounds for axis (\d+) with size (\d+)", r.message)
    if r.type == "IndexError" and found:
        return Diagnosis("index_out_of_bounds", "exception", {"axis": int(found.group(1)), "size": int(found.group(2))})
    return None


def _broadcast(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type != "ValueError" or "broadcast" not in r.message or "remapped shapes" in r.message:
        return None
    shapes = _shapes(r.message)
    if not shapes:
        return None
    line = (r.line or "...").strip()
    into = "output operand" in r.message  # a += into an array: numpy never stretches that one
    if not _short(shapes, into):
        kind = "broadcast_mismatch"
    elif re.search(r":\s*-\s*pad\b", line):  # the learner's own [pad:-pad], empty when pad is 0
        kind = "broadcast_short_slice"
    else:
        kind = "slice_too_short"
    values = {"shapes": shapes[:2], "line": line}
    if kind == "broadcast_mismatch" and len(shapes) >= 2 and sizes_differ(shapes, into):
        values["sizes_differ"] = sizes_differ(shapes, into)
    return Diagnosis(kind, "exception", values)


def _pad_width(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    """np.pad given (before, after) pairs for another number of axes than the array has."""
    found = re.search(r"remapped shapes \[original->remapped\]: \((\d+),\s*2\)\s+and requested shape \((\d+),\s*2\)",
                      r.message)
    if r.type != "ValueError" or not found or "pad" not in (r.line or ""):
        return None
    return Diagnosis("pad_width_axes", "exception", {"pairs": int(found.group(1)), "axes": int(found.group(2)),
                                                    "line": r.line.strip()})


def _pad_negative(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    """np.pad given a negative width (numpy's words, 1.26 and 2.x alike): it only adds, it cannot cut."""
    if r.type != "ValueError" or "index can't contain negative values" not in r.message \
            or not re.search(r"\bpad\(", r.line or ""):
        return None
    return Diagnosis("pad_width_negative", "exception", {"line": r.line.strip()})


def _attribute_not_set(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    """``self.x`` read where no method has set it yet: a class whose backward relies on its forward's state."""
    found = re.match(r"'(\w+)' object has no attribute '(\w+)'", r.message)
    if r.type != "AttributeError" or not found or not re.search(rf"\bself\.{found.group(2)}\b", r.line or ""):
        return None
    if found.group(1) in ("tuple", "list", "NoneType", "dict", "ndarray", "float", "int"):
        return None
    return Diagnosis("attribute_not_set", "exception", {"cls": found.group(1), "attribute": found.group(2),
                                                       "line": r.line.strip()})


def _name(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    found = re.match(r"name '(\w+)' is not defined", r.message)
    if r.type != "NameError" or not found:
        return None
    name = found.group(1)
    if name in NUMPY_NAMES:
        return Diagnosis("numpy_not_imported", "exception", {"name": name})
    if name in known:
        return Diagnosis("undefined_helper", "exception", {"name": name})
    return Diagnosis("undefined_name", "exception", {"name": name})


def _unpack(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type == "ValueError" and re.match(r"(not enough|too many) values to unpack", r.message):
        return Diagnosis("unpack_mismatch", "exception", {"detail": r.message})
    return None


def _key(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type == "KeyError" and r.message.strip("'\"") in ("f", "stride", "pad"):
        return Diagnosis("hparameter_key", "exception", {"key": r.message})
    return None


def _none_attribute(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    """``x.attr`` where ``x`` is None: a name set by another call (a forward pass, a branch) that has not run."""
    found = re.match(r"'NoneType' object has no attribute '(\w+)'", r.message)
    if r.type != "AttributeError" or not found or not r.line:
        return None
    holder = re.search(rf"([A-Za-z_][\w.]*)\.{found.group(1)}\b", r.line)
    if holder is None or "(" in holder.group(1) or holder.group(1) == "None":
        return None
    return Diagnosis("none_attribute", "exception", {"name": holder.group(1), "attribute": found.group(1),
                                                    "line": r.line.strip()})


def _none(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if "'NoneType'" in r.message and r.type in ("TypeError", "AttributeError"):
        return Diagnosis("none_used", "exception", {"line": (r.line or "...").strip()})
    return None


def _reshape(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type == "ValueError" and r.message.startswith("cannot reshape array of size"):
        return Diagnosis("reshape_size", "exception", {"detail": r.message})
    return None


def _product(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type == "ValueError" and (r.message.startswith("matmul: Input operand") or "not aligned" in r.message
                                   or r.message.startswith("shape-mismatch for sum")):
        return Diagnosis("matmul_mismatch", "exception", {"detail": r.message.split(", with gufunc")[0]})
    return None


def _einsum(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if r.type != "ValueError":
        return None
    if "einstein sum subscripts" in r.message or "invalid subscript" in r.message:
        return Diagnosis("einsum_subscripts", "exception")
    label = re.search(r"size of label '(\w)' for operand \d+ \((\d+)\) does not match previous terms \((\d+)\)",
                      r.message, re.IGNORECASE)
    if label:
        return Diagnosis("einsum_label_sizes", "exception", {"line": (r.line or "...").strip(), "label": label.group(1),
                                                             "sizes": f"{label.group(2)} / {label.group(3)}"})
    if re.search(r"size of label '\w' for operand", r.message, re.IGNORECASE) or (
            "remapped shapes" in r.message and "einsum" in (r.line or "")):
        shapes = re.findall(r"\(([\d,]+)\)->", r.message) or re.findall(r"\(([\d,]+)\)", r.message)
        return Diagnosis("einsum_shapes", "exception", {"line": (r.line or "...").strip(),
                                                       "shapes": [f"({shape})" for shape in shapes[:3]]})
    return None


def _tuple(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    if ((r.type == "AttributeError" and re.match(r"'(tuple|list)' object has no attribute", r.message))
            or (r.type == "TypeError" and re.match(r"(list|tuple) indices must be integers", r.message))):
        return Diagnosis("tuple_for_array", "exception")
    return None


def _recursion(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    return Diagnosis("recursion", "exception") if r.type == "RecursionError" else None


def _division(r: Raised, function: str, known: Collection[str]) -> Diagnosis | None:
    return Diagnosis("division_by_zero", "exception") if r.type == "ZeroDivisionError" else None


RULES: tuple[Rule, ...] = (_own_assert, _own_raise, _scalar_conversion, _removed_alias, _sequence, _float_size,
                           _out_of_bounds, _broadcast, _pad_width, _pad_negative, _attribute_not_set, _name, _unpack,
                           _none_from_helper, _key, _key_missing, _index_range, _none_attribute, _none, _reshape,
                           _product, _einsum, _tuple, _recursion, _division)


def explain_raised(function: str, raised: Raised, known: Collection[str] = ()) -> Diagnosis | None:
    """The cause of ``raised``, an exception of ``function``; ``known`` are the assignment's function names."""
    for rule in RULES:
        found = rule(raised, function, known)
        if found:
            return found
    return None
