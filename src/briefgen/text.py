"""From a document's page text to sentences that know their page and review section; and dates in text.

Reviews number and name their headings differently, so a heading is recognised by its Word style or else by its
shape (short, no final full stop, title-like or numbered), and classified by the lexicon's section patterns. A
heading that matches none keeps the kind of the section it is in only when it is deeper than that section's
heading ("4.2" under "4", Heading 3 under Heading 2); at the same level it starts a generic `body` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from briefgen.fastscan import FastPattern
from briefgen.lexicon import BODY, FRONT, HEADING_NUMBER, CompiledLexicon
from briefgen.models import DocumentText, Evidence, Page


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
    # 14th March 2019, 14 March, 2019, 14th of March 2019 (not '9.1 February 2021': a paragraph number, then a month)
    FastPattern(rf"(?<!\d\.)\b{_DAY.format('d')}\s+(?:of\s+)?{_MONTH.format('m')},?\s+(?P<y>(19|20)\d\d)\b"),
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
    """A date known to the day, only to the month, or only to the year ("Year of death: 2018")."""

    year: int
    month: int | None = None
    day: int | None = None

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day:
            return date(self.year, self.month, self.day)
        next_month = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return date.fromordinal(next_month.toordinal() - 1)

    def contains(self, other: PartialDate) -> bool:
        """Whether `other` falls within this date's precision (a year holds its months, a month its days)."""
        if self.year != other.year:
            return False
        if self.month is None:
            return True
        return self.month == other.month and (self.day is None or self.day == other.day)

    @staticmethod
    def parse_iso(value: str) -> PartialDate:
        parts = [int(part) for part in value.split("-")]
        return PartialDate(
            parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None
        )


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
    find_day_months.cache_clear()


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


# A day and month with no year ('on the 9th of June', 'Thursday 9 June', 'June the 9th'): the story around it
# gives the year. The month is written with its capital, so that 'may' and 'march' as words are not months; a
# month first needs an ordinal or 'the' ('June 9th'), so that 'May 12 officers' is not read as a date.
_FULL_MONTHS = sorted(
    {name.title() for name in _MONTHS if len(name) > 3 or name == "may"} - {"Sept"}, key=len
)
_MONTH_CAPITAL = r"(?P<m>" + "|".join(reversed(_FULL_MONTHS)) + r")"
_DAY_MONTH = FastPattern(
    rf"\b(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_CAPITAL}\b"
    rf"|\b{_MONTH_CAPITAL.replace('<m>', '<m2>')}\s+(?:the\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?|(?P<d3>[0-3]?\d)(?:st|nd|rd|th))\b",
    ignore_case=False,
)


@dataclass(frozen=True)
class DayMonth:
    """A day of a month whose year the text does not give."""

    start: int
    end: int
    month: int
    day: int

    def in_year(self, year: int | None) -> PartialDate | None:
        if year is None:
            return None
        try:
            date(year, self.month, self.day)
        except ValueError:
            return None
        return PartialDate(year, self.month, self.day)


@lru_cache(maxsize=4096)
def find_day_months(text: str) -> tuple[DayMonth, ...]:
    """The days and months in `text` that carry no year (those inside a full date are left out)."""
    if not _DIGIT.search(text):
        return ()
    full = [(mention.start, mention.end) for mention in find_dates(text)]
    found = []
    for match in _DAY_MONTH.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in full):
            continue
        day = int(match.group("d") or match.group("d2") or match.group("d3"))
        month = _MONTHS[(match.group("m") or match.group("m2")).lower()]
        if 1 <= day <= 31:
            found.append(DayMonth(match.start(), match.end(), month, day))
    return tuple(found)


# --- headings and sentences ----------------------------------------------------------------------------------

_NUMBERED = re.compile(
    r"^\s*(?P<num>(section|part|chapter|appendix|annex)\s+\w+\s*[:.\-–—]?|\d{1,2}(\.\d{1,3}){0,3}\.?|[A-Z]\.)\s+\S",
    re.I,
)
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,2}(\.\d{1,3}){1,3}\.?\s+")
# A list item's marker: a bullet, or a letter, roman numeral or number with "." or ")". Not any short word with
# a full stop: in a hard-wrapped text a sentence's last word can begin a line ("made. That is ...").
_BULLET = re.compile(r"^\s*([-•●◆▪∙*⇒]|\(?(?:[a-z]|[ivx]{1,4}|\d{1,3})[.)])\s+", re.I)
_DATE_LED = re.compile(
    r"^\s*(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}(st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{4})\b"
)
# A line that stops mid-sentence ("... on Tuesday 21st"): a date that starts the next line finishes it, and
# does not start a new chronology entry.
_MID_SENTENCE = re.compile(
    r"(\b(on|in|of|from|since|until|between|by|and|to|the|at|during|before|after|dated)|\b\d{1,2}(st|nd|rd|th)?"
    r"|,|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\s*$",
    re.IGNORECASE,
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
_SMALL_LAST_WORDS = frozenset(
    {"and", "or", "the", "of", "on", "to", "with", "in", "at", "by", "for", "a", "an", "that", "which"}
    | {"was", "were", "her", "his"}
)


def _ends_with_small_word(line: str) -> bool:
    """Whether the line ends with a word that cannot end a heading or a sentence ("of", "the", "and")."""
    last = line[line.rfind(" ") + 1 :] if " " in line else line
    return last.lower() in _SMALL_LAST_WORDS


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
    if numbered and len(body) <= 60 and len(words) <= 9 and not re.search(r"\d", body):
        return True
    return lexicon.section_kind(text) is not None and len(words) <= 6 and not re.search(r"\d", body)


def _strip_number(text: str) -> str:
    return re.sub(
        r"^\s*((section|part|chapter)\s+)?(\d+(\.\d+)*|[A-Z])(\s*[:.)\-–—])?\s+", "", text, flags=re.I
    )


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
    sections = _Sections(lexicon)
    paragraphs = 0

    def flush(paragraph: list[str], page_number: int) -> None:
        """Turn the collected lines of one paragraph into sentences."""
        nonlocal paragraphs
        if paragraph:
            text = _join_lines(paragraph)
            paragraph.clear()
            paragraphs += 1
            for sentence in split_sentences(_PARAGRAPH_NUMBER.sub("", text)):
                sentences.append(
                    Sentence(
                        sentence, page_number, sections.heading, sections.kind, len(sentences), (), paragraphs
                    )
                )

    # A Word file whose author used heading styles says where its headings are: no other paragraph is one.
    styled = sum(1 for page in document.pages if page.heading_level is not None) >= _STYLED_HEADINGS
    left_date: str | None = None  # a date alone on the last line of the page before
    for page in document.pages:
        if document.page_unit == "page":
            sections.new_page(page.number)
        if page.contents_entry:
            continue
        lines = _lines_of(page)
        lengths = sorted(len(line) for line in lines if " | " not in line)
        full_width = lengths[int(len(lengths) * 0.9)] if len(lengths) >= 8 else 0
        paragraph: list[str] = []
        joined = -1  # a heading wrapped onto two lines has been read with its second line

        for position, line in enumerate(lines):
            if position == joined:
                continue
            next_line = lines[position + 1] if position + 1 < len(lines) else None
            # A line between two table rows is a cell's wrapped text, unless it names a section or is numbered.
            in_table = (
                " | " not in line
                and position > 0
                and " | " in lines[position - 1]
                and next_line is not None
                and " | " in next_line
                and not _NUMBERED.match(line)
                and lexicon.section_kind(line) is None
            )
            wrapped = _wrapped_heading(lines, position, lexicon, full_width) if not styled else None
            # A sentence cut after "of" or a comma goes on in the next line: that line is not a heading.
            continues = bool(paragraph) and (
                _ends_with_small_word(paragraph[-1]) or paragraph[-1].endswith((",", "-", "–"))
            )
            if wrapped is not None:
                flush(paragraph, page.number)
                sections.at_heading(wrapped, None, page.number)
                joined = position + 1
            elif " | " in line:
                flush(paragraph, page.number)
                sections.text(line)
                cells = tuple(cell.strip() for cell in line.split(" | "))
                if position == 0 and left_date and not find_dates(cells[0]):
                    # A row broken by the page: its date cell was left at the foot of the page before, and the
                    # header repeated on this page stands in its place.
                    cells = (left_date, *cells[1:])
                paragraphs += 1
                for sentence in split_sentences(" ".join(cells[1:]) if len(cells) > 1 else cells[0]):
                    sentences.append(
                        Sentence(
                            sentence,
                            page.number,
                            sections.heading,
                            sections.kind,
                            len(sentences),
                            cells,
                            paragraphs,
                        )
                    )
            elif page.heading_level is not None or (
                not (styled or in_table or continues)
                and (
                    _looks_like_heading(line, next_line, lexicon, full_width)
                    or sections.listed_in_contents(line)
                )
            ):
                flush(paragraph, page.number)
                sections.at_heading(line.strip(), page.heading_level, page.number)
            elif sections.in_contents and _CONTENTS_ENTRY.search(line):
                sections.note_entry(line)
            else:
                sections.text(line)
                # A number that starts a line after one cut at "on" or "the" ends the sentence ("called the
                # police on" / "101. An officer ..."): it numbers no paragraph or list item.
                number_ends_sentence = _ends_with_small_word(paragraph[-1]) if paragraph else False
                if paragraph and (
                    (
                        (_PARAGRAPH_NUMBER.match(line) or _BULLET.match(line))
                        and not (number_ends_sentence and line.lstrip()[:1].isdigit())
                    )
                    or (_DATE_LED.match(line) and not _MID_SENTENCE.search(paragraph[-1]))
                ):
                    flush(paragraph, page.number)
                paragraph.append(line.strip())
        flush(paragraph, page.number)
        left_date = lines[-1].strip() if lines and _date_alone(lines[-1]) else None
    return sentences


def _date_alone(line: str) -> bool:
    """A line that is a date and nothing else ('23.05.2021', '3 May 2021')."""
    if len(line) > 30:
        return False
    dates = find_dates(line)
    return len(dates) == 1 and not (line[: dates[0].start] + line[dates[0].end :]).strip(" .|")


def _lines_of(page: Page) -> list[str]:
    """The page's non-empty lines; a Word heading is one line even if the author broke it."""
    if page.heading_level is not None:
        return [" ".join(page.text.split())]
    return [line for line in page.text.splitlines() if line.strip()]


@dataclass
class _OpenHeading:
    level: int
    kind: str
    known: bool  # the level was read from a Word style or a number, not guessed from the heading's case


class _Sections:
    """The section the text is in, as headings arrive: its heading, its kind, and the contents list.

    A contents list is a run of heading-like lines that must not set the section of the text after them. It ends at
    a change of page (PDF), at the repeat of its first entry, at a Word heading, or at a paragraph that cannot be
    an entry; the text after it is `body` until a heading says otherwise."""

    def __init__(self, lexicon: CompiledLexicon) -> None:
        self.lexicon = lexicon
        self.heading = ""
        self.kind = FRONT
        self.open: list[_OpenHeading] = []  # the headings the text is under, shallowest first
        self.in_contents = False
        self._contents_page = 0
        self._contents_first: str | None = None
        self._contents_entries: set[str] = set()  # the numbered entries of the contents list, as keys

    def new_page(self, number: int) -> None:
        if self.in_contents and number != self._contents_page:
            self._end_contents()

    def text(self, line: str) -> None:
        """A line of text (not a heading): a long sentence cannot be a contents entry."""
        if self.in_contents and not _could_be_contents_entry(line):
            self._end_contents()
        elif self.in_contents:
            self.note_entry(line)

    def listed_in_contents(self, line: str) -> bool:
        """A numbered line the contents list gave as an entry ("5.1 Second call, 13.08.2022"), read again after the
        list: a heading, though a date or a plain sentence's case would not let it look like one."""
        return (
            bool(self._contents_entries)
            and not self.in_contents
            and len(line) <= 90
            and _NUMBERED.match(line) is not None
            and _contents_key(line) in self._contents_entries
        )

    def note_entry(self, line: str) -> None:
        if _NUMBERED.match(line) and len(line) <= 120:
            key = _contents_key(line)
            if len(key.split()) >= 2:
                self._contents_entries.add(key)

    def at_heading(self, heading: str, style_level: int | None, page: int) -> None:
        if self.in_contents:
            self.note_entry(heading)
            entry = _contents_key(heading)
            if style_level is None and not entry:
                return
            if style_level is None and self._contents_first is None:
                self._contents_first = entry
                return
            if style_level is None and entry != self._contents_first:
                return
            self._end_contents()
        kind = self.lexicon.section_kind(heading)
        numbered = _number_level(heading)
        level = style_level or numbered or (1 if heading.isupper() else _UNKNOWN_LEVEL)
        known = style_level is not None or numbered is not None
        nearest = self.open[-1] if self.open else None
        while self.open and self.open[-1].level > level:
            self.open.pop()
        sibling = self.open.pop() if self.open and self.open[-1].level == level else None
        parent = self.open[-1] if self.open else None
        if kind is None:
            kind = self._inherited(nearest, sibling, parent, known, numbered is not None)
        self.open.append(_OpenHeading(level, kind, known))
        self.heading, self.kind = heading, kind
        if kind == "contents":
            self.in_contents, self._contents_page, self._contents_first = True, page, None

    def _inherited(
        self,
        nearest: _OpenHeading | None,
        sibling: _OpenHeading | None,
        parent: _OpenHeading | None,
        known: bool,
        numbered: bool,
    ) -> str:
        """The kind of a heading that names none: its parent's; else the kind of the heading just before when
        that kind holds sub-headings of this sort (themes of an analysis, periods of a chronology; agencies under
        recommendations only when one of the two levels was guessed); else a generic `body` section. A kind
        that is not facts (contents, panel, methodology...) never passes to a heading of the same level."""
        if parent is not None and parent.kind != FRONT:
            return parent.kind
        if (
            nearest is not None
            and nearest.kind in self.lexicon.roles.holds_subsections
            and (not (nearest.known and known) or nearest.kind not in self.lexicon.non_fact_sections)
        ):
            return nearest.kind
        if self.kind == FRONT and (sibling is None or sibling.kind == FRONT) and not numbered:
            return FRONT  # the cover's title lines; a numbered heading starts the body
        return BODY

    def _end_contents(self) -> None:
        """The body starts: nothing before the contents list is a section the body is in."""
        self.in_contents = False
        self.open.clear()
        self.heading, self.kind = "", BODY


_UNKNOWN_LEVEL = 9  # an unnumbered heading in mixed case: taken to be under any numbered one
_STYLED_HEADINGS = 3  # a Word file with this many heading-styled paragraphs marks all its headings by style


def _wrapped_heading(
    lines: list[str], position: int, lexicon: CompiledLexicon, full_width: int
) -> str | None:
    """A heading too long for one line ("Could her death have been predicted or" / "prevented?"), as one line."""
    line = lines[position].strip()
    if position + 1 >= len(lines) or len(line) > 90 or not _ends_with_small_word(line):
        return None
    rest = lines[position + 1].strip()
    if len(rest) > 40 or " | " in rest or rest.endswith((".", ",", ";")):
        return None
    if full_width >= 60 and len(line) >= 0.8 * full_width:
        return None  # a full line of a paragraph
    after = lines[position + 2] if position + 2 < len(lines) else None
    heading = f"{line} {rest}"
    return heading if _looks_like_heading(heading, after, lexicon) else None


_CONTENTS_ENTRY = re.compile(r"(\.{3,}|…+|\s)\s*\d{1,3}\s*$")
_DOT_LEADER = re.compile(r"\.{4,}|…")


def _number_level(heading: str) -> int | None:
    """1 for "4", "B." and "Chapter 2:", 2 for "4.2", and so on; None for a heading without a number."""
    match = _NUMBERED.match(heading)
    if not match:
        return None
    number = match.group("num").rstrip(".")
    return number.count(".") + 1 if number[0].isdigit() else 1


def _could_be_contents_entry(line: str) -> bool:
    """A contents entry is short and does not end as a sentence does."""
    text = line.strip()
    if _DOT_LEADER.search(text):
        return True
    if len(text) > 120:
        return False
    return not (text.endswith(".") and not text.endswith("..") and len(text.split()) >= 8)


def _contents_key(heading: str) -> str:
    """A heading or contents entry without its number, label or page number, to compare the two:
    "1 Preface", "1. Preface ..... 3" and "Chapter 1: Preface" are all "preface"."""
    text = re.sub(r"[\s.…]*\d{1,3}\s*$", "", heading)
    text = HEADING_NUMBER.sub("", text + " ")
    return " ".join(re.findall(r"\w+", text.lower()))


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


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
