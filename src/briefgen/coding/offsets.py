"""Where each piece of evidence stands in its page's text, as character offsets, for QDA software.

A quote is the sentence with its whitespace made single (and a table row's cells joined by ` | `, a long one
clipped with `…`), so it is found in the page by its other characters alone.
"""

from __future__ import annotations

from briefgen.models import CaseFeatures, CodedCase, DocumentText, Evidence

_SKIP = frozenset(" \t\r\n\f\v\u00a0|…")


def _squashed(text: str) -> tuple[str, list[int]]:
    """`text` without whitespace, `|` and `…`, and where each kept character was."""
    kept, where = [], []
    for index, char in enumerate(text):
        if char not in _SKIP and not char.isspace():
            kept.append(char)
            where.append(index)
    return "".join(kept), where


def with_offsets(case: CodedCase, document: DocumentText) -> CodedCase:
    """The case with `start` and `end` set on every piece of evidence found in its page."""
    pages = {page.number: page.text for page in document.pages}
    squashed: dict[int, tuple[str, list[int]]] = {}

    def placed(evidence: list[Evidence]) -> list[Evidence]:
        result = []
        for item in evidence:
            text = pages.get(item.page)
            needle, _ = _squashed(item.quote)
            if text is None or not needle or item.start is not None:
                result.append(item)
                continue
            haystack, where = squashed.setdefault(item.page, _squashed(text))
            at = haystack.find(needle)
            if at < 0:
                result.append(item)
                continue
            result.append(
                item.model_copy(update={"start": where[at], "end": where[at + len(needle) - 1] + 1})
            )
        return result

    codes = {cid: r.model_copy(update={"evidence": placed(r.evidence)}) for cid, r in case.codes.items()}
    features = {
        name: feature.model_copy(update={"evidence": placed(feature.evidence)})
        for name in CaseFeatures.model_fields
        if (feature := getattr(case.features, name)).evidence
    }
    return case.model_copy(update={"codes": codes, "features": case.features.model_copy(update=features)})
