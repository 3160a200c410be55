"""Files written whole or not at all: a reader, or a run killed half-way, never sees half a file.

The one place that writes a file atomically, for the result store, the feedback pages and the similarity
report. It imports nothing of the kit, so any module can use it.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(path: Path, text: str, *, mode: int = 0o666, sync: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path``: into a hidden sibling first, then renamed over ``path``.

    The sibling, ``.<name>.<random>.partial``, matches no pattern a reader looks for (``*.json``, ``*.html``)
    and is removed if the write fails. It is made with ``mode`` less the umask (0o666: as any file is; 0o600:
    the owner's only). ``sync`` puts the text on disk before the rename, for a commit point that must outlive
    a crash of the machine.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.partial")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
