"""Case features: who the victim and perpetrator were, their relationship, whether they lived together, how
the victim died, and the police contact before the death, each with its evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from briefgen.coding.codebook import Codebook
from briefgen.coding.match import CompiledCodebook, best_evidence
from briefgen.coding.names import mentions, positions
from briefgen.fastscan import FastPattern, SentenceIndex
from briefgen.lexicon import CompiledLexicon
from briefgen.models import Feature
from briefgen.numwords import number_value, ordinal_value
from briefgen.people import CasePeople, Person
from briefgen.police import police_passages, sentences_with_narrative_dates
from briefgen.text import PartialDate, Sentence, evidence_of, find_dates


@dataclass
class Case:
    sentences: list[Sentence]
    facts: list[Sentence]
    lexicon: CompiledLexicon
    codebook: CompiledCodebook
    victim: str | None
    perpetrator: str | None
    death: PartialDate | None
    people: CasePeople

    def feature(self, value: object, sentences: list[Sentence] | None = None) -> Feature:
        """A feature's value with the clearest of the sentences that give it as evidence."""
        evidence = best_evidence(sentences or [], self.lexicon.roles.evidence_order)
        return Feature(value=value, evidence=[evidence_of(s) for s in evidence])

    def stated(self, value: object, person: Person) -> Feature:
        """A feature the review states where it names the people (a names table, the introduction)."""
        return Feature(value=value, evidence=list(person.evidence[:2]))


def victim_age(case: Case) -> Feature:
    """The victim's age: ages stated next to her name ('Leah, 26', 'a 26-year-old woman, Leah'), each given to
    the nearer of the two names when a sentence names both."""
    if case.people.victim.age is not None:
        return case.stated(case.people.victim.age, case.people.victim)
    votes: Counter[int] = Counter()
    support: dict[int, list[Sentence]] = {}
    previous_names_victim = False
    last_named: dict[int, bool] = {}  # paragraph -> whether the last of the two it named was the victim
    for sentence in case.facts:
        text = sentence.text
        victim_at = positions(case.victim, text)
        for age, weight in _ages_told(case, sentence, victim_at, last_named.get(sentence.paragraph, False)):
            votes[age] += weight
            support.setdefault(age, []).append(sentence)
        if victim_at or mentions(case.perpetrator, text):
            last_named[sentence.paragraph] = bool(victim_at) and not mentions(case.perpetrator, text)
        pronoun_age = case.lexicon.cues.pronoun_age.match(text)
        age = number_value(pronoun_age.group("age")) or 0 if pronoun_age else 0
        if 14 <= age <= 110 and previous_names_victim and not victim_at:
            votes[age] += 1
            support.setdefault(age, []).append(sentence)
        previous_names_victim = bool(victim_at) and not mentions(case.perpetrator, text)
        if not victim_at:
            continue
        perpetrator_at = positions(case.perpetrator, text)
        for match in case.lexicon.cues.age.finditer(text):
            age = number_value(next(g for g in match.groups() if g)) or 0
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
        return case.feature(None)
    age = max(sorted(votes), key=lambda a: votes[a])
    return case.feature(age, support[age])


def _ages_told(
    case: Case, sentence: Sentence, victim_at: list[int], victim_last: bool
) -> list[tuple[int, int]]:
    """Ages a sentence tells of the victim without stating them ('in her eightieth year', 'he had turned 52 that
    summer', 'born in February 1943'): in a sentence that names her, nearer her name than his; or in one that
    opens on her pronoun where she was the last of the two the paragraph named. An age worked out from the date
    of birth counts for less than one the review tells: it leans on the date of death screening found."""
    if not case.lexicon.cues.age_told.test(sentence.text):
        return []
    text = sentence.text
    perpetrator_at = positions(case.perpetrator, text)
    pronoun = {"female": "She", "male": "He"}.get(case.people.victim.gender or "", r"(?:She|He)")
    opens_on_her = victim_last and re.match(rf"\W*{pronoun}\b", text) is not None
    ages = []
    for match in case.lexicon.cues.age_told.finditer(text):
        if victim_at:
            to_victim = min(abs(match.start() - p) for p in victim_at)
            if min((abs(match.start() - p) for p in perpetrator_at), default=10**6) < to_victim:
                continue
        elif not opens_on_her or (perpetrator_at and perpetrator_at[0] < match.start()):
            continue  # 'She was in her eightieth year when her husband ... killed her': hers, told before his name
        if match.group("birthday") and not case.lexicon.death.test(text):
            continue  # 'on his 40th birthday he was arrested': his age then, not at the death
        age = _told_age(match, case.death)
        if age is not None and 14 <= age <= 110:
            ages.append((age, 1 if match.group("born") or match.group("season") else 2))
    return ages


# The months a part of the year spans, for a birth told by it ('born in the autumn of 1987'). Winter is left out:
# it spans two years.
_PARTS_OF_YEAR = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "early": (1, 4),
    "start": (1, 3),
    "beginning": (1, 3),
    "mid": (5, 8),
    "middle": (5, 8),
    "late": (9, 12),
    "end": (10, 12),
}


def _told_age(match: re.Match[str], death: PartialDate | None) -> int | None:
    if match.group("ordinal"):
        year_of_life = ordinal_value(match.group("ordinal"))
        return year_of_life - 1 if year_of_life else None
    if match.group("turned"):
        turned = number_value(match.group("turned"))
        return turned - 1 if turned and match.group("would") else turned
    if match.group("birthday"):
        birthday = ordinal_value(match.group("birthday"))
        return birthday - 1 if birthday and match.group("before") else birthday
    if match.group("season"):
        return _age_from_part_of_year(match.group("season").lower(), int(match.group("season_year")), death)
    born = find_dates(match.group("born"))
    if not born or death is None or death.month is None:
        return None
    birth = born[0].value
    if birth.month == death.month and (birth.day is None or death.day is None):
        return (
            None  # born and died in the same month, one of the days unknown: the birthday may be either side
        )
    return death.year - birth.year - ((birth.month or 0, birth.day or 0) > (death.month, death.day or 0))


def _age_from_part_of_year(part: str, year: int, death: PartialDate | None) -> int | None:
    """The age at death of one born in a part of a year, when the death's month falls outside that part."""
    if death is None or death.month is None:
        return None
    first, last = _PARTS_OF_YEAR[part]
    if death.month < first:
        return death.year - year - 1
    if death.month > last:
        return death.year - year
    return None  # the birthday may fall either side of the death


def victim_gender(case: Case) -> Feature:
    """The victim's gender from the words used of her: nouns next to her name ('Leah, a 26-year-old woman')
    and pronouns in sentences that name her and not the perpetrator."""
    if case.people.victim.gender:
        return case.stated(case.people.victim.gender, case.people.victim)
    scores = {"female": 0, "male": 0}
    support: dict[str, list[Sentence]] = {"female": [], "male": []}
    for sentence in case.facts:
        text = sentence.text
        at = positions(case.victim, text)
        if not at or mentions(case.perpetrator, text):
            continue
        near = " ".join(text[max(0, p - 40) : p + 40] for p in at)
        female = len(case.codebook.female.findall(near)) + len(case.lexicon.cues.she.findall(text))
        male = len(case.codebook.male.findall(near)) + len(case.lexicon.cues.he.findall(text))
        if female != male:
            gender = "female" if female > male else "male"
            scores[gender] += 1
            support[gender].append(sentence)
    return _majority(case, scores, support)


def perpetrator_gender(case: Case, victim_gender: str = "unknown") -> Feature:
    """The perpetrator's gender: as the review states it where it names him ('her husband, Dev'), else gendered
    words next to his name ('Gareth, a 37-year-old man'; not 'Timur's mother', not another person's 'Mrs W') and
    the subject pronouns of sentences that name him and not the victim, whatever the victim's gender."""
    if case.people.perpetrator.gender:
        return case.stated(case.people.perpetrator.gender, case.people.perpetrator)
    scores = {"female": 0, "male": 0}
    support: dict[str, list[Sentence]] = {"female": [], "male": []}
    follower = {a.index: b.text for a, b in pairwise(case.facts) if a.paragraph == b.paragraph}
    for sentence in case.facts:
        text = sentence.text
        at = positions(case.perpetrator, text)
        if not at:
            continue
        female = male = 0
        for p in at:
            window_start = max(0, p - 30)
            end = p + len(case.perpetrator or "")
            # "shouting from Craig's house, a woman crying": what follows a possessive is about something else
            window = text[window_start : end if text.startswith(("'s", "’s"), end) else end + 30]
            for pattern, gender in ((case.codebook.female, "f"), (case.codebook.male, "m")):
                for match in pattern.finditer(window):
                    before = window[: match.start()]
                    after = text[window_start + match.end() :]  # a title's name may run past the window
                    if re.search(r"(\bhis|\bher|['’]s)\s+(\w+\s+)?$", before) and not _in_apposition(
                        text, p, end, window_start + match.start(), window_start + match.end()
                    ):
                        continue  # "Timur's mother", "his brother": somebody else
                    if re.match(r"\.?\s+[\"'‘“]?[A-Z]", after) and not after.lstrip(". \"'‘“").startswith(
                        case.perpetrator or "\0"
                    ):
                        continue  # "Mrs W", "his wife Anna": a title or word that belongs to another name
                    if _joined_by_and(text, p, end, window_start + match.start(), window_start + match.end()):
                        continue  # "Craig and a woman he lived with", "a man and Craig": another person
                    if gender == "f":
                        female += 1
                    else:
                        male += 1
        if at[0] == 0 and not mentions(case.victim, text) and follower.get(sentence.index):
            # "Rhys stopped his medication. He told ...": the next sentence's subject is the perpetrator, unless
            # this sentence already speaks of another of that pronoun ("Rhys was at her door. She said ...")
            subject = case.lexicon.people.subject_pronoun.match(follower[sentence.index])
            others = {"she": r"\b(?:she|her|hers|herself)\b", "he": r"\b(?:he|his|him|himself)\b"}
            if subject and not re.search(others.get(subject.group(0).lower(), "$^"), text, re.IGNORECASE):
                female += subject.group(0).lower() == "she"
                male += subject.group(0).lower() == "he"
        if female != male:
            gender = "female" if female > male else "male"
            scores[gender] += 1
            support[gender].append(sentence)
    if scores["female"] == scores["male"]:
        return _by_other_pronouns(case, victim_gender)
    return _majority(case, scores, support)


_JOINED = re.compile(
    r"\s+(?:and|or|nor|with|&)\s+(?:(?:a|an|the|another|other|one|two|some)\s+)?(?:[\w-]+\s+)?"
)


def _joined_by_and(text: str, name_start: int, name_end: int, word_start: int, word_end: int) -> bool:
    """A gendered word joined to the name by 'and' or 'with' is another person's ("Dean and a woman he knew",
    "an older man and Dean", "Dean with a female friend")."""
    between = text[name_end:word_start] if word_start >= name_end else text[word_end:name_start]
    return _JOINED.fullmatch(between) is not None


def _in_apposition(text: str, name_start: int, name_end: int, word_start: int, word_end: int) -> bool:
    """A relationship word set beside the name, which is the name's own ("Dean, her boyfriend", "her husband,
    Timur"), not a relative of his ("Dean and his mother")."""
    if word_start >= name_end:
        return (
            re.fullmatch(
                r"[\"'’”]?\s*[,(:\-–]\s*(?:his|her|their)\s+(?:[\w-]+\s+)?", text[name_end:word_start]
            )
            is not None
        )
    return re.fullmatch(r",?\s*[\"'‘“]?", text[word_end:name_start]) is not None


def _by_other_pronouns(case: Case, victim_gender: str) -> Feature:
    """When nothing else tells: in sentences that name the perpetrator and not the victim, pronouns of the other
    gender than the victim's ('Ross has gone to his mother's', of a woman's killer) can only be somebody else
    than her, and most often are him. Used only as a last resort: officers and relatives are pronouns too."""
    other = {
        "female": ("male", r"\b(?:he|his|him|himself)\b"),
        "male": ("female", r"\b(?:she|her|hers|herself)\b"),
    }
    if victim_gender not in other:
        return case.feature("unknown")
    gender, pronouns = other[victim_gender]
    support = [
        s
        for s in case.facts
        if mentions(case.perpetrator, s.text)
        and not mentions(case.victim, s.text)
        and re.search(pronouns, s.text, re.IGNORECASE)
    ]
    return case.feature(gender, support) if len(support) >= 2 else case.feature("unknown")


def _majority(case: Case, scores: dict[str, int], support: dict[str, list[Sentence]]) -> Feature:
    if scores["female"] == scores["male"]:
        return case.feature("unknown")
    gender = "female" if scores["female"] > scores["male"] else "male"
    return case.feature(gender, support[gender])


def find_perpetrator(
    case_sentences: list[Sentence], victim: str | None, lexicon: CompiledLexicon
) -> str | None:
    """When the people of the case give no perpetrator: the name the review introduces as such, or convicted,
    charged or arrested for the death."""
    cues = lexicon.cues
    roles = lexicon.people.perpetrator_role
    votes: Counter[str] = Counter()
    for sentence in case_sentences:
        text = sentence.text
        for match in cues.perpetrator_named.finditer(text):
            name = next(g for g in match.groups() if g)
            if name == victim or name in ("The", "He", "She", "His", "Her", "This"):
                continue
            weight = 2 if (roles.search(text) or match.group("b") or match.group("c")) else 1
            if match.group("a") and not (roles.search(text) or cues.perpetrator_act.test(text)):
                continue
            votes[name] += weight
    if not votes:
        return None
    return max(sorted(votes), key=lambda n: votes[n])


# The names of the case stand in the relationship patterns as these words, so the patterns are compiled once
# rather than for each review's names.
_VICTIM = "Qqvictimqq"
_PERPETRATOR = "Qqperpetratorqq"
_QUOTED_PERPETRATOR = rf"[\"'‘“]?{_PERPETRATOR}[\"'’”]?"

# Between the perpetrator's name and the relationship word that follows it: "Lee, her former partner", "Lee (her
# partner", "Colin was her uncle", "Dean, who had been a member of her household".
_LINK = (
    r"(?:,\s*(?:who\s+)?(?:(?:was|is|had\s+been|became|has\s+been)\s+)?|\s+\(|"
    r"\s+(?:who\s+)?(?:was|is|had\s+been|became|has\s+been)\s+)(?:a\s+member\s+of\s+)?"
)


@lru_cache(maxsize=32)
def _relationship_pattern(words: str, possessive: str) -> re.Pattern[str]:
    """ "her husband Timur", "her husband, Timur, ..." (a comma before the name needs one after it: in "told his
    niece, Lee stayed" the name starts a new clause), "her partner, referred to as Dean", "Lee, her former
    partner", "Colin was her uncle"."""
    named = rf"{possessive}\s+(?:[\w-]+\s+){{0,2}}?(?:{words})"
    return re.compile(
        rf"\b{named}\s+{_QUOTED_PERPETRATOR}\b|\b{named},\s+{_QUOTED_PERPETRATOR}\s*[,.;:(]"
        rf"|\b{named},?\s+(?:who\s+is\s+)?(?:referred\s+to|known)[^,.]{{0,30}}?\s+as\s+[\"'‘“]?{_QUOTED_PERPETRATOR}\b"
        rf"|\b{_QUOTED_PERPETRATOR}{_LINK}(?:{named})",
        re.IGNORECASE,
    )


_MARRIED = re.compile(
    rf"\b({_QUOTED_PERPETRATOR}\s+and\s+{_VICTIM}|{_VICTIM}\s+and\s+{_QUOTED_PERPETRATOR})"
    r"\s+(?:had\s+been\s+|were\s+|got\s+|had\s+)?married",
    re.IGNORECASE,
)


_PAIR_NAMED = re.compile(
    rf"\b(?:{_QUOTED_PERPETRATOR}\s+and\s+{_VICTIM}|{_VICTIM}\s+and\s+{_QUOTED_PERPETRATOR})\b", re.IGNORECASE
)


def _with_stand_ins(text: str, names: list[tuple[re.Pattern[str], str]]) -> str:
    for name, stand_in in names:
        text = name.sub(stand_in, text)
    return text


def relationship(case: Case, victim_gender: str) -> Feature:
    """Perpetrator to victim, from relationship words in apposition to the perpetrator's name: 'her husband,
    Timur', 'Lee, her former partner', 'Colin was her uncle', 'Graham and Helen were married'."""
    stated = case.people.perpetrator.relationship
    ended = _relationship_ended(case) if stated == "partner" else []
    if stated and not ended:
        return case.stated(stated, case.people.perpetrator)
    if case.perpetrator is None:
        return case.feature("unknown")
    if stated:  # stated as her partner, and the review tells the relationship ended
        evidence = case.stated("ex_partner", case.people.perpetrator).evidence[:1]
        return Feature(value="ex_partner", evidence=[*evidence, *map(evidence_of, ended[:2])])
    possessive = {"female": "her", "male": "his"}.get(victim_gender, "(?:her|his)")
    names = [(case.perpetrator, _PERPETRATOR)]
    if case.victim:
        possessive = rf"(?:{possessive}|{_VICTIM}['’]s)"
        names.append((case.victim, _VICTIM))
    # The longer name first, so that 'Ann' does not stand in inside 'Ann Lee'.
    stand_ins = [
        (re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE), stand_in)
        for name, stand_in in sorted(names, key=lambda pair: -len(pair[0]))
    ]
    votes: Counter[str] = Counter()
    support: dict[str, list[Sentence]] = {}
    for sentence in case.facts:
        text = sentence.text
        named = mentions(case.perpetrator, text)
        paired = text
        if named and case.victim and mentions(case.victim, text):
            # "Darren and Rhodri were members of the same household": the two named are the pair, 'they'
            paired = _PAIR_NAMED.sub("they", _with_stand_ins(text, stand_ins))
        for value, pair in case.lexicon.people.pair_relations:
            if pair.test(paired):  # "the two men were members of the same household", "they were married"
                votes[value] += 1
                support.setdefault(value, []).append(sentence)
        if not named:
            continue
        standing = None
        for value, words in case.codebook.relationship_words.items():
            if not words.test(text):
                continue
            standing = standing or _with_stand_ins(text, stand_ins)
            pattern = _relationship_pattern(case.codebook.relationship_phrases[value], possessive)
            found = sum(1 for _ in pattern.finditer(standing))
            if found:
                votes[value] += found
                support.setdefault(value, []).append(sentence)
        if case.victim and "married" in text.lower() and _MARRIED.search(_with_stand_ins(text, stand_ins)):
            votes["partner"] += 1
            support.setdefault("partner", []).append(sentence)
    if not votes:
        return case.feature("unknown")
    # "Her boyfriend until she ended it": when the review also calls him her ex-partner, he is one.
    if votes.get("ex_partner", 0) and votes["ex_partner"] * 2 >= votes.get("partner", 0):
        return case.feature("ex_partner", support["ex_partner"])
    value = max(sorted(votes), key=lambda v: votes[v])
    if value == "partner":
        ended = _relationship_ended(case)
        if ended:
            return case.feature("ex_partner", support[value][:1] + ended)
    return case.feature(value, support[value])


def _relationship_ended(case: Case) -> list[Sentence]:
    """Sentences that say, as a fact of the victim's own story, that the relationship had ended in the year
    before the death: not that she tried to end it, not what someone said, not an earlier relationship."""
    if any(case.lexicon.cues.together_at_death.test(s.text) for s in case.facts):
        return []  # the review holds that they were together when the death happened
    found = []
    for sentence, narrative_date in sentences_with_narrative_dates(case.facts, case.lexicon, case.death):
        text = sentence.text
        match = case.codebook.relationship_ended.search(text)
        if (
            match is None
            or case.lexicon.hypothetical.test(text)
            or case.lexicon.cues.ended_not_hers.search(text)
        ):
            continue
        if not (mentions(case.victim, text) or re.match(r"(She|He|They)\b", text)):
            continue
        dates = [m.value for m in find_dates(text)] or ([narrative_date] if narrative_date else [])
        told_year = case.lexicon.cues.story_year.search(text) if not dates else None
        if told_year:  # "She left him in 2015."
            dates = [PartialDate(int(told_year.group("year")))]
        if case.death and dates and all((case.death.first_day() - d.last_day()).days > 365 for d in dates):
            continue  # ended years before, and they were together again by the time of the death
        before = text[max(0, match.start() - 40) : match.start()]
        if case.lexicon.cues.ending_wished.search(before):
            continue
        found.append(sentence)
    return found


def cohabiting(case: Case, relationship_value: str) -> Feature:
    """Whether they lived together at the time of the death. Former partners are taken not to, when the
    review says they separated or lived apart."""
    yes: list[Sentence] = []
    no: list[Sentence] = []
    weight = {True: 0, False: 0}
    for sentence in case.facts:
        text = sentence.text
        said_no = case.codebook.cohabiting_no.test(text)
        if not said_no and not (
            case.codebook.cohabiting_yes.test(text) and not case.lexicon.hypothetical.test(text)
        ):
            continue
        about = _about_the_couple(case, text)
        if about:
            (no if said_no else yes).append(sentence)
            weight[not said_no] += about
    if not yes and not no:
        return case.feature(None)
    if relationship_value == "ex_partner" and no:
        return case.feature(False, no)
    if weight[False] * 1.5 >= weight[True]:
        return case.feature(False, no)
    return case.feature(True, yes)


def _about_the_couple(case: Case, text: str) -> int:
    """How surely a sentence speaks of the couple themselves: 3 when it names both ('Ana and Tom never lived
    together') or the pair ('the couple', 'they'), 1 when it names one of them or opens on a pronoun, 0 when it
    is about somebody else (the perpetrator's wife's family home, a former partner who moved out)."""
    victim, perpetrator = mentions(case.victim, text), mentions(case.perpetrator, text)
    if (victim and perpetrator) or re.search(r"\b(?:the couple|the pair|they)\b", text, re.IGNORECASE):
        return 3
    return 1 if victim or perpetrator or re.match(r"\W*(?:She|He)\b", text) else 0


def death_type(case: Case, victim_gender: str) -> Feature:
    own = {"female": r"her", "male": r"his"}.get(victim_gender, r"(?:her|his)")
    hits = []
    for sentence in case.facts:
        text = sentence.text
        if case.codebook.suicide.test(text) and (
            mentions(case.victim, text) or re.search(rf"\b{own}\b", text)
        ):
            if case.perpetrator and mentions(case.perpetrator, text) and not mentions(case.victim, text):
                continue
            if not case.lexicon.hypothetical.test(text) and not case.lexicon.negation_before.test(text):
                hits.append(sentence)
    named = [s for s in hits if mentions(case.victim, s.text)]
    if named or len(hits) >= 2:
        return case.feature("suicide", named + [s for s in hits if s not in named])
    return case.feature("homicide")


@dataclass
class PoliceContact:
    sentence: Sentence
    forces: list[str]
    dates: list[PartialDate]


def police_contacts(case: Case) -> list[PoliceContact]:
    """Passages that record police contact with the victim or the perpetrator before the death."""
    contacts = []
    # "That matter did not involve Jo.": the paragraph's contact is somebody else's (a relative's own report)
    not_theirs = {
        s.paragraph
        for s in case.sentences
        if case.lexicon.cues.not_their_matter.test(s.text) and mentions(case.victim, s.text)
    }
    for sentence, narrative_date in police_passages(case.sentences, case.lexicon, case.death)[0]:
        if sentence.paragraph in not_theirs:
            continue
        dates = _contact_dates(case, sentence)
        if not dates and narrative_date is not None:
            dates = [narrative_date]
        contacts.append(PoliceContact(sentence, _contact_forces(case, sentence.whole), dates))
    return contacts


def _contact_dates(case: Case, sentence: Sentence) -> list[PartialDate]:
    """The dates of a contact: a chronology row's own date cell, when it has one, else the passage's dates less
    those of the event the call reported ('on 14 May she reported the assault of 12 May': the contact is 14 May)."""
    if sentence.cells:
        own = [m.value for m in find_dates(sentence.cells[0])]
        if own:
            return own
    text = sentence.whole
    mentions_ = find_dates(text)
    reported = case.lexicon.cues.reported_event
    kept = [m.value for m in mentions_ if not reported.search(text[max(0, m.start - 60) : m.start])]
    return kept or [m.value for m in mentions_]


def _contact_forces(case: Case, text: str) -> list[str]:
    """The forces a contact passage names, leaving out a force named only as somebody's employer ('she told
    the call handler that he was an officer with another force'): each clause or table cell is read alone."""
    forces: list[str] = []
    if not case.lexicon.forces.mentioned(text):
        return forces  # most contacts name "the police", "officers": no force to read clause by clause
    for piece in re.split(r"(?<=[.;|])\s+", text):
        if not case.lexicon.cues.police_employment.test(piece):
            forces.extend(f for f in case.lexicon.forces.find(piece) if f not in forces)
    return forces


def police_forces(case: Case, contacts: list[PoliceContact]) -> Feature:
    """The forces that had contact before the death: those its contact passages name, less those the review says
    had none ('South Yorkshire Police had no contact with him before his arrest') and no dated contact names."""
    forces: dict[str, list[Sentence]] = {}
    for contact in contacts:
        for force in contact.forces:
            forces.setdefault(force, []).append(contact.sentence)
    # A contact the story dates ("The 3rd of May. She rang 999. PC Cole of Kent Police attended.") is contact,
    # whatever the review says elsewhere of that force's records; not where the clause naming it denies it.
    denied = _forces_without_contact(case)
    dated = {
        force
        for contact in contacts
        if contact.dates and denied.intersection(contact.forces)
        for force in _forces_told(case, contact.sentence.whole)
    }
    for force in denied - dated:
        forces.pop(force, None)
    # An abbreviation counts only for a force the review names in full somewhere: 'ASC' may be the review's
    # own short name for adult social care, not a force's.
    matcher = case.lexicon.forces
    naming: list[Sentence] | None = None  # the sentences that name a force, found once when needed
    in_full = {force for found in forces.values() for s in found for force in matcher.named_in_full(s.whole)}
    if set(forces) - in_full:
        naming = _naming_forces(case)
        in_full |= {f for s in naming for f in matcher.named_in_full(s.text)}
        forces = {force: found for force, found in forces.items() if force in in_full}
    # Dated contacts that all name no force, though undated ones do ('in 2012 Cheshire Constabulary recorded ...').
    unnamed = [] if any(c.dates and c.forces for c in contacts) else [c.sentence for c in contacts if c.dates]
    if unnamed or (not forces and contacts):
        # Contact with "the police" only (every dated one, or all there is): the force the review names most often, in
        # clauses that neither say a force had no contact nor name it as somebody's employer ("her son serves
        # with another force, which had no dealings with them"), and in full somewhere ('WMP' may be the
        # review's short name for another force than the lexicon's). The review's account of its own process
        # names the forces that wrote for it.
        naming = naming if naming is not None else _naming_forces(case)
        in_full_anywhere = {f for s in naming for f in matcher.named_in_full(s.text)}
        facts = set(map(id, case.facts))
        named = Counter(
            f
            for s in naming
            if id(s) in facts and s.kind != "methodology"
            for f in _forces_told(case, s.text)
            if f in in_full_anywhere
        )
        if not named:  # the police named only where the review lists who wrote reports for it
            named = Counter(f for s in naming for f in _forces_told(case, s.text) if f in in_full_anywhere)
        if named:
            top = max(sorted(named), key=lambda f: named[f])
            forces.setdefault(top, unnamed or [c.sentence for c in contacts])
    names = sorted(forces)
    return case.feature(names, [s for name in names for s in forces[name][:1]])


def _naming_forces(case: Case) -> list[Sentence]:
    """The review's sentences that name a force, in full or by an abbreviation, found in one scan."""
    matcher = case.lexicon.forces
    index = SentenceIndex([s.text for s in case.sentences])
    slots = set(index.candidates(matcher.names))
    if matcher.abbreviations is not None:
        slots.update(index.candidates(matcher.abbreviations))
    return [case.sentences[slot] for slot in sorted(slots) if matcher.mentioned(case.sentences[slot].text)]


# Where a sentence or table row turns from one clause to the next: a force named on one side of "but" may have had
# contact, on the other none.
_CLAUSES = re.compile(r"(?<=[.;|])\s+|\s+(?:but|although|however|whereas)\s+")


def _forces_told(case: Case, text: str) -> list[str]:
    """The forces a sentence names, less those in a clause that says a force had no contact or names one as
    somebody's employer."""
    if not case.lexicon.forces.mentioned(text):
        return []
    cues = case.lexicon.cues
    if not cues.force_no_contact.test(text) and not cues.police_employment.test(text):
        return case.lexicon.forces.find(text)
    return [
        force
        for piece in _CLAUSES.split(text)
        if not cues.force_no_contact.test(piece) and not cues.police_employment.test(piece)
        for force in case.lexicon.forces.find(piece)
    ]


def _forces_without_contact(case: Case) -> set[str]:
    """Forces named in a clause or table cell that says they had no contact or found nothing."""
    denied: set[str] = set()
    cue = case.lexicon.cues.force_no_contact
    for sentence in case.facts:
        if cue.test(sentence.whole):
            for piece in _CLAUSES.split(sentence.whole):
                if cue.test(piece):
                    denied.update(case.lexicon.forces.find(piece))
    return denied


def first_police_contact(case: Case, contacts: list[PoliceContact]) -> tuple[Feature, PartialDate | None]:
    """The earliest dated police contact about abuse that involves the victim: the sentence, its table row or
    its paragraph names the victim or the perpetrator (or 'the victim', 'the couple'), and speaks of abuse."""
    paragraphs: dict[int, list[str]] = {}
    for sentence in case.sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence.text)
    involved = case.lexicon.people.involved(case.people.victim.name, case.people.perpetrator.name)
    candidates = []
    victim = case.people.victim.name
    cues = case.lexicon.cues

    def another_matter(contact: PoliceContact, passage: str) -> bool:
        text = contact.sentence.whole
        if cues.other_matter.test(text) and not cues.abuse_plain.test(_without(cues.no_abuse_noted, text)):
            return True  # a call about drugs, a burglary, a missing person: not yet contact about abuse
        return _about_another_relationship(case, contact.sentence, passage, victim)

    rows: list[PoliceContact] | None = None  # chronology rows of contact about abuse: wanted only for a month

    def rows_of_contact() -> list[PoliceContact]:
        nonlocal rows
        if rows is None:
            rows = [
                contact
                for contact in contacts
                if contact.sentence.cells
                and not another_matter(contact, " ".join(paragraphs.get(contact.sentence.paragraph, [])))
            ]
        return rows

    for contact in contacts:
        text = contact.sentence.whole
        passage = " ".join([text, *paragraphs.get(contact.sentence.paragraph, [])])
        if not involved.search(passage) or not case.codebook.abuse_contact.test(passage):
            continue
        if another_matter(contact, passage):
            continue
        for value in contact.dates:
            if case.death is not None and value.last_day() >= case.death.first_day():
                continue
            if value.day is not None:
                candidates.append((value, contact.sentence))
            elif value.month is not None:
                candidates.extend(_days_of_month_told(value, rows_of_contact()))
    if not candidates:
        return case.feature(None), None
    value, sentence = min(candidates, key=lambda pair: (pair[0].sort_key(), pair[1].index))
    return case.feature(value.iso(), [sentence]), value


def _days_of_month_told(month: PartialDate, rows: list[PoliceContact]) -> list[tuple[PartialDate, Sentence]]:
    """A contact told by its month ('The August 2019 call: ...') takes its day from a chronology row of police
    contact dated to a day in that month, though the row names neither of them ('04/08/2019 | neighbour calls
    999 ...')."""
    return [
        (value, other.sentence)
        for other in rows
        for value in other.dates
        if value.day is not None and month.contains(value)
    ]


def _without(pattern: FastPattern, text: str) -> str:
    """The text with what the pattern finds blanked out."""
    for match in reversed(list(pattern.finditer(text))):
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
    return text


def _about_another_relationship(case: Case, sentence: Sentence, passage: str, victim: str | None) -> bool:
    """A contact told under a heading about another relationship ("His previous relationship"), or in a
    passage about one that never names the victim, is about someone else's abuse, not this relationship's."""
    other = case.lexicon.people.other_relationship
    if other.test(sentence.section):
        return True
    return other.test(passage) and not mentions(victim, passage)


def days_between(first: PartialDate | None, death: PartialDate | None) -> int | None:
    if first is None or death is None or first.day is None or death.day is None:
        return None
    return (death.first_day() - first.first_day()).days  # both known to the day


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
