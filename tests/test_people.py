"""The people of the case: the victim and the perpetrator, found once per review, with what the review states
of each (gender, age, relationship)."""

from __future__ import annotations

import pytest

from briefgen import resources
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import DocumentText, Page
from briefgen.people import CasePeople, find_people

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))
# Enough later use of each name that the review is plainly about them.
BODY = "Nadia and Owen met in 2015. Nadia worked in a bakery. Owen drove a van. Nadia and Owen argued."


def people_of(*pages: str) -> CasePeople:
    """The people of a review with these pages."""
    document = DocumentText(
        sha256="0" * 64,
        format="pdf",
        page_unit="page",
        title="t",
        pages=[Page(number=n, text=t) for n, t in enumerate(pages, start=1)],
    )
    return find_people(document, LEXICON)


@pytest.mark.parametrize(
    ("cover", "name"),
    [
        ("Overview Report into the death of Nadia", "Nadia"),
        ("DOMESTIC HOMICIDE REVIEW\n'NADIA'", "Nadia"),
        ("Into the death of 'Nadia', who died in November 2017", "Nadia"),
        ("Executive Summary: “Nadia”", "Nadia"),
        ("REVIEW INTO THE DEATH OF 'NADIA' IN MAY 2020", "Nadia"),
        ("Review into the death of\n'Nadia' in May 2020", "Nadia"),
        ("Overview report: the death of a woman, known in this review as 'Nadia'", "Nadia"),
    ],
)
def test_the_victim_comes_from_the_title(cover: str, name: str) -> None:
    """Quoted names, names in capitals, names split from 'the death of' by a line break are found."""
    assert people_of(cover, BODY).victim.name == name


def test_adult_a_naming() -> None:
    """'Adult A' and 'Mr C' are names."""
    text = "Review into the death of Adult A\nThe victim is called Adult A, the man who killed him Adult B."
    people = people_of(text, "Adult A and Adult B lived together. Adult A was unwell. Adult B drank.")
    assert (people.victim.name, people.perpetrator.name) == ("Adult A", "Adult B")
    assert people.perpetrator.gender is None or people.perpetrator.gender == "male"


def test_the_names_table_says_who_is_who() -> None:
    """A names table gives victim, perpetrator, ages and the relationship at once."""
    table = (
        "Names used in this report\nName | Who they are | Age\nNadia | The victim | 33\n"
        "Owen | The perpetrator, Nadia's former husband | 36\nBeth | Nadia's sister | 30"
    )
    people = people_of("Domestic Homicide Review", table, BODY)
    assert (people.victim.name, people.victim.age) == ("Nadia", 33)
    assert (people.perpetrator.name, people.perpetrator.age) == ("Owen", 36)
    assert (people.perpetrator.relationship, people.perpetrator.gender) == ("ex_partner", "male")


def test_the_defining_sentence_gives_age_gender_and_relationship() -> None:
    """'V, a 24-year-old ..., was killed by her former boyfriend, P' says nearly everything."""
    intro = "1.1 'Nadia', a 29-year-old nurse, was killed by her former boyfriend, 'Owen', in May 2020."
    people = people_of("Domestic Homicide Review", intro, BODY)
    assert (people.victim.name, people.victim.age, people.victim.gender) == ("Nadia", 29, "female")
    assert (people.perpetrator.name, people.perpetrator.relationship) == ("Owen", "ex_partner")


def test_a_suicide_names_the_abuser_by_relationship() -> None:
    """In a suicide there is no conviction: 'her husband is called Owen' names the perpetrator."""
    intro = "'Nadia' was 41 years old when she died by suicide. Her husband is called 'Owen' in this report."
    people = people_of("Domestic Homicide Review", intro, BODY)
    assert (people.victim.name, people.victim.age) == ("Nadia", 41)
    assert (people.perpetrator.name, people.perpetrator.relationship) == ("Owen", "partner")


def test_an_arrest_before_the_death_does_not_make_the_victim_the_perpetrator() -> None:
    """A victim arrested on a counter-allegation is still the victim; a conviction names the perpetrator."""
    text = (
        "The death of 'Nadia'\nIn 2018 Nadia was arrested after Owen alleged that she had hit him. "
        "Owen was convicted of her manslaughter."
    )
    people = people_of(text, BODY)
    assert (people.victim.name, people.perpetrator.name) == ("Nadia", "Owen")


def test_a_son_who_kills_his_father() -> None:
    """Same-gender pairs: the relationship is family, and both are men."""
    intro = "This review concerns 'Owen', aged 70, who was killed by his son, 'Rory', at their home. Rory, who was 35, was arrested."
    body = "Owen and Rory lived together. Owen was frail. Rory was unwell. Owen's doctor saw Rory."
    people = people_of("Domestic Homicide Review", intro, body)
    assert (people.victim.name, people.victim.age, people.victim.gender) == ("Owen", 70, "male")
    assert (people.perpetrator.name, people.perpetrator.age) == ("Rory", 35)
    assert (people.perpetrator.relationship, people.perpetrator.gender) == ("family_member", "male")


def test_a_word_the_review_writes_in_lower_case_is_not_a_name() -> None:
    """'On the night ... she was killed by her partner' does not make 'On' the victim."""
    intro = (
        "Nadia was 45 years old. On the night of 2 May she was killed by her partner, whom we call 'Owen'."
    )
    body = BODY + " She went on holiday on 3 June. It went on and on."
    people = people_of("THE DEATH OF 'NADIA'", intro, body)
    assert (people.victim.name, people.victim.gender, people.victim.age) == ("Nadia", "female", 45)
    assert people.perpetrator.name == "Owen"


def test_a_police_contact_involves_the_couple_by_name_or_by_the_words_for_them() -> None:
    """First police contact is judged on the passage: the names, 'the couple', 'their flat' all involve them."""
    involved = LEXICON.people.involved("Nadia", "Owen")
    assert involved.search("A neighbour rang 999. Officers found Nadia crying.")
    assert involved.search("Officers were called to the couple's home after a neighbour heard shouting.")
    assert not involved.search("Officers attended a disturbance involving two strangers in the street.")


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The two men were members of the same household.", "household_member"),
        ("By then they had been married for eleven years.", "partner"),
        (
            "Owen, a 40-year-old man with whom she had been in a relationship since 2018, was arrested.",
            "partner",
        ),
        ("They had been together for four years when he killed her.", "partner"),
        ("She was killed by her partner of nine years.", "partner"),
    ],
)
def test_pair_statements_give_the_relationship(sentence: str, value: str) -> None:
    """'The two men were members of the same household', 'they were married' name the relationship."""
    assert [v for v, pattern in LEXICON.people.pair_relations if pattern.search(sentence)] == [value]


def test_an_apposition_after_a_sentence_opener_names_the_victim() -> None:
    """'So I turn to 'Nadia', a 33-year-old ..., killed by her estranged husband, 'Owen'': Nadia, not 'So'."""
    intro = (
        "So I turn first to 'Nadia', a 33-year-old pharmacist who was killed by her estranged\n"
        "husband, 'Owen', on 9 July 2021, and whose friends remember her laugh."
    )
    people = people_of("Domestic Homicide Review", intro, BODY)
    assert (people.victim.name, people.victim.age, people.victim.gender) == ("Nadia", 33, "female")
    assert (people.perpetrator.name, people.perpetrator.gender) == ("Owen", "male")
    assert people.perpetrator.relationship == "ex_partner"


def test_a_month_or_weekday_before_the_killing_is_not_the_victim() -> None:
    """'On Friday 4 June 2021 she was killed by her partner' names no victim: the title's name stands."""
    intro = "On Friday 4 June 2021 she was killed at home by her partner, whom we call 'Owen'."
    people = people_of("THE DEATH OF 'NADIA'", intro, BODY + " Nadia and Owen.")
    assert people.victim.name == "Nadia"


def test_a_report_about_adult_c_gives_the_age_in_the_next_sentence() -> None:
    """'This report is about Adult C. He was 50.' and 'Adult C died on <date>' name a male victim of 50."""
    intro = (
        "1.1 This report is about Adult C. He was 50. He lived with his wife, Adult D.\n"
        "1.2 Adult C died on 02/02/2022 after a stab wound."
    )
    body = "Adult C drank. Adult D drank. Adult C and Adult D argued. Adult C fell."
    people = people_of("Domestic Homicide Review", intro, body)
    assert (people.victim.name, people.victim.age, people.victim.gender) == ("Adult C", 50, "male")


def test_a_names_table_may_give_the_role_first() -> None:
    """'Perpetrator | Mr Q, her son, aged 40' is a names table row with the role in the first cell."""
    table = "Victim | Mrs P, aged 74\nPerpetrator | Mr Q, her son, aged 40"
    body = "Mrs P lived alone. Mr Q visited. Mrs P was afraid of Mr Q. Mr Q drank. Mrs P fell."
    people = people_of("Domestic Homicide Review", table, body)
    assert (people.victim.name, people.victim.age, people.victim.gender) == ("Mrs P", 74, "female")
    assert (people.perpetrator.name, people.perpetrator.age) == ("Mr Q", 40)
    assert (people.perpetrator.relationship, people.perpetrator.gender) == ("family_member", "male")


@pytest.mark.parametrize(
    "opening",
    [
        "Nadia died in March 2022 at the flat she had rented for a year. Her son, Owen, who was 15 when she died, "
        "found her.",
        "Nadia was killed in the spring of 2022. Nadia lived with her brother Owen, aged 19 when he was "
        "arrested. Her nephew, 'Owen', was 15 when she died.",
        "Nadia died in 2022.\nShe shared the house with her stepson, Owen, who was 17 when she died.",
    ],
)
def test_a_summary_names_the_one_who_died_not_her_relative(opening: str) -> None:
    """'Her son, Owen, who was 15 when she died' is a relative of the victim; 'Nadia died in March 2022' is her."""
    body = "Owen went to school. Owen played football. Owen is now in care. Owen is doing well. Nadia worked."
    assert (
        people_of("Domestic Homicide Review\nExecutive Summary", opening, body, BODY).victim.name == "Nadia"
    )


@pytest.mark.parametrize(
    "intro",
    [
        "2.1 Nadia was 31 when she died.",
        "4.3.2 Nadia, aged 31, died at her flat.",
        "7. Nadia was 31 when she was killed.",
    ],
)
def test_a_paragraph_number_before_the_name_is_not_a_day(intro: str) -> None:
    """'2.1 Nadia was 31': the number opens a numbered paragraph, it is not the day of a date."""
    people = people_of("Domestic Homicide Review", intro, BODY)
    assert (people.victim.name, people.victim.age) == ("Nadia", 31)


@pytest.mark.parametrize(
    "intro",
    [
        "1.1 Nadia died at the flat she shared with her partner, Owen, in Hove on Friday 4th March 2020.",
        "Nadia was killed at her home in Hove on the 4th of March 2020.",
        "Nadia died in hospital in Brighton on 4 March 2020.",
    ],
)
def test_a_death_told_with_where_before_when_names_the_victim(intro: str) -> None:
    """'Nadia died at her home in Hove on ...': the place between the death and its date does not hide her."""
    assert people_of("Domestic Homicide Review", intro, BODY).victim.name == "Nadia"


@pytest.mark.parametrize(
    ("intro", "relationship", "gender"),
    [
        ("In March 2020 her husband of twelve years, Owen, killed her at home.", "partner", "male"),
        ("On 4 March 2020 his wife, Owen, stabbed him in the kitchen.", "partner", "female"),
        ("Nadia's life ended when her son Owen strangled her.", "family_member", "male"),
        # the review's naming of the killer between the relationship and the killing
        ("Her brother, whom her children asked us to call Owen, killed her.", "family_member", "male"),
        ("In 2020 her boyfriend, known in this review as 'Owen', stabbed her.", "partner", "male"),
        ("Her stepfather, who we have called Owen throughout, had strangled her.", "family_member", "male"),
        # the killing told in a clause before the review names the killer
        ("Her nephew, who killed her, is called Owen.", "family_member", "male"),
        ("Her husband, who caused her death, will be known as Owen in this review.", "partner", "male"),
        ("Her sister, who had stabbed her, is referred to here as Owen.", "family_member", "female"),
    ],
)
def test_the_killer_named_by_relationship_as_the_subject(intro: str, relationship: str, gender: str) -> None:
    """'her husband of twelve years, Owen, killed her' names the perpetrator, the relationship and his gender."""
    people = people_of("Review into the death of Nadia", intro, BODY)
    assert people.perpetrator.name == "Owen"
    assert (people.perpetrator.relationship, people.perpetrator.gender) == (relationship, gender)


def test_the_age_told_first_is_the_age_at_death() -> None:
    """'Nadia was 31.' in the introduction, and 'Nadia was 19;' of an earlier time: the first is her age."""
    intro = "Nadia was 31. She was killed at home. When her mother died Nadia was 19; her brother was 12."
    assert people_of("Review into the death of Nadia", intro, BODY).victim.age == 31


def test_a_title_and_surname_is_a_name_and_a_title_alone_is_not() -> None:
    """'Mr Ellis' is the victim's name, and a man; 'Mr' alone, or 'Mr and Mrs', names nobody."""
    intro = "This review concerns Mr Ellis, who was 70 when he was killed by his daughter."
    body = (
        "Mr Ellis lived alone. Mr Ellis loved his garden. Mr Ellis rang the police. Mr and Mrs Hale helped."
    )
    people = people_of("Domestic Homicide Review\nMr Ellis", intro, body)
    assert (people.victim.name, people.victim.gender, people.victim.age) == ("Mr Ellis", "male", 70)
