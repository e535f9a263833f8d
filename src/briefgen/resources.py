"""Where the files that ship with briefgen live: the default codebook, criteria, lexicon and templates.

In an installed wheel they are packaged under `briefgen/_data/`; in a source checkout (and an editable
install) they are the top-level `codebooks/` and `templates/` folders.
"""

from __future__ import annotations

from pathlib import Path

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
