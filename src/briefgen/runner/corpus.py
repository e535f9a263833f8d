"""Running a stage over a whole corpus: documents are read (or taken from the cache) and processed in parallel
worker processes, and only each document's small result comes back, so memory stays flat however large the
corpus is. Each worker reads one document at a time under the memory and time limits (see isolation.py): a
document over either goes to review, and the run goes on.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from briefgen import __version__
from briefgen.errors import DocumentUnreadable, UsageError
from briefgen.files import sha256_of
from briefgen.ingest.cache import TextCache, load_text
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.ingest.read import READERS, find_documents, shown, source_name
from briefgen.lexicon import CompiledLexicon, Lexicon
from briefgen.models import (
    CodedCase,
    CodedResult,
    CodingSummary,
    Decision,
    DocumentText,
    FileRef,
    NotCoded,
    Problem,
    ScreenedDocument,
    ScreeningResult,
)
from briefgen.reporting import Progress
from briefgen.runner.caches import ScreenCache, StatIndex
from briefgen.screen.counts import count
from briefgen.screen.criteria import Criteria
from briefgen.screen.grouping import group_cases, is_case_lead
from briefgen.screen.overrides import Overrides, apply_overrides

if TYPE_CHECKING:
    from briefgen.coding.codebook import Codebook
    from briefgen.runner.isolation import Stopped

log = logging.getLogger(__name__)


"""Called after each document with (done, total, source)."""


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def default_cache_dir() -> Path:
    configured = os.environ.get("BRIEFGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefgen"


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
    if job.limits.ocr:
        from briefgen.ingest.ocr import preload

        preload()


def _screen_one(args: tuple[str, str]) -> tuple[ScreenedDocument, str | None]:
    """Worker: read and screen one document (its path, and its name in the outputs); returns its result and a
    warning line for an unreadable file."""
    from briefgen.screen.judge import screen_document, unreadable_document

    file, source = args
    job: _ScreenJob = _worker_state["job"]
    path = Path(file)
    fmt = path.suffix.lower().lstrip(".")
    try:
        document = load_text(path, _worker_state["cache"], job.limits)
    except DocumentUnreadable as exc:
        result = unreadable_document(
            source, sha256_of(path), Problem(exc.problem), shown(exc.detail), job.criteria, fmt
        )
        if not (exc.problem == Problem.image_only and job.limits.ocr):
            # A scan that OCR could not read this time (Tesseract failing, short of memory) is tried again next
            # run rather than remembered as unreadable.
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
        detail = f"could not be read ({type(exc).__name__}: {shown(' '.join(str(exc).split())[:200])})"
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
) -> None:
    """Progress after each document, and a warning for an unreadable one, whether read now or remembered."""
    if warning is None and document.problem is not None:
        warning = f"{corpus / document.source}: {document.problem_detail}"
    if warning:
        log.warning("%s", shown(warning))  # the file's own name, which may not be text
    else:
        log.info("%s: %s%s", document.source, document.decision.value, _why(document))
    if progress:
        progress(done, total, document.source)


def _load_before_forking(*modules: str) -> None:
    """Load a stage's own code (sentences, people, dates; the codebook's matching) in the parent, just before
    its workers are forked, so that each worker has it already; a rerun whose documents are all remembered
    forks no worker and never loads it."""
    for module in modules:
        importlib.import_module(module)


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
    if not items:  # a rerun with every document remembered: nothing to fork, nothing to load
        return _no_outcomes()
    from briefgen.runner.isolation import Confinement, run_isolated

    confinement = Confinement(memory_bytes=limits.max_memory_bytes, seconds=limits.max_seconds)
    return run_isolated(
        work, items, jobs=jobs, confinement=confinement, initializer=initializer, init_args=init_args
    )


def _no_outcomes() -> Generator[Any, None, None]:
    yield from ()


def _is_stopped(outcome: object) -> TypeGuard[Stopped]:
    """Whether a worker's outcome says it was stopped (the isolation code loads only once there are workers)."""
    from briefgen.runner.isolation import Stopped

    return isinstance(outcome, Stopped)


def _stopped_document(
    path: Path, source: str, stopped: Stopped, job: _ScreenJob
) -> tuple[ScreenedDocument, str]:
    """A document whose worker was stopped (over the memory or time limit, or crashed) goes to review."""
    from briefgen.screen.judge import unreadable_document

    try:
        sha = sha256_of(path)
    except OSError:
        sha = ""
    problem = Problem.corrupt if stopped.reason == "crash" else Problem.too_large
    work = "screening it with the lexicon's patterns"
    detail = _rules_at_fault(stopped, job.cache_dir, sha, job.limits, work) or stopped.detail
    result = unreadable_document(source, sha, problem, detail, job.criteria, path.suffix.lower().lstrip("."))
    if stopped.lasting:  # the same file stops the same way under the same limits (part of the cache key)
        ScreenCache(job.cache_dir, job.fingerprint).put(result)
    return result, f"{path}: {detail}"


def _rules_at_fault(stopped: Stopped, cache_dir: Path, sha256: str, limits: Limits, work: str) -> str | None:
    """A document whose text is in the cache was read: when its worker then hit the time or memory limit, the
    rules it was screened or coded with are at fault, not the document. What to say then; None otherwise."""
    if stopped.reason == "crash" or not sha256 or TextCache(cache_dir).get(sha256) is None:
        return None
    if stopped.reason == "time":
        spent = f"took longer than {limits.max_seconds:g} s"
    else:
        spent = f"needed more than {limits.max_memory_bytes // (1024 * 1024)} MB"
    return f"its text was read, but {work} {spent}: simplify the slow pattern"


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
) -> ScreeningResult:
    """Screen every document in `corpus`. Unreadable files go to review with a warning; the run goes on."""
    if not corpus.is_dir():
        raise UsageError("corpus folder not found" if not corpus.exists() else "is not a folder", path=corpus)
    paths = find_documents(corpus)
    if not paths:
        raise UsageError("no review documents (.pdf, .docx, .txt, .md) in the corpus folder", path=corpus)
    path_of: dict[str, Path] = {}  # each document's name in the outputs -> its file
    for path in paths:
        source = source_name(path, corpus)
        if (
            source in path_of
        ):  # a name with a literal `\xe9` beside one with that byte: never two results as one
            log.warning(
                "%s: has the same name as %s in the outputs; skipped", shown(path), shown(path_of[source])
            )
            continue
        path_of[source] = path
    sources = list(path_of)
    fingerprint = ScreenCache.fingerprint(criteria, lexicon, limits)
    job = _ScreenJob(criteria, lexicon, cache_dir, limits, fingerprint)
    # Documents unchanged since a run with the same setup reuse that run's result; only the rest are read.
    index, results = StatIndex(cache_dir), ScreenCache(cache_dir, fingerprint)
    found: dict[str, ScreenedDocument] = {}
    for source, path in path_of.items():
        sha = index.sha256(path)
        cached = results.get(sha, source) if sha else None
        if cached is not None:
            found[source] = cached
    todo = [source for source in sources if source not in found]
    done = 0
    for source in sources:
        if source in found:
            done += 1
            _report(found[source], corpus, None, done, len(sources), progress)
    items = [(str(path_of[source]), source) for source in todo]
    if items:
        _load_before_forking(*READERS, "briefgen.screen.judge")
    with closing(_run_parallel(jobs, limits, _init_worker, (job,), _screen_one, items)) as outcomes:
        for source, outcome in zip(todo, outcomes, strict=True):
            if _is_stopped(outcome):
                document, warning = _stopped_document(path_of[source], source, outcome, job)
            else:
                document, warning = outcome
            found[document.source] = document
            done += 1
            _report(document, corpus, warning, done, len(sources), progress)
    documents = [found[source] for source in sources]
    for document in documents:
        if document.sha256:
            index.record(path_of[document.source], document.sha256)
    index.save()
    documents, unmatched = apply_overrides(documents, overrides)
    for key in unmatched:
        log.warning("override for %r matches no document in %s", key, corpus)
    documents = group_cases(documents, overrides)
    return ScreeningResult(
        briefgen_version=__version__,
        corpus=Path(os.path.relpath(corpus.resolve(), out_dir.resolve())).as_posix(),
        criteria=criteria_ref,
        criteria_text=criteria.texts(),
        counts=count(documents),
        documents=documents,
    )


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
    from briefgen.coding.match import CompiledCodebook  # coding's modules load only where coding runs

    _worker_state["codebook"] = CompiledCodebook(job.codebook)
    _worker_state["cache"] = TextCache(job.cache_dir)


def _code_one(screened: ScreenedDocument) -> CodedCase | NotCoded:
    """Worker: code one included review, or say why it cannot be (the run goes on without it)."""
    job: _CodeJob = _worker_state["code_job"]
    cache: TextCache = _worker_state["cache"]
    document = cache.get(screened.sha256)
    if document is None:
        path = job.corpus / screened.source
        try:
            document = load_text(path, cache, job.limits)
        except DocumentUnreadable as exc:
            return _not_coded(screened, f"cannot be read ({exc.detail})")
        except OSError as exc:
            return _not_coded(screened, f"cannot be read ({exc.strerror or exc})")
        if document.sha256 != screened.sha256:
            return _not_coded(screened, "has changed since it was screened; rerun `briefgen screen`")
    from briefgen.coding.case import code_document

    return code_document(screened, document, _worker_state["codebook"], _worker_state["lexicon"])


def _not_coded(screened: ScreenedDocument, reason: str) -> NotCoded:
    return NotCoded(source=screened.source, sha256=screened.sha256, reason=reason)


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
    included = [d for d in screening.documents if d.decision is Decision.include and is_case_lead(d)]
    job = _CodeJob(corpus, codebook, lexicon, cache_dir, limits)
    if included:
        _load_before_forking("briefgen.coding.case", "briefgen.coding.match")
    cases: list[CodedCase] = []
    not_coded: list[NotCoded] = []
    with closing(_run_parallel(jobs, limits, _init_code_worker, (job,), _code_one, included)) as outcomes:
        for done, (screened, case) in enumerate(zip(included, outcomes, strict=True), start=1):
            if _is_stopped(case):
                work = f"coding it with the codebook {codebook_ref.path} and the lexicon"
                detail = _rules_at_fault(case, cache_dir, screened.sha256, limits, work) or case.detail
                case = _not_coded(screened, detail)
            if isinstance(case, NotCoded):
                log.warning("%s: not coded: %s", shown(screened.source), case.reason)
                not_coded.append(case)
            else:
                cases.append(case)
            if progress:
                progress(done, len(included), screened.source)
    return CodedResult(
        briefgen_version=__version__,
        screening=screening_ref,
        screening_counts=screening.counts,
        criteria_text=screening.criteria_text,
        codebook=codebook.snapshot(codebook_ref),
        cases=cases,
        not_coded=not_coded,
        summary=_summary(cases, codebook),
    )


def _why(document: ScreenedDocument) -> str:
    """What -v shows after a decision: the exclusion, or the criteria that are not known."""
    if document.exclusion_reason:
        return f" ({document.exclusion_reason})"
    unknown = [result.id for result in document.criteria if result.result.value == "unknown"]
    return f" ({', '.join(unknown)} unknown)" if unknown else ""


@dataclass(frozen=True)
class _TextJob:
    cache_dir: Path
    limits: Limits


def _init_text_worker(job: _TextJob) -> None:
    _worker_state["text_job"] = job
    _worker_state["cache"] = TextCache(job.cache_dir)


def _text_one(item: tuple[str, str]) -> DocumentText | str:
    """Worker: one document's text (read and cached), or why it cannot be had."""
    path, sha256 = Path(item[0]), item[1]
    job: _TextJob = _worker_state["text_job"]
    try:
        document = load_text(path, _worker_state["cache"], job.limits)
    except DocumentUnreadable as exc:
        return f"cannot be read ({exc.detail})"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return document if document.sha256 == sha256 else "has changed since it was coded"


def document_texts(
    documents: list[tuple[Path, str]], *, cache_dir: Path, limits: Limits = DEFAULT_LIMITS
) -> list[DocumentText | str]:
    """The text of each (path, sha256): from the cache, else read in a worker; a string says why not."""
    cache = TextCache(cache_dir)
    found: list[DocumentText | str | None] = [cache.get(sha) for _, sha in documents]
    missing = [(str(path), sha) for (path, sha), text in zip(documents, found, strict=True) if text is None]
    if missing:
        job = _TextJob(cache_dir, limits)
        with closing(_run_parallel(1, limits, _init_text_worker, (job,), _text_one, missing)) as outcomes:
            read = iter(list(outcomes))
        found = [text if text is not None else _text_or_reason(next(read)) for text in found]
    return [text if text is not None else "cannot be read" for text in found]


def _text_or_reason(outcome: object) -> DocumentText | str:
    if _is_stopped(outcome):
        return f"cannot be read ({outcome.detail})"
    return outcome if isinstance(outcome, DocumentText | str) else "cannot be read"


def _summary(cases: list[CodedCase], codebook: Codebook) -> CodingSummary:
    from briefgen.coding.summary import summarise

    return summarise(cases, codebook)
