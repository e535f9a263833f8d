"""Coded text for QDA software: a REFI-QDA project valid against its schema, with evidence at its offsets."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefgen.coding.codebook import load_codebook, to_qdc
from briefgen.export.qdpx import project_bytes, source_text
from briefgen.models import CodedResult, DocumentText, Page
from briefgen.resources import default_codebook
from tests.conftest import run

SCHEMA = Path(__file__).parent / "data" / "Project-mrt2019.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def qdpx(built: Path) -> Path:
    out = built / "coded.qdpx"
    result = run("export", "qdpx", built / "coded.json", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def valid(qde: bytes) -> etree._ElementTree:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    tree = etree.ElementTree(etree.fromstring(qde))
    assert schema.validate(tree), schema.error_log
    return tree


def test_the_project_is_valid_against_the_refi_qda_schema(qdpx: Path) -> None:
    """project.qde validates against the REFI-QDA Project XSD; each review is a source file in the zip."""
    with zipfile.ZipFile(qdpx) as archive:
        tree = valid(archive.read("project.qde"))
        names = archive.namelist()
    sources = tree.findall(".//q:TextSource", NS)
    assert sources and len([n for n in names if n.startswith("sources/")]) == len(sources)
    assert tree.findall(".//q:Case/q:VariableValue", NS)


def test_selections_point_at_their_quotes(qdpx: Path) -> None:
    """Each coded selection's offsets cover the evidence sentence in the source text."""
    with zipfile.ZipFile(qdpx) as archive:
        tree = etree.fromstring(archive.read("project.qde"))
        checked = 0
        for source in tree.findall(".//q:TextSource", NS):
            text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode()
            for selection in source.findall("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                quote = selection.find("q:Description", NS).text.split(": ", 1)[1]
                first = quote.replace("|", " ").split()[0]
                assert text[start:end].startswith(first), (text[start:end][:60], quote[:60])
                checked += 1
    assert checked > 100


def test_the_same_coded_file_gives_the_same_bytes(built: Path, qdpx: Path, tmp_path: Path) -> None:
    """Exporting twice gives identical files."""
    run("export", "qdpx", built / "coded.json", "--out", tmp_path / "again.qdpx")
    assert (tmp_path / "again.qdpx").read_bytes() == qdpx.read_bytes()


def test_characters_xml_cannot_hold_are_replaced(built: Path) -> None:
    """A form feed in a codebook label or a review's text never makes invalid XML."""
    coded = CodedResult.model_validate_json((built / "coded.json").read_bytes())
    codes = [
        coded.codebook.codes[0].model_copy(update={"label": "Stalk\x0cing\x01"}),
        *coded.codebook.codes[1:],
    ]
    coded = coded.model_copy(update={"codebook": coded.codebook.model_copy(update={"codes": codes})})
    case = coded.cases[0]
    coded = coded.model_copy(update={"cases": [case.model_copy(update={"title": "A\x0bB\ud800"})]})
    text = DocumentText(
        sha256=case.sha256, format="txt", page_unit="page", title="t", pages=[Page(number=1, text="x\x0cy")]
    )
    data, _ = project_bytes(coded, {case.source: text})
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        valid(archive.read("project.qde"))


def test_codebook_export_survives_a_form_feed(tmp_path: Path) -> None:
    """`codebook export` of a label with a form feed is well-formed XML."""
    codebook = load_codebook(default_codebook())
    first = codebook.codes[0].model_copy(update={"label": "Form\x0cfeed"})
    codebook = codebook.model_copy(update={"codes": [first, *codebook.codes[1:]]})
    etree.fromstring(to_qdc(codebook).encode())


def test_source_text_places_each_page() -> None:
    """The source text is the pages in order, each under its page line, and offsets add up."""
    document = DocumentText(
        sha256="0" * 64,
        format="txt",
        page_unit="page",
        title="t",
        pages=[Page(number=1, text="One."), Page(number=2, text="Two.")],
    )
    text, starts = source_text(document)
    assert text[starts[2] : starts[2] + 4] == "Two."
