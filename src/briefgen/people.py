"""The people of the case: who died, who killed them, and what the review says of each (gender, age,
relationship), found once per document before screening's date finder and coding read it.

The surest source comes first: a names table ("Name | Who they are | Age"), then the sentences of the title and
introduction that say who died and who killed them, then convictions and pleas anywhere in the review. The
review language is the `people:` section of the lexicon; this module holds the mechanism.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen.fastscan import FastPattern
from briefgen.lexicon import NAME_SHAPE, CompiledLexicon, CompiledPeople
from briefgen.models import DocumentText, Evidence
from briefgen.numwords import number_value
from briefgen.text import clip

_TABLE_WEIGHT = 6  # a names table says plainly who is who
_OPENING_PARAGRAPHS = 40  # for Word, the title and introduction; for a PDF the first pages
_OPENING_PAGES = 5
_UNNAMED = ""  # what the opening says of the victim without naming her in the same sentence
_GENDER_OF = {"she": "female", "her": "female", "he": "male", "his": "male", "him": "male"}


@dataclass(frozen=True)
class Person:
    """One person of the case as the review names them, with what it says of them and where."""

    name: str | None = None
    gender: str | None = None
    age: int | None = None
    relationship: str | None = None  # the perpetrator's relationship to the victim
    evidence: tuple[Evidence, ...] = ()

    def aliases(self, role: str) -> tuple[str, ...]:
        """Every way the review may name this person: the name, and 'the victim' or 'the perpetrator'."""
        generic = ("the victim", "the deceased") if role == "victim" else ("the perpetrator",)
        return ((self.name,) if self.name else ()) + generic


@dataclass(frozen=True)
class CasePeople:
    victim: Person = field(default_factory=Person)
    perpetrator: Person = field(default_factory=Person)


@dataclass
class _Votes:
    """What the review's sources say, before the people are chosen."""

    victim: Counter[str] = field(default_factory=Counter)
    perpetrator: Counter[str] = field(default_factory=Counter)
    ages: dict[str, Counter[object]] = field(default_factory=dict)
    genders: dict[str, Counter[object]] = field(default_factory=dict)
    relationships: dict[str, Counter[object]] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)

    def note(self, kind: str, name: str, value: object, quote: Evidence, weight: int = 1) -> None:
        table = {"age": self.ages, "gender": self.genders, "relationship": self.relationships}[kind]
        table.setdefault(name, Counter())[value] += weight
        self.evidence.setdefault(name, []).append(quote)


def as_name(raw: str, not_names: frozenset[str]) -> str | None:
    """A captured name as the review means it ('SIAN' -> 'Sian', 'MR C' -> 'Mr C'), or None for a word that is
    not a name ('her', 'The')."""
    name = " ".join(raw.split())
    if name.isupper() and len(name.replace(" ", "")) > 2:
        name = name.title()
        name = re.sub(
            r"^(Adult|Mrs|Mr|Ms|Miss|Mx)(\.?\s+)([a-z])$", lambda m: m[1] + m[2] + m[3].upper(), name
        )
    if not NAME_SHAPE.fullmatch(name) or name.split()[0] in not_names:
        return None
    return name


def find_people(document: DocumentText, lexicon: CompiledLexicon) -> CasePeople:
    """The victim and the perpetrator of one review, with their gender, age and relationship where stated."""
    cues = lexicon.people
    votes = _Votes()
    full_text = "\n".join(page.text for page in document.pages)
    _read_names_table(document, cues, votes)
    opening = document.pages[: _OPENING_PARAGRAPHS if document.page_unit == "paragraph" else _OPENING_PAGES]
    for page in opening:
        _read_opening(_mended(page.text), page.number, cues, votes)
    _read_cover_name(document, full_text, cues, votes)
    for page in document.pages:
        for match in _perpetrator_acts(page.text, cues):
            name = as_name(match.group("perpetrator"), cues.not_names)
            if name and votes.perpetrator[name] < 3 + _TABLE_WEIGHT:
                votes.perpetrator[name] += 1
    counts = _Counts(full_text)
    victim = _choose(votes.victim, counts, minimum=3, exclude=None)
    perpetrator = _choose(votes.perpetrator, counts, minimum=2, exclude=victim)
    if victim and _UNNAMED in votes.genders:
        votes.genders.setdefault(victim, Counter()).update(votes.genders[_UNNAMED])
        votes.evidence.setdefault(victim, []).extend(votes.evidence.get(_UNNAMED, []))
    return CasePeople(_person(victim, votes, cues), _person(perpetrator, votes, cues))


# A day number just before a capitalised word ('12 June'), not the end of a paragraph number ('1.1 Kay', '7.').
_DAY_BEFORE = re.compile(r"(?<![.\d])\d{1,2}(?:st|nd|rd|th)?\s+$")

_ACT_REACH = 160  # characters before an act word in which its sentence's name can start


def _perpetrator_acts(text: str, cues: CompiledPeople) -> Iterator[re.Match[str]]:
    """The convictions, charges and pleas in a page: the whole pattern is tried only near the words they need."""
    seen: set[tuple[int, int]] = set()
    for word in cues.perpetrator_act_words.finditer(text):
        window = max(0, word.start() - _ACT_REACH)
        for match in cues.perpetrator_acts.finditer(text, window, word.end() + 60):
            if match.span() not in seen and match.start() <= word.start() < match.end():
                seen.add(match.span())
                yield match


class _Counts:
    """How often the review uses a name, counted once per name; a word the review mostly writes in lower case
    ('On', 'Shortly') is not a name, and counts nothing."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        if name not in self.known:
            # One pass finds the name however it is written; it counts as written, and as a lower-case word.
            found = re.findall(rf"\b{re.escape(name)}\b", self.text, re.IGNORECASE)
            used = found.count(name)
            lower = found.count(name.lower()) if " " not in name else 0
            self.known[name] = used if lower < used else 0
        return self.known[name]


def _choose(candidates: Counter[str], counts: _Counts, *, minimum: int, exclude: str | None) -> str | None:
    kept = [name for name in sorted(candidates) if name != exclude and counts(name) >= minimum]
    if not kept:
        return None
    return max(kept, key=lambda name: (candidates[name], counts(name)))


def _person(name: str | None, votes: _Votes, cues: CompiledPeople) -> Person:
    if name is None:
        return Person()

    def top(table: dict[str, Counter[object]]) -> object:
        found = table.get(name)
        return max(sorted(found, key=str), key=lambda v: found[v]) if found else None

    gender = top(votes.genders)
    title = re.match(r"(Mrs|Ms|Miss|Mr)\b", name)
    if title:
        gender = "male" if title.group(1) == "Mr" else "female"
    ages = votes.ages.get(name)
    # Of ages told as often, the first: the opening states the age at death before any earlier age.
    age = max(ages, key=lambda a: ages[a]) if ages else None
    relationship = top(votes.relationships)
    return Person(
        name=name,
        gender=str(gender) if gender else None,
        age=int(str(age)) if age is not None else None,
        relationship=str(relationship) if relationship else None,
        evidence=tuple(dict.fromkeys(votes.evidence.get(name, [])))[:3],
    )


def _relation(text: str, cues: CompiledPeople) -> tuple[str, str | None] | None:
    """The relationship a phrase names ('former boyfriend' -> ex_partner) and the gender its word gives."""
    text = " ".join(text.split())  # 'estranged\nhusband' broken across lines
    for value, pattern in cues.relations:
        match = pattern.search(text)
        if match:
            word = match.group(0)
            gender = "female" if cues.female.fullmatch(word.split()[-1]) else None
            gender = "male" if cues.male.fullmatch(word.split()[-1]) else gender
            return value, gender
    return None


def _read_names_table(document: DocumentText, cues: CompiledPeople, votes: _Votes) -> None:
    """Rows of a names table: 'Leah | The victim, aged 26', 'Tom | Perpetrator; her former partner | 29'."""
    for page in document.pages:
        for line in page.text.splitlines():
            if " | " not in line:
                continue
            cells = [cell.strip() for cell in line.split(" | ")]
            if len(cells) < 2:
                continue
            if cues.victim_role.search(cells[0]) or cues.perpetrator_role.search(cells[0]):
                # the role first: 'Perpetrator | Mr Z, her son, aged 43'
                named, _, rest = cells[1].partition(",")
                cells = [named.strip(), f"{cells[0]}, {rest.strip()}", *cells[2:]]
            name = as_name(cells[0], cues.not_names)
            numbers = re.findall(r"\b(\d{1,2})\b", " ".join(cells[2:]))
            if name is None and len(cells[0].split()) > 1 and len(numbers) == len(cells[0].split()):
                name = as_name(cells[0].split()[0], cues.not_names)  # two people's rows run together
            role = cells[1]
            is_victim = cues.victim_role.search(role)
            is_perpetrator = not is_victim and cues.perpetrator_role.search(role)
            if name is None or not (is_victim or is_perpetrator):
                continue
            quote = Evidence(page=page.number, quote=clip(line))
            (votes.victim if is_victim else votes.perpetrator)[name] += _TABLE_WEIGHT
            aged = re.search(r"\baged (\d{1,2})\b", role)
            age = aged.group(1) if aged else (numbers[0] if numbers else None)
            if age and 10 <= int(age) <= 110:
                votes.note("age", name, int(age), quote, _TABLE_WEIGHT)
            if is_perpetrator:
                relation = _relation(role, cues)
                if relation:
                    votes.note("relationship", name, relation[0], quote, _TABLE_WEIGHT)
                    if relation[1]:
                        votes.note("gender", name, relation[1], quote, _TABLE_WEIGHT)


def _read_opening(text: str, page: int, cues: CompiledPeople, votes: _Votes) -> None:
    """The title and introduction: who died, who killed them, how old each was."""
    for pattern, weight in cues.introductions:
        for match in _matches(pattern, text, cues):
            groups = match.groupdict()
            quote = Evidence(page=page, quote=clip(match.group(0)))
            victim = as_name(groups["victim"], cues.not_names) if groups.get("victim") else None
            perpetrator = (
                as_name(groups["perpetrator"], cues.not_names) if groups.get("perpetrator") else None
            )
            if victim and not perpetrator:
                if weight == 1:
                    near = text[max(0, match.start() - 40) : match.start()]
                else:
                    near = _last_word(text[max(0, match.start("victim") - 40) : match.start("victim")])
                if _relation(near, cues):
                    # "her partner, known in this report as Tom"; "her brother, Callum, who was 16 when she
                    # died": somebody's relative, not the one who died
                    continue
            if victim:
                votes.victim[victim] += weight
            if perpetrator:
                votes.perpetrator[perpetrator] += weight
            pronoun = (groups.get("vg") or "").lower()
            if pronoun in _GENDER_OF:  # "she was killed by her partner": the victim, named or not
                votes.note("gender", victim or _UNNAMED, _GENDER_OF[pronoun], quote, weight)
            age = number_value(groups.get("age") or "") or 0
            if victim and 10 <= age <= 110:
                votes.note("age", victim, age, quote, weight)
            their = (groups.get("pg") or "").lower()
            if perpetrator and their in _GENDER_OF:  # "We call her Kelly in this report."
                votes.note("gender", perpetrator, _GENDER_OF[their], quote, weight)
            if perpetrator and groups.get("rel"):
                relation = _relation(groups["rel"], cues)
                if relation:
                    votes.note("relationship", perpetrator, relation[0], quote, weight)
                    if relation[1]:
                        votes.note("gender", perpetrator, relation[1], quote, weight)
    for match in cues.ages.finditer(text):
        name = as_name(match.group("name"), cues.not_names)
        age = number_value(match.group("age")) or 0
        if name and 10 <= age <= 110:
            votes.note("age", name, age, Evidence(page=page, quote=clip(match.group(0))))


def _last_word(text: str) -> str:
    """The word a name follows, across a comma or an opening quote ('her younger brother, ' -> 'brother')."""
    found = re.search(r"([A-Za-z-]+)[\s,\"'‘“]*$", text)
    return found.group(1) if found else ""


def _matches(pattern: FastPattern, text: str, cues: CompiledPeople) -> Iterator[re.Match[str]]:
    """Matches whose names are names: a match that took 'This' for a name, or a month for one, is tried again
    one word on, so "This review concerns 'Owen', who was killed..." still finds Owen."""
    if not pattern.test(text):  # most pages of the opening introduce nobody
        return
    position = 0
    while match := pattern.python.search(text, position):
        groups = [g for g in ("victim", "perpetrator") if g in pattern.python.groupindex and match.group(g)]
        in_date = any(
            _DAY_BEFORE.search(text[max(0, match.start(g) - 8) : match.start(g)])
            or re.match(r"\s+\d", text[match.end(g) : match.end(g) + 3])
            for g in groups
        )  # '12 June 2021' is a date, not a name; '1.1 Kay was 34' opens a numbered paragraph
        if not in_date and all(as_name(match.group(g), cues.not_names) for g in groups):
            yield match
            position = match.end()
        else:
            position = match.start() + 1


def _read_cover_name(document: DocumentText, full_text: str, cues: CompiledPeople, votes: _Votes) -> None:
    """A bare name alone on the cover ('Margaret', 'JADE') counts when the review goes on to use it throughout."""
    if not document.pages or document.page_unit != "page":
        return
    for line in document.pages[0].text.splitlines():
        word = line.strip().strip("'‘’\"“”")
        if not re.fullmatch(r"[A-Z][a-z]{2,}|[A-Z]{3,}", word):
            continue
        name = as_name(word, cues.not_names)
        if name and len(re.findall(rf"\b{name}\b", full_text)) >= 10:
            votes.victim[name] += 2


def _mended(text: str) -> str:
    """Page text with words broken across lines mended ('24-\\nyear-old' stays, 'exam-\\nple' joins)."""
    return re.sub(r"(?<=\w)-\n(?=\w)", "-", text)
