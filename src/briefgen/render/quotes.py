"""Choosing the quotes of the briefing: relevant to the point, about this case, never repeated, spread over
the cases, and table rows made readable.

One `QuotePicker` serves the whole briefing, so a sentence quoted in the special theme is not quoted again in
a cross-cutting theme and no case supplies most of the quotes. The patterns that set a sentence aside (a
counter-allegation against the victim offered as harassment, a sentence about the perpetrator's former partner)
are data, in `templates/synthesis.yaml` under `quotes`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.models import CodedCase, CodeInfo, Evidence
from briefgen.render.synthesis import SetAside, load_wording


def name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(name)}\b")


_DATE_CELL = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\b\d{1,2}(st|nd|rd|th)? \w+ \d{4}\b|\b(19|20)\d\d\b"
)


@dataclass(frozen=True)
class Quote:
    """A sentence from a review, with where it is: shown as '(Leah, p. 14)'. A chronology row keeps its date
    and agency apart from its words."""

    text: str
    case: str
    page: int
    page_unit: str
    code: str
    code_label: str
    date: str | None = None
    agency: str | None = None


def readable(text: str) -> tuple[str, str | None, str | None]:
    """A table row ('23/06/2019 | Kent Police | Ryan breaches DVPO') as its words, date and agency."""
    cells = [cell.strip() for cell in text.split(" | ") if cell.strip()]
    if len(cells) < 2:
        return text, None, None
    date = cells[0] if _DATE_CELL.search(cells[0]) and len(cells[0]) <= 30 else None
    rest = cells[1:] if date else cells
    agency = rest[0] if len(rest) >= 2 and len(rest[0].split()) <= 6 else None
    words = " ".join(rest[1:] if agency else rest)
    if words and words[-1] not in ".!?\"”'":
        words += "."
    return words, date, agency


class QuotePicker:
    """Picks quotes across the briefing: each sentence once, cases in turn."""

    def __init__(self, codes: dict[str, CodeInfo], set_aside: Sequence[SetAside] | None = None) -> None:
        self.codes = codes
        self.set_aside = list(set_aside if set_aside is not None else load_wording().quotes)
        self.seen: set[str] = set()
        self.per_case: Counter[str] = Counter()

    def _allowed(self, code: str, case: CodedCase, evidence: Evidence) -> bool:
        if evidence.quote in self.seen:
            return False
        info = self.codes.get(code)
        if info is not None and info.polarity != "good_practice":
            # A sentence that shows good practice in this case does not illustrate a failing or a feature.
            for other in self.codes.values():
                result = case.codes.get(other.id)
                if (
                    other.polarity == "good_practice"
                    and result is not None
                    and result.present
                    and any(e.quote == evidence.quote for e in result.evidence)
                ):
                    return False
        victim = case.pseudonym or ""
        for rule in self.set_aside:
            if code in rule.except_codes:
                continue
            pattern = rule.pattern.replace("{victim}", re.escape(victim) if victim else r"\b(she|he)\b")
            named = bool(victim) and name_pattern(victim).search(evidence.quote) is not None
            if re.search(pattern, evidence.quote, re.IGNORECASE) and not (rule.unless_victim_named and named):
                return False
        return True

    def pick(self, codes: Sequence[str], cases: Sequence[CodedCase], *, limit: int) -> list[Quote]:
        """Up to `limit` quotes for `codes`, one code after another: for each, the case quoted least so far,
        preferring a sentence that names the victim."""
        chosen: list[tuple[str, CodedCase, Evidence]] = []
        for _ in range(2):  # a second round when there are fewer codes than places
            for code in codes:
                if len(chosen) >= limit:
                    break
                if any(c == code for c, _, _ in chosen) and len(chosen) < len(codes):
                    continue
                best = self._best(code, cases)
                if best is not None:
                    case, evidence = best
                    chosen.append((code, case, evidence))
                    self.seen.add(evidence.quote)
                    self.per_case[case.source] += 1
        return [self._quote(code, case, evidence) for code, case, evidence in chosen]

    def _best(self, code: str, cases: Sequence[CodedCase]) -> tuple[CodedCase, Evidence] | None:
        options = []
        for order, case in enumerate(cases):
            result = case.codes.get(code)
            if result is None or not result.present:
                continue
            named = name_pattern(case.pseudonym) if case.pseudonym else None
            for rank, evidence in enumerate(result.evidence):
                if self._allowed(code, case, evidence):
                    about = 0 if named is not None and named.search(evidence.quote) else 1
                    options.append(((self.per_case[case.source], about, rank, order), case, evidence))
        if not options:
            return None
        _, case, evidence = min(options, key=lambda option: option[0])
        return case, evidence

    def _quote(self, code: str, case: CodedCase, evidence: Evidence) -> Quote:
        text, date, agency = readable(evidence.quote)
        info = self.codes.get(code)
        return Quote(
            text=text,
            case=case.pseudonym or case.title,
            page=evidence.page,
            page_unit=case.page_unit,
            code=code,
            code_label=info.label if info is not None else code,
            date=date,
            agency=agency,
        )
