"""Text: dates, sentences, headings and sections."""

from __future__ import annotations

import pytest

from briefgen import resources
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import DocumentText, Page
from briefgen.text import PartialDate, find_dates, segment, split_sentences

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("on 14th March 2019 she", "2019-03-14"),
        ("on 14 March, 2019", "2019-03-14"),
        ("on 14.03.2019", "2019-03-14"),
        ("on 14/03/19", "2019-03-14"),
        ("on 2019-03-14", "2019-03-14"),
        ("on March 14th, 2019", "2019-03-14"),
        ("in March 2019", "2019-03"),
        ("in Sept. 2018", "2018-09"),
        ("on 03/25/2019 (US order)", "2019-03-25"),
    ],
)
def test_dates_in_the_formats_reviews_use(text: str, iso: str) -> None:
    """Day-first UK dates, written dates, ISO dates and month-only dates are all read."""
    assert [mention.value.iso() for mention in find_dates(text)] == [iso]


def test_impossible_dates_are_not_dates() -> None:
    """31.02.2019 and paragraph numbers like 4.12 are not dates."""
    assert find_dates("on 31.02.2019 and in paragraph 4.12") == []


def test_may_the_month_is_a_date() -> None:
    """'May 2018' is a date, whatever 'may' means elsewhere."""
    assert find_dates("In May 2018 officers attended")[0].value == PartialDate(2018, 5)


def test_sentences_do_not_split_at_abbreviations() -> None:
    """'Mr.', 'e.g.' and initials do not end a sentence."""
    text = "Mr. B was seen by Dr. Khan, e.g. on 3 May. PC J. Smith attended. She left."
    assert split_sentences(text) == [
        "Mr. B was seen by Dr. Khan, e.g. on 3 May.",
        "PC J. Smith attended.",
        "She left.",
    ]


def document(*pages: str, unit: str = "page") -> DocumentText:
    return DocumentText(
        sha256="0" * 64,
        format="pdf",
        page_unit=unit,
        title="t",  # type: ignore[arg-type]
        pages=[Page(number=n, text=t) for n, t in enumerate(pages, start=1)],
    )


class TestSections:
    def test_numbered_headings_set_the_section(self) -> None:
        """'5. Chronology' and '9. Recommendations' start sections of those kinds."""
        sentences = segment(
            document(
                "5. Chronology\nOfficers attended on 3 May 2018.\n9. Recommendations\nThe force should act."
            ),
            LEXICON,
        )
        assert [(s.kind, s.section) for s in sentences] == [
            ("chronology", "5. Chronology"),
            ("recommendations", "9. Recommendations"),
        ]

    def test_a_subheading_keeps_its_section(self) -> None:
        """A heading that names no kind ('4.2 Northumbria Police') stays in the section it is in."""
        sentences = segment(
            document("4. Analysis\n4.2 Northumbria Police\nOfficers did not recognise it."), LEXICON
        )
        assert sentences[0].kind == "analysis"

    def test_a_contents_page_does_not_set_the_section_of_the_text(self) -> None:
        """Entries of a contents list are not headings of the text that follows."""
        sentences = segment(
            document(
                "Contents\nIntroduction 3\nAppendix A: Action Plan 20",
                "1. Introduction\nAnn died in 2019 here.",
            ),
            LEXICON,
        )
        assert sentences[-1].kind == "introduction"

    def test_label_and_value_lines_are_not_headings(self) -> None:
        """'Author: Dr A Smith' on a cover is not a section heading."""
        sentences = segment(
            document("Author: Dr Ann Smith\nThis review was written in 2019 for the panel."), LEXICON
        )
        assert sentences[0].kind == "front"

    def test_table_rows_keep_their_cells(self) -> None:
        """A row's sentences know the row's cells: date, agency, event."""
        sentences = segment(
            document("5. Chronology\n03.05.2018 | Kent Police | Officers attended. DASH completed."), LEXICON
        )
        assert sentences[0].cells == ("03.05.2018", "Kent Police", "Officers attended. DASH completed.")
        assert {s.paragraph for s in sentences} == {sentences[0].paragraph}
