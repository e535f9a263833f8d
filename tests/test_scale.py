"""The briefing for any number of cases: 0, 1, 2 and 40 cases read correctly, and a long briefing lays out."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from pathlib import Path

import pytest

from briefgen.models import CodedCase, CodedResult, ScreeningCounts
from briefgen.render.briefing import Briefing, load_briefing
from briefgen.render.html import render_html

ROOT = Path(__file__).parents[1]
CODED = Path(__file__).parent / "fixtures" / "coded-small.json"

# Phrases that only a template that does not know its numbers writes.
WRONG = [
    r"\bno (was|were)\b",
    r"\b[Tt]he no\b",
    r"\bNone of the no\b",
    r"\b0/\d",
    r"\bIn none of the\b",
    r"\b(one|1) (cases|reviews|documents|victims)\b",
    r"\b(two|three|four|[2-9]|\d\d) (case|review|document|victim)\b(?!s|-)",
    r"\bthe one cases\b",
    r"\ball (one|two)\b",
]


def scaled(coded: CodedResult, n: int) -> CodedResult:
    """`n` cases made by copying the fixture's cases under new names, with screening counts that add up."""
    cases: list[CodedCase] = []
    for i in range(n):
        case = coded.cases[i % len(coded.cases)]
        source = f"dhr-{i:02d}-{case.source}"
        cases.append(
            case.model_copy(update={"source": source, "sha256": hashlib.sha256(source.encode()).hexdigest()})
        )
    counts = ScreeningCounts(
        identified=n + 3,
        unreadable=1,
        screened=n + 2,
        excluded=2,
        excluded_by_reason={"before_cutoff": 2},
        included=n,
        review=1,
        overridden=0,
    )
    return coded.model_copy(update={"cases": cases, "screening_counts": counts})


def text_of(html: str) -> str:
    body = re.sub(r"<style>.*?</style>|<title[^>]*>.*?</title>|<desc[^>]*>.*?</desc>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(scope="module")
def coded() -> CodedResult:
    return CodedResult.model_validate_json(CODED.read_bytes())


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(ROOT / "samples" / "briefing.yaml")


class TestAnyNumberOfCases:
    @pytest.mark.parametrize("n", [0, 1, 2, 40])
    def test_every_sentence_reads_correctly(self, coded: CodedResult, briefing: Briefing, n: int) -> None:
        """With 0, 1, 2 and 40 cases no sentence says 'no were excluded', 'None of the no', '0/2' or 'one cases'."""
        text = text_of(render_html(scaled(coded, n), briefing))
        problems = [m.group(0) for pattern in WRONG for m in re.finditer(pattern, text)]
        assert problems == []

    @pytest.mark.parametrize("n", [1, 2, 40])
    def test_the_flow_adds_up(self, coded: CodedResult, briefing: Briefing, n: int) -> None:
        """The screening paragraph says how many were screened, excluded and included, and these add up."""
        text = text_of(render_html(scaled(coded, n), briefing))
        assert f"Documents screened against the criteria (n = {n + 2})" in text
        assert f"Reviews in this briefing (n = {n})" in text
        assert "Left for an analyst" not in text

    def test_identical_files_are_one_case(self, coded: CodedResult, briefing: Briefing) -> None:
        """Two included files with the same content are counted once, and the methodology says so."""
        twin = coded.cases[0].model_copy(update={"source": "zz-copy.pdf"})
        doubled = coded.model_copy(update={"cases": [*coded.cases, twin]})
        text = text_of(render_html(doubled, briefing))
        assert "One included file was identical to another and counted once (zz-copy.pdf)." in text
        assert "Reviews in this briefing (n = 4)" in text
        assert "Learning drawn from four reviews" in text


def test_a_long_tail_of_forces_is_a_sentence_under_the_chart(coded: CodedResult, briefing: Briefing) -> None:
    """Twenty forces with one review each are named in a sentence; only forces with several reviews are bars."""
    cases = scaled(coded, 22).cases
    forces = ["Kent Police"] * 2 + [f"Force {letter}" for letter in "ABCDEFGHIJKLMNOPQRST"]
    renamed = []
    for case, force in zip(cases, forces, strict=True):
        feature = case.features.police_forces.model_copy(update={"value": [force]})
        renamed.append(
            case.model_copy(update={"features": case.features.model_copy(update={"police_forces": feature})})
        )
    html = render_html(coded.model_copy(update={"cases": renamed}), briefing)
    text = text_of(html)
    assert "Twenty other forces had contact in one review each: Force A, Force B," in text
    chart = html[html.index("Reviews by police force") :]
    chart = chart[: chart.index("</svg>")]
    assert "Kent Police" in chart and "Force A" not in chart


def page_fill(pdf: bytes) -> list[float]:
    """How far down each page its content reaches, between the running header and footer (0 to 1)."""
    import pypdfium2

    fills = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=0.3).to_pil().convert("L")
        width, height = image.size
        top, bottom = int(height * 0.07), int(height * 0.93)
        pixels = image.load()
        last = top
        for y in range(top, bottom):
            if sum(1 for x in range(0, width, 2) if pixels[x, y] < 235) > 2:
                last = y
        fills.append((last - top) / (bottom - top))
    return fills


class TestLayout:
    @pytest.mark.parametrize("n", [4, 40])
    def test_pages_are_not_left_mostly_empty(self, coded: CodedResult, briefing: Briefing, n: int) -> None:
        """Apart from the cover and the last page, at most two pages are less than half full."""
        from briefgen.render.pdf import pdf_bytes

        pdf, _ = pdf_bytes(render_html(scaled(coded, n), briefing), created=briefing.release_date)
        fills = page_fill(pdf)[1:-1]
        assert sum(1 for fill in fills if fill < 0.5) <= 2, [f"{fill:.0%}" for fill in fills]
