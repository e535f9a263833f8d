"""Running a stage over a whole corpus: documents are read (or taken from the cache) and processed in parallel
worker processes, and only each document's small result comes back, so memory stays flat however large the
corpus is.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.errors import DocumentUnreadable, UsageError
from briefgen.ingest import Limits, TextCache, find_documents, read_document, sha256_of
from briefgen.lexicon import CompiledLexicon, Lexicon
from briefgen.models import DocumentText, FileRef, Problem, ScreenedDocument, ScreeningResult
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


def load_text(path: Path, cache: TextCache, limits: Limits = Limits()) -> DocumentText:
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
    jobs: int, initializer: Callable[..., None], init_args: tuple[Any, ...], work: Callable[[Any], Any],
    items: list[Any],
) -> Iterator[Any]:
    """Results in input order; one process per core, or inline for a single job (simpler to debug)."""
    if jobs <= 1 or len(items) <= 1:
        initializer(*init_args)
        yield from map(work, items)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), initializer=initializer, initargs=init_args) as pool:
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
    limits: Limits = Limits(),
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
