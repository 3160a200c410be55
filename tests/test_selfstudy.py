"""The self-study edition (notebooks/): generated, complete in both languages, and it works.

A learner alone opens notebooks/<language>/<assignment>/<assignment>.ipynb; every check
cell runs the visible and the hidden cases on their machine, in their language.
"""
import ast
import io
import tokenize

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import settings
from instructor import course, reference, selfstudy
from instructor.preprocessors.translate import translation_problems, translations
from instructor.preprocessors.translate_code import code_translation_problems, translate
from instructor.preprocessors.unhide_checks import full_check_cell
from tests.helpers import ASSIGNMENTS, STEP_BY_STEP
from tests.lesson_values import conv_single_step_with_bias_mistake

NOTEBOOKS = reference.REPO / "notebooks"
ASSIGNMENT = STEP_BY_STEP.name
BIAS = STEP_BY_STEP.mistake("bias_per_element")


def edition_path(language: str, assignment: str = ASSIGNMENT):
    return NOTEBOOKS / language / assignment / f"{assignment}.ipynb"


def read(language: str, assignment: str = ASSIGNMENT) -> nbformat.NotebookNode:
    return nbformat.read(edition_path(language, assignment), as_version=4)


def role(cell) -> str | None:
    meta = cell.metadata.get("selfstudy", {})
    return "solution" if meta.get("solution") else "check" if meta.get("check") else None


def test_every_assignment_has_an_english_edition_and_the_first_a_chinese_one():
    assert selfstudy.languages(STEP_BY_STEP) == ["en", "zh"]
    for assignment in ASSIGNMENTS:
        for language in selfstudy.languages(assignment):
            assert edition_path(language, assignment.name).is_file()


def _parsable(source: str) -> str:
    """``source`` with IPython's magic lines made into ``pass`` (same lines, same columns), for ``ast``."""
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def code_tokens(source: str) -> list[tuple[str, str]]:
    """The code of a code cell, token by token: no comments and no line breaks inside statements, and every
    docstring as "<docstring>"; other strings as they are written."""
    tree = ast.parse(_parsable(source))
    docstrings = {(body[0].lineno, body[0].col_offset) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and (body := node.body)
                  and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                  and isinstance(body[0].value.value, str)}
    return [(tokenize.tok_name[token.type], "<docstring>" if token.start in docstrings else token.string)
            for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type not in (tokenize.COMMENT, tokenize.NL)]


def same_code(english: str, other: str, table: dict[str, str]) -> list[str]:
    """How the code of ``other`` differs from that of ``english``, once comments and docstrings are set aside
    and strings that ``table`` translates are taken as their English ([] if it does not)."""
    ours, theirs = code_tokens(english), code_tokens(other)
    if len(ours) != len(theirs):
        return [f"{len(theirs)} tokens of code instead of {len(ours)}"]
    return [f"{b!r} instead of {a!r}" for a, b in zip(ours, theirs)
            if a != b and not (a[0] == b[0] == "STRING" and table.get(a[1]) == b[1])]


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_editions_have_the_same_code_and_the_same_exercises(assignment):
    """The editions differ in the words of their code cells (comments, docstrings, printed strings), not in code."""
    english = read("en", assignment.name)
    source = nbformat.read(assignment.notebook, as_version=4)
    for language in selfstudy.languages(assignment)[1:]:
        other = read(language, assignment.name)
        assert [cell.cell_type for cell in other.cells] == [cell.cell_type for cell in english.cells]
        differences = {}
        for index, (ours, theirs) in enumerate(zip(english.cells, other.cells)):
            if ours.cell_type == "code":
                table = source.cells[index].metadata.get("translations", {}).get(language, {})
                found = same_code(ours.source, theirs.source, table)
                if found or theirs.metadata != ours.metadata:
                    differences[index] = found or "metadata"
        assert differences == {}


def test_the_code_comparison_sets_aside_only_words():
    english = 'def f(x):\n    """Double x."""\n    # twice\n    print("twice:", 2 * x)  # shown\n    return 2 * x\n'
    table = {'"twice:"': '"两倍："'}
    chinese = ('def f(x):\n    """把 x 加倍。"""\n    # 两倍\n    # 两行注释\n'
               '    print("两倍：", 2 * x)  # 显示\n    return 2 * x\n')
    assert same_code(english, chinese, table) == []
    assert same_code(english, chinese.replace("2 * x)", "3 * x)"), table)  # a number of the code changed
    assert same_code(english, chinese.replace('"两倍："', '"两倍"'), table)  # a string the table does not give
    assert same_code(english, chinese.replace("return 2 * x", "return 2 * x  # 加倍\n    x = 1"), table)


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_every_comment_of_a_chinese_code_cell_is_chinese(assignment):
    """Comments, docstrings and the words a cell prints are translated down to the code (nbgrader's marker and
    comments of code alone excepted)."""
    untranslated = []
    for index, cell in enumerate(read("zh", assignment.name).cells):
        if cell.cell_type != "code":
            continue
        for token in tokenize.generate_tokens(io.StringIO(cell.source).readline):
            words = [word for word in token.string.replace("_", " ").split() if word.isalpha() and len(word) > 3]
            if (token.type == tokenize.COMMENT and token.string != "# YOUR CODE HERE" and words
                    and not has_cjk(token.string)):
                untranslated.append((index, token.string))
        for node in ast.walk(ast.parse(_parsable(cell.source))):
            if isinstance(node, (ast.FunctionDef, ast.Module)) and ast.get_docstring(node) \
                    and not has_cjk(ast.get_docstring(node)):
                untranslated.append((index, ast.get_docstring(node)[:60]))
    assert untranslated == []


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_every_code_cell_of_a_translated_notebook_has_a_usable_translation(assignment):
    assert translations_with_problems(assignment, "code", code_translation_problems) == {}


def translations_with_problems(assignment, cell_type: str, problems_of) -> dict:
    """{(cell index, language): what ``problems_of`` finds} over the ``cell_type`` cells of the instructor notebook,
    for the cells where it finds something."""
    source = nbformat.read(assignment.notebook, as_version=4)
    problems = {
        (index, language): problems_of(cell.source, translations(cell).get(language))
        for language in selfstudy.languages(assignment)[1:]
        for index, cell in enumerate(source.cells) if cell.cell_type == cell_type
    }
    return {key: found for key, found in problems.items() if found}


def test_a_code_translation_that_would_change_the_code_or_miss_a_comment_is_caught():
    code = 'x = 2  # two\n# Show it.\nprint(f"x is {x}", "done")\n'
    good = {"two": "二", "Show it.": "显示它。", 'f"x is {x}"': 'f"x 是 {x}"', '"done"': '"完成"'}
    assert code_translation_problems(code, good) == []
    assert translate(code, good) == 'x = 2  # 二\n# 显示它。\nprint(f"x 是 {x}", "完成")\n'
    for key, bad in [('f"x is {x}"', 'f"x 是 {x + 1}"'), ('f"x is {x}"', '"x 是"'), ('"done"', "done()"),
                     ("two", "二\n三"), ("Show it.", "")]:
        assert code_translation_problems(code, {**good, key: bad}), (key, bad)
    assert code_translation_problems(code, {k: v for k, v in good.items() if k != "Show it."}) \
        == ["no translation of the comment 'Show it.'"]
    assert code_translation_problems(code, {**good, "gone": "没了"}) == ["'gone' is translated but is not in the cell"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_every_text_cell_of_a_translated_notebook_has_a_faithful_translation(assignment):
    assert translations_with_problems(assignment, "markdown", translation_problems) == {}


def test_a_translation_that_loses_code_or_a_formula_is_caught():
    english = "Pad `X` with `np.pad`: $n_H + 2 \\times pad$ rows.\n\n$$Z = \\sum W \\tag{1}$$"
    assert translation_problems(english, "用 `np.pad` 填充 `X`：$n_H + 2 \\times pad$ 行。\n\n"
                                                   "$$Z = \\sum W \\tag{1}$$") == []
    assert translation_problems(english, "用 `np.pad` 填充：$n_H + 2 \\times pad$ 行。\n\n"
                                                   "$$Z = \\sum W \\tag{1}$$")
    assert translation_problems(english, "用 `np.pad` 填充 `X`：$n_H + 2 pad$ 行。\n\n"
                                                   "$$Z = \\sum W \\tag{1}$$")
    assert translation_problems(english, None) == ["no translation"]


def test_each_edition_shows_its_own_language_and_the_exercises_of_the_release():
    source = nbformat.read(STEP_BY_STEP.notebook, as_version=4)
    release = nbformat.read(reference.REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for language in ("en", "zh"):
        notebook = read(language)
        for cell, original, released in zip(notebook.cells, source.cells, release.cells):
            table = original.metadata.get("translations", {}).get("zh", {}) if language == "zh" else {}
            if cell.cell_type == "markdown":
                assert cell.source == (original.source if language == "en" else original.metadata.translations.zh)
            elif role(cell) == "check":
                assert cell.source.startswith(translate(released.source, table))
            else:  # stubs, examples and figures as nbgrader released them, their words in the edition's language
                assert cell.source == translate(released.source, table)
                assert same_code(released.source, cell.source, table) == []
        assert [cell.metadata["selfstudy"]["grade_id"] for cell in notebook.cells if role(cell) == "solution"] \
            == list(STEP_BY_STEP.functions)


def test_each_check_cell_runs_the_visible_and_the_hidden_cases():
    for language in ("en", "zh"):
        checks = [cell.source for cell in read(language).cells if role(cell) == "check"]
        assert checks == [f'check("{name}", {name})\ncheck("{name}", {name}, hidden=True)'
                          for name in STEP_BY_STEP.functions]


def test_a_hidden_test_that_is_not_a_plain_check_stops_the_build():
    cell = 'check("f", f)\n### BEGIN HIDDEN TESTS\nassert abs(f(2) - 4.0) < 1e-9\n### END HIDDEN TESTS'
    for hidden in ("assert abs(f(2) - 4.0) < 1e-9", "check_close(f(2), 4.0)", "check(\"f\", lambda x: x ** 2)",
                   "check(\"f\", f, expected=[4, 9])[0]", "print(f(2))"):
        with pytest.raises(ValueError, match="may only call a check"):
            full_check_cell(cell.replace("assert abs(f(2) - 4.0) < 1e-9", hidden), {"check", "check_close"}, "here")
    assert full_check_cell(cell.replace("assert abs(f(2) - 4.0) < 1e-9", 'check("g", lambda X: f(X, w), hidden=True)'),
                           {"check"}, "here").endswith('check("g", lambda X: f(X, w), hidden=True)')
    shown = full_check_cell(cell.replace("assert abs(f(2) - 4.0) < 1e-9", 'check("f", f, hidden=True)'),
                                      {"check"}, "here")
    assert shown == 'check("f", f)\ncheck("f", f, hidden=True)'


def test_the_notebooks_carry_what_generated_them_and_nothing_of_nbgrader_or_a_run():
    for language in ("en", "zh"):
        notebook = read(language)
        assert "instructor.selfstudy" in notebook.metadata["generated_by"]
        assert f"source/{ASSIGNMENT}/" in notebook.metadata["generated_by"]
        assert notebook.metadata["selfstudy"] == {"assignment": ASSIGNMENT, "language": language}
        for cell in notebook.cells:
            assert "nbgrader" not in cell.metadata and "translations" not in cell.metadata
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None


def test_the_translations_stay_out_of_the_nbgrader_release():
    release = nbformat.read(reference.REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    assert not [cell for cell in release.cells if "translations" in cell.metadata]


def test_a_settings_file_beside_each_notebook_names_its_language(monkeypatch):
    monkeypatch.delenv(settings.ENVIRONMENT_VARIABLE, raising=False)
    for language in ("en", "zh"):
        folder = NOTEBOOKS / language / ASSIGNMENT
        assert settings.language(folder) == language


# ---- the notebooks run, as a learner alone runs them -------------------------------------------

def run_edition(language: str, cells: dict[str, str], monkeypatch) -> dict[str, str]:
    """Execute the ``language`` edition filled with ``cells``, in its own folder; {check cell: what it showed}."""
    monkeypatch.delenv(settings.ENVIRONMENT_VARIABLE, raising=False)
    folder = NOTEBOOKS / language / ASSIGNMENT
    notebook = course.fill_notebook(folder / f"{ASSIGNMENT}.ipynb", cells)
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    shown = {}
    for cell in notebook.cells:
        if role(cell) == "check":
            shown[cell.metadata["selfstudy"]["grade_id"][len("test_"):]] = "".join(
                f"{output.ename}: {output.evalue}" if output.output_type == "error" else output.get("text", "")
                for output in cell.outputs)
    return shown


def test_the_chinese_edition_filled_in_correctly_passes_every_check_in_chinese(monkeypatch):
    shown = run_edition("zh", STEP_BY_STEP.sources(), monkeypatch)
    assert list(shown) == list(STEP_BY_STEP.functions)
    for name, text in shown.items():
        assert "Error" not in text
        assert text.startswith(f"{name}：") and "公开用例" in text and "隐藏用例全部通过" in text


def test_the_seed_bias_mistake_gets_the_chinese_hint_in_the_chinese_edition(monkeypatch):
    shown = run_edition("zh", BIAS.cells(STEP_BY_STEP.sources()), monkeypatch)
    failed = {name for name, text in shown.items() if text.startswith("CheckFailed")}
    assert failed == set(BIAS.breaks) == {"conv_single_step", "conv_forward"}
    assert "提示：" + BIAS.hints["zh"] in shown["conv_single_step"]
    assert "Z 应该是 {}，但它是 {}。".format(*conv_single_step_with_bias_mistake()) in shown["conv_single_step"]
    assert BIAS.hints["en"] not in shown["conv_single_step"]


def test_the_same_code_in_the_english_edition_gets_the_english_hint(monkeypatch):
    shown = run_edition("en", BIAS.cells(STEP_BY_STEP.sources()), monkeypatch)
    assert "Hint: " + BIAS.hints["en"] in shown["conv_single_step"]
    assert "all 2 hidden cases pass." in shown["zero_pad"]
