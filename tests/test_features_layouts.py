"""Case features read from layouts and turns of phrase other authors use: an age the victim would have reached
after the death, an age in a list of key facts, a time of day beside a name; a relationship word set beside the
perpetrator's name; a contact told by its month and dated by a chronology row; a relative's own report; officers
finding one of them on a day before the death."""

from __future__ import annotations

import pytest

from tests.one_review import coded

TITLE = "Domestic Homicide Review into the death of 'Nadia'\n1. Introduction\n"
KILLED = "Nadia was killed by her partner, Owen, on 4 March 2020. Nadia and Owen had met in 2016.\n"


class TestAgeTold:
    @pytest.mark.parametrize(
        "told",
        [
            "Nadia would have turned 32 in the June after she died.",
            "Nadia was born in 1988; she would have turned thirty-two that summer.",
            "Nadia would have reached 32 later that year.",
        ],
    )
    def test_an_age_she_would_have_reached_is_one_more_than_hers(self, told: str) -> None:
        """'She would have turned 32 that summer': she was 31 when she died."""
        text = TITLE + KILLED + f"2. Nadia\n{told} Owen was a driver.\n"
        assert coded(text).features.victim_age.value == 31

    @pytest.mark.parametrize("fact", ["- Nadia: 31. Worked in a shop.", "- Nadia: 31, a care worker."])
    def test_an_age_after_a_colon_in_key_facts(self, fact: str) -> None:
        """A list of key facts gives the age after the name and a colon."""
        text = TITLE + KILLED + f"Key facts:\n{fact}\n- Owen: 35. Own flat.\n"
        assert coded(text).features.victim_age.value == 31

    def test_a_time_of_day_beside_a_name_is_not_an_age(self) -> None:
        """'a call from Nadia (19:40)' gives no age of 19; the age the review states stands."""
        text = (
            TITLE
            + KILLED
            + "Nadia, aged 31, worked in a shop.\n4. Chronology\n"
            + "On 2 March 2020 Kent Police took a 999 call from Nadia (19:40) about Owen hitting her.\n"
        )
        assert coded(text).features.victim_age.value == 31


class TestPerpetratorGender:
    @pytest.mark.parametrize(
        "told",
        [
            "Perpetrator: Owen, her boyfriend.",
            "The man who killed her was Owen (her boyfriend at the time).",
            "She had met her boyfriend, Owen, online.",
        ],
    )
    def test_a_relationship_word_beside_his_name_is_his(self, told: str) -> None:
        """'Owen, her boyfriend': the word is his, not a relative's, though it follows 'her'."""
        text = (
            "Domestic Homicide Review: 'Nadia'\n1. Summary\nNadia died on 4 March 2020.\n"
            f"{told}\nOwen was convicted of murder.\nPolice arrested Owen for assaulting Ms K after she left him.\n"
            "Owen at her door, shouting. She told officers she was scared.\n"
        )
        assert coded(text).features.perpetrator_gender.value == "male"


class TestContactDates:
    def test_a_contact_told_by_its_month_takes_the_day_of_the_chronology_row(self) -> None:
        """A row '12/06/2019 | a neighbour rang 999' names neither of them; the section about June 2019 tells the
        contact was about Nadia and Owen: the first contact is the row's day."""
        text = (
            TITLE
            + KILLED
            + "3. Chronology\n12/06/2019 | Kent Police | A neighbour rang 999 about shouting. Officers attended.\n"
            + "01/03/2020 | GP | Nadia seen for a cough.\n"
            + "4. The June 2019 call\nOfficers spoke to Nadia, who said Owen had hit her during an argument.\n"
        )
        assert coded(text).features.first_police_contact.value == "2019-06-12"

    def test_a_relative_s_own_report_names_no_force_of_theirs(self) -> None:
        """'That matter did not involve Nadia': the force her relative reported to had no contact with them."""
        text = (
            TITLE
            + KILLED
            + "4. Chronology\nOn 3 May 2019 Nadia called Kent Police to report that Owen had hit her.\n"
            + "In 2015 Owen's sister reported domestic abuse by her husband to Essex Police. "
            + "That matter did not involve Nadia or Owen.\n"
        )
        assert coded(text).features.police_forces.value == ["Kent Police"]

    def test_officers_finding_one_of_them_before_the_death_is_contact(self) -> None:
        """'On 3 May 2019 British Transport Police found Owen on a platform': a contact, dated before the death."""
        text = (
            TITLE
            + KILLED
            + "4. Chronology\nOn 9 April 2019 Nadia called Kent Police to report that Owen had hit her.\n"
            + "On 3 May 2019 British Transport Police officers found Owen on a station platform, drunk.\n"
        )
        assert coded(text).features.police_forces.value == ["British Transport Police", "Kent Police"]
