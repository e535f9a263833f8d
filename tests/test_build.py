"""Briefing projects: `briefgen init`, and `briefgen build` with its skipped stages, editions and manifests.

The samples project is built once for the module (without one included review, held back for a later edition);
each test that changes something works on its own copy of that built project.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from briefgen import resources
from briefgen.cli import app
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import Decision, DocumentText, Page, ScreeningResult
from briefgen.project.config import load_project
from briefgen.screen.period import Period, apply_period, cover_date, in_period
from briefgen.text import PartialDate
from tests.conftest import CORPUS, SAMPLES, run

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))

OUTPUTS = ("screening.json", "screening.csv", "coded.json", "coded.csv", "briefing.pdf", "briefing.html")


@dataclass(frozen=True)
class Built:
    root: Path
    held_back: Path
    result: Result

    @property
    def edition(self) -> Path:
        return self.root / "build" / "edition-1"


def build(project: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["build", str(project), "-j", "2", *args])


def manifest(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "manifest.json").read_text())
    return data


def set_edition(project: Path, edition: str) -> None:
    """Replace the edition block of the project's briefgen.yaml."""
    config = project / "briefgen.yaml"
    text = config.read_text()
    config.write_text(text[: text.index("edition:")] + edition)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, labels: dict[str, dict[str, object]]) -> Built:
    """The samples project, built once, with its last included review held back."""
    root = tmp_path_factory.mktemp("project") / "briefing"
    root.mkdir()
    shutil.copy(SAMPLES / "briefgen.yaml", root)
    shutil.copy(SAMPLES / "briefing.yaml", root)
    shutil.copytree(CORPUS, root / "corpus")
    included = sorted(name for name, entry in labels.items() if entry["decision"] == "include")
    held_back = tmp_path_factory.mktemp("held") / included[-1]
    (root / "corpus" / included[-1]).rename(held_back)
    cache = tmp_path_factory.getbasetemp() / "cache"
    result = CliRunner().invoke(app, ["build", str(root), "-j", "2", "--cache-dir", str(cache)])
    return Built(root, held_back, result)


@pytest.fixture
def project(built: Built, tmp_path: Path) -> Path:
    """A copy of the built project, outputs included, for a test to change."""
    assert built.result.exit_code == 0, built.result.output
    return Path(shutil.copytree(built.root, tmp_path / "briefing"))


@pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="needs Tesseract (apt-get install tesseract-ocr)"
)
def test_a_build_reads_a_scan_by_ocr_and_leaves_its_decision_to_an_analyst(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a build with two workers (each under its memory limit), the scanned review is read by OCR: it is no
    longer unreadable, and the decision made on its OCR text goes to an analyst."""
    monkeypatch.delenv("BRIEFGEN_OCR")
    root = tmp_path / "briefing"
    (root / "corpus").mkdir(parents=True)
    shutil.copy(SAMPLES / "briefgen.yaml", root)
    shutil.copy(SAMPLES / "briefing.yaml", root)
    for name in ("dhr-northgate-scanned.pdf", "dhr-kelsborough-leah.pdf"):
        shutil.copy(CORPUS / name, root / "corpus")
    result = build(root, "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    screening = ScreeningResult.model_validate_json(
        (root / "build" / "edition-1" / "screening.json").read_text()
    )
    scan = next(d for d in screening.documents if d.source == "dhr-northgate-scanned.pdf")
    assert (scan.problem, scan.ocr, scan.decision) == (None, True, Decision.review)
    assert any(reason.startswith("Read by OCR") for reason in scan.reasons)


class TestInit:
    def test_creates_a_project_ready_to_edit(self, tmp_path: Path) -> None:
        """`init` writes briefgen.yaml, copies of the criteria, codebook and briefing, and an empty corpus."""
        result = run("init", tmp_path / "new")
        assert result.exit_code == 0, result.output
        folder = tmp_path / "new"
        for name in ("briefgen.yaml", "criteria.yaml", "codebook.yaml", "briefing.yaml"):
            assert (folder / name).is_file(), name
        assert list((folder / "corpus").iterdir()) == []
        loaded = load_project(folder)
        assert loaded.criteria == folder / "criteria.yaml"
        assert loaded.settings.edition.number == 1

    def test_refuses_an_existing_project(self, tmp_path: Path) -> None:
        """A second `init` on the same folder fails with one line and leaves the analyst's files alone."""
        folder = tmp_path / "new"
        assert run("init", folder).exit_code == 0
        (folder / "briefing.yaml").write_text("title: mine\n")
        result = run("init", folder)
        assert result.exit_code == 2
        assert "already has a briefgen.yaml" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert (folder / "briefing.yaml").read_text() == "title: mine\n"


class TestBuild:
    def test_runs_every_stage_and_writes_a_manifest(self, built: Built) -> None:
        """The first build screens, codes and renders into edition-1/ and records it in manifest.json."""
        assert built.result.exit_code == 0, built.result.output
        assert "unchanged, skipped" not in built.result.stdout
        assert f"briefing: {built.edition / 'briefing.pdf'}" in built.result.stdout
        for name in OUTPUTS:
            assert (built.edition / name).is_file(), name
        assert (built.edition / "briefing.pdf").read_bytes().startswith(b"%PDF")
        data = manifest(built.edition)
        assert data["edition"] == {"number": 1, "date": "2026-11-30", "period": None}
        assert data["previous_edition"] is None
        assert data["new_cases"] == []
        coded = json.loads((built.edition / "coded.json").read_text())
        assert [case["source"] for case in data["cases"]] == [case["source"] for case in coded["cases"]]  # type: ignore[index]
        assert set(data["stages"]) == {"screen", "code", "render"}  # type: ignore[arg-type]
        assert data["inputs"]["criteria"]["path"] == "(default) criteria.yaml"  # type: ignore[index]

    def test_second_build_skips_every_stage(self, project: Path) -> None:
        """Built again with nothing changed, every stage is skipped and only the manifest's time may change."""
        edition = project / "build" / "edition-1"
        before = {name: (edition / name).read_bytes() for name in OUTPUTS}
        first = manifest(edition)
        result = build(project)
        assert result.exit_code == 0, result.output
        assert result.stdout.count("unchanged, skipped") == 3
        assert {name: (edition / name).read_bytes() for name in OUTPUTS} == before
        second = manifest(edition)
        first.pop("built_at")
        second.pop("built_at")
        assert second == first

    def test_changed_briefing_reruns_only_render(self, project: Path) -> None:
        """Editing the briefing file renders again but does not screen or code again."""
        with (project / "briefing.yaml").open("a") as briefing:
            briefing.write("# edited\n")
        result = build(project)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert any(line.split()[:1] == ["screen"] and "skipped" in line for line in lines)
        assert any(line.split()[:1] == ["code"] and "skipped" in line for line in lines)
        assert any(line.split()[:1] == ["render"] and "pages" in line for line in lines)

    def test_added_review_is_new_in_the_next_edition(self, project: Path, built: Built) -> None:
        """A review added for edition 2 is coded alone, listed as new and marked "New" in the briefing."""
        shutil.copy(built.held_back, project / "corpus")
        set_edition(project, "edition:\n  number: 2\n  date: 2027-02-28\n")
        result = build(project)
        assert result.exit_code == 0, result.output
        assert "1 coded" in result.stdout
        assert f"new since edition 1: {built.held_back.name}" in result.stdout
        assert (project / "build" / "edition-1" / "manifest.json").is_file()
        data = manifest(project / "build" / "edition-2")
        assert data["previous_edition"] == 1
        assert data["new_cases"] == [built.held_back.name]
        html = (project / "build" / "edition-2" / "briefing.html").read_text()
        assert 'class="new-case"' in html
        assert "Edition 2" in html and "28 February 2027" in html

    def test_period_excludes_deaths_outside_it(self, project: Path) -> None:
        """An edition for deaths in 2018 excludes the reviews of deaths before or after it."""
        set_edition(
            project,
            "edition:\n  number: 3\n  period:\n    field: death\n    from: 2018-01-01\n    to: 2018-12-31\n",
        )
        result = build(project)
        assert result.exit_code == 0, result.output
        screening = ScreeningResult.model_validate_json(
            (project / "build/edition-3/screening.json").read_bytes()
        )
        included = [d for d in screening.documents if d.decision is Decision.include]
        assert included
        assert all(d.incident_date and d.incident_date.startswith("2018") for d in included)
        outside = [d for d in screening.documents if d.exclusion_reason == "outside_period"]
        assert outside
        assert all(d.incident_date and not d.incident_date.startswith("2018") for d in outside)
        assert screening.counts.excluded_by_reason["outside_period"] == len(outside)
        assert screening.criteria_text[-1].id == "edition_period"


class TestBadProject:
    @pytest.mark.parametrize(
        ("line", "field"),
        [
            ("corpus: ../corpus", "corpus"),
            ("output: /tmp/briefings", "output"),
            ("briefing: a/../../b.yaml", "briefing"),
        ],
    )
    def test_path_outside_the_project_is_refused(self, project: Path, line: str, field: str) -> None:
        """A path with '..' or an absolute one is one error line naming briefgen.yaml and the YAML line."""
        config = project / "briefgen.yaml"
        lines = [text for text in config.read_text().splitlines() if not text.startswith(f"{field}:")]
        config.write_text("\n".join([line, *lines]) + "\n")
        result = build(project)
        assert result.exit_code == 3
        assert f"briefgen.yaml: line 1: {field}: " in result.stderr
        assert "outside the project folder" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1

    def test_malformed_yaml_is_one_line(self, project: Path) -> None:
        """Broken YAML in briefgen.yaml is one line with the YAML line, not a traceback."""
        (project / "briefgen.yaml").write_text("corpus: corpus\nedition: [1,\n")
        result = build(project)
        assert result.exit_code == 3
        assert "briefgen.yaml: line 3" in result.stderr
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1

    def test_missing_corpus_folder_names_the_line(self, project: Path) -> None:
        """A corpus folder that does not exist is named with its line in briefgen.yaml."""
        shutil.rmtree(project / "corpus")
        result = build(project)
        assert result.exit_code == 3
        assert "briefgen.yaml: line 7: corpus: folder 'corpus' not found" in result.stderr

    def test_folder_without_a_project_says_how_to_make_one(self, tmp_path: Path) -> None:
        """`build` on a folder with no briefgen.yaml points at `briefgen init`."""
        result = build(tmp_path)
        assert result.exit_code == 3
        assert "briefgen init" in result.stderr


def _period(field: str, start: str, end: str) -> Period:
    return Period.model_validate({"field": field, "from": start, "to": end})


def _document(*lines: str) -> DocumentText:
    return DocumentText(
        sha256="0" * 64,
        format="pdf",
        page_unit="page",
        title="t",
        pages=[Page(number=1, text="\n".join(lines))],
    )


class TestPeriod:
    def test_month_only_date_counts_when_the_month_overlaps(self) -> None:
        """A death known only to the month is in a period that shares any day of that month."""
        period = _period("death", "2018-12-15", "2019-01-31")
        assert in_period(PartialDate(2018, 12), period)
        assert in_period(PartialDate(2019, 1, 31), period)
        assert not in_period(PartialDate(2018, 11), period)
        assert not in_period(PartialDate(2018, 12, 14), period)

    def test_cover_date_takes_the_stated_date_not_the_revision(self) -> None:
        """The completion date on the cover is used; a later revision date is not."""
        found = cover_date(
            _document(
                "Overview Report", "Report completed: June 2017", "Revised following QA Panel: April 2018"
            ),
            LEXICON,
        )
        assert found is not None
        assert found[0] == PartialDate(2017, 6)
        assert found[1].quote == "Report completed: June 2017"

    def test_cover_date_prefers_publication(self) -> None:
        """A stated publication date wins over the completion date."""
        found = cover_date(
            _document("Date of completion: 28th June 2019", "Published: 3 March 2020"), LEXICON
        )
        assert found is not None and found[0] == PartialDate(2020, 3, 3)

    def test_cover_without_a_date(self) -> None:
        """A cover that states no date gives none."""
        assert cover_date(_document("Domestic Homicide Review", "Completed by the panel"), LEXICON) is None

    def test_unknown_date_sends_an_included_review_to_review(self, built: Built) -> None:
        """An included review whose date is not known is not kept in a period edition on that."""
        screening = ScreeningResult.model_validate_json((built.edition / "screening.json").read_bytes())
        period = _period("published", "2018-01-01", "2018-12-31")
        limited = apply_period(screening, period, {})
        was_included = {d.source for d in screening.documents if d.decision is Decision.include}
        assert was_included
        for document in limited.documents:
            if document.source in was_included:
                assert document.decision is Decision.review
        assert limited.counts.included == 0


class TestCorrections:
    """`corrections:` in briefgen.yaml: applied on every build, without coding anything again."""

    @staticmethod
    def with_corrections(project: Path) -> Path:
        shutil.copy(SAMPLES / "corrections.yaml", project / "corrections.yaml")
        config = project / "briefgen.yaml"
        config.write_text(config.read_text() + "corrections: corrections.yaml\n")
        return project / "corrections.yaml"

    def test_new_corrections_recode_nothing_and_reach_the_briefing(self, project: Path) -> None:
        """Only the corrections changed: no review is coded again, and the briefing shows the verification."""
        self.with_corrections(project)
        result = build(project)
        assert result.exit_code == 0, result.output
        assert re.search(r"code +(\d+) cases: 0 coded, \1 reused", result.stdout), result.stdout
        edition = project / "build" / "edition-1"
        html = (edition / "briefing.html").read_text(encoding="utf-8")
        assert "Verification by an analyst" in html and "(Not verified)" in html
        assert "An analyst verified one of the" in html
        assert (edition / "review.html").is_file()
        assert manifest(edition)["inputs"]["corrections"]["path"] == "corrections.yaml"  # type: ignore[index]

    def test_build_warns_about_unverified_cases(self, project: Path) -> None:
        """A build that renders cases nobody verified says so."""
        self.with_corrections(project)
        result = build(project)
        assert re.search(
            r"warning: the briefing counts \d+ cases not yet verified by an analyst", result.stderr
        )

    def test_require_verified_refuses_unverified_cases(self, project: Path) -> None:
        """`build --require-verified` stops before rendering while a case is unverified."""
        self.with_corrections(project)
        pdf = project / "build" / "edition-1" / "briefing.pdf"
        before = pdf.read_bytes()
        result = build(project, "--require-verified")
        assert result.exit_code == 1
        assert re.search(r"\d+ cases not verified by an analyst", result.stderr)
        assert pdf.read_bytes() == before

    def test_a_broken_corrections_file_stops_the_build_first(self, project: Path) -> None:
        """A malformed corrections file is one line with the invalid-input exit code, before any work."""
        path = self.with_corrections(project)
        path.write_text("corrections:\n  - case: x.pdf\n", encoding="utf-8")
        result = build(project)
        assert result.exit_code == 3
        assert "corrections.yaml: line 2" in result.stderr
