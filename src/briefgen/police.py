"""Police contact in a review's text: passages that record contact with the victim or perpetrator before the
death, and those that deny any. Screening decides on them; coding takes forces and first contact from them.
"""

from __future__ import annotations

from briefgen.fastscan import FastPattern
from briefgen.lexicon import CompiledLexicon
from briefgen.text import PartialDate, Sentence, find_dates

_POST_DEATH = FastPattern(
    r"murder investigation|homicide investigation|major (crime|investigation) team|\bMIT\b|\bSIO\b|senior investigating"
    r"|family liaison|\bFLOs?\b|(after|following|since|subsequent to) (her|his|their|the|[A-Z][a-z]+'s) "
    r"(death|murder|homicide|killing|suicide)|(arrested|charged|convicted|interviewed|remanded)[^.]{0,40}"
    r"\b(murder|manslaughter|homicide)|post[- ]mortem|found (her|his) body|the body|\bIOPC\b|\bIPCC\b|the inquest"
    r"|professional standards|found (her|him|[A-Z][a-z]+) (in|on|at|lying|collapsed|unconscious|unresponsive|with "
    r"(severe|fatal|serious|multiple|catastrophic))|\bthe scene\b|paramedics|\bCPR\b"
)


POLICE_EMPLOYMENT = FastPattern(
    r"serving (police )?officer|police officer by|joined (the )?(police|force|constabulary)|worked (as|for)[^.]{0,40}"
    r"(police|constabulary)|employed (by|as)[^.]{0,40}(police|constabulary|officer)|\bcolleagues\b|\bvetting\b"
    r"|retired (police |detective )?(officer|superintendent|inspector|sergeant|chief)|former(ly)? (a )?(police|detective)"
    r"|served (with|in|for)[^.]{0,40}(police|constabulary)|police (career|service) of|years'? (police )?service"
    r"|\bvetted\b|\bre-vetted\b|\bemployer\b|\bemployment\b|police (systems|databases?|computers?)|misconduct|"
    r"his (force|police colleagues|line manager|sergeant|inspector)|on duty|off duty"
)


_NO_CONTACT = FastPattern(
    r"(not|never been) known to[^.]{0,30}(police|constabulary)|no (previous |prior |recorded |known )?"
    r"(contact|involvement|dealings|record)[^.]{0,40}(police|constabulary)|(police|constabulary)[^.]{0,60}"
    r"(had|held) no (record|contact|involvement|information|intelligence)|never (reported|disclosed)[^.]{0,60}"
    r"(police|constabulary)|no (police|reports? to (the )?police) (involvement|contact|record)|"
    r"(did not|didn't) (report|disclose)[^.]{0,60}(to|with) (the )?(police|constabulary)|"
    r"(none|no part|nothing) of (this|these|it)[^.]{0,30}(amounts?|amounted|constitutes?) to[^.]{0,20}contact|"
    r"there (was|had been|is) no (previous |prior )?(police )?(contact|involvement)"
)


_CONTACT_ACTION = FastPattern(
    r"\battend(ed|ing)?\b|\bwere called\b|\bwas called\b|\b(called|rang|phoned|dialled|contacted|telephoned) "
    r"(the )?(police|999|101)|\b(999|101) (call|calls)\b|\breport(ed|ing)?\b|\bvisit(ed)?\b|\barrest(ed)?\b|"
    r"\bspoke (to|with)\b|\binterview(ed)?\b|\bcaution(ed)?\b|\bissued\b|\bDASH\b|\brisk assess|\brecorded\b|"
    r"\brespond(ed)?\b|\breceived (a|an|the)\b|\bwelfare check\b|\bdomestic (incident|abuse incident|call)|"
    r"\bPINs?\b|\bharassment warning\b|\bbail(ed)?\b|\bCAD\b|\bstopped\b|\bdetained\b|\badvised\b|\breferred\b|"
    r"\bgraded\b|\bcontact with\b|\bcame to the attention\b|\bknown to\b|\bmissing person\b|\bcomplain",
)


# A report or call that was only feared, imagined or planned is not contact.
_UNREAL_CONTACT = FastPattern(
    r"\bcould\b|\bworr(y|ied|ying)\b|\bafraid (that|of)\b|\bfear(ed)? that\b|\bwould\b"
)


_BEFORE_DEATH = FastPattern(
    r"\b(before|prior to|preceding|leading up to|in the (days|weeks|months|year) before) (her|his|their|the|[A-Z][a-z]+'s) "
    r"(death|murder|homicide|killing|suicide)"
)


def police_passages(
    sentences: list[Sentence], lexicon: CompiledLexicon, death: PartialDate | None
) -> tuple[list[tuple[Sentence, PartialDate | None]], list[Sentence]]:
    """The passages that record police contact before the death, each with its narrative date; and those
    that say there was none. Screening decides on them; coding takes the forces and first contact from them."""
    contact: list[tuple[Sentence, PartialDate | None]] = []
    denial: list[Sentence] = []
    for sentence, narrative_date in sentences_with_narrative_dates(sentences):
        if sentence.kind in lexicon.non_fact_sections or sentence.kind in ("parallel", "family"):
            continue
        text = sentence.whole
        if not lexicon.mentions_police(text):
            continue
        if _NO_CONTACT.test(text):
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


def sentences_with_narrative_dates(sentences: list[Sentence]) -> list[tuple[Sentence, PartialDate | None]]:
    """Each sentence with the date of the story it tells, when it has no date of its own: the last date given
    earlier in its paragraph ("On 3 May officers attended. They arrested him the following morning.")."""
    out: list[tuple[Sentence, PartialDate | None]] = []
    last: PartialDate | None = None
    previous: Sentence | None = None
    for sentence in sentences:
        if previous is None or previous.paragraph != sentence.paragraph:
            last = None
        dates = find_dates(sentence.whole)
        if dates:
            last = dates[-1].value
            out.append((sentence, None))
        else:
            out.append((sentence, last))
        previous = sentence
    return out


def is_pre_death_police_contact(
    sentence: Sentence, text: str, lexicon: CompiledLexicon, death: PartialDate | None
) -> bool:
    """Does this sentence (which mentions the police) record contact with the victim or perpetrator before the death?"""
    if _POST_DEATH.test(text) or POLICE_EMPLOYMENT.test(text):
        return False
    if lexicon.other_subject.test(text) or lexicon.hypothetical.test(sentence.text):
        return False
    if _UNREAL_CONTACT.test(sentence.text):
        return False
    if lexicon.death.test(text) and not _BEFORE_DEATH.test(text):
        return False  # the call that reported the death, the response to it
    dates = [mention.value for mention in find_dates(text)]
    if death is not None and dates and all(value.last_day() >= death.first_day() for value in dates):
        return False
    police_row = (
        bool(sentence.cells) and len(sentence.cells) >= 2 and lexicon.mentions_police(sentence.cells[1])
    )
    if police_row and (sentence.kind == "chronology" or dates):
        return True
    action = _CONTACT_ACTION.search(text)
    if action is None:
        return False
    return not _negated_before(text, action.start(), lexicon)


def _negated_before(text: str, position: int, lexicon: CompiledLexicon) -> bool:
    """A negation cue in the same clause, before `position`."""
    if not lexicon.negation_before.test(text):
        return False
    clause_start = 0
    for match in lexicon.clause_break.finditer(text, 0, position):
        clause_start = match.end()
    return bool(lexicon.negation_before.search(text, clause_start, position))
