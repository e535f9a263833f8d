"""What a document is: a review of an accepted type (a Domestic Homicide Review), another kind of review (a
Safeguarding Adults Review, a Child Safeguarding Practice Review, an IOPC report...), a letter about a review,
an action plan alone, a document drawn from a review or about the death (a learning brief, a newsletter, a press
release, a coroner's report); and whether it is the full report or a summary of it.

A document names itself on its cover, in its title and in its first pages. The type its cover names most is the
document's type, however often its introduction names another: a review's opening pages often describe other
bodies and their processes (a parallel Safeguarding Adults Review, the IOPC's investigation, an inquest), and that
makes it no less the kind of document its title says it is. Only when the cover names no type, or two equally,
do the first pages decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from briefgen.lexicon import CompiledLexicon
from briefgen.models import DocumentText

COVER_CHARS = 700  # the cover and title: what a document calls itself
FRONT_CHARS = 4000  # the cover, title page and start of the introduction
LETTER_OPENING_CHARS = 1500  # a letter's address block, then its salutation
LETTER_MAX_CHARS = 25000  # a letter runs to a few pages; a review with a letter appended is longer
_COVER_WEIGHT = 3.0  # a name on the cover counts for three in the introduction

Form = Literal["report", "summary", "action_plan", "letter", "derivative"]


@dataclass(frozen=True)
class Recognition:
    """The document's type (a lexicon `document_types` id, or None when it names none) and its form."""

    type: str | None
    form: Form
    scores: dict[str, float]
    joint: bool  # a cover line names two kinds of review: a joint review
    quote: str  # the cover line that names it, for evidence
    page: int


def front_text(document: DocumentText, limit: int) -> str:
    """The document's first `limit` characters, lines kept."""
    out: list[str] = []
    size = 0
    for page in document.pages:
        out.append(page.text)
        size += len(page.text) + 1
        if size >= limit:
            break
    return "\n".join(out)[:limit]


def recognise(document: DocumentText, lexicon: CompiledLexicon) -> Recognition:
    """What the document is, from how its cover and first pages name it."""
    front = front_text(document, FRONT_CHARS)
    cover_chars = _cover_length(document)
    cover = front[:cover_chars]
    scores: dict[str, float] = {}
    on_cover: dict[str, int] = {}
    first_at: dict[str, int] = {}
    for name, (_, pattern) in lexicon.document_types.items():
        score = 0.0
        for match in pattern.finditer(front):
            if match.start() < cover_chars:
                score += _COVER_WEIGHT
                on_cover[name] = on_cover.get(name, 0) + 1
            else:
                score += 1.0
            first_at.setdefault(name, match.start())
        if score:
            scores[name] = score
    best = max(sorted(scores), key=lambda name: (on_cover.get(name, 0), scores[name])) if scores else None
    # A title that names two kinds ("Joint Domestic Homicide Review and Safeguarding Adults Review"); a board's
    # name on a line of its own (a logo) does not make a joint review.
    joint = any(
        sum(1 for _, pattern in lexicon.document_types.values() if pattern.search(line)) > 1
        for line in cover.splitlines()
    )
    quote, page = _naming_line(document, front, first_at.get(best, 0) if best else 0)
    return Recognition(best, _form(document, front, cover, lexicon), scores, joint, quote, page)


def _cover_length(document: DocumentText) -> int:
    """How much of the front text is the cover: a short first page, or the first paragraphs up to COVER_CHARS."""
    if not document.pages:
        return 0
    if document.page_unit == "page":
        return min(len(document.pages[0].text), COVER_CHARS)
    size = 0
    for page in document.pages:
        if size + len(page.text) > COVER_CHARS:
            break
        size += len(page.text) + 1
    return max(size, min(len(document.pages[0].text), COVER_CHARS))


def _form(document: DocumentText, front: str, cover: str, lexicon: CompiledLexicon) -> Form:
    cues = lexicon.cues
    whole_length = sum(len(page.text) + 1 for page in document.pages)
    opening = front[:LETTER_OPENING_CHARS]
    if (
        whole_length <= LETTER_MAX_CHARS
        and any(cues.letter_opening.test(line) for line in opening.splitlines())
        and cues.letter_closing.test(" ".join(page.text for page in document.pages[-3:]))
    ):
        return "letter"
    report_at = _first(cues.full_report_title.search(cover))
    summary_at = _first(cues.summary_title.search(cover))
    plan_at = _first(cues.action_plan_title.search(cover))
    derived_at = _first(cues.derivative_title.search(cover))
    # "7 Minute Briefing: learning from DHR 'Ann'" tells the case, but is not the review.
    if derived_at < min(report_at, summary_at, plan_at):
        return "derivative"
    if plan_at < min(report_at, summary_at):
        return "action_plan"
    if summary_at < report_at:
        return "summary"  # "Executive Summary of the Overview Report" is a summary; a report's contents list it later
    return "report"


def _first(match: re.Match[str] | None) -> int:
    return match.start() if match else 10**9


def _naming_line(document: DocumentText, front: str, position: int) -> tuple[str, int]:
    """The line at `position` in the front text, and its page."""
    start = front.rfind("\n", 0, position) + 1
    end = front.find("\n", position)
    line = front[start : end if end >= 0 else len(front)].strip()
    offset = 0
    for page in document.pages:
        offset += len(page.text) + 1
        if position < offset:
            return line, page.number
    return line, document.pages[0].number if document.pages else 1
