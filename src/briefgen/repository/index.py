"""`briefgen index`: every review of a corpus in one SQLite file, kept up to date.

The corpus is screened and the included reviews coded by the same functions as `screen` and `code` run
(`pipeline.run_screening`, `run_coding`), reusing the text and screening caches and the cases already in the
file; then each document is written: its metadata, its pages' text under an FTS5 index, its screening decision
with the criteria's evidence, and for a coded case its features, codes, evidence and the recommendations to the
police. A document whose file and results have not changed is left as it is, so a rerun over a large corpus
writes only what is new.

The file is updated in a copy that replaces it at the end, so an interrupted run leaves the old file whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sqlite_utils
from pydantic import Field

from briefgen import __version__, resources
from briefgen.coding.codebook import Codebook
from briefgen.coding.match import CompiledCodebook
from briefgen.errors import InputFileError, OutputError, UsageError
from briefgen.files import check_outputs, sha256_of
from briefgen.ingest.cache import EXTRACTOR_VERSION, TextCache, load_text
from briefgen.ingest.limits import Limits
from briefgen.models import (
    CodedCase,
    CodedResult,
    DocumentText,
    Evidence,
    FileRef,
    ScreenedDocument,
    ScreeningResult,
    Strict,
)
from briefgen.pipeline import CodingInputs, ScreeningInputs, Workers, run_coding, run_screening
from briefgen.runner.isolation import Confinement, Stopped, run_isolated
from briefgen.yamlio import load_yaml_model

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
TABLES = (
    "documents", "pages", "criteria", "cases", "case_forces", "case_codes", "evidence", "recommendations",
    "recommendation_themes",
)  # fmt: skip
_PER_DOCUMENT = [t for t in TABLES if t != "documents"]


# --- what the cover says -------------------------------------------------------------------------------------


class CoverCues(Strict):
    """codebooks/repository.yaml: how a cover names its partnership and the kind of document."""

    partnership: list[str] = Field(description="Patterns with a group `name`: the partnership.")
    document_types: dict[str, str] = Field(description="Document type -> a pattern of the words that say it.")


@dataclass(frozen=True)
class Cover:
    partnership: list[re.Pattern[str]]
    document_types: list[tuple[str, re.Pattern[str]]]

    @staticmethod
    def load(path: Path | None = None) -> Cover:
        cues = load_yaml_model(
            path or resources.codebooks_dir() / "repository.yaml", CoverCues, error=InputFileError
        )
        return Cover(
            [re.compile(p) for p in cues.partnership],
            [(name, re.compile(p, re.IGNORECASE)) for name, p in cues.document_types.items()],
        )

    def partnership_of(self, text: str) -> str | None:
        # Lines kept: a partnership's name stands on the line of its "Community Safety Partnership".
        head = "\n".join(" ".join(line.split()) for line in text.splitlines()[:40])
        for pattern in self.partnership:
            match = pattern.search(head) or pattern.search(head.title())
            if match:
                return " ".join(match.group("name").split()).title()
        return None

    def type_of(self, text: str) -> str | None:
        head = " ".join(text.split()[:120])
        return next((name for name, pattern in self.document_types if pattern.search(head)), None)


# --- the run -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexReport:
    db: Path
    documents: int
    written: int  # documents whose rows were (re)written
    pages_read: int  # documents whose pages were (re)indexed
    removed: int  # documents no longer in the corpus
    cases: int
    coded_now: int
    pages: int
    size_bytes: int


def index_corpus(
    corpus: Path,
    *,
    db: Path,
    criteria: Path,
    codebook: Path,
    lexicon: Path,
    overrides: Path | None,
    workers: Workers,
    urls: Path | None = None,
) -> IndexReport:
    """Screen and code `corpus` (reusing every cache) and bring the repository `db` up to date with it."""
    check_outputs(
        [db],
        {
            "criteria": criteria,
            "codebook": codebook,
            "lexicon": lexicon,
            "overrides": overrides,
            "URL list": urls,
            "corpus folder": corpus,
        },
    )
    # Every file is loaded before any work, so a broken codebook is not found after a long screening.
    screening_inputs = ScreeningInputs.load(criteria, lexicon, overrides)
    coding_inputs = CodingInputs.load(codebook, lexicon)
    url_of = read_urls(urls) if urls else {}
    screening = run_screening(corpus, screening_inputs, out_dir=db.parent, workers=workers)
    # The files' bytes: what the analyst wrote, comments included, is what the stored cases were coded with.
    coding_key = _digest(resources.code_fingerprint(), sha256_of(codebook), sha256_of(lexicon))
    stored = stored_cases(db, coding_key)
    coding = run_coding(
        screening,
        coding_inputs,
        screening_ref=FileRef(
            path="(screened by briefgen index)", title="screening", version=__version__, sha256=""
        ),
        screening_dir=db.parent,
        out_dir=db.parent,
        workers=workers,
        earlier=lambda document: _earlier_case(stored.get(document.source), document.sha256),
    )
    report = write_index(
        db,
        screening=screening,
        coded=coding.result,
        codebook=coding_inputs.codebook,
        corpus=corpus,
        workers=workers,
        coding_key=coding_key,
        urls=url_of,
    )
    return replace(report, coded_now=coding.coded_now)


def read_urls(path: Path) -> dict[str, str]:
    """A CSV of `source,url` (a review's path in the corpus and where it was published)."""
    import csv

    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputFileError(f"cannot be read ({exc.strerror})", path=path) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(f"is not a UTF-8 CSV file ({exc})", path=path) from None
    if rows and not {"source", "url"} <= set(rows[0]):
        raise InputFileError("needs the columns `source` and `url`", path=path)
    return {row["source"]: row["url"] for row in rows if row.get("source") and row.get("url")}


def _earlier_case(stored: tuple[str, str] | None, sha256: str) -> CodedCase | None:
    if stored is None or stored[0] != sha256:
        return None
    return CodedCase.model_validate_json(stored[1])


def stored_cases(db: Path, coding_key: str) -> dict[str, tuple[str, str]]:
    """The cases already in the repository, coded with this codebook, lexicon and code: source -> (sha256,
    the case's JSON)."""
    if not db.is_file():
        return {}
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            rows = conn.execute(
                "select source, sha256, case_json from cases where coding_key = ?", (coding_key,)
            ).fetchall()
    except sqlite3.Error:
        return {}
    return {source: (sha, data) for source, sha, data in rows}


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --- writing the file ----------------------------------------------------------------------------------------


def write_index(
    db: Path,
    *,
    screening: ScreeningResult,
    coded: CodedResult,
    codebook: Codebook,
    corpus: Path,
    workers: Workers,
    coding_key: str = "",
    urls: Mapping[str, str] | None = None,
) -> IndexReport:
    """Bring the repository `db` up to date with a screening and its coding; only changed documents are
    rewritten, and only documents whose file changed are read again. Atomic: the old file stays whole until the
    new one replaces it."""
    urls = urls or {}
    cover = Cover.load()
    compiled = _RecommendationThemes(codebook)
    cases = {case.source: case for case in coded.cases}
    db.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=db.parent, prefix=f".{db.name}.", suffix=".tmp")
    os.close(handle)
    temp = Path(temp_name)
    try:
        fresh = not db.is_file() or not _usable(db)
        if not fresh:
            shutil.copyfile(db, temp)
        else:
            temp.unlink()
        with closing(sqlite_utils.Database(temp)) as database:
            # A private copy that replaces the file only once complete: no journal or syncing is needed until then.
            database.execute("pragma journal_mode = off")
            database.execute("pragma synchronous = off")
            report = _update(
                database,
                screening,
                cases,
                coded,
                codebook,
                compiled,
                cover,
                corpus,
                workers,
                coding_key,
                urls,
            )
            database.conn.commit()
            database.execute("vacuum")
        os.chmod(temp, 0o644)
        os.replace(temp, db)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"cannot write ({exc.strerror})", path=db) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return IndexReport(db=db, size_bytes=db.stat().st_size, coded_now=0, **report)


def _usable(db: Path) -> bool:
    """Whether `db` is a repository of this schema; anything else is refused rather than overwritten."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            row = conn.execute("select value from meta where key = 'schema_version'").fetchone()
    except sqlite3.Error:
        raise UsageError(
            "is not a briefgen repository (not a SQLite file with its tables): choose another --db", path=db
        ) from None
    if row is None:
        raise UsageError("is not a briefgen repository: choose another --db", path=db)
    return bool(row[0] == SCHEMA_VERSION)  # an older schema is rebuilt from scratch


def _update(
    database: sqlite_utils.Database,
    screening: ScreeningResult,
    cases: Mapping[str, CodedCase],
    coded: CodedResult,
    codebook: Codebook,
    compiled: _RecommendationThemes,
    cover: Cover,
    corpus: Path,
    workers: Workers,
    coding_key: str,
    urls: Mapping[str, str],
) -> dict[str, int]:
    _create_tables(database)
    _write_codebook(database, codebook)
    old = {
        row["source"]: row
        for row in database.query("select source, sha256, text_key, row_key from documents")
    }
    documents = sorted(screening.documents, key=lambda d: d.source)
    keep = {d.source for d in documents}
    removed = [source for source in old if source not in keep]
    for source in removed:
        _delete(database, source, pages=True)

    text_key = f"{EXTRACTOR_VERSION}:{workers.limits.ocr}"
    wanted: list[tuple[ScreenedDocument, str]] = []
    for document in documents:
        case = cases.get(document.source)
        row_key = _digest(
            document.model_dump_json(),
            case.model_dump_json() if case else "",
            coding_key,
            urls.get(document.source, ""),
            SCHEMA_VERSION,
        )
        before = old.get(document.source)
        if before and before["row_key"] == row_key and before["text_key"] == text_key:
            continue
        wanted.append((document, row_key))
    cache = TextCache(workers.cache_dir)
    _read_missing_texts([d for d, _ in wanted], corpus, cache, workers)

    pages_read = 0
    for document, row_key in wanted:
        before = old.get(document.source)
        same_text = bool(before and before["sha256"] == document.sha256 and before["text_key"] == text_key)
        text = cache.get(document.sha256) if document.sha256 and document.problem is None else None
        _delete(database, document.source, pages=not same_text)
        if not same_text and text is not None:
            _write_pages(database, document.source, text)
            pages_read += 1
        _write_document(
            database, document, cases.get(document.source), text, cover, compiled, urls, row_key, text_key,
            coding_key,
        )  # fmt: skip
    database.table("meta").insert_all(
        [
            {"key": "schema_version", "value": SCHEMA_VERSION},
            {"key": "briefgen_version", "value": __version__},
            {"key": "criteria", "value": f"{screening.criteria.title} ({screening.criteria.version})"},
            {"key": "codebook", "value": f"{coded.codebook.ref.title} ({coded.codebook.ref.version})"},
        ],
        pk="key",
        replace=True,
    )
    pages = database.execute("select count(*) from pages").fetchone()[0]
    return {
        "documents": len(documents),
        "written": len(wanted),
        "pages_read": pages_read,
        "removed": len(removed),
        "cases": len(cases),
        "pages": pages,
    }


def _read_missing_texts(
    documents: list[ScreenedDocument], corpus: Path, cache: TextCache, workers: Workers
) -> None:
    """Read, in confined workers, the readable documents whose text is no longer in the cache."""
    missing = [
        str(corpus / d.source)
        for d in documents
        if d.sha256 and d.problem is None and not cache.has(d.sha256)
    ]
    if not missing:
        return
    limits = workers.limits
    confinement = Confinement(memory_bytes=limits.max_memory_bytes, seconds=limits.max_seconds)
    with closing(
        run_isolated(
            _read_one,
            missing,
            jobs=workers.jobs,
            confinement=confinement,
            initializer=_init_reader,
            init_args=(workers.cache_dir, limits),
        )
    ) as outcomes:
        for path, outcome in zip(missing, outcomes, strict=True):
            if isinstance(outcome, Stopped) or outcome is not None:
                log.warning("%s: its pages are not indexed (%s)", path, getattr(outcome, "detail", outcome))


_reader: dict[str, Any] = {}


def _init_reader(cache_dir: Path, limits: Limits) -> None:
    _reader["cache"], _reader["limits"] = TextCache(cache_dir), limits


def _read_one(path: str) -> str | None:
    """Worker: read a document into the text cache; None, or why it could not be read."""
    try:
        load_text(Path(path), _reader["cache"], _reader["limits"])
    except MemoryError:
        raise
    except Exception as exc:
        return str(exc)
    return None


def _create_tables(database: sqlite_utils.Database) -> None:
    if "documents" in database.table_names():
        return
    database.table("meta").create({"key": str, "value": str}, pk="key")
    database.table("documents").create(
        {
            "source": str, "sha256": str, "title": str, "partnership": str, "date_of_death": str,
            "document_type": str, "case_group": str, "decision": str, "exclusion_reason": str, "reasons": str,
            "problem": str, "problem_detail": str, "overridden": int, "ocr": int, "format": str,
            "page_unit": str, "page_count": int, "url": str, "text_key": str, "row_key": str,
        },
        pk="source",
    )  # fmt: skip
    database.table("pages").create(
        {"source": str, "page": int, "text": str, "ocr": int}, pk=("source", "page")
    )
    database.table("pages").enable_fts(["text"], create_triggers=True, tokenize="porter unicode61")
    database.table("criteria").create(
        {"source": str, "criterion": str, "result": str, "note": str}, pk=("source", "criterion")
    )
    database.table("themes").create(
        {
            "id": str,
            "title": str,
            "group_title": str,
            "nvap_action": str,
            "nvap_title": str,
            "description": str,
        },
        pk="id",
    )
    database.table("codes").create(
        {"id": str, "theme": str, "label": str, "definition": str},
        pk="id",
        foreign_keys=[("theme", "themes")],
    )
    database.table("cases").create(
        {
            "source": str, "sha256": str, "pseudonym": str, "victim_gender": str, "perpetrator_gender": str,
            "victim_age": int, "relationship": str, "cohabiting": int, "death_type": str, "police_forces": str,
            "first_police_contact": str, "days_first_contact_to_death": int, "case_type": str,
            "codes_present": int, "coding_key": str, "case_json": str,
        },
        pk="source",
        foreign_keys=[("source", "documents")],
    )  # fmt: skip
    database.table("case_forces").create(
        {"source": str, "force": str}, pk=("source", "force"), foreign_keys=[("source", "documents")]
    )
    database.table("case_codes").create(
        {"source": str, "code": str, "theme": str, "evidence_count": int},
        pk=("source", "code"),
        foreign_keys=[("source", "documents"), ("code", "codes"), ("theme", "themes")],
    )
    database.table("evidence").create(
        {
            "id": int, "source": str, "kind": str, "about": str, "page": int, "section": str, "sentence": str,
            "start": int, "end": int, "ocr": int, "set_aside": str,
        },
        pk="id",
        foreign_keys=[("source", "documents")],
    )  # fmt: skip
    database.table("recommendations").create(
        {"id": int, "source": str, "number": str, "text": str, "addressee": str, "page": int},
        pk="id",
        foreign_keys=[("source", "documents")],
    )
    database.table("recommendation_themes").create(
        {"recommendation": int, "theme": str},
        pk=("recommendation", "theme"),
        foreign_keys=[("recommendation", "recommendations"), ("theme", "themes")],
    )
    for table, columns in (
        ("evidence", ["source"]),
        ("evidence", ["kind", "about"]),
        ("case_codes", ["code"]),
        ("case_forces", ["force"]),
        ("recommendations", ["source"]),
        ("documents", ["date_of_death"]),
    ):
        database.table(table).create_index(columns)


class _RecommendationThemes:
    """The themes a recommendation is about: those of the codes whose rules its text matches. The rules are
    compiled only when a recommendation needs them."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._compiled: CompiledCodebook | None = None

    def of(self, text: str) -> list[str]:
        if self._compiled is None:
            self._compiled = CompiledCodebook(self.codebook)
        return sorted({c.code.theme for c in self._compiled.codes if c.match.search(text)})


def _write_codebook(database: sqlite_utils.Database, codebook: Codebook) -> None:
    database.table("themes").insert_all(
        (
            {
                "id": theme.id,
                "title": theme.title,
                "group_title": theme.group,
                "nvap_action": theme.nvap_action,
                "nvap_title": theme.nvap_title,
                "description": theme.description,
            }
            for theme in codebook.themes
        ),
        replace=True,
    )
    database.table("codes").insert_all(
        (
            {"id": c.id, "theme": c.theme, "label": c.label, "definition": c.definition}
            for c in codebook.codes
        ),
        replace=True,
    )


def _delete(database: sqlite_utils.Database, source: str, *, pages: bool) -> None:
    database.execute(
        "delete from recommendation_themes where recommendation in "
        "(select id from recommendations where source = ?)",
        [source],
    )
    for table in _PER_DOCUMENT:
        if table == "recommendation_themes" or (table == "pages" and not pages):
            continue
        database.table(table).delete_where("source = ?", [source])
    database.table("documents").delete_where("source = ?", [source])


def _write_pages(database: sqlite_utils.Database, source: str, text: DocumentText) -> None:
    database.table("pages").insert_all(
        {"source": source, "page": page.number, "text": page.text, "ocr": 1 if page.ocr else 0}
        for page in text.pages
    )


def _write_document(
    database: sqlite_utils.Database,
    document: ScreenedDocument,
    case: CodedCase | None,
    text: DocumentText | None,
    cover: Cover,
    compiled: _RecommendationThemes,
    urls: Mapping[str, str],
    row_key: str,
    text_key: str,
    coding_key: str,
) -> None:
    pages = {page.number: page for page in text.pages} if text else {}
    front = "\n".join(page.text for page in (text.pages[:2] if text else []))
    features = case.features if case else None
    database.table("documents").insert(
        {
            "source": document.source,
            "sha256": document.sha256,
            "title": document.title,
            "partnership": cover.partnership_of(front) if front else None,
            "date_of_death": document.incident_date,
            "document_type": cover.type_of(front) if front else None,
            "case_group": str(features.case_type.value) if features and features.case_type.value else None,
            "decision": document.decision.value,
            "exclusion_reason": document.exclusion_reason,
            "reasons": "\n".join(document.reasons),
            "problem": document.problem.value if document.problem else None,
            "problem_detail": document.problem_detail,
            "overridden": 1 if document.override else 0,
            "ocr": 1 if any(page.ocr for page in pages.values()) else 0,
            "format": document.format,
            "page_unit": document.page_unit,
            "page_count": document.page_count,
            "url": urls.get(document.source),
            "text_key": text_key,
            "row_key": row_key,
        }
    )
    database.table("criteria").insert_all(
        {"source": document.source, "criterion": r.id, "result": r.result.value, "note": r.note}
        for r in document.criteria
    )
    evidence: list[dict[str, Any]] = []
    evidence += _evidence_rows(
        document.source, "date_of_death", "date_of_death", document.incident_date_evidence, pages
    )
    for result in document.criteria:
        evidence += _evidence_rows(document.source, "criterion", result.id, result.evidence, pages)
    if case is not None:
        _write_case(database, case, coding_key, compiled, pages, evidence)
    database.table("evidence").insert_all(evidence)


def _write_case(
    database: sqlite_utils.Database,
    case: CodedCase,
    coding_key: str,
    compiled: _RecommendationThemes,
    pages: Mapping[int, Any],
    evidence: list[dict[str, Any]],
) -> None:
    values = case.features.values()
    forces = values["police_forces"] if isinstance(values["police_forces"], list) else []
    present = {code: result for code, result in case.codes.items() if result.present}
    database.table("cases").insert(
        {
            "source": case.source,
            "sha256": case.sha256,
            "pseudonym": case.pseudonym,
            **{
                name: value
                for name, value in values.items()
                if name != "police_forces" and name != "incident_date"
            },
            "police_forces": json.dumps(forces),
            "codes_present": len(present),
            "coding_key": coding_key,
            "case_json": case.model_dump_json(),
        }
    )
    database.table("case_forces").insert_all({"source": case.source, "force": force} for force in forces)
    theme_of = {c.id: c.theme for c in compiled.codebook.codes}
    database.table("case_codes").insert_all(
        {
            "source": case.source,
            "code": code,
            "theme": theme_of.get(code),
            "evidence_count": len(result.evidence),
        }
        for code, result in sorted(present.items())
    )
    for name in type(case.features).model_fields:
        feature = case.features.get(name)
        if feature is not None:
            evidence += _evidence_rows(case.source, "feature", name, feature.evidence, pages)
    for code, result in sorted(case.codes.items()):
        evidence += _evidence_rows(case.source, "code", code, result.evidence, pages)
        for aside in result.discounted:
            item = Evidence(page=aside.page, quote=aside.quote, section=aside.section)
            evidence += _evidence_rows(case.source, "set_aside", code, [item], pages, set_aside=aside.reason)
    for recommendation in case.police_recommendations:
        row = database.table("recommendations").insert(
            {
                "source": case.source,
                "number": recommendation.number,
                "text": recommendation.text,
                "addressee": recommendation.addressee,
                "page": recommendation.page,
            }
        )
        themes = compiled.of(recommendation.text)
        database.table("recommendation_themes").insert_all(
            {"recommendation": row.last_pk, "theme": theme} for theme in themes
        )


def _evidence_rows(
    source: str,
    kind: str,
    about: str,
    items: Iterable[Evidence],
    pages: Mapping[int, Any],
    set_aside: str | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        page = pages.get(item.page)
        span = quote_span(page.text, item.quote) if page is not None else None
        rows.append(
            {
                "source": source,
                "kind": kind,
                "about": about,
                "page": item.page,
                "section": item.section,
                "sentence": item.quote,
                "start": span[0] if span else None,
                "end": span[1] if span else None,
                "ocr": 1 if page is not None and page.ocr else 0,
                "set_aside": set_aside,
            }
        )
    return rows


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` stands in the page `text` (character offsets), allowing for line breaks and spacing; None
    when it cannot be found (a table row joined from its cells, say)."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    if not words:
        return None
    pattern = r"[\s|]+".join(re.escape(word) for word in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None
