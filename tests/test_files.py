"""autograder.files.write_atomically: the one atomic write (result store, feedback pages, similarity report)."""
import os
import stat

import pytest

from autograder import files
from autograder.files import write_atomically


def test_the_text_is_written_and_no_partial_file_stays(tmp_path):
    path = tmp_path / "bob.json"
    path.write_text("old")
    write_atomically(path, "新的 text\n")
    assert path.read_text(encoding="utf-8") == "新的 text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bob.json"]


def test_the_mode_is_the_callers_less_the_umask(tmp_path):
    write_atomically(tmp_path / "private.json", "{}", mode=0o600, sync=True)
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "page.html", "<p></p>")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    path = tmp_path / "index.html"
    path.write_text("whole")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "half \udc80")  # not encodable: fails part-way through the write
    assert path.read_text() == "whole"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_the_partial_file_is_hidden_and_matches_no_readers_pattern(tmp_path, monkeypatch):
    seen = []

    def interrupted(source, target):  # the process dies between the write and the rename
        seen.append((os.path.basename(source), os.path.exists(source)))
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "bob.json", "{}")
    [(name, existed)] = seen
    assert existed and name.startswith(".bob.json.") and name.endswith(".partial")
    assert list(tmp_path.glob("*.json")) == list(tmp_path.glob("*.html")) == [] == list(tmp_path.iterdir())
