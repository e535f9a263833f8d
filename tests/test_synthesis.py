"""The synthesis of a theme: 'In one case ... In a second case ... In four of the 16 cases ...', written from
the coded cases with the templates of templates/synthesis.yaml, for any number of cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.models import CodedCase, CodedResult
from briefgen.render.synthesis import theme_synthesis

CODED = Path(__file__).parent / "fixtures" / "coded-small.json"


@pytest.fixture(scope="module")
def coded() -> CodedResult:
    return CodedResult.model_validate_json(CODED.read_bytes())


def many(coded: CodedResult, n: int) -> list[CodedCase]:
    """`n` cases made by copying the fixture's cases under new names."""
    return [
        coded.cases[i % len(coded.cases)].model_copy(update={"source": f"case-{i:02d}.pdf"}) for i in range(n)
    ]


def paragraphs(coded: CodedResult, cases: list[CodedCase], theme: str) -> list[str]:
    codes = [
        code for code in coded.codebook.codes if code.theme == theme and code.polarity != "good_practice"
    ]
    facts = [fact for fact in coded.codebook.facts if fact.theme == theme]
    return theme_synthesis(cases, codes, facts)


class TestSynthesis:
    def test_the_richest_case_comes_first_with_its_quantities(self, coded: CodedResult) -> None:
        """The case with most findings and stated quantities opens the synthesis, citing the page."""
        text = " ".join(paragraphs(coded, coded.cases, "recognition_response"))
        assert text.startswith("In one case (Maggie),")
        assert (
            "nine incidents not risk assessed, nine graded standard, three graded medium, only one graded high"
            in text
        )
        assert "(Maggie, p.\u00a011, 12)" not in text
        assert "(Maggie, pp.\u00a011, 12)" in text

    def test_recurring_findings_are_counted_out_of_all_cases(self, coded: CodedResult) -> None:
        """Findings in two or more cases are said as 'In N of the M cases'."""
        text = " ".join(paragraphs(coded, coded.cases, "officer_norms"))
        assert "of the four cases," in text or "In all four cases," in text or "In both" in text

    @pytest.mark.parametrize("n", [0, 1, 2, 40])
    def test_reads_correctly_for_any_number_of_cases(self, coded: CodedResult, n: int) -> None:
        """With 0, 1, 2 and 40 cases the sentences are grammatical: no 'no cases', 'None of the no', '0/2'."""
        cases = many(coded, n) if n else []
        text = " ".join(paragraphs(coded, cases, "recognition_response"))
        if n == 0:
            assert text == ""
            return
        for wrong in ("no cases", "None of the no", "of the one", "of the two", " 0 ", "In one of the"):
            assert wrong not in text
        if n == 1:
            assert text.startswith("In the one case (")
        if n == 2:
            assert "In both cases," in text or "In one case (" in text
        if n == 40:
            assert "of the 40 cases," in text or "In all 40 cases," in text
            assert "In a third case" not in text


def test_findings_are_said_together_only_for_the_same_cases(coded: CodedResult) -> None:
    """Two findings in two cases each are one sentence only when they are the same two cases."""
    from briefgen.models import CodeResult

    def case(i: int, present: set[str]) -> CodedCase:
        base = coded.cases[0]
        codes = {code: CodeResult(present=code in present) for code in base.codes}
        return base.model_copy(update={"source": f"c{i}.pdf", "codes": codes, "facts": {}})

    apart = [
        case(0, {"modern_slavery"}),
        case(1, {"modern_slavery", "homelessness"}),
        case(2, {"homelessness"}),
    ]
    text = " ".join(paragraphs(coded, apart, "other_features"))
    assert "cases, there were signs of modern slavery and" not in text
    together = [
        case(0, {"modern_slavery", "homelessness"}),
        case(1, {"modern_slavery", "homelessness"}),
        case(2, set()),
    ]
    text = " ".join(paragraphs(coded, together, "other_features"))
    assert (
        "In two of the three cases, there were signs of modern slavery and the victim was homeless." in text
    )
