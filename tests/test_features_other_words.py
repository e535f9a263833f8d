"""Case features told in words other than the usual ones: an age in words, a birthday or a part of a year; the
perpetrator named by pseudonym beside a partner's role; a parent's partner in the household; where one of the
couple went, or was released to live; the date row of a record that sets out one episode."""

from __future__ import annotations

import pytest

from tests.one_review import coded

TITLE = "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
KILLED = "Nadia was killed by her partner, Owen, on 4 March 2020. Nadia and Owen had met in 2016.\n"
ANALYSIS = """
4. Analysis
The officers did not complete a DASH risk assessment, which was a missed opportunity for Kent Police.
"""


class TestAgesInOtherWords:
    @pytest.mark.parametrize(
        "told",
        [
            "Nadia was thirty-one.",
            "Nadia, a nurse who was thirty-one years old, lived in Hove.",
            "Nadia grew up in Hove. She was thirty-one.",
            "Nadia, aged thirty-one, worked in a bakery.",
            "Nadia had celebrated her thirty-first birthday in the January before she died.",
            "Nadia died a fortnight before her 32nd birthday.",
            "Nadia was born in the autumn of 1988 in Hove.",
            "Nadia was born in late 1988.",
            "Nadia was born in the summer of 1988.",
        ],
    )
    def test_an_age_in_words_a_birthday_or_a_part_of_a_year(self, told: str) -> None:
        """Ages written in words, birthdays told beside the death and births told by a season give the age."""
        text = TITLE + KILLED + f"2. Nadia\n{told} Owen was a driver.\n" + ANALYSIS
        assert coded(text).features.victim_age.value == 31

    @pytest.mark.parametrize(
        "told",
        [
            "Nadia was born in early 1989.",  # January to April: the birthday may fall either side of 4 March
            "On her 25th birthday Owen smashed her phone.",  # her age then, not at the death
            "She was twenty-six weeks pregnant.",
            "Owen had moved in by 2008, when Nadia was nineteen.",
        ],
    )
    def test_what_does_not_give_the_age_at_death(self, told: str) -> None:
        """A birth the death may fall either side of, an earlier birthday, a time, an earlier age: no age."""
        text = TITLE + KILLED + f"2. Nadia\nNadia grew up in Hove. {told}\n" + ANALYSIS
        assert coded(text).features.victim_age.value is None


class TestPerpetratorByPseudonym:
    @pytest.mark.parametrize(
        ("intro", "relationship", "gender"),
        [
            ("She had left her partner, whom this report calls Owen, in January.", "ex_partner", "male"),
            (
                "She was hurt and controlled by her partner. We call him Owen in this report.",
                "partner",
                "male",
            ),
            (
                "Nadia lived with her girlfriend, referred to here as Jo. She is called Jo by her family.",
                "partner",
                "unknown",
            ),
            (
                "Her husband of twenty years, given the pseudonym Owen, was arrested at the scene.",
                "partner",
                "male",
            ),
            (
                "Nadia was killed by her mother's partner, referred to in this report as Owen.",
                "household_member",
                "male",
            ),
        ],
    )
    def test_the_pseudonym_beside_a_partner_s_role(self, intro: str, relationship: str, gender: str) -> None:
        """A partner or member of the household named by pseudonym is the perpetrator, with that relationship."""
        text = (
            f"{TITLE}Nadia died on 4 March 2020. {intro}\n2. What happened\n"
            "On 12 January 2020 Nadia rang Kent Police about Owen. Officers attended. Owen was arrested. He was "
            "released the next day.\n" + ANALYSIS
        )
        features = coded(text).features
        assert features.relationship.value == relationship
        if gender != "unknown":
            assert features.perpetrator_gender.value == gender

    def test_a_relative_named_by_pseudonym_is_not_the_perpetrator(self) -> None:
        """'Her brother, whom we call Sam' names a relative: the review's naming of him says nothing more."""
        text = (
            f"{TITLE}Nadia died on 4 March 2020. Her brother, whom we call Sam, spoke to the panel.\n"
            "2. What happened\nOn 12 January 2020 Nadia rang Kent Police. Officers attended.\n" + ANALYSIS
        )
        assert coded(text).features.relationship.value == "unknown"

    @pytest.mark.parametrize(
        "pair",
        [
            "Owen and Nadia were members of the same household.",
            "Nadia and Owen had been living in the same house for six years.",
        ],
    )
    def test_the_two_named_as_a_household(self, pair: str) -> None:
        """The two named together as one household are members of it, as 'the two men' would be."""
        text = (
            f"{TITLE}Nadia died on 4 March 2020. Owen was convicted of her murder. {pair}\n"
            "2. What happened\nOn 12 January 2020 Nadia rang Kent Police. Officers attended.\n" + ANALYSIS
        )
        assert coded(text).features.relationship.value == "household_member"


class TestWhereTheyLived:
    @pytest.mark.parametrize(
        "told",
        [
            "In January 2020 Nadia ended the relationship and moved to her mother's house.",
            "In January 2020 Nadia ended the relationship and went to stay with her sister.",
            "In January 2020 Nadia ended the relationship and fled to a refuge.",
            "In January 2020 Nadia ended the relationship and moved into a flat of her own.",
        ],
    )
    def test_where_one_of_them_went_when_it_ended(self, told: str) -> None:
        """After the relationship ended, one of them going to live elsewhere is not living together."""
        text = TITLE + KILLED + f"2. Background\nNadia and Owen lived together from 2017. {told}\n" + ANALYSIS
        features = coded(text).features
        assert features.relationship.value == "ex_partner"
        assert features.cohabiting.value is False

    @pytest.mark.parametrize(
        "told",
        [
            "Owen was released on licence to live at Nadia's home.",
            "Owen was bailed to her address.",
            "His approved address was Nadia's flat.",
            "Officers did not know that Owen was living there.",
        ],
    )
    def test_where_he_was_released_or_found_living(self, told: str) -> None:
        """The home he was released or bailed to, or found living in, is theirs together."""
        text = TITLE + KILLED + f"2. Background\nNadia grew up in Hove. {told}\n" + ANALYSIS
        assert coded(text).features.cohabiting.value is True

    def test_where_he_was_released_to_outweighs_how_she_lived_before(self) -> None:
        """Living alone before he came is outweighed by the home he was released to and found living in."""
        story = (
            "Nadia had lived alone for years. In 2019 Owen was released on licence to live at Nadia's home. "
            "His approved address was her flat. Officers later found Owen was living there."
        )
        assert (
            coded(TITLE + KILLED + f"2. Background\n{story}\n" + ANALYSIS).features.cohabiting.value is True
        )

    def test_a_relative_s_address_is_not_the_couple_s(self) -> None:
        """Bailed to his mother's address: that is not a home the couple shared."""
        text = TITLE + KILLED + "2. Background\nOwen was bailed to his mother's address.\n" + ANALYSIS
        assert coded(text).features.cohabiting.value is not True


class TestRecordDates:
    @pytest.mark.parametrize(
        "date_row",
        [
            "Date | 12th January 2019 (Saturday, evening)",
            "Date of incident | 12/01/2019",
            "When | 12 January 2019",
        ],
    )
    def test_an_episode_s_date_row_dates_the_rows_after_it(self, date_row: str) -> None:
        """A record set out row by row gives its date row to the summary below, which has none of its own."""
        text = (
            TITLE + KILLED + "3. Key practice episodes\nEpisode 1: first call, January 2019\n"
            "Episode 1 | Detail\n"
            f"{date_row}\n"
            "Agencies | Kent Police\n"
            "Summary | Nadia rang 999 and said Owen had pushed her. Officers attended and completed a DASH.\n"
            "Episode 2: arrest, May 2019\n"
            "Episode 2 | Detail\n"
            "Date | 2nd May 2019, with later actions to 20th May 2019\n"
            "Summary | Nadia rang 999 to report that Owen had threatened her. He was arrested. The case was "
            "closed on 20 May 2019.\n" + ANALYSIS
        )
        assert coded(text).features.first_police_contact.value == "2019-01-12"
