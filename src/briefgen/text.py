"""From a document's page text to sentences that know their page and review section; and dates in text.

Reviews number and name their headings differently, so a heading is recognised by its shape (short, no final
full stop, title-like or numbered) and classified by the lexicon's section patterns; a heading that matches
none is a sub-heading and keeps the section it is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from briefgen.fastscan import FastPattern
from briefgen.lexicon import FRONT, CompiledLexicon
from briefgen.models import DocumentText, Evidence


@dataclass(frozen=True)
class Sentence:
    text: str
    page: int
    section: str  # the heading as written, or "" before the first heading
    kind: str  # the section's kind from the lexicon: "chronology", "recommendations", ... or "front"
    index: int  # position in the document
    cells: tuple[str, ...] = ()  # for a table row: its cells (date, agency, event...)
    paragraph: int = 0  # sentences of one paragraph (or one table row) share this number

    @property
    def whole(self) -> str:
        """The sentence, or for a table row the whole row: a row's date and agency belong to each sentence."""
        return " ".join(self.cells) if self.cells else self.text


# --- dates ---------------------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<{0}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    # 14th March 2019, 14 March, 2019, 14th of March 2019
    FastPattern(rf"\b{_DAY.format('d')}\s+(?:of\s+)?{_MONTH.format('m')},?\s+(?P<y>(19|20)\d\d)\b"),
    # March 14th, 2019
    FastPattern(rf"\b{_MONTH.format('m')}\s+{_DAY.format('d')},?\s+(?P<y>(19|20)\d\d)\b"),
    # 2019-03-14
    FastPattern(r"\b(?P<y>(19|20)\d\d)-(?P<mn>[01]\d)-(?P<d>[0-3]\d)\b", ignore_case=False),
    # 14.03.2019, 14/03/2019, 14/03/19 (day first, as in the UK; month first when the day cannot be one)
    FastPattern(
        r"\b(?P<a>[0-3]?\d)[./](?P<b>[01]?\d|[0-3]\d)[./](?P<y>(19|20)\d\d|\d\d)\b", ignore_case=False
    ),
    # March 2019, early March 2019
    FastPattern(rf"\b{_MONTH.format('m')},?\s+(?P<y>(19|20)\d\d)\b"),
]


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, or only to the month."""

    year: int
    month: int
    day: int | None = None

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def first_day(self) -> date:
        return date(self.year, self.month, self.day or 1)

    def last_day(self) -> date:
        if self.day:
            return date(self.year, self.month, self.day)
        next_month = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return date.fromordinal(next_month.toordinal() - 1)

    def contains(self, other: PartialDate) -> bool:
        return (self.year, self.month) == (other.year, other.month) and (
            self.day is None or self.day == other.day
        )

    @staticmethod
    def parse_iso(value: str) -> PartialDate:
        parts = [int(part) for part in value.split("-")]
        return PartialDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: PartialDate


def find_dates(text: str) -> list[DateMention]:
    """Every date in `text` with its span; overlapping finds keep the most precise."""
    return list(_dates_in(text)) if _DIGIT.search(text) else []  # every date form has a year in digits


_DIGIT = re.compile(r"\d")


def forget_dates() -> None:
    """Drop the remembered dates, as a fresh worker has none (for the benchmark)."""
    _dates_in.cache_clear()


@lru_cache(maxsize=8192)
def _dates_in(text: str) -> tuple[DateMention, ...]:
    """find_dates, remembered: screening and coding ask about the same sentences several times."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            value = _date_from_match(match)
            if value is not None:
                found.append(DateMention(match.start(), match.end(), value))
                taken.append((match.start(), match.end()))
    found.sort(key=lambda mention: mention.start)
    return tuple(found)


def _date_from_match(match: re.Match[str]) -> PartialDate | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    if groups.get("a") is not None:
        day, month = int(groups["a"]), int(groups["b"])
        if month > 12 and day <= 12:
            day, month = month, day
        if not 1 <= month <= 12:
            return None
    else:
        month = int(groups["mn"]) if groups.get("mn") else _MONTHS[groups["m"].lower()]
        day = int(groups["d"]) if groups.get("d") else 0
    if day:
        try:
            date(year, month, day)
        except ValueError:
            return None
    return PartialDate(year, month, day or None)


# --- headings and sentences ----------------------------------------------------------------------------------

_NUMBERED = re.compile(
    r"^\s*(?P<num>(section|part|chapter|appendix)\s+\w+|\d{1,2}(\.\d{1,3}){0,3}\.?|[A-Z]\.)\s+\S", re.I
)
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,2}(\.\d{1,3}){1,3}\.?\s+")
_BULLET = re.compile(r"^\s*([-•●◆▪∙*⇒]|\(?[a-z0-9ivx]{1,4}[.)])\s+", re.I)
_DATE_LED = re.compile(
    r"^\s*(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}(st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{4})\b"
)
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "within",
        "against",
        "between",
    ]
)


_HEADING_LABELS = re.compile(
    r"^(section|part|chapter|appendix|annex|annexe|schedule|tor|term of reference|theme|key line of enquiry|kloe|issue"
    r"|question|finding|lesson|recommendation)\b",
    re.IGNORECASE,
)
_ENDS_WITH_SMALL_WORD = re.compile(
    r"\b(and|or|the|of|on|to|with|in|at|by|for|a|an|that|which|was|were|her|his)$", re.I
)


def _looks_like_heading(
    line: str, next_line: str | None, lexicon: CompiledLexicon, full_width: int = 0
) -> bool:
    """A heading is short, has no final full stop, is title-like or numbered, and is not a wrapped line of a
    paragraph: `full_width` is the length of the page's full lines, which a heading falls well short of."""
    text = line.strip()
    if not text or len(text) > 90 or " | " in text or text.endswith((".", ",", ";")) or text[0].islower():
        return False
    if full_width >= 60 and len(text) >= 0.8 * full_width:
        return False
    if text.endswith("?") and len(text.split()) < 4:
        return False
    if _BULLET.match(text) and not _NUMBERED.match(text):
        return False
    label, colon, value = text.partition(":")
    if colon and value.strip() and not (re.search(r"\d", label) or _HEADING_LABELS.match(label.strip())):
        return False  # "Author: Dr A Smith", "Date of completion: 24th November 2017"
    if next_line is not None and next_line.strip()[:1].islower():
        return False  # a wrapped sentence continues on the next line
    body = _strip_number(text)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", body)
    if not words or len(words) > 14 or _ENDS_WITH_SMALL_WORD.search(body):
        return False
    if _DATE_LED.match(text):
        return False
    if text.isupper() and any(len(w) > 2 for w in words):
        return True
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in significant if w[0].isupper())
    title_like = bool(significant) and capitalised / len(significant) >= 0.75
    numbered = bool(_NUMBERED.match(text))
    if text.endswith(":"):
        return title_like and len(words) <= 8
    if title_like and (numbered or len(words) <= 10):
        return True
    # Sentence-case headings ("4.2 The dispute between the two units"): numbered, short, and no date inside.
    if numbered and len(text) <= 60 and len(words) <= 9 and not re.search(r"\d", body):
        return True
    return lexicon.section_kind(text) is not None and len(words) <= 6 and not re.search(r"\d", body)


def _strip_number(text: str) -> str:
    return re.sub(r"^\s*((section|part|chapter)\s+)?(\d+(\.\d+)*|[A-Z])[.)]?\s+", "", text, flags=re.I)


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "e.g",
        "i.e",
        "etc",
        "approx",
        "pc",
        "dc",
        "ds",
        "di",
        "dci",
        "dcs",
        "insp",
        "supt",
        "ch",
        "sgt",
        "det",
        "co",
        "ltd",
        "vs",
        "cf",
        "para",
        "paras",
        "fig",
        "p",
        "pp",
        "op",
        "vol",
        "rev",
        "prof",
        "hon",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, not at 'Mr.', 'e.g.', '4.12' or initials."""
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + 1
        before = text[start:end].rstrip(".!?\"'”’)]")
        last_word = _last_word(before).lower()
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        sentence = text[start : match.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _last_word(text: str) -> str:
    """What follows the last space or "(" in `text` (walked back from the end: sentences can be long)."""
    start = len(text)
    while start and not (text[start - 1].isspace() or text[start - 1] == "("):
        start -= 1
    return text[start:]


def segment(document: DocumentText, lexicon: CompiledLexicon) -> list[Sentence]:
    """The document as sentences, each with its page, section heading and section kind."""
    sentences: list[Sentence] = []
    section, kind = "", FRONT
    # A contents list is a run of heading-like lines: they must not set the section of the text after them.
    # It lasts to the end of its page (PDF), or for Word until a heading repeats its first entry.
    contents_page: int | None = None
    contents_first: str | None = None
    paragraphs = 0

    def flush(paragraph: list[str], page_number: int, section: str, kind: str) -> None:
        """Turn the collected lines of one paragraph into sentences."""
        nonlocal paragraphs
        if paragraph:
            text = _join_lines(paragraph)
            paragraph.clear()
            paragraphs += 1
            for sentence in split_sentences(_PARAGRAPH_NUMBER.sub("", text)):
                sentences.append(
                    Sentence(sentence, page_number, section, kind, len(sentences), (), paragraphs)
                )

    for page in document.pages:
        if contents_page is not None and document.page_unit == "page" and page.number != contents_page:
            contents_page = None
        lines = [line for line in page.text.splitlines() if line.strip()]
        lengths = sorted(len(line) for line in lines if " | " not in line)
        full_width = lengths[int(len(lengths) * 0.9)] if len(lengths) >= 8 else 0
        paragraph: list[str] = []

        for position, line in enumerate(lines):
            next_line = lines[position + 1] if position + 1 < len(lines) else None
            if " | " in line:
                flush(paragraph, page.number, section, kind)
                cells = tuple(cell.strip() for cell in line.split(" | "))
                paragraphs += 1
                for sentence in split_sentences(" ".join(cells[1:]) if len(cells) > 1 else cells[0]):
                    sentences.append(
                        Sentence(sentence, page.number, section, kind, len(sentences), cells, paragraphs)
                    )
            elif _looks_like_heading(line, next_line, lexicon, full_width):
                flush(paragraph, page.number, section, kind)
                heading = line.strip()
                heading_kind = lexicon.section_kind(heading)
                if contents_page is not None:
                    entry = _contents_key(heading)
                    if contents_first is None:
                        contents_first = entry
                        continue
                    if document.page_unit == "page" or entry != contents_first:
                        continue
                    contents_page = None
                section = heading
                kind = heading_kind or kind
                if heading_kind == "contents":
                    contents_page, contents_first = page.number, None
            elif contents_page is not None and _CONTENTS_ENTRY.search(line):
                continue
            else:
                if paragraph and (
                    _PARAGRAPH_NUMBER.match(line) or _BULLET.match(line) or _DATE_LED.match(line)
                ):
                    flush(paragraph, page.number, section, kind)
                paragraph.append(line.strip())
        flush(paragraph, page.number, section, kind)
    return sentences


_CONTENTS_ENTRY = re.compile(r"(\.{3,}|…+|\s)\s*\d{1,3}\s*$")


def _contents_key(heading: str) -> str:
    return re.sub(r"[\s.…]*\d{1,3}\s*$", "", heading).strip().lower()


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


# --- the people --------------------------------------------------------------------------------------------

_NAME = r"(?:Adult|Mrs|Mr|Ms|Miss)\s+[A-Z]\b|[A-Z][A-Za-z]+(?:-[A-Z][a-z]+)?"
# (pattern, weight): a quoted name alone on a cover line is the surest sign, "referred to as" the weakest,
# because reviews use it for the perpetrator and family members too.
_PSEUDONYM_PATTERNS = [
    (re.compile(rf"^\s*[\"'‘“](?P<name>{_NAME})[\"'’”]\s*([-–—(,:]|$)"), 5),
    (
        re.compile(
            rf"\b(?:death|murder|killing|homicide|suicide) of\s+(?:(?:Ms|Mrs|Miss|Mr|Mx)\.?\s+)?[\"'‘“]?(?P<name>{_NAME})"
        ),
        3,
    ),
    (
        re.compile(
            rf"\b(?:known as|referred to(?: in this report| here)? as|pseudonym)\s+[\"'‘“]?(?P<name>{_NAME})"
        ),
        1,
    ),
]
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "Her",
        "His",
        "Their",
        "Domestic",
        "Mother",
        "Father",
        "Victim",
        "Child",
        "Children",
        "Friend",
        "Overview",
        "Review",
        "Report",
        "A",
        "An",
        "She",
        "He",
        "It",
        "Contents",
        "Introduction",
        "Summary",
        "Executive",
        "Official",
        "Sensitive",
        "Final",
        "Draft",
        "Protect",
        "Restricted",
        "Homicide",
        "Partnership",
        "Council",
        "Appendix",
        "Preface",
        "Foreword",
        "Chronology",
        "Glossary",
    ]
)


def find_pseudonym(document: DocumentText) -> str | None:
    """The name the review gives the victim ('Leah', 'Adult A'), from its title and first pages; ties go to
    the name the review uses most."""
    counts: dict[str, int] = {}
    units = document.pages[: 40 if document.page_unit == "paragraph" else 5]
    for text in (line for page in units for line in page.text.splitlines()):
        for pattern, weight in _PSEUDONYM_PATTERNS:
            for match in pattern.finditer(text):
                name = match.group("name").strip()
                if name.isupper() and len(name) > 2:
                    name = name.title()
                if name.split()[0] in _NOT_NAMES and not name.startswith("Adult "):
                    continue
                counts[name] = counts.get(name, 0) + weight
    full_text = " ".join(page.text for page in document.pages)
    # A bare name alone on the cover ("Margaret") counts when the review goes on to use it throughout.
    cover = document.pages[0].text.splitlines() if document.pages and document.page_unit == "page" else []
    for line in cover:
        word = line.strip().strip("'‘’\"“”")
        if not re.fullmatch(r"[A-Z][a-z]{2,}", word) or word in _NOT_NAMES:
            continue
        if len(re.findall(rf"\b{word}\b", full_text)) >= 10:
            counts[word] = counts.get(word, 0) + 2
    if not counts:
        return None
    mentions = {name: len(re.findall(rf"\b{re.escape(name)}\b", full_text)) for name in counts}
    return max(sorted(counts), key=lambda name: (counts[name], mentions[name]))


def clip(text: str, limit: int = 400) -> str:
    """Text on one line, cut at `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def evidence_of(sentence: Sentence) -> Evidence:
    """A sentence as evidence: its page, section and words (a table row's whole row)."""
    quote = " | ".join(sentence.cells) if sentence.cells else sentence.text
    return Evidence(page=sentence.page, quote=clip(quote), section=sentence.section or None)


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(value: date) -> str:
    """'30 November 2026', the same whatever the locale."""
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold (a form feed, a lone surrogate) made U+FFFD, one for
    one, so character offsets into it still hold."""
    return _NOT_XML.sub("\ufffd", text)
