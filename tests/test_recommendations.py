"""Recommendations to the police: those addressed to the police, grouped by theme with counts and reviews."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.models import CodedCase, CodedResult, Recommendation
from briefgen.render.recommendations import group_recommendations, load_rules, to_police

CODED = Path(__file__).parent / "fixtures" / "coded-small.json"


@pytest.fixture(scope="module")
def coded() -> CodedResult:
    return CodedResult.model_validate_json(CODED.read_bytes())


def rec(text: str) -> Recommendation:
    return Recommendation(number=None, text=text, addressee=None, page=30)


def with_recs(case: CodedCase, *texts: str) -> CodedCase:
    return case.model_copy(update={"police_recommendations": [rec(text) for text in texts]})


class TestAddressee:
    @pytest.mark.parametrize(
        "text",
        [
            "Essex Police should ensure that a DASH is completed for every incident.",
            "NWP should remind officers that a DASH must be completed.",
            "Both forces should audit their use of interpreters.",
        ],
    )
    def test_recommendations_to_the_police_count(self, text: str) -> None:
        """A recommendation whose subject names the police, a force or its abbreviation is the police's."""
        assert to_police(rec(text), load_rules())

    @pytest.mark.parametrize(
        "text",
        [
            "Rivermead Homes should ensure that ASB procedures consider domestic abuse.",
            "Recommendations 1 to 8 are addressed to Essex Police.",
        ],
    )
    def test_others_do_not(self, text: str) -> None:
        """A housing provider's recommendation, or a line that only says who they are for, is not counted."""
        assert not to_police(rec(text), load_rules())


class TestGroups:
    def test_grouped_by_theme_with_counts_and_reviews(self, coded: CodedResult) -> None:
        """Each theme's group counts its recommendations and names the reviews they come from, once each."""
        cases = [
            with_recs(
                coded.cases[0], "Kent Police should ensure that a DASH is completed at every incident."
            ),
            with_recs(
                coded.cases[1],
                "Recommendation 2: Essex Police should review how MARAC referrals are made.",
                "Essex Police should ensure that 999 callers are transferred to 101, not asked to redial.",
                "The CSP should share this report.",
            ),
        ]
        groups = {
            g.theme.id if g.theme else None: g for g in group_recommendations(cases, coded.codebook.themes)
        }
        assert groups["recognition_response"].count == 2
        assert groups["recognition_response"].reviews == [cases[0].pseudonym, cases[1].pseudonym]
        assert groups["victim_engagement"].count == 1
        assert sum(g.count for g in groups.values()) == 3
        shown = [r.text for g in groups.values() for r in g.shown]
        assert "Essex Police should review how MARAC referrals are made." in shown
