"""The date of death: the date that sentences about the death agree on."""

from __future__ import annotations

from briefgen.lexicon import CompiledLexicon
from briefgen.models import Evidence
from briefgen.people import CasePeople
from briefgen.screen.criteria import MAX_EVIDENCE
from briefgen.text import PartialDate, Sentence, evidence_of, find_dates

_YEAR_SCORE = 3.0  # a death told with its year alone: as plain as a dated death sentence, but less precise


def _death_years(text: str, lexicon: CompiledLexicon) -> list[PartialDate]:
    """The years of a death told without its month ("she died in 2018"); a fuller date there is read as a date."""
    if not lexicon.cues.death_year.test(text):
        return []
    fuller = find_dates(text)
    return [
        PartialDate(int(match.group("year")))
        for match in lexicon.cues.death_year.finditer(text)
        if not any(d.start <= match.start("year") < d.end for d in fuller)
    ]


def find_incident_date(
    sentences: list[Sentence], lexicon: CompiledLexicon, people: CasePeople
) -> tuple[PartialDate | None, list[Evidence]]:
    """The date of death: the date that sentences about the death agree on, weighted by how plainly they say it."""
    pseudonym = people.victim.name
    scores: dict[PartialDate, float] = {}
    support: dict[PartialDate, list[Sentence]] = {}
    rows_seen: set[int] = set()
    for sentence in sentences:
        if sentence.kind in lexicon.non_fact_sections or sentence.kind in lexicon.roles.not_death_date:
            continue
        if sentence.cells:
            if sentence.paragraph in rows_seen:
                continue  # a table row is judged once, not once per sentence in it
            rows_seen.add(sentence.paragraph)
        text = sentence.whole
        deaths = list(lexicon.death.finditer(text))
        if not deaths:
            continue
        death_words = [m.start() for m in deaths]
        # A death named only as the point events came before ("two contacts before her death: a call on ...")
        # dates itself only by a date that follows it at once ("before her death on 6 October").
        reference_ends = {m.end() for m in lexicon.cues.before_death.finditer(text)}
        referenced = {m.start(): m.end() for m in deaths if m.end() in reference_ends}
        event_words = [m.start() for m in lexicon.after_death_events.finditer(text)]
        strong = bool(lexicon.death_strong.search(text)) or "date of death" in text.lower()
        if strong and event_words and min(event_words) < death_words[0]:
            strong = (
                False  # "the police notified the partnership of her death on 6 November" is about process
            )
        for mention in find_dates(text):
            centre = (mention.start + mention.end) // 2
            nearest = min(death_words, key=lambda w: abs(centre - w))
            to_death = abs(centre - nearest)
            to_event = min((abs(centre - w) for w in event_words), default=10**6)
            if to_death > (200 if strong else 120) or to_event < to_death:
                continue
            if nearest < mention.start and lexicon.cues.death_process_agent.search(text[: mention.start]):
                continue  # "notified of his death by the police on the 22nd": the notification's date
            if nearest in referenced and not (
                mention.start >= referenced[nearest]
                and lexicon.cues.death_date_follows.test(text[referenced[nearest] : mention.start])
            ):
                continue
            between = text[min(mention.end, nearest) : max(mention.start, nearest)]
            if lexicon.cues.relative_to_death.search(between):
                continue  # "on 1 February 2019, 22 days before her death"
            if not strong and lexicon.cues.threat_to_kill.test(text):
                continue  # "he said he would kill her" on a date long before the death
            score = (
                1.0 + (4.0 if strong else 0.0) + (1.0 if sentence.kind in lexicon.roles.death_date else 0.0)
            )
            if pseudonym and pseudonym.split()[-1] in text:
                score += 1.0
            if lexicon.cues.other_people.test(text) and not strong:
                score -= 1.5
            score -= to_death / 100
            if score <= 0:
                continue
            scores[mention.value] = scores.get(mention.value, 0.0) + score
            support.setdefault(mention.value, []).append(sentence)
        for value in _death_years(text, lexicon):
            scores[value] = scores.get(value, 0.0) + _YEAR_SCORE
            support.setdefault(value, []).append(sentence)
    if not scores:
        return None, []
    # A month ("April 2016") and a day in that month ("14 April 2016") are the same death; so are a year alone
    # ("died in 2016") and any date in it.
    merged: dict[PartialDate, float] = {}
    for value, score in scores.items():
        merged[value] = merged.get(value, 0.0) + score
        for other in scores:
            if other != value and other.day is None and other.contains(value):
                merged[value] += scores[other]
    # On a tie the more precise date wins: it holds the less precise one's score already.
    best = max(
        sorted(merged, key=PartialDate.sort_key),
        key=lambda value: (merged[value], value.month is not None, value.day is not None),
    )
    evidence_sentences = support[best] + [
        s
        for value in support
        if value != best and value.day is None and value.contains(best)
        for s in support[value]
    ]
    evidence = list(dict.fromkeys(evidence_of(s) for s in sorted(evidence_sentences, key=lambda s: s.index)))
    return best, evidence[:MAX_EVIDENCE]
