"""The kit's corpus of realistic learner submissions (tests/corpus/), as notebooks and with the truth about them.

A corpus file is one learner's notebook code as a Python module (see
tests/corpus/README.md). :func:`notebook` turns it into that learner's notebook:
the release, with each graded function's definition (and the helpers,
constants and imports written before it) in the solution cell that holds it,
and the imports at the top of the file in a cell the learner added. :func:`truth`
says which graded cells are right, independently of the checks: each function
against the reference on many random inputs (strides 1 to 3, pads 0 to 2,
windows 1 to 4, both pooling modes, odd shapes), a layer of "Vectorize it" also
by how many lines of Python it runs on a large input (a loop over the output
positions runs tens of thousands), and a trained model by training it.

Some corpus files have a note beside them (``learner_NN.toml``, see tests/corpus/README.md): the true
causes of their lost marks, written by hand. :func:`note` reads one into a :class:`Note`, and
:func:`fixed` applies the fixes it gives (all of them, or all but one cause's) to the file's text.
"""
from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable, Mapping

import nbformat
import numpy as np

from autograder.compare import Tolerance, outputs_difference

from .assignment import Assignment
from .course import fill_notebook

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
LOOPING_LINES = 5_000  # lines of Python run on the speed input beyond which a layer loops over positions


def files(assignment: Assignment, folder: Path = CORPUS) -> dict[str, Path]:
    """{learner: path} of the corpus files of ``assignment``."""
    return {path.stem: path for path in sorted((folder / assignment.name).glob("*.py"))}


def _cell_of_names(assignment: Assignment) -> dict[str, str]:
    """{top-level name defined in a solution cell of the instructor notebook: that cell's grade id}."""
    found = {}
    for grade_id, code in assignment.sources().items():
        tree = ast.parse("\n".join(line for line in code.splitlines() if not line.lstrip().startswith("%")))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found[node.name] = grade_id
    return found


def notebook(assignment: Assignment, release_notebook: Path, path: Path) -> nbformat.NotebookNode:
    """The learner's notebook: the release with their code in its solution cells, their imports in a cell of
    their own at the top."""
    text = path.read_text()
    tree = ast.parse(text)
    cells_of = _cell_of_names(assignment)
    imports, pending, cells = [], [], {}
    defined = False
    for node in tree.body:
        segment = ast.get_source_segment(text, node, padded=True)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module's docstring
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in cells_of:
            defined = True
            grade_id = cells_of[node.name]
            cells[grade_id] = "\n\n".join(filter(None, [cells.get(grade_id), *pending, segment]))
            pending = []
        elif not defined and isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(segment)
        else:
            pending.append(segment)
    if pending and cells:
        last = list(cells)[-1]
        cells[last] = "\n\n".join([cells[last], *pending])
    nb = fill_notebook(release_notebook, cells)
    if imports:
        first = next(i for i, cell in enumerate(nb.cells) if cell.metadata.get("nbgrader", {}).get("solution"))
        nb.cells.insert(first, nbformat.v4.new_code_cell("\n".join(imports)))
    return nb


# -- the notes: true causes, written by hand -----------------------------------------------------------
class NoteError(ValueError):
    """A note that does not have the shape of tests/corpus/README.md."""


@dataclass(frozen=True)
class Cause:
    """One independent cause of a function's lost marks.

    ``tag`` names the kind of cause (the bench's ``CAUSES`` say which of the kit's diagnoses name it);
    ``through`` is the graded helper it lives in when the function fails only by calling it, ``in_helper``
    the learner's own ungraded helper it lives in; ``edit`` is the fix as (old, new) replacements of the
    file's text, each old text found exactly once (a cause that lives in a helper may leave it to another
    cause of the same group); ``detail`` holds what a right message must mention (an assert's condition,
    the parameter that triggers it)."""

    tag: str
    fix: str
    through: str | None = None
    in_helper: str | None = None
    edit: tuple[tuple[str, str], ...] = ()
    detail: Mapping[str, str] = field(default_factory=dict)

    def group(self, function: str) -> tuple[str, str]:
        """(tag, where it lives): causes of several functions that are one mistake share a group."""
        return self.tag, self.through or self.in_helper or function


@dataclass(frozen=True)
class FunctionTruth:
    """Why one graded function loses marks: its independent causes in the order to fix them."""

    function: str
    causes: tuple[Cause, ...]
    own_code_right: bool  # every cause comes through a graded helper: the function's own lines are right
    forbidden: tuple[str, ...] = ()  # claims (the bench's claim keys) that would be wrong here


@dataclass(frozen=True)
class Note:
    learner: str
    styles: tuple[str, ...]
    explanation: str
    functions: Mapping[str, FunctionTruth]  # the graded functions that lose marks; the others are right

    def groups(self) -> dict[tuple[str, str], list[tuple[str, Cause]]]:
        """{(tag, where): [(function, cause), ...]}: each independent mistake of the file, and where it shows."""
        found: dict[tuple[str, str], list[tuple[str, Cause]]] = {}
        for name, truth in self.functions.items():
            for cause in truth.causes:
                found.setdefault(cause.group(name), []).append((name, cause))
        return found


CAUSE_KEYS = {"tag", "fix", "through", "in_helper", "edit", "detail"}
FUNCTION_KEYS = {"causes", "own_code_right", "forbidden"}
NOTE_KEYS = {"styles", "explanation", "functions"}


def note_path(path: Path) -> Path:
    return path.with_suffix(".toml")


def note(path: Path, assignment: Assignment | None = None) -> Note | None:
    """The note beside the corpus file ``path``, or None if it has none. Raises NoteError if it is malformed
    (checked against ``assignment``'s graded functions when given)."""
    where = note_path(path)
    if not where.exists():
        return None
    try:
        data = tomllib.loads(where.read_text())
    except tomllib.TOMLDecodeError as error:
        raise NoteError(f"{where.name}: not TOML: {error}") from None
    return _note(path.stem, data, where.name, assignment)


def _strings(value, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise NoteError(f"{what} must be a list of strings")
    return tuple(value)


def _note(learner: str, data: dict, name: str, assignment: Assignment | None) -> Note:
    if set(data) - NOTE_KEYS or not {"styles", "explanation"} <= set(data):
        raise NoteError(f"{name}: keys {sorted(data)}; expected styles, explanation and functions")
    if not isinstance(data["explanation"], str) or len(data["explanation"].split()) < 10:
        raise NoteError(f"{name}: the explanation must say in words what is wrong")
    functions = {}
    for function, entry in data.get("functions", {}).items():
        where = f"{name} [functions.{function}]"
        if assignment is not None and function not in assignment.functions:
            raise NoteError(f"{where}: not a graded function of {assignment.name}")
        if not isinstance(entry, dict) or set(entry) - FUNCTION_KEYS or "causes" not in entry \
                or "own_code_right" not in entry or not isinstance(entry["own_code_right"], bool):
            raise NoteError(f"{where}: needs causes and own_code_right (true or false), and may have forbidden")
        if not isinstance(entry["causes"], list) or not entry["causes"]:
            raise NoteError(f"{where}: a function that loses marks has at least one cause")
        causes = tuple(_cause(cause, f"{where} cause {i}", assignment) for i, cause in enumerate(entry["causes"], 1))
        own = all(cause.through for cause in causes)
        if entry["own_code_right"] != own:
            raise NoteError(f"{where}: own_code_right must be {str(own).lower()}: it is true exactly when every "
                            "cause comes through a graded helper")
        functions[function] = FunctionTruth(function, causes, entry["own_code_right"],
                                            _strings(entry.get("forbidden", []), f"{where} forbidden"))
    found = Note(learner, _strings(data["styles"], f"{name} styles"), data["explanation"].strip(), functions)
    for group, members in found.groups().items():
        if not any(cause.edit for _, cause in members):
            raise NoteError(f"{name}: the cause {group} has no edit (its fix, as replacements of the file)")
        through = group[1] if members[0][1].through else None
        if through and through not in found.functions:
            raise NoteError(f"{name}: {members[0][0]} fails through {through}, which the note does not list")
    return found


def _cause(data, where: str, assignment: Assignment | None) -> Cause:
    if not isinstance(data, dict) or set(data) - CAUSE_KEYS or not isinstance(data.get("tag"), str) \
            or not isinstance(data.get("fix"), str) or not data["fix"].strip():
        raise NoteError(f"{where}: needs a tag and a fix, and may have through, in_helper, edit, detail")
    through, in_helper = data.get("through"), data.get("in_helper")
    if through and in_helper:
        raise NoteError(f"{where}: a cause lives in a graded helper (through) or in the learner's own (in_helper)")
    if through is not None and assignment is not None and through not in assignment.functions:
        raise NoteError(f"{where}: through {through!r} is not a graded function")
    edit = data.get("edit", [])
    if not isinstance(edit, list) or not all(isinstance(pair, list) and len(pair) == 2
                                             and all(isinstance(text, str) for text in pair) and pair[0] != pair[1]
                                             for pair in edit):
        raise NoteError(f"{where}: edit must be a list of [old, new] pairs of different texts")
    detail = data.get("detail", {})
    if not isinstance(detail, dict) or not all(isinstance(v, str) for v in detail.values()):
        raise NoteError(f"{where}: detail must be a table of strings")
    return Cause(data["tag"], data["fix"].strip(), through, in_helper, tuple(tuple(pair) for pair in edit), detail)


def fixed(text: str, note: Note, leave: tuple[str, str] | None = None) -> str:
    """``text`` with the note's fixes applied: every cause's, or every cause's but those of the group
    ``leave``. Each edit's old text must be found exactly once when it is applied (NoteError otherwise)."""
    done = set()
    for group, members in note.groups().items():
        if group == leave:
            continue
        for _, cause in members:
            for old, new in cause.edit:
                if (old, new) in done:
                    continue
                if text.count(old) != 1:
                    raise NoteError(f"{note.learner}: the edit of {group} finds {old!r} {text.count(old)} times")
                text = text.replace(old, new)
                done.add((old, new))
    return text


def load(path: Path) -> ModuleType:
    """A corpus file, imported as a module (the corpus is the kit's own code, not a learner's)."""
    spec = importlib.util.spec_from_file_location(f"corpus_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the truth -----------------------------------------------------------------------------------------
def _conv_inputs(rng: np.random.Generator):
    for stride in (1, 2, 3):
        for pad in (0, 1, 2):
            for f in (1, 2, 3, 4):
                m, n_H, n_W = int(rng.integers(1, 4)), int(rng.integers(f, f + 5)), int(rng.integers(f, f + 6))
                n_C_prev, n_C = int(rng.integers(1, 4)), int(rng.integers(1, 4))
                yield (rng.standard_normal((m, n_H, n_W, n_C_prev)), rng.standard_normal((f, f, n_C_prev, n_C)),
                       rng.standard_normal((1, 1, 1, n_C)), {"stride": stride, "pad": pad})


def _pool_inputs(rng: np.random.Generator):
    for stride in (1, 2, 3):
        for f in (1, 2, 3, 4):
            for mode in ("max", "average"):
                m, n_H, n_W, n_C = (int(rng.integers(1, 4)), int(rng.integers(f, f + 5)),
                                    int(rng.integers(f, f + 6)), int(rng.integers(1, 4)))
                yield rng.standard_normal((m, n_H, n_W, n_C)), {"stride": stride, "f": f}, mode


def _calls(function: str, reference: dict, rng: np.random.Generator):
    """(args, kwargs) of the truth's random calls of ``function``."""
    if function == "zero_pad":
        for pad in (0, 1, 2, 3):
            yield (rng.standard_normal((int(rng.integers(1, 4)), 3, 5, 2)), pad), {}
    elif function == "conv_single_step":
        for shape in ((1, 1, 1), (2, 2, 3), (3, 2, 1), (4, 4, 3)):
            yield (rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal((1, 1, 1))), {}
    elif function == "conv_forward":
        for inputs in _conv_inputs(rng):
            yield inputs, {}
    elif function == "conv_backward":
        for A_prev, W, b, hp in _conv_inputs(rng):
            Z = reference["conv_forward"](A_prev, W, b, hp)[0]
            yield (rng.standard_normal(Z.shape), (A_prev, W, b, hp)), {}
    elif function == "pool_forward":
        for A_prev, hp, mode in _pool_inputs(rng):
            yield (A_prev, hp), {"mode": mode}
    elif function == "pool_backward":
        for A_prev, hp, mode in _pool_inputs(rng):
            A = reference["pool_forward"](A_prev, hp, mode)[0]
            yield (rng.standard_normal(A.shape), (A_prev, hp)), {"mode": mode}
    elif function == "create_mask_from_window":
        for shape in ((2, 2), (3, 3), (2, 4), (1, 1)):
            yield (rng.standard_normal(shape),), {}
    elif function == "distribute_value":
        for shape in ((2, 2), (3, 4), (1, 1), (5, 1)):
            yield (float(rng.standard_normal()), shape), {}
    elif function == "model_cost_and_gradients":
        from .assignments.conv_application.cases import _inputs

        for seed in range(4):
            yield _inputs(np.random.RandomState(1000 + seed), {"m": 2 + seed, "n_C1": 2, "n_C2": 3}, reference)
    else:
        raise KeyError(f"the truth has no inputs for {function!r}")


def _right_on_random_inputs(assignment: Assignment, function: str, fn: Callable, reference: dict) -> bool:
    names = assignment.outputs[function]
    for args, kwargs in _calls(function, reference, np.random.default_rng(20261201)):
        expected = reference[function](*args, **kwargs)
        try:
            got = fn(*_copy(args), **kwargs)
        except Exception:
            return False
        if outputs_difference(function, names, expected, got, Tolerance(rtol=1e-6, atol=1e-8)) is not None:
            return False
    return True


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def lines_run(fn: Callable, args: tuple, kwargs: dict, filename: str) -> int:
    """How many lines of ``filename`` run while ``fn(*args, **kwargs)`` runs."""
    count = [0]

    def trace(frame, event, arg):
        if frame.f_code.co_filename != filename:
            return None
        if event == "line":
            count[0] += 1
        return trace
    sys.settrace(trace)
    try:
        fn(*args, **kwargs)
    except Exception:
        pass
    finally:
        sys.settrace(None)
    return count[0]


def _loops_over_positions(assignment: Assignment, function: str, fn: Callable, filename: str) -> bool:
    first = next(case for case in assignment.cases_of(function) if case.kind == "speed")  # the most positions
    case = first.drawn()[0]
    args, kwargs = assignment.inputs[function](np.random.RandomState(0), case.params, assignment.reference())
    return lines_run(fn, args, kwargs, filename) > LOOPING_LINES


def _trains_well(module: ModuleType, reference: dict, needed: float) -> bool:
    from autograder.accuracy import digits
    from autograder.nn import images_to_inputs, initialize_parameters

    images, labels = digits(hidden=False)
    try:
        value = module.train_model(images_to_inputs(images), labels, initialize_parameters(seed=0))
        parameters = value[0] if isinstance(value, tuple) else value
        test_images, test_labels = digits(hidden=True)
        predicted = reference["predict"](images_to_inputs(test_images), parameters)
        return float(np.mean(predicted == test_labels)) >= needed
    except Exception:
        return False


def truth(assignment: Assignment, path: Path) -> dict[str, bool]:
    """{graded cell: whether the learner's code is right}, decided without the kit's checks."""
    with contextlib.redirect_stdout(io.StringIO()):  # a learner's debugging prints
        return _truth(assignment, path)


def _truth(assignment: Assignment, path: Path) -> dict[str, bool]:
    module = load(path)
    reference = assignment.reference()
    right = {}
    for function in assignment.functions:
        fn = getattr(module, function, None)
        right[function] = callable(fn) and _right_on_random_inputs(assignment, function, fn, reference)
        if right[function] and any(case.kind == "speed" for case in assignment.cases_of(function)):
            right[function] = not _loops_over_positions(assignment, function, fn, str(path))
    for name, model in assignment.trained_models.items():
        right[name] = _trains_well(module, reference, model.needed)
    return right
