"""The repository: `briefgen index` keeps every review in one SQLite file, `search` finds pages in it, `browse`
shows it in Datasette, and a scanned review is read by OCR when Tesseract is installed."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from briefgen.errors import ExitCode
from briefgen.models import CodedCase, CodedResult
from tests.conftest import CORPUS, run

HOSTILE = "<script>alert('pwned')</script><img src=x onerror=alert(1)>"


def query(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.fixture(scope="session")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`briefgen index` run once over the sample corpus (without OCR, as the labels describe it)."""
    db = tmp_path_factory.mktemp("repository") / "reviews.db"
    cache = tmp_path_factory.getbasetemp() / "cache"
    result = run("index", CORPUS, "--db", db, "--cache-dir", cache, "--no-ocr", "-j", "2")
    assert result.exit_code == ExitCode.OK, result.output
    return db


class TestIndex:
    """One SQLite file holds the documents, their pages, decisions, cases, codes and evidence."""

    def test_every_document_is_listed_with_its_decision(self, repository: Path) -> None:
        """Each file of the corpus has a row with its title, date of death and decision."""
        rows = dict(query(repository, "select source, decision from documents"))
        assert len(rows) == len([p for p in CORPUS.iterdir() if not p.name.startswith(".")])
        assert rows["dhr-ashbury-ioana.pdf"] == "include"
        assert rows["dhr-greyford-ruth.pdf"] == "exclude"
        assert rows["dhr-northgate-scanned.pdf"] == "review"

    def test_the_cover_gives_partnership_and_document_type(self, repository: Path) -> None:
        """The partnership and the kind of document are read from the cover."""
        ((partnership, kind),) = query(
            repository,
            "select partnership, document_type from documents where source = ?",
            "dhr-ashbury-ioana.pdf",
        )
        assert partnership == "Ashbury"
        assert kind == "overview_report"

    def test_pages_are_under_a_full_text_index(self, repository: Path) -> None:
        """FTS5 finds the pages that hold a phrase."""
        rows = query(
            repository,
            "select p.source, p.page from pages_fts join pages p on p.rowid = pages_fts.rowid "
            "where pages_fts match ?",
            '"coercive control"',
        )
        assert rows and all(page >= 1 for _, page in rows)

    def test_evidence_offsets_point_at_the_sentence_in_its_page(self, repository: Path) -> None:
        """Where offsets are given, the page text between them is the quoted sentence (spacing aside)."""
        rows = query(
            repository,
            "select e.sentence, substr(p.text, e.start + 1, e.end - e.start) from evidence e "
            "join pages p on p.source = e.source and p.page = e.page where e.start is not null",
        )
        assert len(rows) > 100
        for sentence, found in rows:
            assert " ".join(found.replace("|", " ").split()) == " ".join(sentence.replace("|", " ").split())

    def test_codes_features_and_recommendations_are_kept(self, repository: Path) -> None:
        """Present codes, forces, evidence of each kind and police recommendations are in their tables."""
        assert query(repository, "select count(*) from case_codes")[0][0] > 50
        assert ("West Midlands Police",) in query(
            repository, "select force from case_forces where source = ?", "dhr-ashbury-ioana.pdf"
        )
        kinds = {kind for (kind,) in query(repository, "select distinct kind from evidence")}
        assert {"criterion", "code", "feature", "date_of_death", "set_aside"} <= kinds
        assert query(repository, "select count(*) from recommendations")[0][0] > 0
        assert query(repository, "select count(*) from recommendation_themes")[0][0] > 0

    def test_the_cases_are_those_briefgen_code_gives(self, repository: Path, built: Path) -> None:
        """index screens and codes as `screen` and `code` do: the same cases, each coded the same."""
        coded = CodedResult.model_validate_json((built / "coded.json").read_text(encoding="utf-8"))
        stored = dict(query(repository, "select source, case_json from cases"))
        assert {source: CodedCase.model_validate_json(data) for source, data in stored.items()} == {
            case.source: case for case in coded.cases
        }

    def test_a_document_that_no_longer_leads_its_case_gives_up_its_case(self, tmp_path: Path) -> None:
        """A copy indexed alone holds the case; once the original joins, the case is counted once, as `code`
        counts it."""
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        shutil.copy(CORPUS / "dhr-kelsborough-leah.pdf", corpus / "zz-copy-of-leah.pdf")
        db = tmp_path / "reviews.db"
        assert run("index", corpus, "--db", db, "--no-ocr").exit_code == ExitCode.OK
        assert query(db, "select count(*) from cases")[0][0] == 1
        shutil.copy(CORPUS / "dhr-kelsborough-leah.pdf", corpus / "dhr-kelsborough-leah.pdf")
        assert run("index", corpus, "--db", db, "--no-ocr").exit_code == ExitCode.OK
        assert query(db, "select count(*) from cases")[0][0] == 1

    def test_a_rerun_rewrites_nothing_and_a_change_only_that_document(
        self, repository: Path, tmp_path: Path
    ) -> None:
        """An unchanged corpus is not written again; a removed document leaves, a new one is read."""
        corpus = tmp_path / "corpus"
        shutil.copytree(CORPUS, corpus)
        db = tmp_path / "reviews.db"
        assert run("index", corpus, "--db", db, "--no-ocr").exit_code == ExitCode.OK
        again = run("index", corpus, "--db", db, "--no-ocr")
        documents = len(list(CORPUS.iterdir()))
        assert f"{documents} documents (0 written, 0 read into pages, 0 removed)" in " ".join(
            again.output.split()
        )
        (corpus / "dhr-greyford-ruth.pdf").unlink()
        (corpus / "dhr-new.txt").write_text("Domestic Homicide Review\n\nThe police attended twice.\n")
        changed = run("index", corpus, "--db", db, "--no-ocr")
        assert "(1 written, 1 read into pages, 1 removed)" in " ".join(changed.output.split())
        sources = {s for (s,) in query(db, "select source from documents")}
        assert "dhr-new.txt" in sources and "dhr-greyford-ruth.pdf" not in sources

    def test_a_file_that_is_not_a_repository_is_not_overwritten(self, tmp_path: Path) -> None:
        """--db naming some other file is refused with one line, and the file is left as it was."""
        other = tmp_path / "notes.db"
        other.write_bytes(b"my notes")
        result = run("index", CORPUS, "--db", other, "--no-ocr")
        assert result.exit_code == ExitCode.USAGE
        assert "is not a briefgen repository" in result.stderr
        assert "Traceback" not in result.output
        assert other.read_bytes() == b"my notes"


class TestSearch:
    """FTS5 queries give ranked, page-cited hits; filters narrow them; errors are one line."""

    def test_a_phrase_gives_page_cited_snippets(self, repository: Path) -> None:
        """Each hit names the review and the page, best first."""
        result = run("search", '"coercive control"', "--db", repository, "--json")
        assert result.exit_code == ExitCode.OK, result.output
        data = json.loads(result.stdout)
        assert data["query"] == '"coercive control"'
        hits = data["hits"]
        assert hits and {"source", "page", "title", "snippet", "highlights", "score"} <= set(hits[0])
        scores = [hit["score"] for hit in hits]
        assert scores == sorted(scores, reverse=True)
        start, end = hits[0]["highlights"][0]
        assert hits[0]["snippet"][start:end].lower() == "coercive control"

    @pytest.mark.parametrize(
        "text",
        ["stalk*", "dash AND marac", "marac OR mash", "police NOT marac", "NEAR(officers attended, 5)"],
    )
    def test_fts5_operators_work(self, repository: Path, text: str) -> None:
        """Prefixes, AND, OR, NOT and NEAR are FTS5's own."""
        result = run("search", text, "--db", repository, "--json")
        assert result.exit_code == ExitCode.OK, result.output
        assert json.loads(result.stdout)["hits"]

    def test_filters_narrow_the_hits(self, repository: Path) -> None:
        """Date of death, force, decision and code filters keep only matching reviews."""
        hits = json.loads(
            run(
                "search", "police", "--db", repository, "--json", "--limit", "200", "--from", "2017-01",
                "--to", "2018-12", "--force", "west midlands", "--decision", "include", "--code", "harassment",
            ).stdout
        )["hits"]  # fmt: skip
        assert {hit["source"] for hit in hits} == {"dhr-ashbury-ioana.pdf"}

    def test_csv_lists_the_hits(self, repository: Path) -> None:
        """--csv gives one row per hit with the source and page."""
        result = run("search", "ioana", "--db", repository, "--csv", "--limit", "3")
        lines = result.stdout.lstrip("\ufeff").splitlines()
        assert lines[0].startswith("source,page,")
        assert len(lines) == 4 and lines[1].startswith("dhr-ashbury-ioana.pdf,")

    def test_the_table_shows_review_and_page(self, repository: Path) -> None:
        """Without --json or --csv the hits are a table."""
        result = run("search", "ioana", "--db", repository, "--limit", "2")
        assert result.exit_code == ExitCode.OK
        assert "dhr-ashbury" in result.stdout and "p." in result.stdout

    @pytest.mark.parametrize("text", ['"unclosed', "AND", "NEAR(", "police)"])
    def test_a_query_fts5_cannot_read_is_one_line(self, repository: Path, text: str) -> None:
        """A syntax error is one line naming the query, exit code 2, no traceback."""
        result = run("search", text, "--db", repository)
        assert result.exit_code == ExitCode.USAGE
        assert "cannot read the search query" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1

    def test_a_missing_repository_is_named(self, tmp_path: Path) -> None:
        """Searching a file that does not exist says how to make it."""
        result = run("search", "police", "--db", tmp_path / "none.db")
        assert result.exit_code == ExitCode.INVALID_INPUT
        assert "briefgen index" in result.stderr

    def test_a_bad_date_is_refused(self, repository: Path) -> None:
        """--from must be a date."""
        result = run("search", "police", "--db", repository, "--from", "last year")
        assert result.exit_code == ExitCode.USAGE and "is not a date" in result.stderr


def get(db: Path, path: str) -> Any:
    """A page of the repository in Datasette, through Datasette's own test client."""
    from briefgen.repository.browse import datasette_for

    datasette = datasette_for(db)
    return asyncio.run(datasette.client.get(path))


@pytest.fixture(scope="module")
def hostile_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with a review whose text, title and file name are HTML and script."""
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    corpus.mkdir()
    (corpus / "dhr-<b>x<i>.txt").write_text(
        f"{HOSTILE} Domestic Homicide Review\n\n{HOSTILE}\n\nThe police attended. {HOSTILE}\n",
        encoding="utf-8",
    )
    db = corpus.parent / "hostile.db"
    assert run("index", corpus, "--db", db, "--no-ocr").exit_code == ExitCode.OK
    return db


class TestBrowse:
    """The repository in Datasette: titles, labels, facets, canned queries; review text is inert."""

    def test_the_database_page_lists_titled_tables_and_queries(self, repository: Path) -> None:
        """The index page shows the tables' titles and the canned queries."""
        page = get(repository, f"/{repository.stem}")
        assert page.status_code == 200
        for title in ("Reviews citing a code", "Police recommendations by theme", "All evidence for a code"):
            assert title in page.text

    def test_documents_are_faceted_by_decision(self, repository: Path) -> None:
        """The documents table offers facets on decision, with counts."""
        data = get(repository, f"/{repository.stem}/documents.json?_facet=decision").json()
        results = data["facet_results"]
        facets = results.get("results", results)
        values = {item["value"] for item in facets["decision"]["results"]}
        assert values == {"include", "exclude", "review"}

    @pytest.mark.parametrize(
        ("path", "expected"),
        [
            ("reviews_citing_code.json?code=harassment&_shape=array", "dhr-ashbury-ioana.pdf"),
            ("evidence_for_code.json?code=stalking&_shape=array", "stalk"),
            ("police_recommendations_by_theme.json?theme=&_shape=array", "olice"),
        ],
    )
    def test_canned_queries_answer(self, repository: Path, path: str, expected: str) -> None:
        """Each canned query runs and returns rows."""
        page = get(repository, f"/{repository.stem}/{path}")
        assert page.status_code == 200, page.text[:500]
        rows = page.json()
        assert rows and expected.lower() in json.dumps(rows).lower()

    def test_force_code_and_decision_facets_are_configured(self) -> None:
        """The metadata asks for facets on force, code and decision, and labels columns."""
        from briefgen.repository.browse import metadata

        tables = metadata("reviews")["databases"]["reviews"]["tables"]
        assert "force" in tables["case_forces"]["facets"]
        assert "code" in tables["case_codes"]["facets"]
        assert "decision" in tables["documents"]["facets"]
        assert tables["evidence"]["columns"]["start"]

    @pytest.mark.parametrize("table", ["documents", "pages", "evidence", "criteria"])
    def test_review_text_stays_inert(self, hostile_repository: Path, table: str) -> None:
        """HTML and script in a review are shown as text, never as markup."""
        page = get(hostile_repository, f"/{hostile_repository.stem}/{table}")
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "<b>x<i>" not in page.text

    def test_a_search_page_keeps_review_text_inert(self, hostile_repository: Path) -> None:
        """Searching the pages in Datasette shows the matches escaped."""
        page = get(hostile_repository, f"/{hostile_repository.stem}/pages?_search=police")
        assert page.status_code == 200 and "&lt;script&gt;" in page.text
        assert "<script>alert" not in page.text

    def test_browse_refuses_a_file_that_is_not_a_repository(self, tmp_path: Path) -> None:
        """A missing or foreign file is one line, before any server starts."""
        other = tmp_path / "x.db"
        other.write_bytes(b"no")
        for path in (other, tmp_path / "missing.db"):
            result = run("browse", path)
            assert result.exit_code == ExitCode.INVALID_INPUT
            assert "Traceback" not in result.output

    def test_browse_listens_on_localhost_unless_told(
        self, repository: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The server binds to 127.0.0.1 by default; --host chooses another address."""
        calls: list[tuple[str, int]] = []
        monkeypatch.setattr(
            "briefgen.repository.browse.serve", lambda db, *, host, port: calls.append((host, port))
        )
        assert run("browse", repository).exit_code == ExitCode.OK
        assert run("browse", repository, "--host", "0.0.0.0", "--port", "9000").exit_code == ExitCode.OK
        assert calls == [("127.0.0.1", 8001), ("0.0.0.0", 9000)]


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium (apt-get install chromium)")
def test_a_page_loads_in_headless_chromium(
    repository: Path, tmp_path: Path, labels: dict[str, dict[str, object]]
) -> None:
    """`briefgen browse` serves a page that headless Chromium loads, with the reviews' titles in it."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "browse", str(repository), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with closing(socket.socket()) as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        dom = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
             "--dump-dom", f"http://127.0.0.1:{port}/{repository.stem}/documents"],
            capture_output=True, text=True, timeout=60, check=False,
        ).stdout  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=10)
    documents = len(list(CORPUS.iterdir()))
    latest = max(
        (entry for entry in labels.values() if entry.get("incident_date")),
        key=lambda e: str(e["incident_date"]),
    )
    assert (
        "Reviews" in dom and f"documents: {documents} rows" in dom and str(latest["file"]) in dom
    )  # first page


needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="needs Tesseract (apt-get install tesseract-ocr)"
)


class TestOcr:
    """A scanned review is read by OCR when Tesseract is installed; its evidence is marked as OCR text."""

    @needs_tesseract
    def test_the_scanned_sample_becomes_readable(self) -> None:
        """The image-only sample is read into pages marked as OCR text."""
        from briefgen.ingest.limits import Limits
        from briefgen.ingest.read import read_document

        document = read_document(CORPUS / "dhr-northgate-scanned.pdf", sha256="x", limits=Limits(ocr=True))
        assert all(page.ocr for page in document.pages)
        assert "DOMESTIC HOMICIDE REVIEW" in document.pages[0].text

    @needs_tesseract
    def test_index_marks_ocr_pages_and_evidence(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Indexed with OCR on, the scan has text, and its evidence says it is OCR text; --no-ocr skips it."""
        monkeypatch.delenv("BRIEFGEN_OCR")
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        shutil.copy(CORPUS / "dhr-northgate-scanned.pdf", corpus)
        db = tmp_path / "reviews.db"
        assert run("index", corpus, "--db", db).exit_code == ExitCode.OK
        assert query(db, "select ocr, problem from documents") == [(1, None)]
        assert query(db, "select count(*) from evidence where ocr = 0")[0][0] == 0
        assert query(db, "select count(*) from evidence")[0][0] > 0
        skipped = tmp_path / "skipped.db"
        assert run("index", corpus, "--db", skipped, "--no-ocr").exit_code == ExitCode.OK
        assert query(skipped, "select decision, problem from documents") == [("review", "image_only")]

    def test_without_tesseract_a_scan_stays_for_review(
        self, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where Tesseract is missing, the scan goes to review with today's message."""
        from briefgen.errors import DocumentUnreadable
        from briefgen.ingest import ocr
        from briefgen.ingest.limits import Limits
        from briefgen.ingest.read import read_document

        monkeypatch.setattr(ocr, "available", lambda: False)
        with pytest.raises(DocumentUnreadable) as caught:
            read_document(CORPUS / "dhr-northgate-scanned.pdf", sha256="x", limits=Limits(ocr=True))
        assert "no text layer (a scanned image?); run OCR on it first" in str(caught.value)

    def test_page_json_is_unchanged_without_ocr(self) -> None:
        """A page read from its text layer has no `ocr` key in its JSON."""
        from briefgen.models import Page

        assert json.loads(Page(number=1, text="x").model_dump_json()) == {"number": 1, "text": "x"}
        assert json.loads(Page(number=1, text="x", ocr=True).model_dump_json())["ocr"] is True


def test_a_project_build_keeps_its_repository(tmp_path: Path) -> None:
    """`index:` in briefgen.yaml makes `briefgen build` write the repository beside the edition."""
    project = tmp_path / "project"
    shutil.copytree(CORPUS.parent, project, ignore=shutil.ignore_patterns("build", "sources"))
    with (project / "briefgen.yaml").open("a", encoding="utf-8") as config:
        config.write("index: build/reviews.db\n")
    result = run("build", project, "--no-ocr")
    assert result.exit_code == ExitCode.OK, result.output
    documents = len(list((project / "corpus").iterdir()))
    assert query(project / "build" / "reviews.db", "select count(*) from documents")[0][0] == documents
