"""The first police contact about abuse in this relationship, and the date of death beside the review's own
dates: what a review tells of other relationships and of its own process does not count."""

from __future__ import annotations

import pytest

from briefgen.models import DocumentText, Page
from briefgen.screen.judge import screen_document
from tests.one_review import CRITERIA, LEXICON, coded

REVIEW = """Domestic Homicide Review into the death of 'Nadia'
1. Introduction
Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020. Nadia and Owen had met in 2017.
The police told the Partnership about Nadia's death on 9 March 2020, and the review began in May 2020.
2. Owen's previous relationship
Owen was in a relationship with a woman we call Beth until 2015. On 3 June 2014 Beth reported to Kent Police
that Owen had assaulted her, and he was arrested.
3. Chronology
On 12 August 2019 Nadia called Kent Police to report that Owen had assaulted her, and officers attended.
On 2 January 2020 officers attended again after a neighbour heard Nadia screaming; Owen was arrested.
4. Analysis
The officers did not complete a DASH risk assessment, which was a missed opportunity for Kent Police.
"""


def test_contact_about_the_perpetrator_s_previous_relationship_is_not_the_first_contact() -> None:
    """Police contact told under a heading about another relationship is not contact about this one."""
    case = coded(REVIEW)
    assert case.features.first_police_contact.value == "2019-08-12"
    assert case.features.days_first_contact_to_death.value == 205


def test_the_review_s_own_notification_date_is_not_the_death() -> None:
    """'The police told the Partnership about her death on ...' dates the review's process, not the death."""
    assert coded(REVIEW).features.incident_date.value == "2020-03-04"


def test_an_extract_without_the_review_s_substance_is_left_to_an_analyst() -> None:
    """A few pages with no chronology, analysis or findings (a scan's first pages) leave learning unknown."""
    extract = """Domestic Homicide Review into the death of 'Nadia'
1. Introduction
Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020.
2. Methodology
The panel met six times. Kent Police provided an Individual Management Review to the panel.
"""
    document = DocumentText(
        sha256="0" * 64, format="pdf", page_unit="page", title="t", pages=[Page(number=1, text=extract)]
    )
    screened = screen_document("extract.pdf", document, CRITERIA, LEXICON)
    learning = next(c for c in screened.criteria if c.id == "police_learning")
    assert learning.result.value == "unknown"
    assert screened.decision.value == "review"


def test_a_decision_on_ocr_text_is_left_to_an_analyst() -> None:
    """A review read by OCR that would be included goes to review, saying what the machine would decide."""
    document = DocumentText(
        sha256="0" * 64,
        format="pdf",
        page_unit="page",
        title="t",
        pages=[Page(number=1, text=REVIEW, ocr=True)],
    )
    screened = screen_document("scan.pdf", document, CRITERIA, LEXICON)
    assert screened.decision.value == "review"
    assert screened.reasons[0].startswith("Read by OCR from a scan: the machine would include it")


def test_a_scan_read_by_ocr_is_not_joined_to_a_case_by_its_names() -> None:
    """Names and dates read by OCR are not trusted to group a scan with a review; the typed text groups."""
    from briefgen.screen.grouping import group_cases

    def screened(source: str, *, ocr: bool) -> object:
        page = Page(number=1, text=REVIEW, ocr=ocr or None)
        document = DocumentText(sha256=source * 8, format="pdf", page_unit="page", title="t", pages=[page])
        return screen_document(source, document, CRITERIA, LEXICON)

    typed, scan, summary = (
        screened("a.pdf", ocr=False),
        screened("b.pdf", ocr=True),
        screened("c.pdf", ocr=False),
    )
    grouped = group_cases([typed, scan, summary])  # type: ignore[list-item]
    assert grouped[0].case_group == grouped[2].case_group
    assert grouped[1].case_group != grouped[0].case_group


def _cohabiting(story: str) -> object:
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020.\n2. Background\n" + story
    )
    return coded(text).features.cohabiting.value


def test_the_couple_never_living_together_outweighs_his_home_with_another() -> None:
    """'He lived with his wife' and 'the family home' of another family lose to 'Nadia and Owen never lived together'."""
    story = (
        "Owen was married. He lived with his wife and their children in the town. "
        "Nadia and Owen never lived together. Officers later visited the family home, where his wife spoke to them.\n"
    )
    assert _cohabiting(story) is False


def test_leaving_the_marital_home_ends_cohabiting() -> None:
    """'She left the marital home' and 'had stopped living together' say they lived apart at the death."""
    story = (
        "Nadia left the marital home in May 2019 and went to live with her sister. "
        "Officers thought a notice was of no use once Nadia and Owen had stopped living together.\n"
    )
    assert _cohabiting(story) is False


def test_a_former_partner_moving_out_says_nothing_of_this_couple() -> None:
    """'Beth moved out of the area' (his former partner) does not outweigh 'Nadia and Owen lived together'."""
    story = (
        "Owen had assaulted a former partner, Beth, in 2012. Beth moved out of the area soon after.\n"
        "Nadia and Owen lived together at Nadia's flat from 2017.\n"
    )
    assert _cohabiting(story) is True


def test_a_force_named_only_as_his_employer_is_not_a_force_in_contact() -> None:
    """A chronology row of one force's contact, naming another force only as his employer, lists one force."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020.\n3. Chronology\n"
        "Date | Agency | Event\n"
        "12/08/2019 | Kent Police | Nadia called 101 to report that Owen had assaulted her. "
        "She said that Owen was a police constable with Essex Police. Officers attended.\n"
    )
    assert coded(text).features.police_forces.value == ["Kent Police"]


def test_the_police_unnamed_in_the_story_are_the_force_that_reported_to_the_review() -> None:
    """When the story says only 'the police', the force is the one that wrote for the review, not the chair's old force."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020.\n"
        "2. Methodology\nReports were provided by Kent Police and the GP practice.\n"
        "The chair served for 20 years with Essex Police and has had no role in this case.\n"
        "3. Chronology\nOn 12 August 2019 Nadia called the police to report that Owen had assaulted her, "
        "and officers attended.\n"
    )
    assert coded(text).features.police_forces.value == ["Kent Police"]


def test_the_contact_is_the_day_of_the_call_not_of_the_incident_it_reports() -> None:
    """'On 14 August she rang 101 to report the assault of 11 August' is contact on 14 August, in prose or a row."""
    intro = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020.\n3. Chronology\n"
    )
    prose = "On 14 August 2019 Nadia rang 101 to report the assault of 11 August 2019 by Owen, and officers attended.\n"
    row = "Date | Agency | Event\n14/08/2019 | Kent Police | Nadia rang 101 to report the assault by Owen of 11/08/2019.\n"
    assert coded(intro + prose).features.first_police_contact.value == "2019-08-14"
    assert coded(intro + row).features.first_police_contact.value == "2019-08-14"


def test_a_call_about_another_matter_is_not_the_first_contact_about_abuse() -> None:
    """A neighbour's report of a burglary, with shouting, is not contact about abuse; the later assault call is."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020.\n3. Chronology\n"
        "On 2 May 2019 a neighbour rang Kent Police to report a burglary at Nadia's flat and shouting in the street.\n\n"
        "On 12 August 2019 Nadia called Kent Police to report that Owen had assaulted her, and officers attended.\n"
    )
    assert coded(text).features.first_police_contact.value == "2019-08-12"


def test_his_pronouns_give_a_womans_killer_his_gender_when_nothing_else_does() -> None:
    """'Owen has gone to his brother's': the other gender's pronouns beside his name, not hers, make him male."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia, a 31-year-old woman, died on 4 March 2020. Her partner Owen was convicted of her murder.\n"
        "2. Background\nOwen left the flat and went to his brother's house. Owen lost his job in 2018.\n"
        "Nadia worked in a bakery. She liked to swim.\n"
    )
    assert coded(text).features.perpetrator_gender.value == "male"


def test_an_earlier_ending_does_not_outweigh_the_review_s_view_that_they_were_together() -> None:
    """'Nadia ended the relationship in May' yields to 'they were back together at the time of her death'."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia was 31 when she was killed by her boyfriend, Owen, on 4 March 2020.\n2. Background\n"
        "On 3 May 2019 Nadia ended the relationship after an argument. "
        "Owen persuaded her to take him back, and they were back together at the time of her death.\n"
    )
    assert coded(text).features.relationship.value == "partner"


def test_a_date_of_death_split_across_lines_after_a_long_clause_is_found() -> None:
    """'Nadia died at the home ... on Tuesday 4th' + 'March 2020.' on the next line is one date, far from 'died'."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia died at the flat in Ashford that she had shared with her partner Owen (then 34), his mother Ann (61)\n"
        "and his younger brother Lee (29), on Tuesday 4th\n"
        "March 2020. The review was published in June 2022.\n"
    )
    document = DocumentText(
        sha256="0" * 64, format="pdf", page_unit="page", title="t", pages=[Page(number=1, text=text)]
    )
    assert screen_document("r.pdf", document, CRITERIA, LEXICON).incident_date == "2020-03-04"


def _screened_contact(*paragraphs: str) -> object:
    """The police_contact criterion of a short review with the given middle sections."""
    text = "\n".join(
        [
            "Domestic Homicide Review: Overview Report into the death of 'Ada'",
            "1. Introduction",
            "Ada was 52 when she was killed by her husband, Gus, at their home on 14 October 2021.",
            *paragraphs,
            "6. Analysis",
            "Her GP did not ask about abuse when Ada said she was stressed, which was a missed opportunity.",
        ]
    )
    document = DocumentText(
        sha256="0" * 64, format="pdf", page_unit="page", title="t", pages=[Page(number=1, text=text)]
    )
    screened = screen_document("review.pdf", document, CRITERIA, LEXICON)
    return next(c for c in screened.criteria if c.id == "police_contact")


def test_police_seen_only_around_the_review_are_no_contact() -> None:
    """Police on the panel, searching records, checking after the arrest, thought of by a neighbour, or holding
    a relative's own record are not contact with the victim or perpetrator."""
    criterion = _screened_contact(
        "2. The review process",
        "A detective inspector from Sussex Police sat on the panel.",
        "Sussex Police searched its systems and returned a nil return.",
        "3. Background",
        "Checks made after Gus's arrest showed that he had never come to police notice.",
        "When he was arrested, a search of police records showed no previous incidents.",
        "Gus's younger brother has convictions for violence and is well known to Sussex Police.",
        "Ada's stepfather had a criminal record and was known to local officers.",
        "4. Friends and neighbours",
        "A neighbour thought about ringing the police one night in August, but did not.",
        "Her friend said she had wanted to report the bruises to the police, but Ada begged her not to.",
        "5. The investigation",
        "Officers from the Major Crime Team investigated Ada's death.",
    )
    assert criterion.result.value == "not_met"  # type: ignore[attr-defined]


def test_a_relative_who_calls_the_police_about_the_couple_is_contact() -> None:
    """A relative reporting the abuse to the police is contact; only a relative's own record is not."""
    criterion = _screened_contact(
        "3. Chronology",
        "On 2 May 2021 Ada's brother rang Sussex Police to report that Gus had pushed her down the stairs; "
        "officers attended and spoke to Ada.",
        "On 9 June 2021 officers attended again after a neighbour reported shouting, and Gus was arrested.",
        "On 1 July 2021 Ada's sister reported to the police that Gus had threatened Ada.",
    )
    assert criterion.result.value == "met"  # type: ignore[attr-defined]


def test_the_date_the_partnership_was_told_of_the_death_is_not_the_death() -> None:
    """'Notified of her death by the police on the 20th' dates the notification: a review that tells the death
    only to the month is dated to the month."""
    for told in (
        "The Partnership was notified of Ada's death by Sussex Police on the 20th of October 2021.",
        "The chair learned of the death from the police on 19 October 2021.",
        "Sussex Police reported her death to the coroner on 18 October 2021.",
    ):
        review = (
            "Domestic Homicide Review into the death of 'Ada'\n1. Introduction\n"
            f"Ada died in October 2021, aged 52. {told}\n"
            "2. Chronology\nOn 2 May 2021 officers attended after Ada reported an assault by Gus.\n"
        )
        assert coded(review).features.incident_date.value == "2021-10", told


@pytest.mark.parametrize(
    "other",
    [
        "In 2014 police were called to a row between Owen and a woman he was then seeing.",
        "A neighbour saw Owen with a young woman outside the flat in 2016.",
        "An elderly woman and Owen were both questioned about the fire in 2015.",
    ],
)
def test_a_woman_joined_to_his_name_by_and_or_with_is_somebody_else(other: str) -> None:
    """'Owen and a woman he was seeing': the word belongs to another person, not to him."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia, a 31-year-old woman, died on 4 March 2020. Her partner Owen was convicted of her murder.\n"
        f"2. Background\n{other} Owen left the flat and went to his brother's house. Owen lost his job.\n"
        "Nadia worked in a bakery. She liked to swim.\n"
    )
    assert coded(text).features.perpetrator_gender.value == "male"


@pytest.mark.parametrize(
    "call",
    [
        "Nadia rang 999 to say that Owen had hit her and would not go away.",
        "Nadia called the police, saying Owen had assaulted her and could not be calmed.",
        "Nadia phoned 999 and told the operator Owen had punched her and would do it again.",
    ],
)
def test_a_would_or_could_in_what_the_caller_said_is_not_a_call_only_imagined(call: str) -> None:
    """The caller's words on the call ('he would not go away') do not make the call one she only thought of."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia, a 31-year-old woman, was killed by her partner, Owen, on 4 March 2020.\n"
        f"2. The facts\n2.1 The 9th of June 2018. {call} Officers from Kent Police arrived soon after.\n"
        "2.2 The 23rd of February 2019. Nadia called 999 after Owen assaulted her. Kent Police attended.\n"
    )
    features = coded(text).features
    assert features.first_police_contact.value == "2018-06-09"


def test_a_force_with_contact_the_story_dates_is_kept_though_it_found_no_earlier_record() -> None:
    """'The 9th of June. ... Essex Police attended. ... Its IMR found no earlier record': the force had contact."""
    text = (
        "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
        "Nadia, a 31-year-old woman, was killed by her partner, Owen, on 4 March 2020.\n"
        "2. The facts\n2.1 The 9th of June 2018. Nadia called 999 after Owen assaulted her. PC Lee of Essex "
        "Police attended. The Essex Police IMR found no earlier record of either of them.\n"
        "2.2 The 23rd of February 2019. Nadia rang 101 because Owen had hit her. Kent Police attended.\n"
    )
    assert coded(text).features.police_forces.value == ["Essex Police", "Kent Police"]
