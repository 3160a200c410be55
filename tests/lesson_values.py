"""Numbers of the lesson's example as a learner sees them, read from the stored case file (never typed in)."""
import autograder
from autograder import casefile


def shown(value: float) -> str:
    """A number as failure messages print it."""
    return f"{float(value):.10g}"


def conv_single_step_with_bias_mistake() -> tuple[str, str]:
    """(expected Z, the Z of the bias-per-element mistake) on the lesson's conv_single_step example."""
    check = autograder.checks("conv_step_by_step")
    arrays = check.arrays
    (lesson,) = [case for case in check.cases_of("conv_single_step") if not case.hidden]
    (mistake,) = [m for m in lesson.mistakes if m.id == "bias_per_element"]
    return shown(casefile.decode(lesson.expected, arrays)), shown(casefile.decode(mistake.output, arrays))
