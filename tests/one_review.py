"""One review's text, screened and coded as briefgen screens and codes it: for tests of what it reads."""

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


def coded(text: str) -> CodedCase:
    """One review coded as briefgen codes it."""
    document = DocumentText(
        sha256="0" * 64, format="pdf", page_unit="page", title="t", pages=[Page(number=1, text=text)]
    )
    screened = screen_document("review.pdf", document, CRITERIA, LEXICON)
    return code_document(screened, document, CODEBOOK, LEXICON)
