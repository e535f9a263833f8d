"""The `render` stage: the briefing's HTML and PDF from a coded.json and a briefing file.

The HTML is compared with a golden file. After an intended change to the templates, the fixture or the
sample briefing, update it with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render.py

and review the diff of tests/golden/briefing-small.html.
"""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.models import AgreedCase, AgreementReport, CodeAgreement, CodedResult, GuidanceLink
from briefgen.render import charts
from briefgen.render.briefing import Briefing, default_briefing, load_briefing
from briefgen.render.html import number_words, render_html
from briefgen.render.pdf import pdf_bytes, url_fetcher
from briefgen.render.view import build_view
from briefgen.resources import templates_dir

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
CODED = FIXTURES / "coded-small.json"
SAMPLE_BRIEFING = ROOT / "samples" / "briefing.yaml"
GOLDEN = Path(__file__).parent / "golden" / "briefing-small.html"

SECTION_TITLES = [
    "Introduction",
    "Contents",
    "Snapshot of the cases",
    "Rapidly escalating domestic abuse",
    "Identification and management of risk",
    "Victim engagement and care",
    "Evidence and investigation",
    "Next steps",
    "The reviews and their themes",
    "Methodology",
]


@pytest.fixture(scope="module")
def coded() -> CodedResult:
    return CodedResult.model_validate_json(CODED.read_bytes())


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(SAMPLE_BRIEFING)


@pytest.fixture(scope="module")
def html(coded: CodedResult, briefing: Briefing) -> str:
    return render_html(coded, briefing)


@pytest.fixture(scope="module")
def pdf(html: str, briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data, _ = pdf_bytes(html, created=briefing.release_date)
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def reader(pdf: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(pdf)


def text_of(html: str) -> str:
    """The visible text of an HTML fragment, with whitespace collapsed."""
    body = re.sub(r"<style>.*?</style>|<title[^>]*>.*?</title>|<desc[^>]*>.*?</desc>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


class TestHtml:
    def test_matches_golden_file(self, html: str) -> None:
        """The HTML for the small fixture is exactly the reviewed golden file."""
        if os.environ.get("UPDATE_GOLDEN"):
            GOLDEN.parent.mkdir(exist_ok=True)
            GOLDEN.write_text(html, encoding="utf-8")
        assert html == GOLDEN.read_text(encoding="utf-8")

    def test_same_inputs_give_identical_html(self, coded: CodedResult, briefing: Briefing, html: str) -> None:
        """Rendering twice gives byte-identical HTML: no timestamps, no unordered sets."""
        assert render_html(coded, briefing) == html

    def test_is_one_document_with_language_and_title(self, html: str, briefing: Briefing) -> None:
        """The document declares en-GB, the briefing title and the release date as fixed metadata."""
        assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
        assert f"<title>{briefing.title}</title>" in html
        assert '<meta name="dcterms.created" content="2026-11-30">' in html

    def test_every_section_is_present(self, html: str) -> None:
        """Each kind of section of the reference briefing has its heading."""
        text = text_of(html)
        for title in SECTION_TITLES:
            assert title in text

    def test_counts_forces_in_words(self, html: str) -> None:
        """The snapshot says how many forces are represented, in words for small numbers."""
        assert "Five police forces are represented in these reviews." in text_of(html)

    def test_counts_cases_victims_and_perpetrators(self, html: str) -> None:
        """Case types, victims and perpetrators are counted from the coded features."""
        text = text_of(html)
        assert "The four cases include two long-term cases and two rapidly escalating cases." in text
        assert "Three of the victims were female, one was male." in text
        assert "Victims were aged 19 to 51." in text
        assert "Of the three homicides, one was committed by a male ex-partner" in text
        assert "One death was a suicide (Maggie)" in text

    def test_special_theme_counts_its_cases(self, html: str) -> None:
        """The special theme names its cases and counts each key factor across them."""
        text = text_of(html)
        assert "Two of the four cases were rapidly escalating: Hannah and Sofia." in text
        assert "32 days at the shortest, 58 at the longest." in text
        assert "In both cases the victim and perpetrator were not living together." in text

    def test_good_practice_is_kept_apart_from_failings(self, html: str) -> None:
        """A DASH completed is good practice: in its own box, not counted as practice falling short."""
        theme = html[html.index('id="theme-recognition_response"') :]
        theme = text_of(theme[: theme.index("</article>")])
        assert "Good practice DASH completed in two of the four cases." in theme
        shortfalls = theme[: theme.index("Good practice")]
        assert "DASH completed" not in shortfalls.replace("DASH completed,", "")
        assert "Practice fell short in all four cases." in theme

    def test_features_of_cases_are_not_failings(self, html: str) -> None:
        """Substance misuse is a feature of a case, listed apart from where practice fell short."""
        theme = html[html.index('id="theme-officer_norms"') :]
        theme = text_of(theme[: theme.index("</article>")])
        assert "Features of the cases: Substance misuse (2 of 4)" in theme

    def test_quotes_cite_case_and_page(self, html: str) -> None:
        """Quotes from the reviews cite the case and the page (or paragraph, for Word documents)."""
        text = text_of(html)
        assert "(Hannah, p. 14)" in text
        assert "(Sofia, para. 41)" in text

    def test_reflective_questions_and_guidance_come_from_the_codebook(
        self, html: str, coded: CodedResult
    ) -> None:
        """Reflective questions and guidance links are those of the codebook snapshot in coded.json."""
        theme = next(t for t in coded.codebook.themes if t.nvap_action == "2.11")
        for question in theme.reflective_questions:
            assert question in unescape(html)
        assert f'href="{theme.guidance[0].url}"' in html

    def test_charts_are_inline_svg_with_alt_text(self, html: str) -> None:
        """Charts are inline SVG images with a title that carries their data."""
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars" role="img"' in html
        assert "Victims by gender. Female: 3; Male: 1.</title>" in html
        assert "Features that recur across the cases. Loss of confidence in the police: 3 of 4;" in html


class TestHostileText:
    def test_review_text_is_escaped(self, coded: CodedResult, briefing: Briefing) -> None:
        """HTML, script, CSS and url(...) in review text render as inert text, in prose and in charts."""
        hostile = (
            '<script>alert(1)</script><img src="http://evil.example/x.png"><style>@import url(http://evil)'
        )
        case = coded.cases[0]
        evidence = case.codes["digital_abuse"].evidence[0].model_copy(update={"quote": hostile})
        codes = dict(case.codes)
        codes["digital_abuse"] = codes["digital_abuse"].model_copy(update={"evidence": [evidence]})
        forces = case.features.police_forces.model_copy(update={"value": ["<b>Evil</b> Police"]})
        features = case.features.model_copy(update={"police_forces": forces})
        bad_case = case.model_copy(
            update={"codes": codes, "features": features, "pseudonym": "</th><script>x"}
        )
        page = render_html(coded.model_copy(update={"cases": [bad_case, *coded.cases[1:]]}), briefing)
        assert "<script>" not in page
        assert "<img src=" not in page
        assert "<b>Evil" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;b&gt;Evil&lt;/b&gt; Police" in page

    def test_markdown_in_the_briefing_cannot_carry_html(self, coded: CodedResult, briefing: Briefing) -> None:
        """Raw HTML in the analyst's Markdown is escaped, and Markdown images are not rendered."""
        tricky = briefing.model_copy(
            update={"introduction": "Hello <iframe src=x></iframe> ![x](http://evil.example/i.png) **bold**"}
        )
        page = render_html(coded, tricky)
        assert "<iframe" not in page
        assert 'src="http://evil.example' not in page
        assert "<strong>bold</strong>" in page

    def test_links_other_than_web_and_mail_go_nowhere(self, coded: CodedResult, briefing: Briefing) -> None:
        """A guidance link with a javascript: or file: URL is rendered with an inert target."""
        theme = coded.codebook.themes[1]
        bad = theme.model_copy(
            update={"guidance": [GuidanceLink(title="Bad", url="javascript:alert(1)"), *theme.guidance]}
        )
        codebook = coded.codebook.model_copy(
            update={"themes": [coded.codebook.themes[0], bad, *coded.codebook.themes[2:]]}
        )
        page = render_html(coded.model_copy(update={"codebook": codebook}), briefing)
        assert "javascript:" not in page.split("</style>")[1].replace(
            '<span class="url">javascript:alert(1)</span>', ""
        )
        assert '<a href="#">Bad</a>' in page

    def test_fetcher_refuses_network_and_files_outside_templates(self) -> None:
        """WeasyPrint may read files of the templates folder and nothing else."""
        fetcher = url_fetcher()
        for url in ("http://example.org/x.png", "https://example.org/a.css", "file:///etc/passwd", "data:,x"):
            with pytest.raises(ValueError, match="briefgen does not"):
                fetcher.fetch(url)
        outside = (templates_dir() / ".." / "pyproject.toml").resolve().as_uri()
        with pytest.raises(ValueError, match="only files of the templates folder"):
            fetcher.fetch(outside)
        inside = fetcher.fetch((templates_dir() / "briefing.css").as_uri())
        assert b"@page" in inside.read()


class TestView:
    def test_number_words(self) -> None:
        """Numbers below ten are words, as in print; larger ones stay digits."""
        assert [number_words(n) for n in (0, 1, 9, 10, 43)] == ["no", "one", "nine", "10", "43"]

    def test_recurring_features_are_those_in_two_or_more_cases(
        self, coded: CodedResult, briefing: Briefing
    ) -> None:
        """Without snapshot_codes, the recurring features are the codes present in at least two cases."""
        view = build_view(coded, briefing)
        counts = {tally.key: tally.count for tally in view.snapshot.recurring}
        assert counts["loss_of_confidence"] == 3
        assert all(count >= 2 for count in counts.values())

    def test_agreement_is_shown_when_given(self, coded: CodedResult, briefing: Briefing) -> None:
        """An agreement report adds a machine-against-human table to the methodology."""
        report = AgreementReport(
            human_file="human.yaml",
            cases=4,
            covered=[AgreedCase(source=case.source, sha256=case.sha256) for case in coded.cases],
            codes=[
                CodeAgreement(code="stalking", agreement=0.75, kappa=0.5, machine_present=1, human_present=2)
            ],
            overall_agreement=0.9,
            overall_kappa=0.71,
        )
        text = text_of(render_html(coded, briefing, agreement=report))
        assert "Machine and human agreed on 90% of the decisions (Cohen’s kappa 0.71)." in text
        assert "Stalking 75% 0.50 1 2" in text

    def test_default_briefing_makes_a_draft(self, coded: CodedResult) -> None:
        """The shipped default briefing renders, marked as a draft and with no dates in its metadata."""
        page = render_html(coded, load_briefing(default_briefing()))
        assert "Draft: not for release" in page
        assert "dcterms.created" not in page

    def test_charts_are_deterministic_and_escaped(self) -> None:
        """The same data give the same SVG, and labels are escaped."""
        first = charts.bar_chart([("<x>", 2), ("b", 1)], title="T & U", total=3)
        assert first == charts.bar_chart([("<x>", 2), ("b", 1)], title="T & U", total=3)
        assert "&lt;x&gt;" in first
        assert "<title" in first and "T &amp; U" in first


class TestPdf:
    def test_text_has_every_section_title(self, reader: pypdf.PdfReader) -> None:
        """Every section title is in the PDF's text."""
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        for title in SECTION_TITLES:
            assert title in text

    def test_page_count_is_sane(self, reader: pypdf.PdfReader) -> None:
        """Four cases make a briefing of a reasonable length, with no runaway pages."""
        assert 10 <= len(reader.pages) <= 30

    def test_contents_has_page_numbers(self, reader: pypdf.PdfReader) -> None:
        """The contents page gives the page each section starts on."""
        text = reader.pages[1].extract_text() or ""
        assert re.search(r"Snapshot of the 4 cases|Snapshot of the four cases", text)
        assert re.search(r"Appendix B: methodology[ .]*\d+", text)

    def test_bookmarks_follow_the_headings(self, reader: pypdf.PdfReader) -> None:
        """The PDF's outline has a bookmark for each section."""

        def titles(outline: list[object]) -> list[str]:
            found: list[str] = []
            for item in outline:
                if isinstance(item, list):
                    found += titles(item)
                else:
                    found.append(str(item.title))  # type: ignore[attr-defined]
            return found

        bookmarks = titles(reader.outline)
        for title in SECTION_TITLES:
            assert title in bookmarks

    def test_is_tagged_pdf_ua_with_title_and_language(
        self, reader: pypdf.PdfReader, briefing: Briefing
    ) -> None:
        """The PDF is tagged, declares PDF/UA, its language and its title, and is dated by the release date."""
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en-GB"
        assert root["/MarkInfo"]["/Marked"] in (True, "true")
        assert "/StructTreeRoot" in root
        metadata = root["/Metadata"].get_object().get_data()
        assert b"pdfuaid:part" in metadata
        assert reader.metadata is not None
        assert reader.metadata.title == briefing.title
        assert str(reader.metadata["/CreationDate"]).startswith("D:20261130")

    def test_fonts_are_embedded(self, reader: pypdf.PdfReader) -> None:
        """Every font used on the first content page is embedded."""
        fonts = reader.pages[1]["/Resources"]["/Font"]
        for font in fonts.values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


class TestCli:
    runner = CliRunner()

    def test_writes_pdf_and_html(self, tmp_path: Path, html: str, pdf: Path) -> None:
        """`briefgen render` writes the PDF and the HTML; the same inputs give the same bytes."""
        before = SAMPLE_BRIEFING.read_bytes()
        out, page = tmp_path / "out" / "briefing.pdf", tmp_path / "briefing.html"
        result = self.runner.invoke(
            app,
            [
                "render",
                str(CODED),
                "--briefing",
                str(SAMPLE_BRIEFING),
                "--out",
                str(out),
                "--html",
                str(page),
            ],
        )
        assert result.exit_code == 0, result.output
        assert f"wrote {out}" in result.stdout
        assert page.read_text(encoding="utf-8") == html
        assert out.read_bytes() == pdf.read_bytes()
        assert SAMPLE_BRIEFING.read_bytes() == before
        assert not list(out.parent.glob(".*.tmp"))

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            ("title: [unclosed\n", "invalid YAML"),
            (
                "title: A\nseries: B\nedition: 1\npublisher: P\nintroduction: I\nnext_steps: N\n"
                "contact: {team: t, email: a@example.org}\nmethodology: {how_found: h}\ncolour: red\n",
                "line 9: colour: unknown field",
            ),
            (
                "title: A\nseries: B\nedition: 1\npublisher: P\nintroduction: I\nnext_steps: N\n"
                "contact: {team: t, email: a@example.org}\nmethodology: {how_found: h}\n"
                "special_theme:\n  learning_points:\n    - text: t\n      key_point: k\n      evidence_codes: [stalkin]\n",
                "line 13: special_theme.learning_points.0.evidence_codes.0: 'stalkin' is not a code",
            ),
        ],
        ids=["malformed-yaml", "unknown-field", "unknown-code"],
    )
    def test_bad_briefing_gives_one_line(self, tmp_path: Path, content: str, expected: str) -> None:
        """A broken briefing file gives one line naming the file and the problem, and exit code 3."""
        bad = tmp_path / "briefing.yaml"
        bad.write_text(content, encoding="utf-8")
        result = self.runner.invoke(
            app, ["render", str(CODED), "--briefing", str(bad), "--out", str(tmp_path / "b.pdf")]
        )
        assert result.exit_code == 3
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert str(bad) in lines[0] and expected in lines[0]
        assert not (tmp_path / "b.pdf").exists()

    @pytest.mark.parametrize(
        "content",
        ['{"briefgen_version": "0.0.1"', '{"briefgen_version": "9.9", "cases": []}', ""],
        ids=["truncated", "other-version", "empty"],
    )
    def test_corrupt_coded_json_gives_one_line(self, tmp_path: Path, content: str) -> None:
        """A corrupt coded.json, or one from another version, gives one clear line and exit code 3."""
        bad = tmp_path / "coded.json"
        bad.write_text(content, encoding="utf-8")
        result = self.runner.invoke(app, ["render", str(bad), "--out", str(tmp_path / "b.pdf")])
        assert result.exit_code == 3
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert str(bad) in lines[0] and "briefgen code" in lines[0]
        assert "Traceback" not in result.output

    def test_missing_coded_json_says_which_command_makes_it(self, tmp_path: Path) -> None:
        """A missing coded.json is reported with the command that writes it."""
        result = self.runner.invoke(app, ["render", str(tmp_path / "nope.json")])
        assert result.exit_code == 3
        assert "run `briefgen code` first" in result.stderr
