"""The review page: every code and feature with its evidence, a line to paste for each, safe and offline."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from briefgen.corrections.file import load_corrections
from briefgen.models import CodedResult, Evidence
from briefgen.review.page import render_review
from tests.conftest import run

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def page(built: Path) -> Path:
    """`briefgen review` run on the coded samples."""
    result = run("review", built / "coded.json", "--out", built / "review.html")
    assert result.exit_code == 0, result.output
    return built / "review.html"


class TestPage:
    def test_every_case_code_and_feature_is_there(self, built: Path, page: Path) -> None:
        """Each case has a section, each code and feature a row with a correction line."""
        coded = CodedResult.model_validate_json((built / "coded.json").read_bytes())
        html = page.read_text(encoding="utf-8")
        assert html.count('<section class="case"') == len(coded.cases)
        rows = sum(len(case.codes) + 11 for case in coded.cases)
        assert html.count('class="item"') == rows
        assert html.count("data-copy") >= rows

    def test_it_loads_nothing(self, page: Path) -> None:
        """No external resource: no src or href to another file or the network."""
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|[^"'#])""", html)
        assert "default-src 'none'" in html

    def test_correction_lines_paste_into_a_corrections_file(self, page: Path, tmp_path: Path) -> None:
        """Every line on the page, with a reason written in, is a valid correction."""
        html = page.read_text(encoding="utf-8")
        import html as html_module

        lines = [html_module.unescape(line) for line in re.findall(r"<code>(- \{.*?\})</code>", html)]
        assert lines
        filled = [line.replace('reason: ""', 'reason: "checked"') for line in lines[:60]]
        path = tmp_path / "corrections.yaml"
        path.write_text("corrections:\n" + "".join(f"  {line}\n" for line in filled), encoding="utf-8")
        assert len(load_corrections(path).corrections) == len(filled)

    def test_review_text_is_escaped(self, built: Path) -> None:
        """A quote, a title or a section holding markup shows as text."""
        coded = CodedResult.model_validate_json((built / "coded.json").read_bytes())
        case = coded.cases[0]
        code_id = next(cid for cid, r in case.codes.items() if r.present)
        result = case.codes[code_id].model_copy(
            update={"evidence": [Evidence(page=1, quote=HOSTILE, section=HOSTILE)]}
        )
        case = case.model_copy(
            update={"title": HOSTILE, "pseudonym": HOSTILE, "codes": {**case.codes, code_id: result}}
        )
        html = render_review(coded.model_copy(update={"cases": [case]}))
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html

    def test_the_same_coded_file_gives_the_same_bytes(self, built: Path, tmp_path: Path) -> None:
        """The review page is deterministic."""
        run("review", built / "coded.json", "--out", tmp_path / "a.html")
        run("review", built / "coded.json", "--out", tmp_path / "b.html")
        assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def chromium() -> str | None:
    """Debian's Chromium (installed by `make system-deps`)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser_page(page: Path):  # type: ignore[no-untyped-def]
    """The review page opened from its file in headless Chromium, through Playwright."""
    executable = chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make system-deps` installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        tab = browser.new_page()
        requests: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(page.as_uri())
        yield tab, requests
        browser.close()


class TestInABrowser:
    def test_it_opens_from_a_file_and_requests_nothing_else(self, browser_page) -> None:  # type: ignore[no-untyped-def]
        """Opened from a file, the page asks for nothing but itself."""
        tab, requests = browser_page
        assert tab.locator("section.case").count() > 1
        assert all(url.startswith("file://") for url in requests), requests

    def test_filter_by_case_theme_and_code(self, browser_page) -> None:  # type: ignore[no-untyped-def]
        """Choosing a case, a theme and typing a code leaves only the matching rows in view."""
        tab, _ = browser_page
        anchor = tab.locator("#filter-case option").nth(1).get_attribute("value")
        tab.select_option("#filter-case", anchor)
        assert tab.locator("section.case:visible").count() == 1
        tab.select_option("#filter-theme", "features")
        visible = tab.locator(".item:visible")
        assert visible.count() == 11
        assert all(kind == "feature" for kind in visible.evaluate_all("els => els.map(e => e.dataset.kind)"))
        tab.select_option("#filter-theme", "")
        tab.fill("#filter-code", "stalking")
        ids = tab.locator(".item:visible").evaluate_all("els => els.map(e => e.dataset.id)")
        assert ids and all("stalking" in i for i in ids)
        tab.keyboard.press("Escape")
        assert tab.locator("section.case:visible").count() > 1

    def test_keyboard(self, browser_page) -> None:  # type: ignore[no-untyped-def]
        """`/` focuses the code filter; `j` moves to the next case."""
        tab, _ = browser_page
        tab.locator("body").click(position={"x": 5, "y": 400})
        tab.keyboard.press("/")
        assert tab.evaluate("document.activeElement.id") == "filter-code"
        tab.keyboard.press("Escape")
        tab.keyboard.press("j")
        first = tab.evaluate("document.activeElement.id")
        tab.keyboard.press("j")
        second = tab.evaluate("document.activeElement.id")
        assert first.startswith("case-") and second.startswith("case-") and first != second

    def test_a_correction_line_can_be_copied(self, browser_page) -> None:  # type: ignore[no-untyped-def]
        """The Copy button selects its line and says so."""
        tab, _ = browser_page
        button = tab.locator("button[data-copy]:visible").first
        button.click()
        assert button.text_content() == "Copied"
        selected = tab.evaluate("window.getSelection().toString()")
        assert yaml.safe_load(selected)[0]["case"]
