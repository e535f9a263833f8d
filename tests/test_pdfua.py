"""The briefing PDF keeps to the machine-checkable part of PDF/UA-1 (tagged, accessible PDF).

The small fixture is rendered with the shipped default briefing. Its structure is checked with pikepdf, and the
`pdfua` checker (built on pikepdf, no JVM) runs over it too; it checks only a subset of the PDF/UA-1 rules.
veraPDF, the reference validator, needs Java from outside the package registries, so it is not run here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pdfua
import pikepdf
import pytest

from briefgen.models import CodedResult
from briefgen.render.briefing import Briefing, default_briefing, load_briefing
from briefgen.render.html import render_html
from briefgen.render.pdf import pdf_bytes
from briefgen.resources import templates_dir

CODED = Path(__file__).parent / "fixtures" / "coded-small.json"

# Operators that put ink on the page: text, XObjects, inline images, filled or stroked paths, shadings.
PAINTING = {"Tj", "TJ", "'", '"', "Do", "BI", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"}


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(default_briefing())


@pytest.fixture(scope="module")
def pdf_path(briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Path:
    coded = CodedResult.model_validate_json(CODED.read_bytes())
    data, _ = pdf_bytes(render_html(coded, briefing), created=briefing.release_date)
    path = tmp_path_factory.mktemp("pdfua") / "briefing.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def pdf(pdf_path: Path) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(pdf_path) as document:
        yield document


def instructions(owner: pikepdf.Object) -> Iterator[tuple[str, list[object], list[str]]]:
    """Each operator of a page's or form's content stream, its operands, and the marked-content tags around it."""
    tags: list[str] = []
    for instruction in pikepdf.parse_content_stream(owner):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield "BI", [], list(tags)
            continue
        operator, operands = str(instruction.operator), list(instruction.operands)
        if operator == "EMC":
            tags.pop()
            continue
        if operator in ("BDC", "BMC"):
            tags.append(str(operands[0]))
        yield operator, operands, list(tags)


def mcid(operands: list[object]) -> int | None:
    """The MCID of a BDC operator's property list, if it has one."""
    properties = operands[-1] if operands else None
    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None


def painted_forms(owner: pikepdf.Object) -> Iterator[pikepdf.Stream]:
    """Every form XObject the page or form paints, and those they paint in turn."""
    xobjects = owner.get("/Resources", pikepdf.Dictionary()).get("/XObject", pikepdf.Dictionary())
    for operator, operands, _ in instructions(owner):
        if operator == "Do":
            xobject = xobjects[operands[0]]
            if xobject.Subtype == "/Form":
                yield xobject
                yield from painted_forms(xobject)


def fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """Every font the pages and their form XObjects use, by name, with the descendant of a composite font."""
    for page in pdf.pages:
        for owner in (page.obj, *painted_forms(page.obj)):
            resources = owner.get("/Resources", pikepdf.Dictionary())
            for font in resources.get("/Font", pikepdf.Dictionary()).values():
                yield str(font.get("/BaseFont")), font
                for descendant in font.get("/DescendantFonts", pikepdf.Array()):
                    yield str(descendant.get("/BaseFont")), descendant


class TestStructure:
    def test_is_a_tagged_pdf(self, pdf: pikepdf.Pdf) -> None:
        """The catalog says the PDF is tagged and holds a structure tree with a parent tree."""
        assert pdf.Root.MarkInfo.Marked is True
        tree = pdf.Root.StructTreeRoot
        assert len(tree.K) > 0
        assert "/ParentTree" in tree

    def test_has_language_and_shows_its_title(self, pdf: pikepdf.Pdf, briefing: Briefing) -> None:
        """The PDF names its language and its title, and a viewer shows the title instead of the file name."""
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo.Title) == briefing.title
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True

    def test_declares_pdf_ua_1(self, pdf: pikepdf.Pdf) -> None:
        """The XMP metadata identify the file as PDF/UA-1, with the title in dc:title."""
        with pdf.open_metadata() as meta:
            assert meta["pdfuaid:part"] == "1"
            assert meta["dc:title"]

    def test_fonts_are_embedded(self, pdf: pikepdf.Pdf) -> None:
        """Every font on every page, including those of form XObjects, is embedded."""
        found = list(fonts(pdf))
        assert found
        for name, font in found:
            if font.Subtype == "/Type0":
                continue  # its glyphs are in its descendant font
            descriptor = font.get("/FontDescriptor", pikepdf.Dictionary())
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name

    def test_all_ink_is_tagged_content_or_an_artifact(self, pdf: pikepdf.Pdf) -> None:
        """Nothing is painted outside a marked-content sequence (PDF/UA-1 7.1): no untagged text, path or form."""
        for number, page in enumerate(pdf.pages, 1):
            loose = [op for op, _, tags in instructions(page.obj) if op in PAINTING and not tags]
            assert not loose, f"page {number} paints {loose} outside marked content"

    def test_no_tagged_content_hides_in_a_form_xobject(self, pdf: pikepdf.Pdf) -> None:
        """No form XObject carries marked content with an MCID, which the structure tree could not find.

        WeasyPrint draws an element with CSS `opacity` into a transparency group: a form XObject painted from
        the page outside any marked content, whose text keeps its MCID but is unreachable from the structure tree.
        """
        for number, page in enumerate(pdf.pages, 1):
            for form in painted_forms(page.obj):
                ids = {mcid(ops) for op, ops, _ in instructions(form) if op == "BDC"} - {None}
                assert not ids or "/StructParents" in form, f"page {number}: a form XObject holds MCIDs {ids}"

    def test_each_page_holds_the_content_its_structure_names(self, pdf: pikepdf.Pdf) -> None:
        """The MCIDs on each page's content stream are exactly those the parent tree gives that page."""
        parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        for number, page in enumerate(pdf.pages, 1):
            named = parents[int(page.obj.StructParents)]
            in_tree = {i for i, element in enumerate(named) if isinstance(element, pikepdf.Dictionary)}
            on_page = {mcid(ops) for op, ops, _ in instructions(page.obj) if op == "BDC"} - {None}
            assert on_page == in_tree, f"page {number}: only in the tree {sorted(in_tree - on_page)}"

    def test_templates_use_no_css_opacity(self) -> None:
        """The templates mute colours with rgba(), never `opacity`, which draws outside the tags in WeasyPrint."""
        for path in templates_dir().iterdir():
            if path.suffix in (".css", ".j2"):
                assert not re.search(r"(?<![\w-])opacity\s*:", path.read_text(encoding="utf-8")), path.name


class TestChecker:
    def test_pdfua_checker_finds_no_errors(self, pdf_path: Path) -> None:
        """The `pdfua` checker reports no errors, and its structure, content and language rules all ran."""
        report = pdfua.validate(str(pdf_path))
        errors = [
            f"{f.rule_id} {f.location.describe()}: {f.message}"
            for f in report.findings
            if f.severity >= pdfua.Severity.ERROR
        ]
        assert not errors
        ran = {outcome.rule_id for outcome in report.outcomes if not outcome.skipped}
        assert {"UA-01-002", "UA-01-003", "UA-01-005", "UA-06-001", "UA-07-002", "UA-28-004"} <= ran
