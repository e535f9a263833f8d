"""The patterns the rule check (`yamlio.regex_problem`) has passed, remembered in the cache folder: every command
loads the lexicon (and `code` the codebook), and checking their patterns for catastrophic backtracking again at
each start took a sixth of a second, more than a warm rerun's own work.

A verdict is a function of the pattern and of the checker's code (`yamlio.py` and Python's own regular
expression parser), so the file is named by a hash of both and each pattern is recorded by its hash: changed
code, or another Python, starts afresh. Only passes are remembered: a refused pattern is checked again at every
load, so its message is made as before, and a timed run that found a pattern slow is never made permanent.

Several processes may share the folder: the file is replaced atomically, merged with what another process
wrote meanwhile. A folder that cannot be read or written is no cache: every pattern is checked, as without one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = 1  # part of the folder name: bump when the file's layout changes


@lru_cache(maxsize=1)
def checker_fingerprint() -> str:
    """A hash of the code a verdict comes from: the checker (`yamlio.py`), this file, and the Python that parses
    patterns. Empty when the source cannot be read (a zipped install): then nothing is remembered."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.implementation.name}\0{sys.version}\0".encode())
    try:
        for name in ("yamlio.py", "patternverdicts.py"):
            digest.update(Path(__file__).with_name(name).read_bytes() + b"\0")
    except OSError:
        return ""
    return digest.hexdigest()


def _key(pattern: str) -> str:
    return hashlib.sha256(pattern.encode("utf-8", "surrogatepass")).hexdigest()


class PassedPatterns:
    """The hashes of the patterns that passed the check with this code, in one JSON file, read at first use."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.path = folder / f"regex-checks-v{FORMAT}" / f"{fingerprint[:32]}.json"
        self._known: set[str] | None = None
        self._new: set[str] = set()

    def _read(self) -> set[str]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):  # not there yet, unreadable, or half-written by a foreign tool
            return set()
        if not isinstance(data, list):
            return set()
        return {entry for entry in data if isinstance(entry, str)}

    def __contains__(self, pattern: str) -> bool:
        if self._known is None:
            self._known = self._read()
        key = _key(pattern)
        return key in self._known or key in self._new

    def add(self, pattern: str) -> None:
        self._new.add(_key(pattern))

    def save(self) -> None:
        """Write the new passes, merged with the file as it is now; a failure only means checking next time."""
        if not self._new:
            return
        from briefgen.files import write_atomic  # only when there is something to write

        merged = self._read() | self._new
        try:
            write_atomic(self.path, json.dumps(sorted(merged)).encode())
        except OSError as exc:
            log.debug("cannot remember checked patterns in %s: %s", self.path, exc)
            return
        self._known, self._new = merged, set()


_current: ContextVar[PassedPatterns | None] = ContextVar("passed_patterns", default=None)


@contextmanager
def remembered_in(folder: Path) -> Iterator[None]:
    """Within the block, patterns passed before in `folder` are not checked again, and new passes are written
    there when it ends (also when it ends with an error: the patterns checked by then stay checked)."""
    fingerprint = checker_fingerprint()
    store = PassedPatterns(folder, fingerprint) if fingerprint else None
    token = _current.set(store)
    try:
        yield
    finally:
        _current.reset(token)
        if store is not None:
            store.save()


def passed_before(pattern: str) -> bool:
    """Whether `pattern` passed the check before, with this code, in the folder of the enclosing
    `remembered_in` (never outside one)."""
    store = _current.get()
    return store is not None and pattern in store


def remember_pass(pattern: str) -> None:
    """Note that `pattern` passed the check (kept when the enclosing `remembered_in` ends)."""
    store = _current.get()
    if store is not None:
        store.add(pattern)
