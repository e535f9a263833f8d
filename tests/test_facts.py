"""Facts: the quantities a review states about its case, found by the codebook's `facts` patterns."""

from __future__ import annotations

import pytest

from briefgen.coding.codebook import Fact, load_codebook
from briefgen.coding.facts import compile_facts, extract_facts, number_value
from briefgen.resources import default_codebook
from briefgen.text import Sentence


def sentence(text: str, page: int = 1, index: int = 0) -> Sentence:
    return Sentence(text=text, page=page, section="Analysis", kind="analysis", index=index)


@pytest.fixture(scope="module")
def facts() -> list[object]:
    return compile_facts(load_codebook(default_codebook()).facts)  # type: ignore[return-value]


class TestNumbers:
    @pytest.mark.parametrize(
        ("text", "value"), [("22", 22), ("nine", 9), ("Twenty-two", 22), ("twenty two", 22), ("eleven", 11)]
    )
    def test_digits_and_words_are_read(self, text: str, value: int) -> None:
        """Numbers in digits or in words (up to ninety-nine) give their value."""
        assert number_value(text) == value

    def test_other_words_are_not_numbers(self) -> None:
        """A word that is not a number gives nothing."""
        assert number_value("several") is None


class TestReferenceFacts:
    def test_callouts_and_dash_gradings_come_from_one_sentence(self, facts: list[object]) -> None:
        """'Of the 22 call-outs, nine had no DASH...' gives the call-outs and every grading, with the page."""
        found = extract_facts(
            [
                sentence(
                    "Of the 22 call-outs, nine had no DASH risk assessment, eight were graded standard, "
                    "four medium and one high.",
                    page=46,
                )
            ],
            facts,  # type: ignore[arg-type]
        )
        values = {key: fact.value for key, fact in found.items()}
        assert values == {
            "police_callouts": 22,
            "dash_not_assessed": 9,
            "dash_standard": 8,
            "dash_medium": 4,
            "dash_high": 1,
        }
        assert found["dash_high"].evidence.page == 46

    def test_referrals_for_support_are_counted(self, facts: list[object]) -> None:
        """'Referrals for support were made on five occasions' gives five support referrals."""
        found = extract_facts(
            [sentence("Referrals for support were made on five occasions, all of them before 2014.")],
            facts,  # type: ignore[arg-type]
        )
        assert found["support_referrals"].value == 5

    def test_gradings_need_a_grading_word(self, facts: list[object]) -> None:
        """'two high walls' is not a risk grading: the sentence must speak of grading."""
        found = extract_facts([sentence("The garden had two high walls and a gate.")], facts)  # type: ignore[arg-type]
        assert "dash_high" not in found

    def test_the_first_sentence_that_states_a_fact_gives_it(self) -> None:
        """When two sentences state a fact, the earlier one in the review gives the value."""
        fact = Fact(id="callouts", theme="t", label="call-outs", match=[r"\b{n} call-outs"])
        found = extract_facts(
            [sentence("There were 12 call-outs.", index=0), sentence("There were 3 call-outs.", index=1)],
            compile_facts([fact]),
        )
        assert found["callouts"].value == 12

    def test_a_pattern_without_a_number_is_refused(self) -> None:
        """A fact pattern must say where the number stands ({n})."""
        with pytest.raises(ValueError, match=r"\{n\}"):
            Fact(id="callouts", theme="t", label="call-outs", match=[r"\bcall-outs"])
