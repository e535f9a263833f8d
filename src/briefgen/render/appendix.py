"""Appendix A's facts about each review: its title, the partnership, the date of death, a link to the
published review (from a `sources.csv` beside the corpus), and the codes that set the case apart."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from briefgen.errors import InputFileError, StageInputInvalid, TemplateError
from briefgen.models import CodedCase, CodeInfo, Strict
from briefgen.resources import templates_dir
from briefgen.text import long_date
from briefgen.yamlio import Regex, load_yaml_model

SOURCES = "sources.csv"

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class AppendixRules(Strict):
    partnership: Regex
    distinctive_codes: int = Field(default=3, ge=0)
    acronyms: list[str] = Field(default_factory=list)
    distinctive_share: float = Field(default=0.25, gt=0, le=1)


@functools.cache
def load_rules() -> AppendixRules:
    try:
        return load_yaml_model(templates_dir() / "appendix.yaml", AppendixRules)
    except InputFileError as exc:
        raise TemplateError(str(exc)) from None


@dataclass(frozen=True)
class Source:
    """Where a review is published, from sources.csv."""

    url: str
    title: str | None


def read_sources(path: Path) -> dict[str, Source]:
    """`sources.csv` (columns file, url and optionally title): file name in the corpus -> its published link.
    A missing file gives no links; a malformed one is an error naming the file and line."""
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise StageInputInvalid(f"cannot be read as UTF-8 CSV ({exc})", path=path) from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"file", "url"} <= set(reader.fieldnames):
        raise StageInputInvalid("needs a header row with the columns file and url", path=path)
    sources = {}
    for row in reader:
        url = (row.get("url") or "").strip()
        name = (row.get("file") or "").strip()
        if not name:
            continue
        if not re.match(r"^https?://\S+$", url):
            raise StageInputInvalid(f"line {reader.line_num}: {url!r} is not a web link", path=path)
        sources[name] = Source(url=url, title=(row.get("title") or "").strip() or None)
    return sources


def tidy_title(title: str) -> str:
    """The words of a title written in capitals as a title ('NENE MEADOWS ... REVIEW' -> 'Nene Meadows ...
    Review'); abbreviations (DHR, MARAC) are kept, and so is a capital letter among lower-case words (the
    death of A)."""
    small = {"of", "the", "and", "into", "in", "for", "to", "a"}
    acronyms = set(load_rules().acronyms)
    words = title.split()

    def in_capitals(index: int) -> bool:
        neighbours = words[max(0, index - 1) : index] + words[index + 1 : index + 2]
        return any(_letters(w).isupper() and len(_letters(w)) > 1 for w in neighbours)

    tidied = []
    for index, word in enumerate(words):
        letters = _letters(word)
        abbreviation = letters in acronyms or (len(letters) <= 4 and not set(letters.lower()) & set("aeiouy"))
        if (
            letters.isalpha()
            and letters.isupper()
            and not abbreviation
            and (len(letters) > 1 or in_capitals(index))
        ):
            if index and letters.lower() in small:
                word = word.lower()
            else:
                first = next(i for i, char in enumerate(word) if char.isalpha())
                word = word[: first + 1] + word[first + 1 :].lower()
        tidied.append(word)
    return " ".join(tidied)


def _letters(word: str) -> str:
    return word.strip("'‘’\"“”(),.:;!?")


def _lower_first(label: str) -> str:
    """'Modern slavery' -> 'modern slavery', but 'MARAC ...' and 'PNC/PND ...' stay as they are."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def partnership(title: str) -> str | None:
    """The partnership that commissioned the review, read from its title."""
    match = re.search(load_rules().partnership, tidy_title(title))
    return match.group(1) if match else None


def date_of_death(value: object) -> str | None:
    """'2 June 2017', or 'April 2016' when only the month is known."""
    if not isinstance(value, str):
        return None
    parts = value.split("-")
    try:
        if len(parts) == 3:
            from datetime import date

            return long_date(date(int(parts[0]), int(parts[1]), int(parts[2])))
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return None
    return None


def distinctive(case: CodedCase, cases: Sequence[CodedCase], codes: Mapping[str, CodeInfo]) -> list[str]:
    """The codes that set this case apart: found in it and in few other cases (not good practice)."""
    rules = load_rules()
    limit = max(1, int(len(cases) * rules.distinctive_share))
    counts = {
        code: sum(1 for other in cases if other.codes.get(code) is not None and other.codes[code].present)
        for code in codes
    }
    order = {code: index for index, code in enumerate(codes)}
    mine = [
        code
        for code, result in case.codes.items()
        if result.present
        and code in codes
        and codes[code].polarity != "good_practice"
        and counts[code] <= limit
    ]
    # Features of the case come before failings: they say most about what kind of case it was.
    mine.sort(key=lambda code: (codes[code].polarity != "neutral", counts[code], order[code]))
    return [_lower_first(codes[code].label) for code in mine[: rules.distinctive_codes]]
