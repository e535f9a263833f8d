"""Police contact in a review's text: passages that record contact with the victim or perpetrator before the
death, and those that deny any. Screening decides on them; coding takes forces and first contact from them.
"""

from __future__ import annotations

from briefgen.lexicon import CompiledLexicon
from briefgen.text import DayMonth, PartialDate, Sentence, find_dates, find_day_months


def police_passages(
    sentences: list[Sentence], lexicon: CompiledLexicon, death: PartialDate | None
) -> tuple[list[tuple[Sentence, PartialDate | None]], list[Sentence]]:
    """The passages that record police contact before the death, each with its narrative date; and those
    that say there was none. Screening decides on them; coding takes the forces and first contact from them."""
    contact: list[tuple[Sentence, PartialDate | None]] = []
    denial: list[Sentence] = []
    death_told: int | None = None  # the paragraph in which the death has been told, up to this sentence
    paragraph: int | None = None
    told_just_before = False  # the death was told in the paragraph before this one
    for sentence, narrative_date in sentences_with_narrative_dates(sentences, lexicon, death):
        if sentence.paragraph != paragraph:
            told_just_before = death_told is not None and death_told == paragraph
            paragraph = sentence.paragraph
        if sentence.kind in lexicon.non_fact_sections or sentence.kind in lexicon.roles.not_police_contact:
            continue
        text = sentence.whole
        # "She died at the scene." and then, in the next paragraph, "He was arrested the following morning."
        after_death = not sentence.cells and (
            death_told == sentence.paragraph or (told_just_before and lexicon.cues.next_in_story.test(text))
        )
        if not sentence.cells and _tells_death(text, lexicon):
            death_told = sentence.paragraph
        if not lexicon.mentions_police(text):
            continue
        if (
            after_death
            and narrative_date is None
            and not find_dates(text)
            and not lexicon.cues.earlier_story.test(text)
        ):
            continue  # "Paramedics found her dead. Officers attended and he was arrested.": the day of the death
        if lexicon.cues.no_police_contact.test(text):
            denial.append(sentence)
            continue
        if (
            death is not None
            and narrative_date is not None
            and narrative_date.last_day() >= death.first_day()
        ):
            continue  # an undated sentence that continues the story of the day of the death, or after it
        if is_pre_death_police_contact(sentence, text, lexicon, death):
            contact.append((sentence, narrative_date))
    return contact, denial


def _tells_death(text: str, lexicon: CompiledLexicon) -> bool:
    """A sentence that tells the death itself, not a time before it or a threat of it."""
    return (
        lexicon.death.test(text)
        and not lexicon.cues.before_death.test(text)
        and not lexicon.cues.threat_to_kill.test(text)
        and not lexicon.cues.earlier_story.test(text)
    )


def sentences_with_narrative_dates(
    sentences: list[Sentence], lexicon: CompiledLexicon, death: PartialDate | None
) -> list[tuple[Sentence, PartialDate | None]]:
    """Each sentence with the date of the story it tells, when it has no full date of its own: a day and month
    it gives without a year ('on the 9th of June'), in the year the story has reached (in a section that tells the
    story in order, or with the year in the sentence: elsewhere a year nearby may be a law's); else the last date given
    earlier in its paragraph ("On 3 May officers attended. They arrested him the following morning."); else the
    date its heading gives ("4 July 2020 (police)"). Under a record's date ("Date | 22nd July 2018" in a table
    that sets out one episode row by row, or a line "Date: 22 July 2018"), the rest of its section is that day's."""
    out: list[tuple[Sentence, PartialDate | None]] = []
    last: PartialDate | None = None  # the last date told in the paragraph
    year: int | None = None  # the year the story has reached in the section
    heading: PartialDate | None = None
    record: PartialDate | None = None  # the date a record's date row gives the section
    previous: Sentence | None = None
    for sentence in sentences:
        if previous is None or previous.section != sentence.section:
            in_heading = find_dates(sentence.section)
            heading = in_heading[0].value if len(in_heading) == 1 else None
            year = heading.year if heading else None
            record = None
        if previous is None or previous.paragraph != sentence.paragraph:
            last = None
        previous = sentence
        text = sentence.whole
        dates = find_dates(text)
        if dates:
            if _is_record_date(sentence, lexicon):
                record = dates[0].value  # 'Date | 2nd May 2020, with actions to 20th May': the first
            last = dates[-1].value
            year = last.year
            out.append((sentence, None))
            continue
        told = lexicon.cues.story_year.search(text)  # tested by RE2 first, as every whole-text search is
        if told:
            year = int(told.group("year"))
        day_months = find_day_months(text)
        if day_months and (told or sentence.kind in lexicon.roles.narrative):
            first = day_months[0].in_year(told_year(day_months[0], last, year, death))
            last = day_months[-1].in_year(told_year(day_months[-1], last, year, death)) or last
            year = last.year if last else year
            out.append((sentence, first or last))
            continue
        out.append((sentence, last or record or heading))
    return out


def _is_record_date(sentence: Sentence, lexicon: CompiledLexicon) -> bool:
    """A row or line that gives a record's date under its label: 'Date | 22nd July 2018', 'Date: 22 July 2018'."""
    if sentence.cells:
        return len(sentence.cells) >= 2 and lexicon.cues.record_date_label.test(sentence.cells[0])
    label, colon, _ = sentence.text.partition(":")
    return bool(colon) and len(label) < 40 and lexicon.cues.record_date_label.test(label)


def told_year(
    day_month: DayMonth, last: PartialDate | None, year: int | None, death: PartialDate | None
) -> int | None:
    """The year of a day and month told without one: the story's (the paragraph's last date, else the section's
    last year), else the last year that puts it before the death."""
    if last is not None:
        return last.year
    if year is not None:
        return year
    if death is None or death.month is None:
        return None
    before = (day_month.month, day_month.day) <= (death.month, death.day or 31)
    return death.year if before else death.year - 1


def is_pre_death_police_contact(
    sentence: Sentence, text: str, lexicon: CompiledLexicon, death: PartialDate | None
) -> bool:
    """Does this sentence (which mentions the police) record contact with the victim or perpetrator before the death?"""
    if lexicon.cues.after_death_work.test(text) or lexicon.cues.police_employment.test(sentence.text):
        return False  # employment is read in the sentence itself: a row's other sentences may be contact
    if lexicon.other_subject.test(text) or lexicon.hypothetical.test(sentence.text):
        return False
    unreal = lexicon.cues.unreal_contact
    if unreal.test(sentence.text) and unreal.test(_before_caller_said(sentence.text, lexicon)):
        return False  # a call only thought of
    if lexicon.cues.relative_record.test(sentence.text):
        return False  # a relative's own record
    if lexicon.death.test(text) and not lexicon.cues.before_death.test(text):
        return False  # the call that reported the death, the response to it
    dates = [mention.value for mention in find_dates(text)]
    if death is not None and dates and all(value.last_day() >= death.first_day() for value in dates):
        return False
    if lexicon.cues.found_someone.test(text):
        return death is not None and bool(dates)  # officers found him: before the death only when dated so
    police_row = (
        bool(sentence.cells) and len(sentence.cells) >= 2 and lexicon.mentions_police(sentence.cells[1])
    )
    if police_row and (sentence.kind in lexicon.roles.chronology or dates):
        return True
    action = lexicon.cues.contact_action.search(text)
    if action is None:
        return False
    return not _negated_before(text, action.start(), lexicon)


def _before_caller_said(text: str, lexicon: CompiledLexicon) -> str:
    """The sentence up to what a caller said on a call it tells ('She rang 999 to say that he would not leave'):
    the caller's words are not the call's own mood."""
    action = lexicon.cues.contact_action.search(text)
    said = lexicon.cues.caller_said.search(text, action.end()) if action else None
    return text[: said.start()] if said else text


def _negated_before(text: str, position: int, lexicon: CompiledLexicon) -> bool:
    """A negation cue in the same clause, before `position`."""
    if not lexicon.negation_before.test(text):
        return False
    clause_start = 0
    for match in lexicon.clause_break.finditer(text, 0, position):
        clause_start = match.end()
    return bool(lexicon.negation_before.search(text, clause_start, position))
