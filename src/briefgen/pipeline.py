"""One composition per stage: read its inputs, run it, write its outputs.

`briefgen screen`, `briefgen code` and `briefgen render` call these, and so does `briefgen build` for each
stage it does not skip, so a stage runs the same way whichever command runs it. The stage logic itself lives in
the stage packages (`runner.corpus`, `render.html`...) as plain functions over models; these functions add only
the files: loading the inputs, refusing to write over any of them, and writing each output atomically.

Screening and coding are also run without writing anything (`run_screening`, `run_coding`): `briefgen index`
keeps their results in its SQLite file instead of in JSON and CSV.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import resources
from briefgen.errors import UsageError
from briefgen.files import check_outputs, companion_csv, write_output
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.models import (
    AgreementReport,
    CodedCase,
    CodedResult,
    Decision,
    FileRef,
    ScreenedDocument,
    ScreeningResult,
)
from briefgen.reporting import Progress

if TYPE_CHECKING:
    from briefgen.coding.codebook import Codebook
    from briefgen.lexicon import Lexicon
    from briefgen.render.briefing import Briefing
    from briefgen.screen.criteria import Criteria
    from briefgen.screen.overrides import Overrides
    from briefgen.screen.period import Period

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Workers:
    """How a stage runs over a corpus: how many worker processes, where the cache is, the limits per document."""

    jobs: int
    cache_dir: Path
    limits: Limits = DEFAULT_LIMITS
    progress: Progress | None = field(default=None, compare=False)


def usable_cache_dir(folder: Path) -> Path:
    """`folder`, created if need be, once a file can be written in it: a cache that cannot be used fails before
    any work, not after it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        file = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
        why = f"{file} is a file" if file is not None else (exc.strerror or str(exc)).lower()
        raise UsageError(
            f"cannot be the cache folder ({why}): choose another with --cache-dir or BRIEFGEN_CACHE_DIR",
            path=folder,
        ) from None
    return folder


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Log how long a stage took (shown with -v)."""
    start = time.perf_counter()
    yield
    log.info("%s took %.2f s", stage, time.perf_counter() - start)


def _json(result: ScreeningResult | CodedResult | AgreementReport) -> bytes:
    return result.model_dump_json(indent=2).encode() + b"\n"


@dataclass(frozen=True)
class ScreeningInputs:
    """The files screening reads besides the corpus, loaded and checked."""

    criteria_path: Path
    criteria: Criteria
    lexicon: Lexicon
    overrides: Overrides

    @staticmethod
    def load(criteria: Path, lexicon: Path, overrides: Path | None) -> ScreeningInputs:
        """Load each file in turn; the first that is not right stops it, with an error naming it."""
        from briefgen.lexicon import load_lexicon
        from briefgen.screen.criteria import load_criteria
        from briefgen.screen.overrides import Overrides, load_overrides

        return ScreeningInputs(
            criteria_path=criteria,
            criteria=load_criteria(criteria),
            lexicon=load_lexicon(lexicon),
            overrides=load_overrides(overrides) if overrides else Overrides(),
        )


def run_screening(
    corpus: Path, inputs: ScreeningInputs, *, out_dir: Path, workers: Workers, period: Period | None = None
) -> ScreeningResult:
    """Screen a corpus folder and write nothing. The result names the corpus and the criteria by their paths
    relative to `out_dir`, where it will be kept; an edition's `period` decides last."""
    from briefgen.runner.corpus import screen_corpus

    criteria = inputs.criteria
    ref = resources.file_ref(
        inputs.criteria_path, criteria.title, criteria.version, out_dir, resources.default_criteria()
    )
    with timed("screening"):
        result = screen_corpus(
            corpus,
            criteria=criteria,
            criteria_ref=ref,
            lexicon=inputs.lexicon,
            overrides=inputs.overrides,
            cache_dir=workers.cache_dir,
            out_dir=out_dir,
            jobs=workers.jobs,
            limits=workers.limits,
            progress=workers.progress,
        )
    if period is not None:
        from briefgen.lexicon import CompiledLexicon
        from briefgen.screen.period import apply_period, period_dates

        dates = period_dates(result, period, corpus, workers.cache_dir, CompiledLexicon(inputs.lexicon))
        result = apply_period(result, period, dates)
    return result


def screen_stage(
    corpus: Path,
    *,
    criteria: Path,
    lexicon: Path,
    overrides: Path | None,
    out: Path,
    workers: Workers,
    period: Period | None = None,
) -> ScreeningResult:
    """Screen a corpus folder; write `out` (JSON) and its CSV beside it."""
    from briefgen.tables import screening_csv

    csv_path = companion_csv(out)
    check_outputs(
        [out, csv_path],
        {"criteria": criteria, "lexicon": lexicon, "overrides": overrides, "corpus folder": corpus},
    )
    inputs = ScreeningInputs.load(criteria, lexicon, overrides)
    result = run_screening(corpus, inputs, out_dir=out.parent, workers=workers, period=period)
    write_output(out, _json(result))
    write_output(csv_path, screening_csv(result).encode())
    return result


EarlierCase = Callable[[ScreenedDocument], CodedCase | None]
"""A case coded before from exactly this screened document with the same codebook, lexicon and code, if any."""


@dataclass(frozen=True)
class CodingRun:
    result: CodedResult
    coded_now: int = field(metadata={"doc": "Cases coded in this run; the rest were reused."})


@dataclass(frozen=True)
class CodingInputs:
    """The files coding reads besides the screening, loaded and checked."""

    codebook_path: Path
    codebook: Codebook
    lexicon: Lexicon

    @staticmethod
    def load(codebook: Path, lexicon: Path) -> CodingInputs:
        """Load each file in turn; the first that is not right stops it, with an error naming it."""
        from briefgen.coding.codebook import load_codebook
        from briefgen.lexicon import load_lexicon

        return CodingInputs(
            codebook_path=codebook, codebook=load_codebook(codebook), lexicon=load_lexicon(lexicon)
        )


def run_coding(
    screening: ScreeningResult,
    inputs: CodingInputs,
    *,
    screening_ref: FileRef,
    screening_dir: Path,
    out_dir: Path,
    workers: Workers,
    earlier: EarlierCase | None = None,
) -> CodingRun:
    """Code the included reviews of a screening and write nothing; the analyst's corrections are not applied.

    `screening_dir` is the folder the screening's corpus path is relative to; the result names the codebook by
    its path relative to `out_dir`. `earlier` gives cases that need not be coded again, and the result holds
    them where coding every review would have put its case. Only the lead of each case is coded: a case
    published as several documents is one case."""
    from briefgen.coding.summary import summarise
    from briefgen.runner.corpus import code_corpus
    from briefgen.screen.grouping import is_case_lead

    codebook = inputs.codebook
    included = [d for d in screening.documents if d.decision is Decision.include and is_case_lead(d)]
    reused: Mapping[str, CodedCase] = {}
    if earlier is not None:
        reused = {d.source: case for d in included if (case := earlier(d)) is not None}
    todo = [d for d in included if d.source not in reused]
    with timed("coding"):
        fresh = code_corpus(
            screening.model_copy(update={"documents": todo}),
            screening_ref=screening_ref,
            screening_dir=screening_dir,
            codebook=codebook,
            codebook_ref=resources.file_ref(
                inputs.codebook_path, codebook.title, codebook.version, out_dir, resources.default_codebook()
            ),
            lexicon=inputs.lexicon,
            cache_dir=workers.cache_dir,
            jobs=workers.jobs,
            limits=workers.limits,
            progress=workers.progress,
        )
    result = fresh
    if reused:
        # The same cases, in the same order, as coding every included review would give.
        by_source = {case.source: case for case in fresh.cases}
        cases = [case for d in included if (case := by_source.get(d.source) or reused.get(d.source))]
        result = fresh.model_copy(update={"cases": cases, "summary": summarise(cases, codebook)})
    return CodingRun(result, coded_now=len(fresh.cases))


def code_stage(
    screening: ScreeningResult,
    screening_path: Path,
    *,
    codebook: Path,
    lexicon: Path,
    out: Path,
    workers: Workers,
    earlier: EarlierCase | None = None,
    corrections: Path | None = None,
) -> CodingRun:
    """Code the included reviews of a screening; write `out` (JSON) and the case x code CSV beside it.

    `earlier` gives cases that need not be coded again (a build reuses those of its last run). The analyst's
    `corrections` are applied last, on every run."""
    from briefgen.corrections.apply import apply_corrections
    from briefgen.corrections.file import load_corrections
    from briefgen.tables import coded_csv

    csv_path = companion_csv(out)
    check_outputs(
        [out, csv_path],
        {"screening": screening_path, "codebook": codebook, "lexicon": lexicon, "corrections": corrections},
    )
    corrections_model = load_corrections(corrections) if corrections is not None else None
    run = run_coding(
        screening,
        CodingInputs.load(codebook, lexicon),
        screening_ref=resources.file_ref(
            screening_path, "screening", screening.briefgen_version, out.parent, None
        ),
        screening_dir=screening_path.parent,
        out_dir=out.parent,
        workers=workers,
        earlier=earlier,
    )
    result = apply_corrections(run.result, corrections_model, out_dir=out.parent)
    write_output(out, _json(result))
    write_output(csv_path, coded_csv(result).encode())
    return CodingRun(result, coded_now=run.coded_now)


def review_page(coded: CodedResult, out: Path, *, inputs: Mapping[str, Path | None]) -> None:
    """Write the analyst's review page for the coded cases (one self-contained HTML file)."""
    from briefgen.review.page import render_review

    check_outputs([out], dict(inputs))
    write_output(out, render_review(coded).encode())


def render_stage(
    coded: CodedResult,
    briefing: Briefing,
    *,
    briefing_path: Path,
    pdf: Path,
    html: Path | None,
    inputs: Mapping[str, Path | None],
    agreement: AgreementReport | None = None,
    new_cases: Sequence[str] = (),
    created: date | None = None,
    sources: Path | None = None,
) -> int:
    """Write the briefing PDF (and its HTML); returns the number of pages.

    Both are made in memory before either is written, so an interrupted render never leaves a new HTML beside
    an old PDF. `sources` is a sources.csv of links to the published reviews, for Appendix A."""
    from briefgen.render.appendix import read_sources
    from briefgen.render.briefing import check_agreement, check_briefing
    from briefgen.render.html import render_html
    from briefgen.render.pdf import pdf_bytes

    check_outputs([pdf, *([html] if html is not None else [])], {"briefing": briefing_path, **inputs})
    check_briefing(briefing, coded, path=briefing_path)
    if agreement is not None:
        check_agreement(agreement, coded, path=inputs.get("agreement file"))
    from briefgen.corrections.agreement import verification

    with timed("rendering"):
        # Verification is shown once an analyst keeps a corrections file; a briefing without one is unchanged.
        checked = verification(coded) if coded.corrections is not None else None
        links = read_sources(sources) if sources is not None else {}
        page = render_html(
            coded, briefing, agreement=agreement, new_cases=new_cases, verification=checked, sources=links
        )
        data, pages = pdf_bytes(page, created=created)
    if html is not None:
        write_output(html, page.encode())
    write_output(pdf, data)
    return pages
