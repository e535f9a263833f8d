"""Where each piece of evidence stands in its page's text, as character offsets, for QDA software.

A quote is the sentence with its whitespace made single (and a table row's cells joined by ` | `, a long one
clipped with `…`), so it is found in the page by its other characters alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from briefgen.models import CaseFeatures, CodedCase, DocumentText, Evidence

_KEPT = re.compile(r"[^\s|…]+")


class _Squashed:
    """A text without whitespace, `|` and `…`, with the way back to each kept character's place: one entry per
    run of kept characters, so a page is squashed in a few thousand steps rather than one per character."""

    def __init__(self, text: str) -> None:
        runs = [(match.start(), match.group(0)) for match in _KEPT.finditer(text)]
        self.text = "".join(run for _, run in runs)
        self.starts: list[int] = []  # where each run starts in `self.text`
        self.places: list[int] = []  # and in the original text
        at = 0
        for place, run in runs:
            self.starts.append(at)
            self.places.append(place)
            at += len(run)

    def place(self, at: int) -> int:
        """Where the kept character `at` of `self.text` stands in the original text."""
        run = bisect_right(self.starts, at) - 1
        return self.places[run] + at - self.starts[run]


def _squashed(text: str) -> str:
    return "".join(_KEPT.findall(text))


def with_offsets(case: CodedCase, document: DocumentText) -> CodedCase:
    """The case with `start` and `end` set on every piece of evidence found in its page."""
    pages = {page.number: page.text for page in document.pages}
    squashed: dict[int, _Squashed] = {}

    def placed(evidence: list[Evidence]) -> list[Evidence]:
        result = []
        for item in evidence:
            text = pages.get(item.page)
            needle = _squashed(item.quote)
            if text is None or not needle or item.start is not None:
                result.append(item)
                continue
            haystack = squashed.get(item.page)
            if haystack is None:
                haystack = squashed[item.page] = _Squashed(text)
            at = haystack.text.find(needle)
            if at < 0:
                result.append(item)
                continue
            start, end = haystack.place(at), haystack.place(at + len(needle) - 1) + 1
            result.append(item.model_copy(update={"start": start, "end": end}))
        return result

    codes = {cid: r.model_copy(update={"evidence": placed(r.evidence)}) for cid, r in case.codes.items()}
    features = {
        name: feature.model_copy(update={"evidence": placed(feature.evidence)})
        for name in CaseFeatures.model_fields
        if (feature := getattr(case.features, name)).evidence
    }
    return case.model_copy(update={"codes": codes, "features": case.features.model_copy(update=features)})
