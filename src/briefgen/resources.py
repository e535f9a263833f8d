"""Where the files that ship with briefgen live: the default codebook, criteria, lexicon and templates.

In an installed wheel they are packaged under `briefgen/_data/`; in a source checkout (and an editable
install) they are the top-level `codebooks/` and `templates/` folders.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from briefgen.models import FileRef

_PACKAGE_DATA = Path(__file__).parent / "_data"
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def data_dir(name: str) -> Path:
    """The shipped folder `name` ('codebooks' or 'templates')."""
    for base in (_PACKAGE_DATA, _SOURCE_ROOT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"briefgen's {name}/ folder is missing from the installation")


def codebooks_dir() -> Path:
    return data_dir("codebooks")


def templates_dir() -> Path:
    return data_dir("templates")


def default_criteria() -> Path:
    return codebooks_dir() / "criteria.yaml"


def default_codebook() -> Path:
    return codebooks_dir() / "police-dhr.yaml"


def default_lexicon() -> Path:
    return codebooks_dir() / "lexicon.yaml"


def file_ref(path: Path, title: str, version: str, relative_to: Path, default: Path | None = None) -> FileRef:
    """How an input file is recorded in an output: its path relative to the output's folder (so the output
    does not depend on where the project lives), or "(default) NAME" for a file that ships with briefgen."""
    shown = (
        f"(default) {path.name}"
        if default is not None and path.resolve() == default.resolve()
        else Path(os.path.relpath(path.resolve(), relative_to.resolve())).as_posix()
    )
    return FileRef(
        path=shown, title=title, version=version, sha256=hashlib.sha256(path.read_bytes()).hexdigest()
    )


# Modules that never change what a stage writes: editing them must not throw away every user's cache.
_NOT_RESULT_CODE = frozenset(
    {"__main__.py", "cli.py", "console.py", "evaluate.py", "agree.py", "reporting.py"}
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the briefgen code that makes results: caches and skipped stages are keyed on it as well as on
    the version, so changed code (a new release, or a developer's edit) never serves results the old code made."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if name not in _NOT_RESULT_CODE:
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
