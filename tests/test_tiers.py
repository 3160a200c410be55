"""The slow tier is a list of files in tests/conftest.py: it names only test files that exist, each with why."""
from pathlib import Path

from tests.conftest import SLOW

TESTS = Path(__file__).resolve().parent


def test_the_slow_list_names_only_test_files_that_exist_each_with_a_reason():
    assert [name for name in SLOW if not (name.startswith("test_") and (TESTS / name).is_file())] == []
    assert [name for name, why in SLOW.items() if len(why.split()) < 3] == []


def test_the_fast_tier_still_has_most_test_files():
    files = sorted(path.name for path in TESTS.glob("test_*.py"))
    assert len(SLOW) < len(files) / 2
