"""Running a stage over a whole corpus: documents are read (or taken from the cache) and processed in parallel
worker processes, and only each document's small result comes back, so memory stays flat however large the
corpus is. Each worker reads one document at a time under the memory and time limits (see isolation.py): a
document over either goes to review, and the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.codebook import Codebook
from briefgen.coding import CompiledCodebook, code_document
from briefgen.errors import DocumentUnreadable, StageInputInvalid, UsageError
from briefgen.ingest import (
    DEFAULT_LIMITS,
    EXTRACTOR_VERSION,
    Limits,
    TextCache,
    find_documents,
    read_document,
    sha256_of,
    write_atomic,
)
from briefgen.isolation import Confinement, Stopped, run_isolated
from briefgen.lexicon import CompiledLexicon, Lexicon
from briefgen.models import (
    CodedCase,
    CodedResult,
    CodingSummary,
    Decision,
    DocumentText,
    FileRef,
    Problem,
    ScreenedDocument,
    ScreeningResult,
)
from briefgen.resources import code_fingerprint
from briefgen.screen import Criteria, Overrides, apply_overrides, count, screen_document, unreadable_document

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
"""Called after each document with (done, total, source)."""


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def default_cache_dir() -> Path:
    configured = os.environ.get("BRIEFGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefgen"


def load_text(path: Path, cache: TextCache, limits: Limits = DEFAULT_LIMITS) -> DocumentText:
    """The document's text from the cache, or read from the file and cached. Raises DocumentUnreadable."""
    sha = sha256_of(path)
    cached = cache.get(sha)
    if cached is not None:
        return cached
    document = read_document(path, sha256=sha, limits=limits)
    cache.put(document)
    return document


class ScreenCache:
    """Screening results on disk, one per document content hash and screening setup (criteria, lexicon, limits,
    briefgen version): a rerun over an unchanged corpus reads one small file per document."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.root = root / f"screen-v{EXTRACTOR_VERSION}" / fingerprint[:16]

    @staticmethod
    def fingerprint(criteria: Criteria, lexicon: Lexicon, limits: Limits) -> str:
        setup = "\n".join(
            (code_fingerprint(), criteria.model_dump_json(), lexicon.model_dump_json(), repr(limits))
        )
        return hashlib.sha256(setup.encode()).hexdigest()

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str, source: str) -> ScreenedDocument | None:
        try:
            cached = ScreenedDocument.model_validate_json(self._path(sha256).read_bytes())
        except (OSError, ValueError):
            return None
        return cached.model_copy(update={"source": source})  # the same content may sit under another name

    def put(self, document: ScreenedDocument) -> None:
        if document.sha256:
            write_atomic(self._path(document.sha256), document.model_dump_json().encode())


class StatIndex:
    """File size and modification time -> content hash, so an unchanged file is not hashed again."""

    def __init__(self, root: Path) -> None:
        self.path = root / "stat-index.json"
        try:
            self.entries: dict[str, list[Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def sha256(self, path: Path) -> str | None:
        entry = self.entries.get(str(path.resolve()))
        if entry is None:
            return None
        stat = path.stat()
        return str(entry[2]) if entry[:2] == [stat.st_size, stat.st_mtime_ns] else None

    def record(self, path: Path, sha256: str) -> None:
        stat = path.stat()
        self.entries[str(path.resolve())] = [stat.st_size, stat.st_mtime_ns, sha256]

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.entries, sort_keys=True).encode())


@dataclass(frozen=True)
class _ScreenJob:
    criteria: Criteria
    lexicon: Lexicon
    cache_dir: Path
    limits: Limits
    fingerprint: str


_worker_state: dict[str, Any] = {}


def _init_worker(job: _ScreenJob) -> None:
    _worker_state["job"] = job
    _worker_state["lexicon"] = CompiledLexicon(job.lexicon)
    _worker_state["cache"] = TextCache(job.cache_dir)
    _worker_state["screen_cache"] = ScreenCache(job.cache_dir, job.fingerprint)


def _screen_one(args: tuple[str, str]) -> tuple[ScreenedDocument, str | None]:
    """Worker: read and screen one document; returns its result and a warning line for an unreadable file."""
    corpus, source = args
    job: _ScreenJob = _worker_state["job"]
    path = Path(corpus) / source
    fmt = path.suffix.lower().lstrip(".")
    try:
        document = load_text(path, _worker_state["cache"], job.limits)
    except DocumentUnreadable as exc:
        result = unreadable_document(
            source, sha256_of(path), Problem(exc.problem), exc.detail, job.criteria, fmt
        )
        _worker_state["screen_cache"].put(result)
        return result, str(exc)
    except MemoryError:
        raise  # over the memory limit: the worker says so (see isolation.py)
    except OSError as exc:
        detail = f"cannot be read ({exc.strerror})"
        return unreadable_document(
            source, "", Problem.corrupt, detail, job.criteria, fmt
        ), f"{path}: {detail}"
    except Exception as exc:
        log.debug("unexpected error reading %s", path, exc_info=True)
        detail = f"could not be read ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
        return unreadable_document(
            source, "", Problem.corrupt, detail, job.criteria, fmt
        ), f"{path}: {detail}"
    result = screen_document(source, document, job.criteria, _worker_state["lexicon"])
    _worker_state["screen_cache"].put(result)
    return result, None


def _report(
    document: ScreenedDocument,
    corpus: Path,
    warning: str | None,
    done: int,
    total: int,
    progress: Progress | None,
    warn: Callable[[str], None] | None,
) -> None:
    """Progress after each document, and a warning for an unreadable one, whether read now or remembered."""
    if warning is None and document.problem is not None:
        warning = f"{corpus / document.source}: {document.problem_detail}"
    if warning and warn:
        warn(warning)
    if progress:
        progress(done, total, document.source)


def _run_parallel(
    jobs: int,
    limits: Limits,
    initializer: Callable[..., None],
    init_args: tuple[Any, ...],
    work: Callable[[Any], Any],
    items: list[Any],
) -> Generator[Any, None, None]:
    """Results in input order, or `Stopped` for a document over a limit. Always in worker processes, even for
    a single job: the main process never reads an untrusted file. Close it (`with closing(...)`) to end the
    workers at once when the caller stops early."""
    confinement = Confinement(memory_bytes=limits.max_memory_bytes, seconds=limits.max_seconds)
    return run_isolated(
        work, items, jobs=jobs, confinement=confinement, initializer=initializer, init_args=init_args
    )


def _stopped_document(
    corpus: Path, source: str, stopped: Stopped, job: _ScreenJob
) -> tuple[ScreenedDocument, str]:
    """A document whose worker was stopped (over the memory or time limit, or crashed) goes to review."""
    path = corpus / source
    try:
        sha = sha256_of(path)
    except OSError:
        sha = ""
    problem = Problem.corrupt if stopped.reason == "crash" else Problem.too_large
    result = unreadable_document(
        source, sha, problem, stopped.detail, job.criteria, path.suffix.lower().lstrip(".")
    )
    if stopped.lasting:  # the same file stops the same way under the same limits (part of the cache key)
        ScreenCache(job.cache_dir, job.fingerprint).put(result)
    return result, f"{path}: {stopped.detail}"


def screen_corpus(
    corpus: Path,
    *,
    criteria: Criteria,
    criteria_ref: FileRef,
    lexicon: Lexicon,
    overrides: Overrides,
    cache_dir: Path,
    out_dir: Path,
    jobs: int,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> ScreeningResult:
    """Screen every document in `corpus`. Unreadable files go to review with a warning; the run goes on."""
    if not corpus.is_dir():
        raise UsageError("corpus folder not found" if not corpus.exists() else "is not a folder", path=corpus)
    paths = find_documents(corpus)
    if not paths:
        raise UsageError("no review documents (.pdf, .docx, .txt, .md) in the corpus folder", path=corpus)
    sources = [path.relative_to(corpus).as_posix() for path in paths]
    fingerprint = ScreenCache.fingerprint(criteria, lexicon, limits)
    job = _ScreenJob(criteria, lexicon, cache_dir, limits, fingerprint)
    # Documents unchanged since a run with the same setup reuse that run's result; only the rest are read.
    index, results = StatIndex(cache_dir), ScreenCache(cache_dir, fingerprint)
    found: dict[str, ScreenedDocument] = {}
    for path, source in zip(paths, sources, strict=True):
        sha = index.sha256(path)
        cached = results.get(sha, source) if sha else None
        if cached is not None:
            found[source] = cached
    todo = [source for source in sources if source not in found]
    done = 0
    for source in sources:
        if source in found:
            done += 1
            _report(found[source], corpus, None, done, len(sources), progress, warn)
    items = [(str(corpus), source) for source in todo]
    with closing(_run_parallel(jobs, limits, _init_worker, (job,), _screen_one, items)) as outcomes:
        for source, outcome in zip(todo, outcomes, strict=True):
            if isinstance(outcome, Stopped):
                document, warning = _stopped_document(corpus, source, outcome, job)
            else:
                document, warning = outcome
            found[document.source] = document
            done += 1
            _report(document, corpus, warning, done, len(sources), progress, warn)
    documents = [found[source] for source in sources]
    for path, document in zip(paths, documents, strict=True):
        if document.sha256:
            index.record(path, document.sha256)
    index.save()
    documents, unmatched = apply_overrides(documents, overrides)
    for key in unmatched:
        if warn:
            warn(f"override for {key!r} matches no document in {corpus}")
    return ScreeningResult(
        briefgen_version=__version__,
        corpus=Path(os.path.relpath(corpus.resolve(), out_dir.resolve())).as_posix(),
        criteria=criteria_ref,
        criteria_text=criteria.texts(),
        counts=count(documents),
        documents=documents,
    )


# --- coding --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CodeJob:
    corpus: Path
    codebook: Codebook
    lexicon: Lexicon
    cache_dir: Path
    limits: Limits


def _init_code_worker(job: _CodeJob) -> None:
    _worker_state["code_job"] = job
    _worker_state["lexicon"] = CompiledLexicon(job.lexicon)
    _worker_state["codebook"] = CompiledCodebook(job.codebook)
    _worker_state["cache"] = TextCache(job.cache_dir)


def _code_one(screened: ScreenedDocument) -> CodedCase:
    job: _CodeJob = _worker_state["code_job"]
    cache: TextCache = _worker_state["cache"]
    document = cache.get(screened.sha256)
    if document is None:
        path = job.corpus / screened.source
        try:
            document = load_text(path, cache, job.limits)
        except (DocumentUnreadable, OSError) as exc:
            raise StageInputInvalid(f"{screened.source} cannot be read for coding: {exc}") from None
        if document.sha256 != screened.sha256:
            raise StageInputInvalid(
                f"{screened.source} has changed since it was screened; rerun `briefgen screen`", path=path
            )
    return code_document(screened, document, _worker_state["codebook"], _worker_state["lexicon"])


def code_corpus(
    screening: ScreeningResult,
    *,
    screening_ref: FileRef,
    screening_dir: Path,
    codebook: Codebook,
    codebook_ref: FileRef,
    lexicon: Lexicon,
    cache_dir: Path,
    jobs: int,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> CodedResult:
    """Code every included review of a screening result."""
    corpus = (screening_dir / screening.corpus).resolve()
    included = [d for d in screening.documents if d.decision is Decision.include]
    job = _CodeJob(corpus, codebook, lexicon, cache_dir, limits)
    cases = []
    with closing(_run_parallel(jobs, limits, _init_code_worker, (job,), _code_one, included)) as outcomes:
        for done, (screened, case) in enumerate(zip(included, outcomes, strict=True), start=1):
            if isinstance(case, Stopped):
                raise StageInputInvalid(f"{screened.source} cannot be coded: {case.detail}")
            cases.append(case)
            if progress:
                progress(done, len(included), case.source)
    return CodedResult(
        briefgen_version=__version__,
        screening=screening_ref,
        screening_counts=screening.counts,
        criteria_text=screening.criteria_text,
        codebook=codebook.snapshot(codebook_ref),
        cases=cases,
        summary=summarise(cases, codebook),
    )


_SUMMARY_FEATURES = (
    "victim_gender",
    "perpetrator_gender",
    "relationship",
    "cohabiting",
    "death_type",
    "case_type",
)


def summarise(cases: list[CodedCase], codebook: Codebook) -> CodingSummary:
    """Counts across cases: how many have each code and theme, and how the features are distributed."""
    code_counts = {code.id: sum(1 for c in cases if c.codes[code.id].present) for code in codebook.codes}
    theme_counts = {theme.id: sum(1 for c in cases if c.themes.get(theme.id)) for theme in codebook.themes}
    feature_counts: dict[str, dict[str, int]] = {}
    for name in _SUMMARY_FEATURES:
        values = Counter(_label(c.features[name].value) for c in cases if name in c.features)
        feature_counts[name] = dict(sorted(values.items()))
    forces = Counter(force for c in cases for force in _as_list(c.features["police_forces"].value))
    feature_counts["police_forces"] = dict(sorted(forces.items()))
    return CodingSummary(
        cases=len(cases), code_counts=code_counts, theme_counts=theme_counts, feature_counts=feature_counts
    )


def _label(value: object) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _as_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
