"""Compare briefgen's clause rules for negation and possibility with medspaCy's ConText on a screened corpus.

Not part of briefgen: it needs `pip install medspacy` in an environment where briefgen is installed. Code the
same screening three ways, then score each coded.json with `briefgen eval`:
  rules    today's clause rules (codebooks/lexicon.yaml `context:`)
  context  ConText decides negation and possibility (briefgen's other-subject and section rules stay)
  both     a match is set aside when either says so
usage: python benchmarks/context_compare.py VARIANT SCREENING_JSON OUT_CODED_JSON
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefgen import resources
from briefgen.coding import match
from briefgen.models import ScreeningResult
from briefgen.pipeline import Workers, code_stage


def context_judge() -> Callable[[str, int, int], str | None]:
    """ConText's verdict on the span [start, end) of one sentence: negated, hypothetical, other_subject or None."""
    import medspacy

    nlp = medspacy.load(medspacy_enable=["medspacy_context"])
    context = nlp.get_pipe("medspacy_context")

    def judge(text: str, start: int, end: int) -> str | None:
        doc = nlp.make_doc(text)
        span = doc.char_span(start, end, label="CODE", alignment_mode="expand")
        if span is None:
            return None
        doc.ents = [span]
        for token in doc:
            token.is_sent_start = token.i == 0  # one sentence: briefgen has split them already
        context(doc)
        ent = doc.ents[0]
        if ent._.is_negated:
            return "negated"
        if ent._.is_hypothetical or ent._.is_uncertain:
            return "hypothetical"
        return "other_subject" if ent._.is_family else None

    return judge


def patch(variant: str) -> None:
    """Replace match.discount_reason with the variant's judgement (workers are forked, so they inherit it)."""
    original = match.discount_reason
    judge = context_judge()

    def patched(
        sentence: Any, span: tuple[int, int], compiled: Any, lexicon: Any, *, negative_rule: bool = False
    ) -> str | None:
        ours = original(sentence, span, compiled, lexicon, negative_rule=negative_rule)
        if ours == "excluded_section":
            return ours
        wanted = compiled.code.context
        theirs = None if negative_rule else judge(sentence.text, *span)
        if (theirs == "negated" and not wanted.negation) or (
            theirs == "hypothetical" and not wanted.hypothetical
        ):
            theirs = None
        if theirs == "other_subject" and not wanted.other_subject:
            theirs = None
        if variant == "context":
            return ours if ours == "other_subject" else theirs
        return ours or theirs

    match.discount_reason = patched  # type: ignore[assignment]


def main() -> None:
    variant, screening_path, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if variant != "rules":
        patch(variant)
    screening = ScreeningResult.model_validate_json(screening_path.read_bytes())
    began = time.perf_counter()
    code_stage(
        screening,
        screening_path,
        codebook=resources.default_codebook(),
        lexicon=resources.default_lexicon(),
        out=out,
        workers=Workers(jobs=1, cache_dir=Path("/tmp/briefgen-context-compare")),
    )
    print(f"{variant}: coded in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
