"""The perpetrator's relationship to the victim, read from relationship words beside his name, when the
review's introduction has not stated it."""

from __future__ import annotations

import pytest

from briefgen import resources
from briefgen.coding.codebook import load_codebook
from briefgen.coding.features import Case, relationship
from briefgen.coding.match import CompiledCodebook
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import DocumentText, Page
from briefgen.people import CasePeople, Person
from briefgen.text import segment

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))
CODEBOOK = CompiledCodebook(load_codebook(resources.default_codebook()))


def relationship_in(text: str, victim: str, perpetrator: str, gender: str = "female") -> str:
    """The relationship briefgen reads from `text`, given who the victim and the perpetrator are."""
    document = DocumentText(
        sha256="0" * 64,
        format="pdf",
        page_unit="page",
        title="t",
        pages=[Page(number=1, text="4. Background\n" + text)],
    )
    sentences = segment(document, LEXICON)
    facts = [s for s in sentences if s.kind in LEXICON.roles.facts]
    people = CasePeople(Person(name=victim), Person(name=perpetrator))
    case = Case(sentences, facts, LEXICON, CODEBOOK, victim, perpetrator, None, people)
    return str(relationship(case, gender).value)


@pytest.mark.parametrize(
    ("text", "victim", "perpetrator", "value"),
    [
        ("Rhian's husband, Dai, worked nights at the depot.", "Rhian", "Dai", "partner"),
        ("Her former partner, 'Lee', had moved to a flat in town.", "Carys", "Lee", "ex_partner"),
        ("Mr Z, her son, had lived with her since 2019.", "Mrs Z", "Mr Z", "family_member"),
        ("Dean (her ex-boyfriend) kept calling the shop.", "Ann", "Dean", "ex_partner"),
        ("Dai and Rhian were married in 1998 in Llanelli.", "Rhian", "Dai", "partner"),
    ],
)
def test_relationship_words_beside_the_perpetrator_s_name(
    text: str, victim: str, perpetrator: str, value: str
) -> None:
    """'Her husband, Dai', 'Rhian's husband', 'Mr Z, her son', 'Dean (her ex-boyfriend)', 'were married'."""
    assert relationship_in(text, victim, perpetrator) == value


def test_another_man_s_relationship_words_say_nothing() -> None:
    """Relationship words beside someone else's name are not the perpetrator's: 'her brother, Tom'."""
    text = "Her brother, Tom, drove her to the station. Dai was at work that day."
    assert relationship_in(text, "Rhian", "Dai") == "unknown"


def test_a_name_with_the_pattern_s_own_characters_is_read_as_text() -> None:
    """A name is matched as written, whatever its characters ('Mr. Z' is not 'Mr Z' with any character)."""
    assert relationship_in("Mr. Z, her son, lived with her.", "Mrs. Z", "Mr. Z") == "family_member"
    assert relationship_in("MrxZ, her son, lived with her.", "Mrs. Z", "Mr. Z") == "unknown"
