"""The first police contact about abuse in this relationship, and the date of death beside the review's own
dates: what a review tells of other relationships and of its own process does not count."""

from __future__ import annotations

from briefgen import resources
from briefgen.coding.case import code_document
from briefgen.coding.codebook import load_codebook
from briefgen.coding.match import CompiledCodebook
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import CodedCase, DocumentText, Page
from briefgen.screen.criteria import load_criteria
from briefgen.screen.judge import screen_document

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))
CODEBOOK = CompiledCodebook(load_codebook(resources.default_codebook()))
CRITERIA = load_criteria(resources.default_criteria())

REVIEW = """Domestic Homicide Review into the death of 'Nadia'
1. Introduction
Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020. Nadia and Owen had met in 2017.
The police told the Partnership about Nadia's death on 9 March 2020, and the review began in May 2020.
2. Owen's previous relationship
Owen was in a relationship with a woman we call Beth until 2015. On 3 June 2014 Beth reported to Kent Police
that Owen had assaulted her, and he was arrested.
3. Chronology
On 12 August 2019 Nadia called Kent Police to report that Owen had assaulted her, and officers attended.
On 2 January 2020 officers attended again after a neighbour heard Nadia screaming; Owen was arrested.
4. Analysis
The officers did not complete a DASH risk assessment, which was a missed opportunity for Kent Police.
"""


def coded(text: str) -> CodedCase:
    """One review coded as briefgen codes it."""
    document = DocumentText(
        sha256="0" * 64, format="pdf", page_unit="page", title="t", pages=[Page(number=1, text=text)]
    )
    screened = screen_document("review.pdf", document, CRITERIA, LEXICON)
    return code_document(screened, document, CODEBOOK, LEXICON)


def test_contact_about_the_perpetrator_s_previous_relationship_is_not_the_first_contact() -> None:
    """Police contact told under a heading about another relationship is not contact about this one."""
    case = coded(REVIEW)
    assert case.features.first_police_contact.value == "2019-08-12"
    assert case.features.days_first_contact_to_death.value == 205


def test_the_review_s_own_notification_date_is_not_the_death() -> None:
    """'The police told the Partnership about her death on ...' dates the review's process, not the death."""
    assert coded(REVIEW).features.incident_date.value == "2020-03-04"


def test_an_extract_without_the_review_s_substance_is_left_to_an_analyst() -> None:
    """A few pages with no chronology, analysis or findings (a scan's first pages) leave learning unknown."""
    extract = """Domestic Homicide Review into the death of 'Nadia'
1. Introduction
Nadia was 31 when she was killed by her partner, Owen, on 4 March 2020.
2. Methodology
The panel met six times. Kent Police provided an Individual Management Review to the panel.
"""
    document = DocumentText(
        sha256="0" * 64, format="pdf", page_unit="page", title="t", pages=[Page(number=1, text=extract)]
    )
    screened = screen_document("extract.pdf", document, CRITERIA, LEXICON)
    learning = next(c for c in screened.criteria if c.id == "police_learning")
    assert learning.result.value == "unknown"
    assert screened.decision.value == "review"


def test_a_decision_on_ocr_text_is_left_to_an_analyst() -> None:
    """A review read by OCR that would be included goes to review, saying what the machine would decide."""
    document = DocumentText(
        sha256="0" * 64,
        format="pdf",
        page_unit="page",
        title="t",
        pages=[Page(number=1, text=REVIEW, ocr=True)],
    )
    screened = screen_document("scan.pdf", document, CRITERIA, LEXICON)
    assert screened.decision.value == "review"
    assert screened.reasons[0].startswith("Read by OCR from a scan: the machine would include it")


def test_a_scan_read_by_ocr_is_not_joined_to_a_case_by_its_names() -> None:
    """Names and dates read by OCR are not trusted to group a scan with a review; the typed text groups."""
    from briefgen.screen.grouping import group_cases

    def screened(source: str, *, ocr: bool) -> object:
        page = Page(number=1, text=REVIEW, ocr=ocr or None)
        document = DocumentText(sha256=source * 8, format="pdf", page_unit="page", title="t", pages=[page])
        return screen_document(source, document, CRITERIA, LEXICON)

    typed, scan, summary = (
        screened("a.pdf", ocr=False),
        screened("b.pdf", ocr=True),
        screened("c.pdf", ocr=False),
    )
    grouped = group_cases([typed, scan, summary])  # type: ignore[list-item]
    assert grouped[0].case_group == grouped[2].case_group
    assert grouped[1].case_group != grouped[0].case_group
