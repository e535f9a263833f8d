"""Appendix A: each review's title, partnership, date of death, link and what sets the case apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import StageInputInvalid
from briefgen.models import CodedResult
from briefgen.render.appendix import date_of_death, distinctive, partnership, read_sources, tidy_title
from briefgen.render.briefing import load_briefing
from briefgen.render.html import render_html

ROOT = Path(__file__).parents[1]
CODED = Path(__file__).parent / "fixtures" / "coded-small.json"


@pytest.fixture(scope="module")
def coded() -> CodedResult:
    return CodedResult.model_validate_json(CODED.read_bytes())


class TestReviewFacts:
    def test_a_title_in_capitals_reads_as_a_title(self) -> None:
        """'SAFER TARRINGTON ... REVIEW' is shown as 'Safer Tarrington ... Review'."""
        assert tidy_title("SAFER TARRINGTON COMMUNITY SAFETY PARTNERSHIP DOMESTIC HOMICIDE REVIEW") == (
            "Safer Tarrington Community Safety Partnership Domestic Homicide Review"
        )

    @pytest.mark.parametrize(
        ("title", "shown"),
        [
            ("NENE MEADOWS CSP DOMESTIC HOMICIDE REVIEW", "Nene Meadows CSP Domestic Homicide Review"),
            (
                "OVERVIEW REPORT INTO THE DEATH OF 'ANNE' (DHR)",
                "Overview Report into the Death of 'Anne' (DHR)",
            ),
            ("THE MARAC AND THE IOPC", "The MARAC and the IOPC"),
            ("Review into the death of A", "Review into the death of A"),
        ],
    )
    def test_short_words_in_capitals_are_words_unless_abbreviations(self, title: str, shown: str) -> None:
        """'NENE' is a place, 'DHR' and 'MARAC' abbreviations; a quoted name is capitalised at its first letter,
        and a capital among lower-case words (the death of A) is left alone."""
        assert tidy_title(title) == shown

    def test_the_partnership_comes_from_the_title(self) -> None:
        """The commissioning partnership is read from the review's title."""
        assert (
            partnership("Safer Lydmouth Partnership DOMESTIC HOMICIDE REVIEW") == "Safer Lydmouth Partnership"
        )
        assert partnership("Overview report") is None

    def test_a_month_only_date_of_death_is_shown_as_a_month(self) -> None:
        """'2016-04' is April 2016; a full date is written out."""
        assert date_of_death("2016-04") == "April 2016"
        assert date_of_death("2017-06-02") == "2 June 2017"
        assert date_of_death(None) is None

    def test_what_sets_a_case_apart_is_what_few_cases_have(self, coded: CodedResult) -> None:
        """The focus line names codes found in this case and in few others, never good practice."""
        labels = {code.id: code for code in coded.codebook.codes}
        for case in coded.cases:
            names = distinctive(case, coded.cases, labels)
            assert len(names) <= 3
            assert "DASH completed" not in names


class TestSources:
    def test_links_are_read_from_sources_csv(self, tmp_path: Path) -> None:
        """sources.csv gives each file its published link and title."""
        path = tmp_path / "sources.csv"
        path.write_text("file,url,title\na.pdf,https://csp.gov.uk/a.pdf,Review into the death of A\n")
        sources = read_sources(path)
        assert sources["a.pdf"].url == "https://csp.gov.uk/a.pdf"
        assert sources["a.pdf"].title == "Review into the death of A"

    def test_a_missing_file_gives_no_links(self, tmp_path: Path) -> None:
        """Without sources.csv the appendix shows file names instead of links."""
        assert read_sources(tmp_path / "sources.csv") == {}

    def test_a_link_that_is_not_a_web_address_is_refused(self, tmp_path: Path) -> None:
        """A url that is not http(s) is an error naming the file and line."""
        path = tmp_path / "sources.csv"
        path.write_text("file,url\na.pdf,javascript:alert(1)\n")
        with pytest.raises(StageInputInvalid, match="line 2"):
            read_sources(path)

    def test_the_appendix_links_each_review(self, coded: CodedResult, tmp_path: Path) -> None:
        """A review with a link in sources.csv is shown by its title, linked to the published review."""
        path = tmp_path / "sources.csv"
        source = coded.cases[0].source
        path.write_text(f"file,url,title\n{source},https://csp.gov.uk/review.pdf,The published review\n")
        html = render_html(
            coded, load_briefing(ROOT / "samples" / "briefing.yaml"), sources=read_sources(path)
        )
        appendix = html[html.index('id="appendix-a"') : html.index('id="appendix-b"')]
        assert '<a href="https://csp.gov.uk/review.pdf">The published review</a>' in appendix


class TestRenderCommand:
    def test_render_takes_a_sources_file(self, tmp_path: Path) -> None:
        """`briefgen render --sources` links Appendix A's reviews to their published copies."""
        from tests.conftest import run

        coded = CodedResult.model_validate_json(CODED.read_bytes())
        sources = tmp_path / "sources.csv"
        sources.write_text(f"file,url\n{coded.cases[0].source},https://csp.gov.uk/r.pdf\n")
        html = tmp_path / "b.html"
        result = run(
            "render",
            CODED,
            "--briefing",
            ROOT / "samples" / "briefing.yaml",
            "--out",
            tmp_path / "b.pdf",
            "--html",
            html,
            "--sources",
            sources,
        )
        assert result.exit_code == 0, result.stderr
        assert 'href="https://csp.gov.uk/r.pdf"' in html.read_text()
