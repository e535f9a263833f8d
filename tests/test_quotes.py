"""Choosing quotes: relevant, about this case, never repeated, spread over cases, table rows made readable."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.models import CodedCase, CodedResult, CodeResult, Evidence
from briefgen.render.quotes import QuotePicker, readable

CODED = Path(__file__).parent / "fixtures" / "coded-small.json"


@pytest.fixture
def coded() -> CodedResult:
    return CodedResult.model_validate_json(CODED.read_bytes())


def with_evidence(case: CodedCase, code: str, *quotes: str) -> CodedCase:
    codes = dict(case.codes)
    codes[code] = CodeResult(present=True, evidence=[Evidence(page=3, quote=q) for q in quotes])
    return case.model_copy(update={"codes": codes})


class TestReadable:
    def test_a_chronology_row_keeps_date_and_agency_apart(self) -> None:
        """'23/06/2019 | Kent Police | Ryan breaches DVPO' is the words, with its date and agency."""
        assert readable("23/06/2019 | Kent Police | Ryan breaches DVPO by coming to the house at night") == (
            "Ryan breaches DVPO by coming to the house at night.",
            "23/06/2019",
            "Kent Police",
        )

    def test_a_sentence_is_left_alone(self) -> None:
        """A sentence that is not a table row is quoted as it is."""
        assert readable("Officers attended twice.") == ("Officers attended twice.", None, None)


class TestPicker:
    def test_no_sentence_is_quoted_twice(self, coded: CodedResult) -> None:
        """A sentence quoted once in the briefing is not quoted again for another point."""
        labels = {code.id: code for code in coded.codebook.codes}
        picker = QuotePicker(labels)
        first = picker.pick(["stalking"], coded.cases, limit=3)
        again = picker.pick(["stalking"], coded.cases, limit=3)
        assert first
        assert not {q.text for q in first} & {q.text for q in again}

    def test_cases_take_turns(self, coded: CodedResult) -> None:
        """Quotes for several codes come from as many different cases as the evidence allows."""
        labels = {code.id: code for code in coded.codebook.codes}
        quotes = QuotePicker(labels).pick(
            ["officer_norms", "substance_misuse", "risk_downgraded"], coded.cases, limit=3
        )
        assert len({q.case for q in quotes}) >= 2

    def test_good_practice_does_not_illustrate_a_failing_or_feature(self, coded: CodedResult) -> None:
        """A sentence that shows good practice (a MARAC referral) is not quoted for stalking."""
        labels = {code.id: code for code in coded.codebook.codes}
        sentence = (
            "Alan's behaviour was recognised as stalking from the outset, and a MARAC referral was made."
        )
        case = with_evidence(with_evidence(coded.cases[0], "marac_referral", sentence), "stalking", sentence)
        quotes = QuotePicker(labels).pick(["stalking"], [case], limit=1)
        assert all(q.text != sentence for q in quotes)

    def test_an_allegation_against_the_victim_is_not_harassment(self, coded: CodedResult) -> None:
        """A call reporting that the victim was harassing someone is not quoted as harassment of her."""
        labels = {code.id: code for code in coded.codebook.codes}
        sentence = 'On 7th April Mrs G rang 101 to report that "a girl" was harassing her family.'
        case = with_evidence(coded.cases[0], "harassment", sentence)
        assert QuotePicker(labels).pick(["harassment"], [case], limit=1) == []

    def test_a_former_partner_is_not_this_victim(self, coded: CodedResult) -> None:
        """A sentence about the perpetrator's former girlfriend does not illustrate the victim's reluctance."""
        labels = {code.id: code for code in coded.codebook.codes}
        sentence = "Kent Police hold two incidents involving Ryan and a former girlfriend, who declined to support a prosecution."
        case = with_evidence(coded.cases[0], "reluctance_to_report", sentence)
        assert QuotePicker(labels).pick(["reluctance_to_report"], [case], limit=1) == []
