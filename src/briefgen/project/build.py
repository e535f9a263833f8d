"""Building a project's edition: screen -> code -> render, skipping what has not changed.

A build is incremental. Extracted text comes from the cache, so an unchanged document is not read again; an
included document that was coded before with the same codebook is not coded again; and a stage whose inputs
have the same hashes as in the edition's last manifest, and whose outputs are still as written, is skipped.
Each edition's outputs and its manifest live in `<output>/edition-<N>/`; earlier editions are kept, and the
latest one before this is what "new since the last edition" is counted against.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from briefgen import __version__, resources
from briefgen.coding.codebook import load_codebook
from briefgen.corrections.agreement import verification
from briefgen.corrections.file import load_corrections
from briefgen.errors import NotReadyForRelease, NotVerified
from briefgen.files import check_outputs, exclusive_lock, read_stage, sha256_of, write_output
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.ingest.read import find_documents, source_name
from briefgen.lexicon import load_lexicon
from briefgen.models import (
    CodedCase,
    CodedResult,
    ScreenedDocument,
    ScreeningCounts,
    ScreeningResult,
)
from briefgen.pipeline import Workers, code_stage, render_stage, review_page, screen_stage, timed
from briefgen.project.config import Edition, LoadedProject, load_project
from briefgen.project.manifest import (
    MANIFEST,
    DocumentRef,
    InputRef,
    Manifest,
    ManifestInputs,
    ManifestStages,
    StageRecord,
    last_edition,
    read_manifest,
)
from briefgen.render.appendix import SOURCES
from briefgen.render.briefing import default_briefing, load_briefing
from briefgen.render.release import release_problems
from briefgen.reporting import Progress
from briefgen.screen.criteria import load_criteria
from briefgen.screen.overrides import load_overrides
from briefgen.text import long_date

log = logging.getLogger(__name__)

LOCK = ".briefgen.lock"  # in the output folder: one build of a project at a time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageReport:
    """A stage of a build: its key and outputs, and whether the last build of this edition made them."""

    name: Literal["screen", "code", "render"]
    key: str
    outputs: tuple[Path, ...]
    skipped: bool

    @classmethod
    def start(
        cls,
        name: Literal["screen", "code", "render"],
        outputs: tuple[Path, ...],
        last: StageRecord | None,
        **inputs: object,
    ) -> StageReport:
        """The key hashes everything the stage's output depends on, the tool's version and code included. The stage is
        skipped when the key is the one recorded last time and the outputs are still what that build wrote."""
        key = hashlib.sha256(
            json.dumps(
                {
                    "stage": name,
                    "briefgen_version": __version__,
                    "code": resources.code_fingerprint(),
                    **inputs,
                },
                sort_keys=True,
            ).encode()
        ).hexdigest()
        folder = outputs[0].parent
        skipped = (
            last is not None
            and last.key == key
            and all(_file_sha(folder / file) == sha for file, sha in last.outputs.items())
        )
        return cls(name, key, outputs, skipped)

    def record(self) -> StageRecord:
        """What the manifest keeps of the stage: its key and its outputs' hashes as they are now."""
        return StageRecord(key=self.key, outputs={path.name: _file_sha(path) or "" for path in self.outputs})


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the command to tell the user."""

    project: Path
    edition: Edition
    out_dir: Path
    stages: tuple[StageReport, ...]
    counts: ScreeningCounts
    cases: int
    coded: int
    reused: int
    pages: int
    previous_edition: int | None
    new_cases: tuple[str, ...]
    manifest: Path
    pdf: Path
    html: Path
    review: Path | None = None
    unverified: tuple[str, ...] = ()


def build_project(
    directory: Path,
    *,
    jobs: int,
    cache_dir: Path,
    force: bool = False,
    draft: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    require_verified: bool = False,
) -> BuildReport:
    """Screen, code and render a project's edition into `<output>/edition-<N>/`, skipping what is unchanged.

    With `require_verified`, a briefing with cases an analyst has not verified is refused before it is
    rendered."""
    project = load_project(directory)
    with exclusive_lock(project.output / LOCK, what="build of this project"):
        return _build(
            project,
            jobs=jobs,
            cache_dir=cache_dir,
            force=force,
            draft=draft or project.settings.draft,
            limits=limits,
            progress=progress,
            require_verified=require_verified,
        )


def _build(
    project: LoadedProject,
    *,
    jobs: int,
    cache_dir: Path,
    force: bool,
    draft: bool,
    limits: Limits,
    progress: Progress | None,
    require_verified: bool = False,
) -> BuildReport:
    directory = project.root
    edition = project.settings.edition
    out_dir = project.edition_dir
    criteria = load_criteria(project.criteria)
    # Every input is checked before any work starts: a typo in one should not wait for screening to surface.
    load_lexicon(project.lexicon)
    if project.overrides:
        load_overrides(project.overrides)
    if project.corrections:
        load_corrections(project.corrections)
    codebook = load_codebook(project.codebook)
    briefing = load_briefing(project.briefing)
    _check_release(release_problems(project.briefing), project, draft=draft)
    inputs = ManifestInputs(
        corpus=project.shown(project.corpus),
        documents=[
            DocumentRef(source=source_name(path, project.corpus), sha256=sha256_of(path))
            for path in find_documents(project.corpus)
        ],
        criteria=_input(
            project, project.criteria, resources.default_criteria(), criteria.title, criteria.version
        ),
        codebook=_input(
            project, project.codebook, resources.default_codebook(), codebook.title, codebook.version
        ),
        lexicon=_input(project, project.lexicon, resources.default_lexicon()),
        overrides=_input(project, project.overrides) if project.overrides else None,
        briefing=_input(project, project.briefing, default_briefing()),
        templates=_tree_hash(resources.templates_dir()),
        corrections=_input(project, project.corrections) if project.corrections else None,
    )
    previous = None if force else read_manifest(out_dir / MANIFEST)
    last = last_edition(project.output, edition.number)

    screening_path = out_dir / "screening.json"
    screen = StageReport.start(
        "screen",
        (screening_path, screening_path.with_suffix(".csv")),
        previous.stages.screen if previous else None,
        documents=[d.model_dump() for d in inputs.documents],
        limits=repr(limits),
        criteria=inputs.criteria.sha256,
        overrides=inputs.overrides.sha256 if inputs.overrides else None,
        lexicon=inputs.lexicon.sha256,
        period=edition.period.model_dump(mode="json") if edition.period else None,
    )
    workers = Workers(jobs=jobs, cache_dir=cache_dir, limits=limits, progress=progress)
    if screen.skipped:
        screening = read_stage(screening_path, ScreeningResult, "briefgen build --force")
    else:
        screening = screen_stage(
            project.corpus,
            criteria=project.criteria,
            lexicon=project.lexicon,
            overrides=project.overrides,
            out=screening_path,
            workers=workers,
            period=edition.period,
        )

    coded_path = out_dir / "coded.json"
    code = StageReport.start(
        "code",
        (coded_path, coded_path.with_suffix(".csv")),
        previous.stages.code if previous else None,
        screening=screen.record().outputs[screening_path.name],
        codebook=inputs.codebook.sha256,
        lexicon=inputs.lexicon.sha256,
        corrections=inputs.corrections.sha256 if inputs.corrections else None,
    )
    coded_now = 0
    if code.skipped:
        coded = read_stage(coded_path, CodedResult, "briefgen build --force")
    else:
        runs = [(out_dir, previous), *([(last[1], last[2])] if last else [])]
        earlier = {} if force else _earlier_cases(inputs, runs)
        coding = code_stage(
            screening,
            screening_path,
            codebook=project.codebook,
            lexicon=project.lexicon,
            out=coded_path,
            workers=workers,
            earlier=lambda document: earlier.get(_coding_input(document)),
            corrections=project.corrections,
        )
        coded, coded_now = coding.result, coding.coded_now

    if project.index is not None:
        from briefgen.repository.index import write_index

        check_outputs([project.index], {"project file": project.config, "corpus folder": project.corpus})
        with timed("indexing"):
            write_index(
                project.index,
                screening=screening,
                coded=coded,
                codebook=codebook,
                corpus=project.corpus,
                workers=workers,
            )

    if not coded.cases:
        _check_release(["no case is included"], project, draft=draft)
    earlier_cases = {case.sha256 for case in last[2].cases} if last else None
    new_cases = [c.source for c in coded.cases if earlier_cases is not None and c.sha256 not in earlier_cases]
    pdf_path, html_path = out_dir / "briefing.pdf", out_dir / "briefing.html"
    sources_path = project.corpus.parent / SOURCES  # links to the published reviews, beside the corpus
    render = StageReport.start(
        "render",
        (pdf_path, html_path),
        previous.stages.render if previous else None,
        coded=code.record().outputs[coded_path.name],
        briefing=inputs.briefing.sha256,
        templates=inputs.templates,
        edition=[edition.number, edition.date.isoformat() if edition.date else None],
        new_cases=new_cases,
        sources=sha256_of(sources_path) if sources_path.is_file() else None,
    )
    review_path = out_dir / "review.html"
    review_page(coded, review_path, inputs={"project file": project.config})
    unverified = verification(coded).unverified
    if require_verified and unverified:
        shown = ", ".join(unverified[:3]) + (
            f" and {len(unverified) - 3} more" if len(unverified) > 3 else ""
        )
        raise NotVerified(
            f"{_count(len(unverified), 'case')} not verified by an analyst ({shown}); check them in "
            f"{review_path} and add `verified: true` to the corrections file",
            path=project.root,
        )
    if unverified and not render.skipped:
        log.warning(
            "the briefing counts %s not yet verified by an analyst (marked in Appendix A; see %s)",
            _count(len(unverified), "case"),
            review_path,
        )
    if render.skipped and previous is not None:
        pages = previous.pages
    else:
        # The project's edition number and date are the ones on the cover, whatever the briefing file says.
        edition_briefing = briefing.model_copy(
            update={"edition": edition.number, "release_date": edition.date}
        )
        pages = render_stage(
            coded,
            edition_briefing,
            briefing_path=project.briefing,
            pdf=pdf_path,
            html=html_path,
            inputs={"project file": project.config},
            new_cases=new_cases,
            created=edition.date,
            sources=sources_path,
        )

    manifest = Manifest(
        briefgen_version=__version__,
        briefgen_code=resources.code_fingerprint(),
        built_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        edition=edition,
        previous_edition=last[0] if last else None,
        inputs=inputs,
        stages=ManifestStages(screen=screen.record(), code=code.record(), render=render.record()),
        counts=screening.counts,
        cases=[DocumentRef(source=case.source, sha256=case.sha256) for case in coded.cases],
        new_cases=new_cases,
        pages=pages,
    )
    write_output(out_dir / MANIFEST, manifest.model_dump_json(indent=2, by_alias=True).encode() + b"\n")
    return BuildReport(
        project=directory,
        edition=edition,
        out_dir=out_dir,
        stages=(screen, code, render),
        counts=screening.counts,
        cases=len(coded.cases),
        coded=coded_now,
        reused=0 if code.skipped else len(coded.cases) - coded_now,
        pages=pages,
        previous_edition=last[0] if last else None,
        new_cases=tuple(new_cases),
        manifest=out_dir / MANIFEST,
        pdf=pdf_path,
        html=html_path,
        review=review_path,
        unverified=tuple(unverified),
    )


def _check_release(problems: list[str], project: LoadedProject, *, draft: bool) -> None:
    """Refuse a briefing that is not ready for release; for a draft, warn."""
    if not problems:
        return
    if not draft:
        raise NotReadyForRelease(
            f"not ready for release: {'; '.join(problems)}; fix it, or build a draft with --draft",
            path=project.config,
        )
    for problem in problems:
        log.warning("draft: %s", problem)


def summary_lines(report: BuildReport) -> list[str]:
    """The build in a few lines: the edition, one line per stage, the new cases and where the PDF is."""
    edition = report.edition
    released = f"released {long_date(edition.date)}" if edition.date else "a draft: no release date"
    period = f", {edition.period.describe()}" if edition.period else ""
    lines = [f"edition {edition.number} ({released}{period}) in {report.out_dir}"]
    counts = report.counts
    for stage in report.stages:
        if stage.skipped:
            detail = "unchanged, skipped"
        elif stage.name == "screen":
            excluded = ", ".join(f"{reason} {n}" for reason, n in counts.excluded_by_reason.items())
            detail = (
                f"{_count(counts.identified, 'document')}: {counts.included} included, {counts.excluded} excluded"
                f"{f' ({excluded})' if excluded else ''}, {counts.review} for review"
                + (f", {counts.unreadable} unreadable" if counts.unreadable else "")
            )
        elif stage.name == "code":
            detail = f"{_count(report.cases, 'case')}: {report.coded} coded, {report.reused} reused from an earlier build"
        else:
            detail = _count(report.pages, "page")
        names = ", ".join(path.name for path in stage.outputs)
        lines.append(f"  {stage.name:<7} {detail}" + ("" if stage.skipped else f"  ->  {names}"))
    if report.previous_edition is not None:
        new = ", ".join(report.new_cases) if report.new_cases else "none"
        lines.append(f"new since edition {report.previous_edition}: {new}")
    if report.review is not None:
        lines.append(f"review page: {report.review}")
    lines.append(f"briefing: {report.pdf}")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _file_sha(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None


def _input(
    project: LoadedProject,
    path: Path,
    default: Path | None = None,
    title: str | None = None,
    version: str | None = None,
) -> InputRef:
    return InputRef(path=project.shown(path, default), sha256=sha256_of(path), title=title, version=version)


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _json(model: BaseModel) -> bytes:
    return model.model_dump_json(indent=2).encode() + b"\n"


CodingInput = tuple[str, str, str, str | None, str]


def _coding_input(document: ScreenedDocument) -> CodingInput:
    # What code_document reads of a screened document; the same tuple with the same codebook gives the same case.
    evidence = json.dumps([e.model_dump() for e in document.incident_date_evidence], sort_keys=True)
    return (document.source, document.sha256, document.title, document.incident_date, evidence)


def _earlier_cases(
    inputs: ManifestInputs, runs: list[tuple[Path, Manifest | None]]
) -> dict[CodingInput, CodedCase]:
    """Cases coded by earlier builds (this edition's, then the last edition's) with the same codebook,
    lexicon and briefgen version, by what their coding read."""
    cases: dict[CodingInput, CodedCase] = {}
    for folder, manifest in runs:
        if manifest is None or (
            manifest.briefgen_version != __version__
            or manifest.briefgen_code != resources.code_fingerprint()
            or manifest.inputs.codebook.sha256 != inputs.codebook.sha256
            or manifest.inputs.lexicon.sha256 != inputs.lexicon.sha256
        ):
            continue
        try:
            screening = ScreeningResult.model_validate_json((folder / "screening.json").read_bytes())
            coded = CodedResult.model_validate_json((folder / "coded.json").read_bytes())
        except (OSError, ValidationError):
            continue
        screened = {d.source: d for d in screening.documents}
        for case in coded.cases:
            document = screened.get(case.source)
            if document is not None and document.sha256 == case.sha256:
                cases.setdefault(_coding_input(document), case)
    return cases
