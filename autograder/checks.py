"""The checks of one assignment, as a notebook's test cells call them.

A notebook names its assignment once, in its imports cell::

    import autograder
    check = autograder.checks("conv_vectorized")   # this notebook's checks, hints and figures
    figures = check.figures

and its test cells call::

    check("conv_forward", conv_forward)                 # the lesson's visible cases
    check("conv_forward", conv_forward, hidden=True)    # the hidden cases (graded)
    check.speed("conv_forward", conv_forward)           # timing cases (assignment 2)
    check.timing("conv_forward", conv_forward)          # the visible, lenient timing case (assignment 2)
    check.accuracy("trained_model", predict_digits)     # a trained model (assignment 3)

and the cells after a backward pass compare its gradients with numerical ones
(:mod:`autograder.gradcheck`), printing one line a gradient::

    check.gradients("conv_backward", dA_prev=(dA_prev, dA_prev_num), dW=(dW, dW_num), db=(db, db_num))

A passing check prints one line. A failing one shows its message and hint as a
box (HTML in JupyterLab, text elsewhere) and raises :class:`CheckFailed`, an
``AssertionError`` (so nbgrader counts the test cell as failed) whose traceback
is one line, not the kit's frames. Everything a check compares with is data
stored at build time (:mod:`autograder.casefile`): inputs, expected outputs and
the fingerprints of catalogued mistakes, never code that solves an exercise.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
from pathlib import Path
from types import ModuleType
from typing import Callable

from .accuracy import MIN_ACCURACY, accuracy_verdict
from .casefile import DATA_DIR, StoredCase, Manifest, decode, read as read_case_file
from .diagnosis import local
from .frames import learner_line, raised_here
from .gradcheck import LAYER_THRESHOLD, compare as compare_gradients
from .judge import judge, place_of, raised_of
from .render import Renderer, duration, percent, share
from .settings import language
from .speed import measure, speed_cases, timing_verdict
from .timing import case as timing_case
from .verdict import Outcome, Verdict


class CheckFailed(AssertionError):
    """A learner's function did not pass a check; ``verdict`` says how, ``str()`` says it in words."""

    def __init__(self, verdict: Verdict, text: str, short: str) -> None:
        super().__init__(text)
        self.verdict = verdict
        self.short = short

    def _render_traceback_(self) -> list[str]:
        """What IPython shows in place of a traceback: one line (the message itself is in the box above)."""
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self.short}"]


def _in_a_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def show_failure(verdict: Verdict, renderer: Renderer) -> None:
    """Raise CheckFailed for ``verdict``, after showing it as a box when a notebook's kernel runs this."""
    text = renderer.text(verdict)
    if _in_a_notebook():
        from IPython.display import display

        display({"text/html": renderer.html(verdict), "text/plain": text}, raw=True)
        raise CheckFailed(verdict, text, renderer.say("see_above", function=verdict.function)) from None
    raise CheckFailed(verdict, text, text) from None


class Checks:
    """The stored checks of one assignment (its case file), and its figures."""

    def __init__(self, assignment: str, data: Path = DATA_DIR) -> None:
        self.assignment = assignment
        self._data = data
        self._view: Manifest | None = None

    def _case_file(self) -> tuple[dict, dict]:
        try:
            return _case_file(self.assignment, str(self._data))
        except FileNotFoundError:
            installed = sorted(path.stem for path in self._data.glob("*.json"))
            raise KeyError(Renderer(language()).say("unknown_assignment", assignment=self.assignment,
                                                             known=", ".join(installed))) from None

    @property
    def manifest(self) -> dict:
        """The case file's manifest, read when a check first needs it (not when a notebook only imports)."""
        return self._case_file()[0]

    @property
    def case_file(self) -> Manifest:
        """The manifest, read through its typed accessors (:class:`autograder.casefile.Manifest`)."""
        if self._view is None:
            self._view = Manifest(self.manifest)
        return self._view

    @property
    def arrays(self) -> dict:
        return self._case_file()[1]

    @property
    def renderer(self) -> Renderer:
        """Messages in the learner's language, read when a message is made (see :mod:`autograder.settings`)."""
        return Renderer(language(), self.case_file.hints)

    @property
    def figures(self) -> ModuleType:
        return importlib.import_module(f"autograder.figures.{self.assignment}")

    @property
    def functions(self) -> list[str]:
        return list(self.case_file.functions)

    def cases_of(self, function: str) -> list[StoredCase]:
        try:
            return list(self.case_file.function(function).cases)
        except KeyError:
            raise KeyError(self.renderer.say("unknown_function", assignment=self.assignment, function=function,
                                             known=", ".join(sorted(self.case_file.functions)))) from None

    # -- running a learner's function on stored cases -----------------------------------------------------
    def run_case(self, function: str, fn: Callable, case: StoredCase, position: int, count: int) -> Verdict:
        """The verdict of ``fn`` on one stored case (inputs are fresh copies)."""
        names = self.case_file.function(function).outputs
        args = decode(case.args, self.arrays)
        kwargs = decode(case.kwargs, self.arrays)
        place = place_of(case, position, count)
        known = self.functions
        try:
            got = fn(*args, **kwargs)
        except Exception as error:  # the learner's code may raise anything; explain it
            return judge(function, names, case, self.arrays, place, raised=raised_here(error),
                         known=known)
        return judge(function, names, case, self.arrays, place, got=got, known=known)

    def verdict(self, function: str, fn: Callable, hidden: bool = False,
                scope: dict | None = None) -> tuple[Verdict, int]:
        """(a failing verdict with its proven causes, or a passing one; the number of cases) of ``fn`` as
        ``function`` on the cases of one visibility.

        After a failure, the function is run on every stored case and probe, and its causes are proven on
        all of them (:mod:`autograder.diagnosis.local`); ``scope`` (the notebook's globals, by default those
        of ``fn``) is where the helpers it calls are found. A diagnosis that fails leaves the verdict without a
        cause."""
        selected = [case for case in self.cases_of(function)
                    if case.hidden == hidden and not case.is_speed]
        for position, case in enumerate(selected, start=1):
            verdict = self.run_case(function, fn, case, position, len(selected))
            if not verdict.passed:
                try:
                    found = local.diagnose(self, function, fn, scope, hidden)
                except Exception:  # a defect of the diagnosis's: the failing case is said, without a cause
                    found = dataclasses.replace(verdict, diagnosis=None, more=())
                return (found if not found.passed else verdict), len(selected)
        return Verdict(function, Outcome.PASSED), len(selected)

    def __call__(self, function: str, fn: Callable, hidden: bool = False) -> None:
        """Check ``fn`` as the graded function ``function``; raise CheckFailed on the first failing case."""
        renderer = self.renderer
        if not callable(fn):
            raise TypeError(renderer.say("not_callable", function=function, type=type(fn).__name__))
        verdict, count = self.verdict(function, fn, hidden)
        if not verdict.passed:
            show_failure(verdict, renderer)
        print(renderer.passed(function, count, hidden))

    def speed(self, function: str, fn: Callable) -> None:
        """Fail (CheckFailed) if ``fn`` is too slow on the timing cases of ``function``, with the loop hint."""
        renderer = self.renderer
        cases = speed_cases(self.case_file, function) if function in self.functions else []
        if not cases:
            timed = [name for name in self.functions if speed_cases(self.case_file, name)]
            raise KeyError(renderer.say("no_timing_check", assignment=self.assignment, function=function,
                                        known=", ".join(timed)) if timed
                           else renderer.say("no_timing_checks", assignment=self.assignment))
        shares = []
        for position, case in enumerate(cases, start=1):
            place = place_of(case, position, len(cases))
            try:
                took, allowed = measure(fn, case, self.arrays)
            except Exception as error:  # correctness is the other checks' business; say where to look
                verdict = judge(function, self.case_file.function(function).outputs, case, self.arrays,
                                place, raised=raised_here(error), known=self.functions)
                show_failure(verdict, renderer)
            verdict = timing_verdict(function, place, took, allowed, case.budget)
            if not verdict.passed:
                show_failure(verdict, renderer)
            shares.append((took / allowed, took, allowed))
        fraction, took, allowed = max(shares)
        print(renderer.say("passed_speed", function=function, took=duration(took), share=share(fraction),
                           allowed=duration(allowed)))

    def timing(self, function: str, fn: Callable) -> None:
        """The visible, lenient timing check (:mod:`autograder.timing`): fail (CheckFailed) if ``fn`` takes longer
        than allowed on the public timing case of ``function``, with the hint that names a loop over positions."""
        renderer = self.renderer
        case, arrays = timing_case(function)
        place = place_of(case, 1, 1)
        try:
            took, allowed = measure(fn, case, arrays)
        except Exception as error:  # correctness is the other checks' business; say where to look
            show_failure(judge(function, self.case_file.function(function).outputs, case, arrays, place,
                               raised=raised_of(error, learner_line(error)), known=self.functions), renderer)
        verdict = timing_verdict(function, place, took, allowed, case.budget)
        if not verdict.passed:
            show_failure(verdict, renderer)
        print(renderer.say("passed_timing", function=function, took=duration(took), share=share(took / allowed),
                           allowed=duration(allowed)))

    def gradients(self, label: str, threshold: float = LAYER_THRESHOLD, **pairs) -> None:
        """Print, for each ``name=(gradient, numerical gradient)``, its relative error and PASS or ATTENTION
        (:func:`autograder.gradcheck.compare`), one line each, headed by ``label`` (a function, e.g.
        ``"conv_backward"``). It shows and does not stop the notebook: the graded checks do that."""
        renderer = self.renderer
        for found in compare_gradients(pairs, threshold):
            values = {"label": label, "name": found.name, "threshold": f"{threshold:.0e}"}
            if found.shapes[0] != found.shapes[1]:
                print(renderer.say("gradient_shape", got=found.shapes[0], expected=found.shapes[1], **values))
            else:
                print(renderer.say("gradient_pass" if found.passed else "gradient_attention",
                                   error=f"{found.error:.1e}", **values))

    def accuracy(self, name: str, predict: Callable, hidden: bool = False, needed: float = MIN_ACCURACY) -> None:
        """Fail (CheckFailed) unless ``predict`` classifies at least ``needed`` of the digits correctly."""
        renderer = self.renderer
        verdict = accuracy_verdict(name, predict, hidden, needed, learner_line)
        if not verdict.passed:
            show_failure(verdict, renderer)
        a = verdict.accuracy
        print(renderer.say("passed_accuracy", function=name, accuracy=percent(a.accuracy), count=a.count,
                           which=renderer.say(f"which_{a.which}"), needed=share(a.needed)))


@functools.lru_cache(maxsize=None)
def _case_file(assignment: str, data: str) -> tuple[dict, dict]:
    return read_case_file(assignment, Path(data))


def checks(assignment: str) -> Checks:
    """The checks of ``assignment`` (e.g. ``"conv_vectorized"``), as its notebook calls them; its stored cases
    are read when the first check runs."""
    return Checks(assignment)


