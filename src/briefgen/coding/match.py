"""Codes: a codebook's rules applied to a review's sentences, in context.

What separates this from keyword search is context. A sentence that matches a code's rules makes it present
only when it states a fact of this case: not in a section of duties or lists (recommendations, action plan,
panel, glossary), not denied ("there was no evidence of stalking"), not a possibility or a duty ("officers
should consider a DVPN"), and not about somebody else (research, national figures, the panel).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice

from briefgen.coding.codebook import Code, Codebook, Rule
from briefgen.coding.facts import compile_facts
from briefgen.coding.names import name_pattern
from briefgen.fastscan import FastPattern, SentenceIndex, last_break
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
        self.facts = compile_facts(codebook.facts)  # once per worker, not once per review
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
        # Whether a sentence holds a relationship word at all: most do not, and need no case pattern tried.
        self.relationship_words = {
            value: FastPattern(words) for value, words in self.relationship_phrases.items()
        }
        self.cohabiting_yes = FastPattern(_either(features.cohabiting_yes))
        self.cohabiting_no = FastPattern(_either(features.cohabiting_no))
        self.suicide = FastPattern(_either(features.suicide))
        self.abuse_contact = FastPattern(features.abuse_contact)
        self.relationship_ended = _ci(_either(features.relationship_ended))


_WINDOW_BEFORE = 8  # words before a match in which a negation counts (any distance when a coordination
# 'or'/'nor' joins the match to it: "did not follow her, turn up at her work or bombard her with calls")


_WINDOW_AFTER = 6


_COORDINATION = re.compile(r"\b(?:or|nor)\b", re.IGNORECASE)


# Quoted speech: a modal inside a quotation ('told her to "ring back if it gets worse"') is what someone said,
# not the review wondering.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']*'(?!\w)")


# A consideration or a question that nobody raised is a fact of omission ("neither the police nor the CPS
# considered whether the case could proceed"): for codes about a failure it is not a possibility.
_NEGATED_CUE = re.compile(
    r"\b(?:not|never|neither|nor|no one|nobody|no-one|failed to|without)\W+(?:\w+\W+){0,2}$", re.IGNORECASE
)


def _window_start(text: str, position: int, words: int) -> int:
    starts = _word_starts(text)
    before = bisect_left(starts, position)  # the words that start before `position`
    return starts[before - words] if before >= words else 0


@lru_cache(maxsize=4096)
def _word_starts(text: str) -> tuple[int, ...]:
    """Where each word of a sentence starts: asked for each code that matches the sentence, so remembered."""
    return tuple(match.start() for match in _WORD.finditer(text))


def _window_end(text: str, position: int, words: int) -> int:
    ends = [m.end() for m in islice(_WORD.finditer(text, position), words)]
    return ends[-1] if ends else position


def _clause_start(text: str, position: int, lexicon: CompiledLexicon) -> int:
    return last_break(lexicon.clause_break, text, position)


def _clause_end(text: str, position: int, lexicon: CompiledLexicon) -> int:
    brk = lexicon.clause_break.search(text, position)
    return brk.start() if brk else len(text)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


@lru_cache(maxsize=4096)
def _unquoted(text: str) -> str:
    """The sentence with its quotations blanked (asked for each code that matches it, so remembered)."""
    return _QUOTED.sub(_blank, text)


def denied_by_frame(text: str, position: int, lexicon: CompiledLexicon) -> bool:
    """Whether a denial heads the clause that holds `position` ("No agency held any record that he ...",
    "Neither of them had any history of ...", "there is no evidence that ..."), whatever the distance."""
    frame = lexicon.denial_frame.match(text, last_break(lexicon.denial_break, text, position))
    return (
        frame is not None
        and frame.end() <= position
        and not lexicon.cues.affirming.search(text, frame.start(), frame.end())
    )


def _case_fact_item(text: str, position: int, lexicon: CompiledLexicon) -> bool:
    """Whether `position` is in an item of a list after a colon that tells what this case's people did ("the
    signs research links to homicide: he followed her; he made threats"), with nothing general after the colon."""
    colon = text.rfind(":", 0, position)
    if colon < 0:
        return False
    tail = text[colon + 1 :]
    if lexicon.other_subject.test(tail) or lexicon.general_statement.test(tail):
        return False
    item_end = text.find(";", position)
    item = text[max(colon, text.rfind(";", 0, position)) + 1 : item_end if item_end >= 0 else len(text)]
    return lexicon.cues.case_fact_item.test(item)


def discount_reason(
    sentence: Sentence,
    span: tuple[int, int],
    compiled: CompiledCode,
    lexicon: CompiledLexicon,
    *,
    negative_rule: bool = False,
    text: str | None = None,
) -> str | None:
    """Why a matched sentence does not state a fact of this case, or None when it does. `text` is the sentence
    as the codes read it (`prepared`), when it differs from the sentence's own."""
    code = compiled.code
    if not _in_scope(sentence, compiled):
        return "excluded_section"
    text = sentence.text if text is None else text
    start, end = span
    # A general statement is about no one in particular; but a list after its lead-in may name this case's facts.
    if (
        code.context.other_subject
        and (lexicon.other_subject.test(text) or lexicon.general_statement.test(text))
        and not _case_fact_item(text, start, lexicon)
    ):
        return "other_subject"
    if code.context.before_death and lexicon.cues.after_death_work.test(text):
        return "other_subject"  # the investigation of the death, not the police response before it
    # Whole-sentence tests first (remembered for the next code): most sentences have no cue at all.
    negated = lexicon.negation_before.test(text)
    if negated and denied_by_frame(text, start, lexicon):
        return "negated"
    if code.context.negation and (negated or lexicon.negation_after.test(text)):
        clause = _clause_start(text, start, lexicon)
        near = max(clause, _window_start(text, start, _WINDOW_BEFORE))
        # Negation before the match or inside it ("her phone was not seized"), or just after it ("alcohol
        # played no part"); "no doubt that" and "not only" assert rather than deny.
        scope = lexicon.cues.affirming.sub(_blank, text[: start if negative_rule else end])
        if lexicon.negation_before.search(scope, near, len(scope)) or lexicon.negation_after.match(text, end):
            return "negated"
        # Further back in the clause, a negation still reaches a match it is coordinated with.
        cues = list(lexicon.negation_before.finditer(scope, clause, near))
        if cues and _COORDINATION.search(text, cues[-1].end(), start):
            return "negated"
    unreal = lexicon.cues.unreal_outcome
    if code.context.hypothetical and (
        lexicon.hypothetical.test(text) or unreal.test(text) or text.rstrip().endswith("?")
    ):
        # A modal governs its whole clause: "The panel considered whether his behaviour amounted to stalking".
        unquoted = _unquoted(text)
        before = _clause_start(unquoted, start, lexicon)
        after = _window_end(unquoted, end, _WINDOW_AFTER)
        # A purpose clause ("so that it could be examined") says what the act was for; for a failure code a
        # clause that follows the failure ("did not check the PNC, which would have shown ...") says what it
        # cost. Neither makes the matched fact a possibility.
        clause_end = _clause_end(unquoted, end, lexicon)
        aim = lexicon.cues.purpose.search(unquoted, end, clause_end)
        if aim:
            after, clause_end = min(after, aim.start()), aim.start()
        if not code.context.negation:
            after = min(after, clause_end)
        cues = [*lexicon.hypothetical.finditer(unquoted, before, start)]
        cues += [*lexicon.hypothetical.finditer(unquoted, end, after)]
        if code.context.negation:
            # For a code of a fact, a modal verb inside the match ("a DASH should have been completed") or
            # as the verb of the clause it is the subject of ("a MARAC referral ... would have changed the
            # odds") makes the fact a possibility. A failure code's own words hold such modals.
            cues += [*unreal.finditer(unquoted, start, clause_end)]
        if not code.context.negation:
            cues = [cue for cue in cues if not _NEGATED_CUE.search(unquoted, 0, cue.start())]
        if cues or text.rstrip().endswith("?"):
            return "hypothetical"
    return None


# Contractions spelled out, so that rules and negation read quoted speech as they read the review's own words
# ("The police aren't interested", "I've given up on them").
_CONTRACTION = re.compile(r"\b(can|won|shan)['’]t\b|(?<=\w)n['’]t\b|(?<=\w)['’](ve|re|ll|m)\b", re.IGNORECASE)
_SPELLED = {
    "can": "can not",
    "won": "will not",
    "shan": "shall not",
    "ve": " have",
    "re": " are",
    "ll": " will",
}


def _spell_out(match: re.Match[str]) -> str:
    word = (match.group(1) or match.group(2) or "").lower()
    if match.group(1):
        return _SPELLED[word]
    if word == "m":
        return " am"
    return _SPELLED[word] if word else " not"


_HAS_CONTRACTION = FastPattern(r"['’](?:t|ve|re|ll|m)\b")


def prepared(text: str, lexicon: CompiledLexicon) -> str:
    """A sentence as the codes read it: contractions spelled out, and the names of instruments, services and
    laws blanked (keeping their `keep` group), because the name of a thing is not the thing."""
    if _HAS_CONTRACTION.test(text):
        text = _CONTRACTION.sub(_spell_out, text)
    if lexicon.any_named_thing is None or not lexicon.any_named_thing.test(text):
        return text
    for pattern in lexicon.named_things:
        text = pattern.sub(_blank_but_kept, text)
    return text


def _blank_but_kept(match: re.Match[str]) -> str:
    if "keep" not in match.re.groupindex or match.group("keep") is None:
        return _blank(match)
    kept_start, kept_end = match.span("keep")
    start, end = match.span()
    return " " * (kept_start - start) + match.group("keep") + " " * (end - kept_end)


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
    texts = [s.text for s in sentences]
    index = SentenceIndex(texts)
    # Few sentences have a contraction or a named thing: one pass finds them, and only those are rewritten.
    rewrite = set(index.candidates(_HAS_CONTRACTION))
    if lexicon.any_named_thing is not None:
        rewrite.update(index.candidates(lexicon.any_named_thing))
    changed = False
    for slot in rewrite:
        text = prepared(texts[slot], lexicon)
        changed = changed or text != texts[slot]
        texts[slot] = text
    if changed:
        index = SentenceIndex(texts)
    results: dict[str, CodeResult] = {}
    for compiled in codebook.codes:
        hits = _Hits()
        for slot in index.candidates(compiled.match):
            if _in_scope(sentences[slot], compiled):
                _judge_sentence(sentences, texts, slot, compiled, lexicon, hits)
        results[compiled.code.id] = _result(compiled.code, hits, names, lexicon.roles.evidence_order)
    return results


def _in_scope(sentence: Sentence, compiled: CompiledCode) -> bool:
    """Whether the sentence is in a section the code may count."""
    if compiled.only_sections is not None:
        return sentence.kind in compiled.only_sections
    return sentence.kind not in compiled.excluded_sections


MIN_WORDS = 5  # "Race, religion and language." is a label, not a statement of fact


MIN_STATEMENT_WORDS = 3  # ... but "Nobody rang her back." has a verb, and states one


# A short line without a full stop, not in a table, is a heading: "Referrals to support and to MARAC".
HEADING_WORDS = 8


_ENDS_A_SENTENCE = re.compile(r"[.!?:;\"”’')\]]\s*$")


def _judge_sentence(
    sentences: list[Sentence],
    texts: list[str],
    index: int,
    compiled: CompiledCode,
    lexicon: CompiledLexicon,
    hits: _Hits,
) -> None:
    sentence = sentences[index]
    text = texts[index]
    words = len(text.split())
    if words < MIN_WORDS and not (
        words >= MIN_STATEMENT_WORDS
        and text.rstrip().endswith(".")
        and lexicon.cues.short_statement.test(text)
    ):
        return
    if words <= HEADING_WORDS and not sentence.cells and not _ENDS_A_SENTENCE.search(text):
        return
    window = compiled.code.window
    nearby = text
    if window:
        lo, hi = max(0, index - window), min(len(sentences), index + window + 1)
        nearby = " ".join(texts[i] for i in range(lo, hi) if sentences[i].paragraph == sentence.paragraph)
    if compiled.unless is not None and compiled.unless.test(nearby):
        return
    if compiled.require and not all(p.test(nearby) for p in compiled.require):
        return
    reason: str | None = "excluded_section"
    # Matches are found one at a time: the first that states a fact of the case settles the sentence.
    spans: Iterator[tuple[tuple[int, int], bool]] = (
        (m.span(), False) for m in compiled.match.python.finditer(text)
    )
    if compiled.negative is not None:
        spans = chain(((m.span(), True) for m in compiled.negative.finditer(text)), spans)
    for span, negative in spans:
        reason = discount_reason(sentence, span, compiled, lexicon, negative_rule=negative, text=text)
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
