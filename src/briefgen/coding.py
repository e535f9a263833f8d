"""Coding: apply a codebook to one included review; codes and case features, each with its evidence.

What separates this from keyword search is context. A sentence that matches a code's rules makes it present
only when it states a fact of this case: not in a section of duties or lists (recommendations, action plan,
panel, glossary), not denied ("there was no evidence of stalking"), not a possibility or a duty ("officers
should consider a DVPN"), and not about somebody else (research, national figures, the panel).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from briefgen.codebook import Code, Codebook, Rule
from briefgen.fastscan import FastPattern, SentenceIndex
from briefgen.lexicon import CompiledLexicon
from briefgen.models import (
    CodedCase,
    CodeResult,
    Discounted,
    DocumentText,
    FeatureValue,
    Recommendation,
    ScreenedDocument,
)
from briefgen.screen import police_passages, sentences_with_narrative_dates
from briefgen.text import PartialDate, Sentence, clip, evidence_of, find_dates, find_pseudonym, segment

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
        self.perpetrator_roles = _ci(features.perpetrator_roles)


# --- context -------------------------------------------------------------------------------------------------

_WINDOW_BEFORE = 8  # words before a match in which a negation or a modal counts
_WINDOW_AFTER = 6
_AFFIRMING = re.compile(
    r"\b(in )?no doubt\b|\bnot only\b|\bnot least\b|\bnot unlike\b|\bno less than\b", re.IGNORECASE
)
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
        scope = _AFFIRMING.sub(lambda m: " " * len(m.group(0)), text[: start if negative_rule else end])
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


# --- codes ---------------------------------------------------------------------------------------------------


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
        results[compiled.code.id] = _result(compiled.code, hits, names)
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


def _result(code: Code, hits: _Hits, names: tuple[str, ...]) -> CodeResult:
    present = len(hits.evidence) >= code.min_hits
    evidence = [evidence_of(s) for s in _best(hits.evidence, names)] if present else []
    discounted = [
        Discounted(reason=reason, page=s.page, quote=clip(s.text), section=s.section or None)
        for reason, s in hits.discounted
        if reason != "excluded_section"
    ][:MAX_DISCOUNTED]
    return CodeResult(present=present, evidence=evidence, discounted=discounted)


_SECTION_PREFERENCE = {"analysis": 0, "conclusions": 0, "lessons": 1, "chronology": 1, "background": 2}


def _best(sentences: list[Sentence], names: tuple[str, ...] = ()) -> list[Sentence]:
    """The clearest evidence: sentences naming the victim, then the perpetrator (`names`, in that order), from
    the analysis, then the chronology; from different pages; shown in document order."""
    named = [_name_pattern(name) for name in names]

    def rank(sentence: Sentence) -> tuple[int, int, int]:
        text = sentence.whole
        about = next((i for i, pattern in enumerate(named) if pattern.search(text)), len(named))
        return (about, _SECTION_PREFERENCE.get(sentence.kind, 3), sentence.index)

    ordered = sorted(sentences, key=rank)
    chosen: list[Sentence] = []
    for sentence in ordered:
        if all(sentence.page != other.page for other in chosen):
            chosen.append(sentence)
        if len(chosen) == MAX_EVIDENCE:
            break
    return sorted(chosen, key=lambda s: s.index)


# --- case features -------------------------------------------------------------------------------------------

_FACT_KINDS = frozenset(
    {
        "front",
        "introduction",
        "background",
        "chronology",
        "analysis",
        "conclusions",
        "equality",
        "family",
        "lessons",
        "appendix",
        "parallel",
    }
)


@dataclass
class _Case:
    sentences: list[Sentence]
    facts: list[Sentence]
    lexicon: CompiledLexicon
    codebook: CompiledCodebook
    victim: str | None
    perpetrator: str | None
    death: PartialDate | None


def _feature(value: object, sentences: list[Sentence] | None = None) -> FeatureValue:
    return FeatureValue(value=value, evidence=[evidence_of(s) for s in _best(sentences or [])])


def _mentions(name: str | None, text: str) -> bool:
    if not name or name not in text:  # a quick test first: most sentences do not name them
        return False
    return _name_pattern(name).search(text) is not None


@lru_cache(maxsize=64)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(name)}\b")


_AGE = re.compile(
    r"\b(?:aged|age of|age)\s+(?P<a>\d{1,2})\b|\b(?P<b>\d{1,2})[- ]years?[- ]old\b|\b(?P<c>\d{1,2}) years of age\b"
    r"|,\s*(?P<d>\d{1,2}),"
)


def _age_in(text: str) -> list[int]:
    return [int(next(g for g in m.groups() if g)) for m in _AGE.finditer(text)]


def victim_age(case: _Case) -> FeatureValue:
    """The victim's age: ages stated next to her name ('Leah, 26', 'a 26-year-old woman, Leah'), each given to
    the nearer of the two names when a sentence names both."""
    votes: Counter[int] = Counter()
    support: dict[int, list[Sentence]] = {}
    previous_names_victim = False
    for sentence in case.facts:
        text = sentence.text
        victim_at = _positions(case.victim, text)
        pronoun_age = _PRONOUN_AGE.match(text)
        if pronoun_age and previous_names_victim and not victim_at:
            age = int(pronoun_age.group("age"))
            votes[age] += 1
            support.setdefault(age, []).append(sentence)
        previous_names_victim = bool(victim_at) and not _mentions(case.perpetrator, text)
        if not victim_at:
            continue
        perpetrator_at = _positions(case.perpetrator, text)
        for match in _AGE.finditer(text):
            age = int(next(g for g in match.groups() if g))
            if not 14 <= age <= 110:
                continue
            to_victim = min(abs(match.start() - p) for p in victim_at)
            to_perpetrator = min((abs(match.start() - p) for p in perpetrator_at), default=10**6)
            if to_victim > 90 or to_perpetrator < to_victim:
                continue
            weight = (
                2 if case.lexicon.death.test(text) or sentence.kind in ("introduction", "background") else 1
            )
            votes[age] += weight
            support.setdefault(age, []).append(sentence)
    if not votes:
        return _feature(None)
    age = max(sorted(votes), key=lambda a: votes[a])
    return _feature(age, support[age])


_PRONOUN_AGE = re.compile(
    r"^(?:She|He) (?:was|had been) (?:aged )?(?P<age>\d{2})(?: years old| years of age)?\b(?! (?:years|weeks|days) (?:before|after|earlier))"
)


def _positions(name: str | None, text: str) -> list[int]:
    if not name or name not in text:
        return []
    return [m.start() for m in _name_pattern(name).finditer(text)]


_SHE = re.compile(r"\b(she|her|herself)\b", re.IGNORECASE)
_HE = re.compile(r"\b(he|him|his|himself)\b", re.IGNORECASE)


def victim_gender(case: _Case) -> FeatureValue:
    """The victim's gender from the words used of her: nouns next to her name ('Leah, a 26-year-old woman')
    and pronouns in sentences that name her and not the perpetrator."""
    scores = {"female": 0, "male": 0}
    support: dict[str, list[Sentence]] = {"female": [], "male": []}
    for sentence in case.facts:
        text = sentence.text
        at = _positions(case.victim, text)
        if not at or _mentions(case.perpetrator, text):
            continue
        near = " ".join(text[max(0, p - 40) : p + 40] for p in at)
        female = len(case.codebook.female.findall(near)) + len(_SHE.findall(text))
        male = len(case.codebook.male.findall(near)) + len(_HE.findall(text))
        if female != male:
            gender = "female" if female > male else "male"
            scores[gender] += 1
            support[gender].append(sentence)
    return _majority(scores, support)


def perpetrator_gender(case: _Case, victim_gender: str) -> FeatureValue:
    """The perpetrator's gender: gendered words next to his name ('her husband, Timur', 'Gareth, a 37-year-old
    man'; not 'Timur's mother'), and pronouns of the other gender than the victim's in sentences about him."""
    scores = {"female": 0, "male": 0}
    support: dict[str, list[Sentence]] = {"female": [], "male": []}
    other_pronouns = {"female": r"\b(he|him|himself)\b", "male": r"\b(she|herself)\b"}.get(victim_gender)
    pronoun_gender = "male" if victim_gender == "female" else "female"
    for sentence in case.facts:
        text = sentence.text
        at = _positions(case.perpetrator, text)
        if not at:
            continue
        female = male = 0
        for p in at:
            window_start = max(0, p - 30)
            window = text[window_start : p + len(case.perpetrator or "") + 30]
            for pattern, gender in ((case.codebook.female, "f"), (case.codebook.male, "m")):
                for match in pattern.finditer(window):
                    before = window[: match.start()]
                    if re.search(r"(\bhis|['’]s)\s+(\w+\s+)?$", before):
                        continue  # "Timur's mother", "his brother": somebody else
                    if gender == "f":
                        female += 1
                    else:
                        male += 1
        if other_pronouns and not _mentions(case.victim, text) and re.search(other_pronouns, text, re.I):
            if pronoun_gender == "male":
                male += 1
            else:
                female += 1
        if female != male:
            gender = "female" if female > male else "male"
            scores[gender] += 1
            support[gender].append(sentence)
    return _majority(scores, support)


def _majority(scores: dict[str, int], support: dict[str, list[Sentence]]) -> FeatureValue:
    if scores["female"] == scores["male"]:
        return _feature("unknown")
    gender = "female" if scores["female"] > scores["male"] else "male"
    return _feature(gender, support[gender])


_PERPETRATOR_NAME = FastPattern(
    r"(?:referred to(?: in this report| here)? as|known as|pseudonym)\s+[\"'‘“]?(?P<a>[A-Z][a-z]+|Adult [A-Z]|Mr [A-Z])"
    r"|(?P<b>[A-Z][a-z]+|Adult [A-Z]|Mr [A-Z])(?:,[^,.]{0,40},)? (?:was|has been) (?:convicted|found guilty|charged|"
    r"sentenced|arrested)|(?P<c>[A-Z][a-z]+) pleaded guilty",
    ignore_case=False,
)


def find_perpetrator(
    case_sentences: list[Sentence], victim: str | None, roles: re.Pattern[str]
) -> str | None:
    """The name the review gives the perpetrator: introduced as such, or convicted, charged or arrested."""
    votes: Counter[str] = Counter()
    for sentence in case_sentences:
        text = sentence.text
        for match in _PERPETRATOR_NAME.finditer(text):
            name = next(g for g in match.groups() if g)
            if name == victim or name in ("The", "He", "She", "His", "Her", "This"):
                continue
            weight = 2 if (roles.search(text) or match.group("b") or match.group("c")) else 1
            if match.group("a") and not (
                roles.search(text) or re.search(r"murder|kill|arrest|perpetrat", text)
            ):
                continue
            votes[name] += weight
    if not votes:
        return None
    return max(sorted(votes), key=lambda n: votes[n])


def relationship(case: _Case, victim_gender: str) -> FeatureValue:
    """Perpetrator to victim, from relationship words in apposition to the perpetrator's name: 'her husband,
    Timur', 'Lee, her former partner', 'Colin was her uncle', 'Graham and Helen were married'."""
    possessive = {"female": "her", "male": "his"}.get(victim_gender, "(?:her|his)")
    if case.victim:
        possessive = rf"(?:{possessive}|{re.escape(case.victim)}['’]s)"
    perpetrator = re.escape(case.perpetrator) if case.perpetrator else None
    votes: Counter[str] = Counter()
    support: dict[str, list[Sentence]] = {}
    if perpetrator is None:
        return _feature("unknown")
    link = (
        r"(?:,\s*(?:who\s+)?(?:(?:was|is|had\s+been|became|has\s+been)\s+)?|\s+\(|"
        r"\s+(?:who\s+)?(?:was|is|had\s+been|became|has\s+been)\s+)(?:a\s+member\s+of\s+)?"
    )
    patterns = {}
    for value, words in case.codebook.relationship_phrases.items():
        named = rf"{possessive}\s+(?:[\w-]+\s+){{0,2}}?(?:{words})"
        # "her husband Timur", "her husband, Timur, ..." (a comma before the name needs one after it: in "told
        # his niece, Lee stayed" the name starts a new clause), "her partner, referred to as Dean", "Lee, her
        # former partner", "Colin was her uncle".
        patterns[value] = FastPattern(
            rf"\b{named}\s+{perpetrator}\b|\b{named},\s+{perpetrator}\s*[,.;:(]"
            rf"|\b{named},?\s+(?:who\s+is\s+)?(?:referred\s+to|known)[^,.]{{0,30}}?\s+as\s+[\"'‘“]?{perpetrator}\b"
            rf"|\b{perpetrator}{link}(?:{named})"
        )
    married = (
        re.compile(
            rf"\b({perpetrator}\s+and\s+{re.escape(case.victim)}|{re.escape(case.victim)}\s+and\s+{perpetrator})"
            r"\s+(?:had\s+been\s+|were\s+|got\s+|had\s+)?married",
            re.IGNORECASE,
        )
        if case.victim
        else None
    )
    for sentence in case.facts:
        text = sentence.text
        if not _mentions(case.perpetrator, text):
            continue
        for value, pattern in patterns.items():
            found = sum(1 for _ in pattern.finditer(text))
            if found:
                votes[value] += found
                support.setdefault(value, []).append(sentence)
        if married is not None and married.search(text):
            votes["partner"] += 1
            support.setdefault("partner", []).append(sentence)
    if not votes:
        return _feature("unknown")
    # "Her boyfriend until she ended it": when the review also calls him her ex-partner, he is one.
    if votes.get("ex_partner", 0) and votes["ex_partner"] * 2 >= votes.get("partner", 0):
        return _feature("ex_partner", support["ex_partner"])
    value = max(sorted(votes), key=lambda v: votes[v])
    if value == "partner":
        ended = _relationship_ended(case)
        if ended:
            return _feature("ex_partner", support[value][:1] + ended)
    return _feature(value, support[value])


_ENDED_NOT_HERS = re.compile(
    r"\b(previous|former|earlier|another|other|first) (partner|girlfriend|boyfriend|wife|husband|relationship)|"
    r"\b(said|says|told|claimed|stated|alleged|insisted|maintained|reported that|described)\b",
    re.IGNORECASE,
)


def _relationship_ended(case: _Case) -> list[Sentence]:
    """Sentences that say, as a fact of the victim's own story, that the relationship had ended in the year
    before the death: not that she tried to end it, not what someone said, not an earlier relationship."""
    found = []
    for sentence, narrative_date in sentences_with_narrative_dates(case.facts):
        text = sentence.text
        match = case.codebook.relationship_ended.search(text)
        if match is None or case.lexicon.hypothetical.test(text) or _ENDED_NOT_HERS.search(text):
            continue
        if not (_mentions(case.victim, text) or re.match(r"(She|He|They)\b", text)):
            continue
        dates = [m.value for m in find_dates(text)] or ([narrative_date] if narrative_date else [])
        if case.death and dates and all((case.death.first_day() - d.last_day()).days > 365 for d in dates):
            continue  # ended years before, and they were together again by the time of the death
        before = text[max(0, match.start() - 40) : match.start()]
        if re.search(
            r"\b(tried|try|trying|attempt\w*|wanted|wish\w*|plann\w*|thinking|consider\w*|threat\w*|would|"
            r"not|never|no)\b",
            before,
            re.I,
        ):
            continue
        found.append(sentence)
    return found


def cohabiting(case: _Case, relationship_value: str) -> FeatureValue:
    """Whether they lived together at the time of the death. Former partners are taken not to, when the
    review says they separated or lived apart."""
    yes: list[Sentence] = []
    no: list[Sentence] = []
    for sentence in case.facts:
        text = sentence.text
        if case.codebook.cohabiting_no.test(text):
            no.append(sentence)
        elif case.codebook.cohabiting_yes.test(text) and not case.lexicon.hypothetical.test(text):
            yes.append(sentence)
    if not yes and not no:
        return _feature(None)
    if relationship_value == "ex_partner" and no:
        return _feature(False, no)
    if len(no) * 1.5 >= len(yes):
        return _feature(False, no)
    return _feature(True, yes)


def death_type(case: _Case, victim_gender: str) -> FeatureValue:
    own = {"female": r"her", "male": r"his"}.get(victim_gender, r"(?:her|his)")
    hits = []
    for sentence in case.facts:
        text = sentence.text
        if case.codebook.suicide.test(text) and (
            _mentions(case.victim, text) or re.search(rf"\b{own}\b", text)
        ):
            if case.perpetrator and _mentions(case.perpetrator, text) and not _mentions(case.victim, text):
                continue
            if not case.lexicon.hypothetical.test(text) and not case.lexicon.negation_before.test(text):
                hits.append(sentence)
    named = [s for s in hits if _mentions(case.victim, s.text)]
    if named or len(hits) >= 2:
        return _feature("suicide", named + [s for s in hits if s not in named])
    return _feature("homicide")


@dataclass
class PoliceContact:
    sentence: Sentence
    forces: list[str]
    dates: list[PartialDate]


def police_contacts(case: _Case) -> list[PoliceContact]:
    """Passages that record police contact with the victim or the perpetrator before the death."""
    contacts = []
    for sentence, narrative_date in police_passages(case.sentences, case.lexicon, case.death)[0]:
        dates = [m.value for m in find_dates(sentence.whole)]
        if not dates and narrative_date is not None:
            dates = [narrative_date]
        contacts.append(PoliceContact(sentence, case.lexicon.forces.find(sentence.whole), dates))
    return contacts


def police_forces(case: _Case, contacts: list[PoliceContact]) -> FeatureValue:
    forces: dict[str, list[Sentence]] = {}
    for contact in contacts:
        for force in contact.forces:
            forces.setdefault(force, []).append(contact.sentence)
    if not forces and contacts:
        # Contact with "the police" only: the force the review names most often.
        named = Counter(f for s in case.facts for f in case.lexicon.forces.find(s.text))
        if named:
            top = max(sorted(named), key=lambda f: named[f])
            forces[top] = [c.sentence for c in contacts]
    names = sorted(forces)
    return _feature(names, [s for name in names for s in forces[name][:1]])


def first_police_contact(
    case: _Case, contacts: list[PoliceContact]
) -> tuple[FeatureValue, PartialDate | None]:
    """The earliest dated police contact about abuse that involves the victim."""
    candidates = []
    for contact in contacts:
        text = contact.sentence.whole
        if not (_mentions(case.victim, text) or re.search(r"\bthe victim\b", text, re.I)):
            continue
        if not case.codebook.abuse_contact.test(text):
            continue
        for value in contact.dates:
            if value.day is not None and (case.death is None or value.last_day() < case.death.first_day()):
                candidates.append((value, contact.sentence))
    if not candidates:
        return _feature(None), None
    value, sentence = min(candidates, key=lambda pair: (pair[0].sort_key(), pair[1].index))
    return _feature(value.iso(), [sentence]), value


def days_between(first: PartialDate | None, death: PartialDate | None) -> int | None:
    if first is None or death is None or first.day is None or death.day is None:
        return None
    return (date(death.year, death.month, death.day) - date(first.year, first.month, first.day)).days


def case_type(codebook: Codebook, days: int | None, present: set[str]) -> str:
    for rule in codebook.case_type.rules:
        if rule.max_days_first_contact_to_death is not None and (
            days is None or days > rule.max_days_first_contact_to_death
        ):
            continue
        if rule.any_codes and not present.intersection(rule.any_codes):
            continue
        if rule.all_codes and not present.issuperset(rule.all_codes):
            continue
        return rule.value
    return codebook.case_type.default


# --- recommendations -----------------------------------------------------------------------------------------

_RECOMMENDATION_START = re.compile(
    r"^(?:recommendation\s*)?(?P<n>\d{1,2}(?:\.\d{1,2})?)[.):]?\s+(?P<t>.+)$", re.I
)


def police_recommendations(sentences: list[Sentence], lexicon: CompiledLexicon) -> list[Recommendation]:
    """Recommendations in the recommendations section that are addressed to, or about, the police."""
    found: list[Recommendation] = []
    seen: set[str] = set()
    for sentence in sentences:
        if sentence.kind != "recommendations":
            continue
        text = sentence.whole
        heading_police = lexicon.mentions_police(sentence.section)
        if not (heading_police or lexicon.mentions_police(text)):
            continue
        if len(text) < 40 or text in seen:
            continue
        seen.add(text)
        match = _RECOMMENDATION_START.match(text)
        number = match.group("n") if match else None
        forces = lexicon.forces.find(text) or lexicon.forces.find(sentence.section)
        addressee = (
            forces[0] if forces else ("Police" if heading_police or lexicon.police.test(text) else None)
        )
        found.append(
            Recommendation(number=number, text=clip(text, 600), addressee=addressee, page=sentence.page)
        )
    return found


# --- one case ------------------------------------------------------------------------------------------------


def code_document(
    screened: ScreenedDocument, document: DocumentText, codebook: CompiledCodebook, lexicon: CompiledLexicon
) -> CodedCase:
    """Code one included review: features, codes and themes, each with its evidence."""
    sentences = segment(document, lexicon)
    victim = find_pseudonym(document)
    facts = [s for s in sentences if s.kind in _FACT_KINDS]
    perpetrator = find_perpetrator(facts, victim, codebook.perpetrator_roles)
    death = PartialDate.parse_iso(screened.incident_date) if screened.incident_date else None
    case = _Case(sentences, facts, lexicon, codebook, victim, perpetrator, death)

    names = tuple(name for name in (victim, perpetrator) if name)
    codes = code_sentences(sentences, codebook, lexicon, names)
    present = {cid for cid, result in codes.items() if result.present}
    gender = victim_gender(case)
    relation = relationship(case, str(gender.value))
    contacts = police_contacts(case)
    first, first_date = first_police_contact(case, contacts)
    days = days_between(first_date, death)
    features = {
        "incident_date": FeatureValue(value=screened.incident_date, evidence=screened.incident_date_evidence),
        "victim_gender": gender,
        "perpetrator_gender": perpetrator_gender(case, str(gender.value)),
        "victim_age": victim_age(case),
        "relationship": relation,
        "cohabiting": cohabiting(case, str(relation.value)),
        "death_type": death_type(case, str(gender.value)),
        "police_forces": police_forces(case, contacts),
        "first_police_contact": first,
        "days_first_contact_to_death": FeatureValue(
            value=days,
            evidence=[*first.evidence, *screened.incident_date_evidence[:1]] if days is not None else [],
        ),
        "case_type": _feature(case_type(codebook.source, days, present)),
    }
    themes: dict[str, list[str]] = {theme.id: [] for theme in codebook.source.themes}
    for compiled in codebook.codes:
        if compiled.code.id in present:
            themes[compiled.code.theme].append(compiled.code.id)
    return CodedCase(
        source=screened.source,
        sha256=screened.sha256,
        title=screened.title,
        pseudonym=victim,
        page_unit=document.page_unit,
        features=features,
        codes=codes,
        themes={theme: ids for theme, ids in themes.items() if ids},
        police_recommendations=police_recommendations(sentences, lexicon),
    )
