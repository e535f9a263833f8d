"""Codes: a codebook's rules applied to a review's sentences, in context.

What separates this from keyword search is context. A sentence that matches a code's rules makes it present
only when it states a fact of this case: not in a section of duties or lists (recommendations, action plan,
panel, glossary), not denied ("there was no evidence of stalking"), not a possibility or a duty ("officers
should consider a DVPN"), and not about somebody else (research, national figures, the panel).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from briefgen.coding.codebook import Code, Codebook, Rule
from briefgen.coding.names import name_pattern
from briefgen.fastscan import FastPattern, SentenceIndex
from briefgen.lexicon import CompiledLexicon
from briefgen.models import CodeResult, Discounted
from briefgen.text import Sentence, clip, evidence_of

MAX_EVIDENCE = 3


MAX_DISCOUNTED = 3


_WORD = re.compile(r"\w+")


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass
class CompiledCode:
    code: Code
    match: FastPattern  # every match rule: RE2 finds the candidate sentences, `re` judges them
    negative: re.Pattern[str] | None  # the rules that describe an absence
    require: list[FastPattern]
    unless: FastPattern | None
    excluded_sections: frozenset[str]
    only_sections: frozenset[str] | None


def _either(patterns: list[str]) -> str:
    """One pattern that matches where any of `patterns` does."""
    return "|".join(f"(?:{pattern})" for pattern in patterns)


class CompiledCodebook:
    """The codebook with every rule compiled once (per worker process)."""

    def __init__(self, codebook: Codebook) -> None:
        self.source = codebook
        default_excluded = frozenset(codebook.exclude_sections)
        self.codes = []
        for code in codebook.codes:
            sections = code.sections
            negative = [rule for rule in code.match if rule.negative]
            self.codes.append(
                CompiledCode(
                    code=code,
                    match=FastPattern(_either([rule.pattern() for rule in code.match])),
                    negative=_ci(_either([rule.pattern() for rule in negative])) if negative else None,
                    require=[FastPattern(rule.pattern()) for rule in code.require],
                    unless=FastPattern(_either([rule.pattern() for rule in code.unless]))
                    if code.unless
                    else None,
                    excluded_sections=frozenset(sections.exclude)
                    if sections and sections.exclude is not None
                    else default_excluded,
                    only_sections=frozenset(sections.only)
                    if sections and sections.only is not None
                    else None,
                )
            )
        features = codebook.features
        self.female = _ci(Rule(phrases=features.female_words).pattern())
        self.male = _ci(Rule(phrases=features.male_words).pattern())
        self.relationship_phrases = {
            value: Rule(phrases=words).pattern() for value, words in features.relationship_words.items()
        }
        self.cohabiting_yes = FastPattern(_either(features.cohabiting_yes))
        self.cohabiting_no = FastPattern(_either(features.cohabiting_no))
        self.suicide = FastPattern(_either(features.suicide))
        self.abuse_contact = FastPattern(features.abuse_contact)
        self.relationship_ended = _ci(_either(features.relationship_ended))


_WINDOW_BEFORE = 8  # words before a match in which a negation or a modal counts


_WINDOW_AFTER = 6


_HYPOTHETICAL_BEFORE = 15


def _window_start(text: str, position: int, words: int) -> int:
    starts = [m.start() for m in _WORD.finditer(text, 0, position)]
    return starts[-words] if len(starts) >= words else 0


def _window_end(text: str, position: int, words: int) -> int:
    ends = [m.end() for m in _WORD.finditer(text, position)][:words]
    return ends[-1] if ends else position


def discount_reason(
    sentence: Sentence,
    span: tuple[int, int],
    compiled: CompiledCode,
    lexicon: CompiledLexicon,
    *,
    negative_rule: bool = False,
) -> str | None:
    """Why a matched sentence does not state a fact of this case, or None when it does."""
    code = compiled.code
    if not _in_scope(sentence, compiled):
        return "excluded_section"
    text = sentence.text
    start, end = span
    if code.context.other_subject and lexicon.other_subject.test(text):
        return "other_subject"
    # Whole-sentence tests first (remembered for the next code): most sentences have no cue at all.
    if code.context.negation and (lexicon.negation_before.test(text) or lexicon.negation_after.test(text)):
        clause_start = _window_start(text, start, _WINDOW_BEFORE)
        for brk in lexicon.clause_break.finditer(text, clause_start, start):
            clause_start = brk.end()
        # Negation before the match or inside it ("her phone was not seized"), or just after it ("alcohol
        # played no part"); "no doubt that" and "not only" assert rather than deny.
        scope = lexicon.cues.affirming.sub(
            lambda m: " " * len(m.group(0)), text[: start if negative_rule else end]
        )
        if lexicon.negation_before.search(scope, clause_start, len(scope)) or lexicon.negation_after.match(
            text, end
        ):
            return "negated"
    if code.context.hypothetical and (lexicon.hypothetical.test(text) or text.rstrip().endswith("?")):
        # A modal governs its whole clause: "The panel considered whether his behaviour amounted to stalking".
        before = _window_start(text, start, _HYPOTHETICAL_BEFORE)
        for brk in lexicon.clause_break.finditer(text, before, start):
            before = brk.end()
        after = _window_end(text, end, _WINDOW_AFTER)
        cue = lexicon.hypothetical.search(text, before, start) or lexicon.hypothetical.search(
            text, end, after
        )
        if cue or text.rstrip().endswith("?"):
            return "hypothetical"
    return None


@dataclass
class _Hits:
    evidence: list[Sentence] = field(default_factory=list)
    discounted: list[tuple[str, Sentence]] = field(default_factory=list)


def code_sentences(
    sentences: list[Sentence],
    codebook: CompiledCodebook,
    lexicon: CompiledLexicon,
    names: tuple[str, ...] = (),
) -> dict[str, CodeResult]:
    """Every code's result for one review; evidence that names the victim or perpetrator (`names`) is shown
    first, because it is about this case rather than a general statement."""
    # One fast pass of each code's combined pattern over the whole review finds the sentences that may match;
    # only those are examined one by one.
    index = SentenceIndex([s.text for s in sentences])
    results: dict[str, CodeResult] = {}
    for compiled in codebook.codes:
        hits = _Hits()
        for slot in index.candidates(compiled.match):
            if _in_scope(sentences[slot], compiled):
                _judge_sentence(sentences, slot, compiled, lexicon, hits)
        results[compiled.code.id] = _result(compiled.code, hits, names, lexicon.roles.evidence_order)
    return results


def _in_scope(sentence: Sentence, compiled: CompiledCode) -> bool:
    """Whether the sentence is in a section the code may count."""
    if compiled.only_sections is not None:
        return sentence.kind in compiled.only_sections
    return sentence.kind not in compiled.excluded_sections


MIN_WORDS = 5  # "Race, religion and language." is a label, not a statement of fact


def _judge_sentence(
    sentences: list[Sentence], index: int, compiled: CompiledCode, lexicon: CompiledLexicon, hits: _Hits
) -> None:
    sentence = sentences[index]
    text = sentence.text
    if len(text.split()) < MIN_WORDS:
        return
    window = compiled.code.window
    nearby = text
    if window:
        lo, hi = max(0, index - window), min(len(sentences), index + window + 1)
        nearby = " ".join(s.text for s in sentences[lo:hi] if s.paragraph == sentence.paragraph)
    if compiled.unless is not None and compiled.unless.test(nearby):
        return
    if compiled.require and not all(p.test(nearby) for p in compiled.require):
        return
    reason: str | None = "excluded_section"
    spans = [(m.span(), False) for m in compiled.match.python.finditer(text)]
    if compiled.negative is not None:
        spans = [(m.span(), True) for m in compiled.negative.finditer(text)] + spans
    for span, negative in spans:
        reason = discount_reason(sentence, span, compiled, lexicon, negative_rule=negative)
        if reason is None:
            break
    if reason is None:
        hits.evidence.append(sentence)
    else:
        hits.discounted.append((reason, sentence))


def _result(code: Code, hits: _Hits, names: tuple[str, ...], order: Mapping[str, int]) -> CodeResult:
    present = len(hits.evidence) >= code.min_hits
    evidence = [evidence_of(s) for s in best_evidence(hits.evidence, order, names)] if present else []
    discounted = [
        Discounted(reason=reason, page=s.page, quote=clip(s.text), section=s.section or None)
        for reason, s in hits.discounted
        if reason != "excluded_section"
    ][:MAX_DISCOUNTED]
    return CodeResult(present=present, evidence=evidence, discounted=discounted)


def best_evidence(
    sentences: list[Sentence], order: Mapping[str, int], names: tuple[str, ...] = ()
) -> list[Sentence]:
    """The clearest evidence: sentences naming the victim, then the perpetrator (`names`, in that order), from
    the sections `order` ranks first (the lexicon's evidence_order: the analysis, then the chronology); from
    different pages; shown in document order."""
    named = [name_pattern(name) for name in names]

    def rank(sentence: Sentence) -> tuple[int, int, int]:
        text = sentence.whole
        about = next((i for i, pattern in enumerate(named) if pattern.search(text)), len(named))
        return (about, order.get(sentence.kind, max(order.values(), default=0) + 1), sentence.index)

    ordered = sorted(sentences, key=rank)
    chosen: list[Sentence] = []
    for sentence in ordered:
        if all(sentence.page != other.page for other in chosen):
            chosen.append(sentence)
        if len(chosen) == MAX_EVIDENCE:
            break
    return sorted(chosen, key=lambda s: s.index)
