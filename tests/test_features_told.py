"""Case features told in other words than a full date or a stated age: a day and month whose year the story
gives, an age told as a year of life or a date of birth, the couple's home told as theirs, a force that the review
says had no contact."""

from __future__ import annotations

import pytest

from tests.one_review import coded

OPENING = """Domestic Homicide Review into the death of 'Nadia'
1. Introduction
Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020. Nadia and Owen had met in 2016.
"""
ANALYSIS = """
4. Analysis
The officers did not complete a DASH risk assessment, which was a missed opportunity for Kent Police.
"""


class TestDayAndMonthWithoutAYear:
    @pytest.mark.parametrize(
        "told",
        [
            "On the 12th of January Nadia rang Kent Police to report that Owen had assaulted her.",
            "On Sunday 12 January Nadia rang Kent Police to report that Owen had assaulted her.",
            "On January the 12th Nadia rang Kent Police to report that Owen had assaulted her.",
            "Nadia rang Kent Police on the 12th January to report that Owen had assaulted her.",
        ],
    )
    def test_the_year_is_the_last_before_the_death(self, told: str) -> None:
        """A story told without years, near the death: its days fall in the year before the death."""
        text = OPENING + f"2. What happened\n{told} Officers attended and arrested Owen.\n" + ANALYSIS
        case = coded(text)
        assert case.features.first_police_contact.value == "2020-01-12"
        assert case.features.days_first_contact_to_death.value == 52

    @pytest.mark.parametrize(
        "told",
        [
            "In the winter of 2018 - on the 12th of December, to be precise - Nadia rang Kent Police to report "
            "that Owen had assaulted her.",
            "During 2018 things got worse. On the 12th of December Nadia rang Kent Police to report that Owen "
            "had assaulted her.",
            "On 2 June 2018 they moved to Hove. On the 12th of December Nadia rang Kent Police to report that "
            "Owen had assaulted her.",
        ],
    )
    def test_the_year_is_the_one_the_story_has_reached(self, told: str) -> None:
        """A year given in the sentence or earlier in the paragraph is the year of a day told without one."""
        text = OPENING + f"2. What happened\n{told} Officers attended.\n" + ANALYSIS
        assert coded(text).features.first_police_contact.value == "2018-12-12"

    def test_a_year_in_the_reviewer_s_analysis_is_not_the_story_s(self) -> None:
        """In the analysis a year nearby may be a law's: a day told there without a year is not dated by it."""
        text = (
            OPENING
            + "2. What happened\nOn 3 January 2020 Nadia rang Kent Police to report that Owen had hit her.\n"
            + "4. Analysis\nThe offence of coercive control had been in force since December 2015. The officer "
            "who attended on the 20th of November did not ask Nadia about control by Owen.\n"
        )
        assert coded(text).features.first_police_contact.value == "2020-01-03"


class TestAgesTold:
    @pytest.mark.parametrize(
        "told",
        [
            "Nadia was born in June 1988 in Hastings.",
            "Nadia grew up in Hastings. She was in her thirty-second year and training as a nurse.",
            "Nadia grew up in Hastings. She had just turned 31 that winter.",
        ],
    )
    def test_an_age_told_without_being_stated(self, told: str) -> None:
        """A year of life, an age just reached or a date of birth with the date of death give the age."""
        text = (
            "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\nNadia was killed by her "
            f"partner, Owen, on 4 March 2020.\n2. Nadia\n{told} Owen was a driver.\n" + ANALYSIS
        )
        assert coded(text).features.victim_age.value == 31


class TestTheirHome:
    @pytest.mark.parametrize(
        "told",
        [
            "Nadia and Owen shared a rented two-bedroom flat in Hove.",
            "Owen attacked Nadia in their kitchen.",
            "In 2018 Nadia moved into Owen's flat.",
            "Nadia and Owen set up home together in 2017.",
            "Nadia died at their shared home.",
        ],
    )
    def test_the_couple_s_home_told_as_theirs(self, told: str) -> None:
        """The shared home told in other words than 'lived together' is cohabiting."""
        text = OPENING + f"2. Background\n{told}\n" + ANALYSIS
        assert coded(text).features.cohabiting.value is True


class TestForcesWithoutContact:
    def test_a_force_named_in_the_paragraph_after_the_death_is_left_out(self) -> None:
        """The force that arrested him the morning after the death had no contact before it."""
        text = (
            "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
            "1.1 Nadia was killed by her partner, Owen, on 4 March 2020. She died at the scene.\n"
            "1.2 Owen was arrested the following morning by officers of Essex Police.\n"
            "2. What happened\nOn 12 January 2020 Nadia rang Kent Police to report that Owen had assaulted "
            "her. Officers attended.\n" + ANALYSIS
        )
        assert coded(text).features.police_forces.value == ["Kent Police"]

    @pytest.mark.parametrize(
        "denial",
        [
            "Essex Police, whose officers attended the hospital, had no contact with either of them before.",
            "Officers attended the hospital; neither had had previous dealings with Essex Police.",
            "Essex Police searched its records and found no trace of either of them.",
        ],
    )
    def test_a_force_the_review_says_had_no_contact_is_left_out(self, denial: str) -> None:
        """A force named as having had no contact is not one that had contact, unless a dated contact names it."""
        text = (
            OPENING
            + "2. What happened\nOn 12 January 2020 Nadia rang Kent Police to report that Owen had assaulted "
            f"her. Officers attended. {denial}\n" + ANALYSIS
        )
        assert coded(text).features.police_forces.value == ["Kent Police"]

    def test_a_records_search_with_no_trace_is_not_contact(self) -> None:
        """A force that searched its records for the panel and found nothing had no contact."""
        text = (
            OPENING
            + "2. What happened\nOn 12 January 2020 Nadia rang Kent Police to report that Owen had assaulted "
            "her. Officers attended. Surrey Police were asked to check their records and reported that "
            "they held no trace of Owen.\n" + ANALYSIS
        )
        assert coded(text).features.police_forces.value == ["Kent Police"]

    def test_an_abbreviation_the_review_uses_for_something_else_is_not_a_force(self) -> None:
        """'ASC' for adult social care is not Avon and Somerset Constabulary when the review never names it."""
        text = (
            OPENING
            + "2. What happened\nOn 12 January 2020 Nadia rang Kent Police to report that Owen had assaulted "
            "her. Officers attended and made a referral to Adult Social Care (ASC). ASC did not act.\n"
            + ANALYSIS
        )
        assert coded(text).features.police_forces.value == ["Kent Police"]

    @pytest.mark.parametrize(
        "relative",
        [
            "Nadia's sister is a constable with Essex Police; Essex Police had no dealings with Nadia or Owen.",
            "Her uncle, a serving officer in Essex Police, spoke to the panel. Essex Police had no contact "
            "with the couple at any time.",
            "Essex Police, which employs Nadia's cousin, had no involvement with either of them.",
        ],
    )
    def test_a_force_named_only_as_a_relative_s_employer_is_not_the_police_who_came(
        self, relative: str
    ) -> None:
        """Contact with 'the police' only takes the force the review names most often, less one it names as a
        relative's employer or as having had no contact, however often."""
        text = (
            OPENING
            + f"2. The family\n{relative} {relative}\n"
            + "3. What happened\nOn 12 January 2020 Nadia rang the police to report that Owen had assaulted "
            "her. Officers attended.\n4. Analysis\nKent Police did not complete a DASH risk assessment.\n"
        )
        assert coded(text).features.police_forces.value == ["Kent Police"]


class TestAnOpeningSectionAboutTheProcess:
    @pytest.mark.parametrize("heading", ["The review process", "Process of the review", "Methodology"])
    def test_the_case_told_under_a_heading_about_the_process_is_read(self, heading: str) -> None:
        """An executive summary that tells the case in its first section, headed as the review's process."""
        text = (
            "Domestic Homicide Review into the death of 'Nadia'\nExecutive Summary\n"
            f"1. {heading}\n1.1 This summary sets out how the review into the death of Nadia was carried out. "
            "She was killed at home by her partner, Owen, on 4 March 2020.\n"
            "1.2 Nadia was born in the autumn of 1988. The panel met four times.\n"
            "2. What happened\nOn 12 January 2020 Nadia rang Kent Police to report that Owen had assaulted "
            "her. On 4 March 2020 Owen killed Nadia at home.\n" + ANALYSIS
        )
        features = coded(text).features
        assert features.victim_age.value == 31
        assert features.relationship.value == "partner"

    @pytest.mark.parametrize(
        "elsewhere",
        [
            "In 2012 Cheshire Constabulary recorded an assault by Owen on a woman he then lived with.",
            "Owen had been cautioned by Cheshire Constabulary in 2013 for hitting a former girlfriend.",
        ],
    )
    def test_dated_contacts_that_name_no_force_are_the_review_s_own_force(self, elsewhere: str) -> None:
        """Rows of police contact that say only 'the police' belong to the force the review names most often,
        though another contact names a different force."""
        text = (
            OPENING + f"2. Background\n{elsewhere}\n3. What happened\n"
            "On 12 January 2020 Nadia rang the police to report that Owen had assaulted her. Officers attended.\n"
            "On 2 February 2020 the police were called by a neighbour who heard Owen hitting Nadia.\n"
            "4. Analysis\nKent Police did not complete a DASH risk assessment. Kent Police did not refer Nadia.\n"
        )
        assert coded(text).features.police_forces.value == ["Cheshire Constabulary", "Kent Police"]
