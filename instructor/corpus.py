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
"""
from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

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
