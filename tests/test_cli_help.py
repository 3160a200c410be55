"""`autograder --help` and each subcommand's, in English and in Chinese, take every word from the catalogue.

No text written in the command-line code (a sentence, a metavar) may reach the help; the names the user types
(commands, options, choices) are all it keeps of the code. argparse's own words (``usage:``, section titles,
``-h``) come from the catalogue too.
"""
import ast
import re
from pathlib import Path

import pytest

from autograder.grading import cli
from autograder.messages import CATALOGUES, Words

REPO = Path(__file__).resolve().parent.parent
CODE = [REPO / "autograder" / "grading" / "cli.py", REPO / "autograder" / "grading" / "export.py",
        REPO / "autograder" / "similarity" / "cli.py", REPO / "autograder" / "arguments.py"]
COMMANDS = [[], ["grade"], ["export"], ["similarity"]]
ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help message and exit")


def written_in_the_code() -> set[str]:
    """The string literals of the command-line modules that read as words, not as names: a space or a capital
    letter in them (a sentence, a metavar), and not an option (``--course``)."""
    found = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if (len(text) >= 2 and not text.startswith("-") and not text.startswith("autograder")
                        and (" " in text or re.search(r"[A-Z]", text))):
                    found.add(text)
    return found


def help_of(command: list[str], language: str, monkeypatch, capsys) -> str:
    monkeypatch.setenv("AUTOGRADER_LANGUAGE", language)
    with pytest.raises(SystemExit) as done:
        cli.main([*command, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def docstrings() -> set[str]:
    found = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node):
                found.add(node.body[0].value.value.strip())
    return found


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "autograder")
def test_the_help_has_no_words_written_in_the_code(command, language, monkeypatch, capsys):
    """A literal that the catalogue of the language also holds (the column ``ID`` of a CSV and the metavar ``ID``)
    is the catalogue's; in the other language it would show."""
    text = " ".join(help_of(command, language, monkeypatch, capsys).split())
    catalogue = " ".join(" ".join(CATALOGUES[language].values()).split())
    literals = written_in_the_code() - docstrings()
    assert "ADDRESS" not in literals and "Email address" in literals  # the search finds the literals
    assert [literal for literal in literals if contains(text, literal) and not contains(catalogue, literal)] == []


def contains(text: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "autograder")
def test_the_chinese_help_is_chinese_down_to_argparses_own_words(command, monkeypatch, capsys):
    english, chinese = (help_of(command, language, monkeypatch, capsys) for language in ("en", "zh"))
    assert all(words in english for words in ("usage:", "show this help message and exit"))
    assert [words for words in ARGPARSE_ENGLISH if words in chinese] == []
    zh = Words("zh")
    assert zh("cli.usage") in chinese and zh("cli.help") in " ".join(chinese.split())


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "autograder")
def test_no_metavar_is_made_up_by_argparse_from_the_codes_names(command, monkeypatch, capsys):
    """argparse shows ``--course COURSE`` for an option without a metavar: a name of the code, in capitals."""
    chinese = help_of(command, "zh", monkeypatch, capsys)
    catalogue = " ".join(CATALOGUES["zh"].values())
    assert [word for word in set(re.findall(r"\b[A-Z][A-Z_]+\b", chinese)) if word not in catalogue] == []
