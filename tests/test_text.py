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


def kinds(*pages: str, unit: str = "page") -> dict[str, str]:
    """Each sentence's first word and its section kind, for documents whose sentences start differently."""
    return {s.text.split()[0]: s.kind for s in segment(document(*pages, unit=unit), LEXICON)}


class TestStructure:
    def test_chapter_section_and_part_labels_make_headings(self) -> None:
        """'Chapter 2:', 'Section B -' and 'Part 3.' start headings, matched without their labels."""
        found = kinds(
            "Chapter 2: What we found\nAlpha text here is long enough.\n"
            "Section B - Recommendations\nBravo text here is long enough.\n"
            "Part 3. Lessons\nCharlie text here is long enough."
        )
        assert found == {"Alpha": "analysis", "Bravo": "recommendations", "Charlie": "lessons"}

    def test_a_sentence_case_chapter_heading_is_a_heading(self) -> None:
        """'Chapter 4: How the two of them met' is a heading though most of its words are lower case."""
        sentences = segment(
            document("Chapter 4: How the two of them met\nThey met at work in 2015."), LEXICON
        )
        assert sentences[0].section == "Chapter 4: How the two of them met"

    def test_a_deeper_unnamed_heading_keeps_its_section(self) -> None:
        """'7.2 The first call' under '7. Chronology' stays chronology."""
        assert (
            kinds("7. Chronology\n7.2 The first call\nOfficers attended the flat.")["Officers"]
            == "chronology"
        )

    def test_an_unnamed_heading_at_the_same_level_starts_a_body_section(self) -> None:
        """'6. Ruth and Colin' after '5. The Review Panel' is not part of the panel list."""
        found = kinds(
            "5. The Review Panel\nMembers came from six agencies.\n6. Ruth and Colin\nRuth met Colin in 2012."
        )
        assert found == {"Members": "panel", "Ruth": "body"}

    def test_a_pen_portrait_heading_is_not_swallowed_by_the_section_before(self) -> None:
        """Capitalised headings without numbers are one level: a name after EQUALITY starts a body section."""
        found = kinds(
            "EQUALITY AND DIVERSITY\nNo characteristic applied here.\nMARGARET\nMargaret grew up in Hull."
        )
        assert found == {"No": "equality", "Margaret": "body"}

    def test_agency_headings_stay_in_the_recommendations(self) -> None:
        """Unnumbered agency names under an unnumbered 'Recommendations' are still recommendations."""
        found = kinds("RECOMMENDATIONS\nKENT POLICE\nThe force should audit its DASH forms.")
        assert found == {"The": "recommendations"}

    def test_the_panels_view_is_analysis_not_the_panel_list(self) -> None:
        """'The panel's view' is the review's judgement; 'The Review Panel' is the list of members."""
        assert LEXICON.section_kind("The panel's view") == "analysis"
        assert LEXICON.section_kind("6.3 The Review Panel:") == "panel"

    @pytest.mark.parametrize(
        ("heading", "kind"),
        [
            ("What happened", "chronology"),
            ("Summary of events", "chronology"),
            ("Narrative", "chronology"),
            ("The facts", "chronology"),
            ("What we found", "analysis"),
            ("Findings", "analysis"),
            ("Themes", "analysis"),
            ("Key practice episodes", "analysis"),
            ("What should have happened", "analysis"),
            ("What went well", "lessons"),
            ("What we have learned", "lessons"),
            ("Reflections", "lessons"),
            ("The relationship", "background"),
            ("How Ann and Bob met", "background"),
            ("How this review came about", "introduction"),
            ("Other proceedings", "parallel"),
            ("Words we use", "glossary"),
            ("Could her death have been predicted or prevented?", "conclusions"),
        ],
    )
    def test_plain_english_headings_name_their_kind(self, heading: str, kind: str) -> None:
        """Headings written for families name the same kinds as formal ones."""
        assert LEXICON.section_kind(heading) == kind

    def test_a_heading_wrapped_onto_two_lines_is_one_heading(self) -> None:
        """'Chapter 9: Could the death have been predicted or' / 'prevented?' is one conclusions heading."""
        sentences = segment(
            document(
                "Chapter 9: Could the death have been predicted or\nprevented?\nNo agency could have known it."
            ),
            LEXICON,
        )
        assert sentences[0].kind == "conclusions"
        assert sentences[0].section.endswith("or prevented?")

    def test_a_line_that_finishes_a_sentence_is_not_a_heading(self) -> None:
        """'Reference (ToR):' after a line ending in 'Terms of' continues that sentence."""
        sentences = segment(
            document(
                "Terms of Reference\nThe panel agreed these Terms of\nReference (ToR):\nToR 1: Who knew what."
            ),
            LEXICON,
        )
        assert {s.kind for s in sentences} == {"terms_of_reference"}

    def test_a_sentence_s_last_word_at_the_start_of_a_line_does_not_start_a_list_item(self) -> None:
        """In hard-wrapped text 'made. That is ...' finishes the sentence above; 'a)', 'iv)', '(b)' start items."""
        text = (
            "7. Analysis\nThe sergeant graded the risk as medium. No referral to MARAC was\n"
            "made. That is the decision I return to.\na) The grading was not reviewed\n"
            "iv) nobody checked the PND\n(b) the IDVA was not told"
        )
        sentences = segment(document(text), LEXICON)
        assert "No referral to MARAC was made." in [s.text for s in sentences]
        items = [s for s in sentences if s.text.startswith(("a)", "iv)", "(b)"))]
        assert len(items) == 3 and len({s.paragraph for s in items}) == 3

    @pytest.mark.parametrize("number", ["101", "999", "2019", "12"])
    def test_a_number_that_finishes_a_wrapped_sentence_does_not_start_a_paragraph(self, number: str) -> None:
        """'... rang the police on' / '101. An officer ...': the number ends the sentence above, while a line
        '2. The second ...' after a finished sentence starts an item."""
        text = (
            f"4. Chronology\n4.1 On 3 May 2021 Tia rang the police on\n{number}. An officer went round.\n"
            "1. The first thing was done.\n2. The second thing was not."
        )
        sentences = segment(document(text), LEXICON)
        paragraph = {s.text: s.paragraph for s in sentences}
        assert (
            paragraph[f"On 3 May 2021 Tia rang the police on {number}."]
            == paragraph["An officer went round."]
        )
        assert paragraph["The first thing was done."] != paragraph["The second thing was not."]


class TestContents:
    @pytest.mark.parametrize(
        "entry",
        [
            "5.1 Contact 1: 999 call, 14.03.2021",
            "3.2 The call of 14 March 2021",
            "6.4 What the call handler was told",
        ],
    )
    def test_a_numbered_line_the_contents_list_gives_is_a_heading(self, entry: str) -> None:
        """A numbered entry of the contents list, met again in the body, is a heading though it holds a date or
        reads as a sentence; a numbered line the list does not give stays text."""
        text = (
            f"Contents\n1. Summary\n5. Police contact\n{entry}\n6. Analysis\n\n1. Summary\nTia died in 2021.\n"
            f"5. Police contact\n{entry}\nTia rang the police.\n5.9 Tia rang again on 3 June 2021\nNo one came."
        )
        sentences = segment(document(text, unit="paragraph"), LEXICON)
        by_text = {s.text: s.section for s in sentences}
        assert by_text["Tia rang the police."] == entry
        assert "No one came." not in by_text or by_text["No one came."] == entry

    def test_contents_entries_match_headings_without_their_numbers(self) -> None:
        """Entries '1 Preface' end at the heading '1. Preface', and the body is not contents."""
        found = kinds(
            "Contents",
            "1 Preface",
            "2 What happened",
            "1. Preface",
            "Our thoughts are with the family.",
            "3. Helen and Paul",
            "Helen met Paul in 2010.",
            unit="paragraph",
        )
        assert found == {"Our": "introduction", "Helen": "body"}

    def test_a_contents_list_ends_at_the_first_paragraph_that_is_not_an_entry(self) -> None:
        """A long sentence with a full stop cannot be a contents entry: the body has begun."""
        found = kinds(
            "Contents",
            "Chapter 1: Remembering Ann",
            "Ann was born in Leeds in 1980 and worked as a nurse for many years.",
            unit="paragraph",
        )
        assert found == {"Ann": "body"}

    def test_a_pdf_contents_list_ends_with_its_page(self) -> None:
        """The page after the contents page starts the body, whatever its first heading says."""
        found = kinds(
            "CONTENTS\nChapter 1: Remembering Ann ........ 3", "Chapter 1: Remembering Ann\nAnn was a nurse."
        )
        assert found == {"Ann": "background"}

    def test_dot_leaders_mark_an_entry_however_it_ends(self) -> None:
        """'10. Parallel reviews ..... Error! Bookmark not defined.' is still an entry of the list."""
        found = kinds(
            "Contents\n1. Introduction ........ 2\n10. Parallel reviews ........ Error! Bookmark not defined.\n"
            "11. Analysis ........ 9"
        )
        assert set(found.values()) == {"contents"}


def test_a_paragraph_number_before_a_month_is_not_a_day() -> None:
    """'9.1 February 2021' heads a paragraph about February, it is not the first of the month."""
    from briefgen.text import PartialDate, find_dates

    assert [m.value for m in find_dates("9.1 February 2021")] == [PartialDate(2021, 2)]
    assert [m.value for m in find_dates("10.2 1 February 2021")] == [PartialDate(2021, 2, 1)]


@pytest.mark.parametrize("date", ["14.06.2021", "14 June 2021", "14/06/2021"])
def test_a_table_row_broken_by_the_page_takes_the_date_left_at_the_foot_of_the_page_before(date: str) -> None:
    """The date cell at the foot of one page, the rest of the row under the header repeated on the next."""
    pages = document(
        f"3. Chronology\nThe police were called twice.\nDate Caller Response\n{date}",
        "Date | Caller 999 call by Nadia | Response Officers attended.\n"
        "02.09.2021 | 101 call by a neighbour | Officers attended again.",
    )
    rows = [s for s in segment(pages, LEXICON) if s.cells]
    assert rows[0].cells[0] == date and rows[0].text == "Caller 999 call by Nadia Response Officers attended."
    assert rows[-1].cells[0] == "02.09.2021"


def test_a_table_row_that_starts_a_page_keeps_its_own_date() -> None:
    """A row that starts a page with its own date is not given the date that ended the page before."""
    pages = document(
        "3. Chronology\nThe police were called on\n14 June 2021",
        "02.09.2021 | 101 call by a neighbour | Officers attended.",
    )
    rows = [s for s in segment(pages, LEXICON) if s.cells]
    assert rows[0].cells[0] == "02.09.2021"
