"""The people of the case in the review's text: where a sentence names them."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=64)
def name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(name)}\b")


def mentions(name: str | None, text: str) -> bool:
    if not name or name not in text:  # a quick test first: most sentences do not name them
        return False
    return name_pattern(name).search(text) is not None


def positions(name: str | None, text: str) -> list[int]:
    if not name or name not in text:
        return []
    return [m.start() for m in name_pattern(name).finditer(text)]
