"""Running a stage over a whole corpus: documents are read (or taken from the cache) and processed in parallel
worker processes, and only each document's small result comes back, so memory stays flat however large the
corpus is.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.codebook import Codebook
from briefgen.coding import CompiledCodebook, code_document
from briefgen.errors import DocumentUnreadable, StageInputInvalid, UsageError
from briefgen.ingest import DEFAULT_LIMITS, Limits, TextCache, find_documents, read_document, sha256_of
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


@dataclass(frozen=True)
class _ScreenJob:
    criteria: Criteria
    lexicon: Lexicon
    cache_dir: Path
    limits: Limits


_worker_state: dict[str, Any] = {}


def _init_worker(job: _ScreenJob) -> None:
    _worker_state["job"] = job
    _worker_state["lexicon"] = CompiledLexicon(job.lexicon)
    _worker_state["cache"] = TextCache(job.cache_dir)


def _screen_one(args: tuple[str, str]) -> tuple[ScreenedDocument, str | None]:
    """Worker: read and screen one document; returns its result and a warning line for an unreadable file."""
    corpus, source = args
    job: _ScreenJob = _worker_state["job"]
    path = Path(corpus) / source
    try:
        document = load_text(path, _worker_state["cache"], job.limits)
    except DocumentUnreadable as exc:
        sha = sha256_of(path)
        fmt = path.suffix.lower().lstrip(".")
        return unreadable_document(source, sha, Problem(exc.problem), exc.detail, job.criteria, fmt), str(exc)
    except OSError as exc:
        detail = f"cannot be read ({exc.strerror})"
        return (
            unreadable_document(source, "", Problem.corrupt, detail, job.criteria, path.suffix.lstrip(".")),
            f"{path}: {detail}",
        )
    return screen_document(source, document, job.criteria, _worker_state["lexicon"]), None


def _run_parallel(
    jobs: int,
    initializer: Callable[..., None],
    init_args: tuple[Any, ...],
    work: Callable[[Any], Any],
    items: list[Any],
) -> Iterator[Any]:
    """Results in input order; one process per core, or inline for a single job (simpler to debug)."""
    if jobs <= 1 or len(items) <= 1:
        initializer(*init_args)
        yield from map(work, items)
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(items)), initializer=initializer, initargs=init_args
    ) as pool:
        yield from pool.map(work, items, chunksize=1)


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
    job = _ScreenJob(criteria, lexicon, cache_dir, limits)
    documents = []
    for done, (document, warning) in enumerate(
        _run_parallel(jobs, _init_worker, (job,), _screen_one, [(str(corpus), s) for s in sources]), start=1
    ):
        documents.append(document)
        if warning and warn:
            warn(warning)
        if progress:
            progress(done, len(sources), document.source)
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
    for done, case in enumerate(_run_parallel(jobs, _init_code_worker, (job,), _code_one, included), start=1):
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
