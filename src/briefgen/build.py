"""Build: a briefing project (one folder, one `briefgen.yaml`) taken through screen -> code -> render.

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
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from briefgen import __version__, resources
from briefgen.codebook import load_codebook
from briefgen.corpus import Progress, code_corpus, load_text, screen_corpus, summarise
from briefgen.errors import BriefgenError, OutputError, ProjectInvalid, UsageError
from briefgen.ingest import DEFAULT_LIMITS, Limits, TextCache, find_documents, sha256_of
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import (
    CodedCase,
    CodedResult,
    CriterionResult,
    CriterionText,
    Decision,
    DocumentText,
    Evidence,
    Outcome,
    ScreenedDocument,
    ScreeningCounts,
    ScreeningResult,
)
from briefgen.render import check_briefing, default_briefing, load_briefing, long_date, render_html, write_pdf
from briefgen.reports import coded_csv, screening_csv
from briefgen.screen import Overrides, count, load_criteria, load_overrides
from briefgen.stagefiles import read_stage, write_output
from briefgen.text import PartialDate, find_dates
from briefgen.yamlio import compose, line_of, load_yaml_model

CONFIG = "briefgen.yaml"
MANIFEST = "manifest.json"
DEFAULT = "default"
PERIOD_CRITERION = "edition_period"
OUTSIDE_PERIOD = "outside_period"

Warn = Callable[[str], None]
"""Called with one line for each problem that does not stop the build."""


# --- briefgen.yaml -------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _inside_project(value: str) -> str:
    text = value.strip().replace("\\", "/")
    if not text:
        raise ValueError("must not be empty")
    if text.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", text) or ".." in text.split("/"):
        raise ValueError(
            f"{value!r} is outside the project folder: give a path inside it (no '..', not absolute)"
        )
    return text


ProjectPath = Annotated[str, AfterValidator(_inside_project)]


class Period(_Model):
    """Which reviews an edition covers: those whose date of death, or of publication, falls within two dates."""

    field: Literal["death", "published"] = Field(
        description="death: the date of death; published: the date the review states on its cover."
    )
    start: dt.date = Field(alias="from", description="First day of the period (YYYY-MM-DD).")
    end: dt.date = Field(alias="to", description="Last day of the period (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError("`from` is after `to`")
        return self

    def describe(self) -> str:
        what = "deaths" if self.field == "death" else "reviews published"
        return f"{what} from {long_date(self.start)} to {long_date(self.end)}"


class Edition(_Model):
    number: StrictInt = Field(ge=1, description="Edition number, shown on the cover.")
    date: dt.date | None = Field(
        default=None, description="Release date (YYYY-MM-DD); without it the PDF is marked as a draft."
    )
    period: Period | None = Field(
        default=None, description="Which reviews this edition covers [default: all]."
    )


class Project(_Model):
    """A briefing project's `briefgen.yaml`. Paths are relative to the project folder and stay inside it."""

    corpus: ProjectPath = Field(description="Folder of review documents.")
    criteria: ProjectPath = Field(
        default=DEFAULT, description="Criteria YAML, or `default` for the shipped one."
    )
    codebook: ProjectPath = Field(
        default=DEFAULT, description="Codebook YAML, or `default` for the shipped one."
    )
    briefing: ProjectPath = Field(
        description="The analyst's briefing YAML: titles and narrative (`default`: a generic draft)."
    )
    overrides: ProjectPath | None = Field(default=None, description="The analyst's screening decisions.")
    lexicon: ProjectPath | None = Field(default=None, description="Review vocabulary [default: shipped].")
    output: ProjectPath = Field(default="build", description="Where edition-<N>/ folders are written.")
    edition: Edition


@dataclass(frozen=True)
class LoadedProject:
    """A checked project: its settings and every input path, each known to exist inside the project folder."""

    root: Path
    config: Path
    settings: Project
    corpus: Path
    criteria: Path
    codebook: Path
    briefing: Path
    overrides: Path | None
    lexicon: Path
    output: Path

    @property
    def edition_dir(self) -> Path:
        return self.output / f"edition-{self.settings.edition.number}"

    def shown(self, path: Path, default: Path | None = None) -> str:
        """How an input is named in the manifest: relative to the project, or the shipped default."""
        if default is not None and path.resolve() == default.resolve():
            return f"(default) {default.name}"
        return Path(os.path.relpath(path.resolve(), self.root.resolve())).as_posix()


def load_project(directory: Path) -> LoadedProject:
    """Read and check `directory/briefgen.yaml`; any problem raises `ProjectInvalid` naming the YAML line."""
    config = directory / CONFIG
    if not directory.is_dir():
        raise UsageError(
            "project folder not found" if not directory.exists() else "is not a folder", path=directory
        )
    if not config.is_file():
        raise ProjectInvalid(f"not found; `briefgen init {directory}` creates a project", path=config)
    settings = load_yaml_model(config, Project, error=ProjectInvalid)
    root = directory.resolve()

    def fail(name: str, message: str) -> ProjectInvalid:
        line = line_of(compose(config), (name,))
        return ProjectInvalid(f"{f'line {line}: ' if line else ''}{name}: {message}", path=config)

    def inside(name: str, value: str) -> Path:
        path = directory / value
        if not path.resolve().is_relative_to(root):
            raise fail(name, f"{value!r} leads outside the project folder (through a symbolic link?)")
        return path

    def folder(name: str, value: str) -> Path:
        path = inside(name, value)
        if not path.is_dir():
            raise fail(
                name, f"folder {value!r} not found" if not path.exists() else f"{value!r} is not a folder"
            )
        return path

    def file(name: str, value: str | None, default: Path | None) -> Path:
        if value is None or value == DEFAULT:
            if default is None:
                raise fail(name, "there is no default: name the file, or leave the line out")
            return default
        path = inside(name, value)
        if not path.is_file():
            raise fail(name, f"file {value!r} not found" if not path.exists() else f"{value!r} is not a file")
        return path

    corpus = folder("corpus", settings.corpus)
    output = inside("output", settings.output)
    if output.exists() and not output.is_dir():
        raise fail("output", f"{settings.output!r} is not a folder")
    if output.resolve().is_relative_to(corpus.resolve()):
        raise fail(
            "output", "must not be inside the corpus folder (the briefing PDF would be read as a review)"
        )
    return LoadedProject(
        root=directory,
        config=config,
        settings=settings,
        corpus=corpus,
        criteria=file("criteria", settings.criteria, resources.default_criteria()),
        codebook=file("codebook", settings.codebook, resources.default_codebook()),
        briefing=file("briefing", settings.briefing, default_briefing()),
        overrides=file("overrides", settings.overrides, None) if settings.overrides else None,
        lexicon=file("lexicon", settings.lexicon, resources.default_lexicon()),
        output=output,
    )


# --- briefgen init -------------------------------------------------------------------------------------------

PROJECT_TEMPLATE = """\
# A briefgen briefing project. `briefgen build` (run in this folder, or `briefgen build FOLDER`) screens the
# reviews in the corpus folder, codes the included ones and writes the briefing into <output>/edition-<number>/,
# with the JSON and CSV of each stage and a manifest. Rebuilding skips what has not changed.
# Paths are relative to this folder and must stay inside it. `default` means the file shipped with briefgen.

corpus: corpus                # the review documents: PDF, Word (.docx), .txt, .md
criteria: criteria.yaml       # inclusion criteria (a copy of the default; edit it, or write `default`)
codebook: codebook.yaml       # themes and codes (a copy of the default; check it with `briefgen codebook check`)
briefing: briefing.yaml       # your titles and narrative for the PDF
# overrides: overrides.yaml   # your screening decisions (document, decision, reason); briefgen never writes it
# lexicon: lexicon.yaml       # the vocabulary of reviews [default: shipped]
output: build

edition:
  number: 1
  # date: 2027-03-31          # the release date shown on the cover; without it the PDF is marked as a draft
  # period:                   # which reviews this edition covers [default: every review in the corpus]
  #   field: death            # death (the date of death) or published (the date on the review's cover)
  #   from: 2026-01-01
  #   to: 2026-12-31
"""


def init_project(directory: Path) -> list[Path]:
    """Create a project in a new folder (or an empty one); returns what was created. Never overwrites a file."""
    copies = {
        "criteria.yaml": resources.default_criteria(),
        "codebook.yaml": resources.default_codebook(),
        "codebook.schema.json": resources.codebooks_dir() / "codebook.schema.json",
        "briefing.yaml": default_briefing(),
    }
    if directory.exists() and not directory.is_dir():
        raise UsageError("is not a folder", path=directory)
    if (directory / CONFIG).exists():
        raise UsageError(
            f"already has a {CONFIG}; briefgen init never overwrites a project (choose a new folder)",
            path=directory,
        )
    existing = [name for name in copies if (directory / name).exists()]
    if existing:
        raise UsageError(
            f"already has {', '.join(existing)}; briefgen init never overwrites your files (choose a new folder)",
            path=directory,
        )
    created = []
    try:
        corpus = directory / "corpus"
        if not corpus.is_dir():
            corpus.mkdir(parents=True)
            created.append(corpus)
        for name, source in copies.items():
            _create(directory / name, source.read_bytes())
            created.append(directory / name)
        # briefgen.yaml last: a project exists only once everything it names does.
        _create(directory / CONFIG, PROJECT_TEMPLATE.encode())
        created.append(directory / CONFIG)
    except FileExistsError as exc:
        raise UsageError(
            "was created meanwhile; briefgen init never overwrites a file", path=exc.filename
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot create ({exc.strerror})", path=exc.filename or directory) from None
    return created


def _create(path: Path, data: bytes) -> None:
    """Write a new file atomically, failing with FileExistsError if `path` exists (link, unlike rename, won't
    replace)."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(temp, 0o666 & ~umask)  # an ordinary file for the analyst to edit, not mkstemp's 0600
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.link(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


# --- the manifest --------------------------------------------------------------------------------------------


class InputRef(_Model):
    path: str = Field(description="Relative to the project folder, or '(default) NAME' for a shipped file.")
    sha256: str
    title: str | None = None
    version: str | None = None


class DocumentRef(_Model):
    source: str = Field(description="Path inside the corpus folder.")
    sha256: str


class ManifestInputs(_Model):
    corpus: str
    documents: list[DocumentRef]
    criteria: InputRef
    codebook: InputRef
    lexicon: InputRef
    overrides: InputRef | None
    briefing: InputRef
    templates: str = Field(description="sha256 over the template files.")


class StageRecord(_Model):
    key: str = Field(description="sha256 of the stage's inputs; the stage is skipped while it is the same.")
    outputs: dict[str, str] = Field(description="Output file name -> sha256.")


class ManifestStages(_Model):
    screen: StageRecord
    code: StageRecord
    render: StageRecord


class Manifest(_Model):
    """What went into an edition and what came out. Only `built_at` differs between builds of the same inputs."""

    manifest_version: Literal[1] = 1
    briefgen_version: str
    briefgen_code: str = Field(default="", description="sha256 of briefgen's code that made these outputs.")
    built_at: str = Field(description="When this build ran (UTC); the only field that varies.")
    edition: Edition
    previous_edition: int | None = Field(description="The edition new cases are counted against.")
    inputs: ManifestInputs
    stages: ManifestStages
    counts: ScreeningCounts
    cases: list[DocumentRef] = Field(description="The coded (included) reviews.")
    new_cases: list[str] = Field(description="Sources of cases not in the previous edition (by sha256).")
    pages: int


# --- the period ----------------------------------------------------------------------------------------------

_COVER_LINES = 40


def cover_date(document: DocumentText, lexicon: CompiledLexicon) -> tuple[PartialDate, Evidence] | None:
    """The date a review states on its cover, by the lexicon's labels in order ('Published', else 'Final
    version', else 'Date of completion'). Only the first lines are read, so a later revision date is not taken."""
    lines: list[tuple[int, str]] = []
    for page in document.pages:
        lines += [(page.number, line.strip()) for line in page.text.splitlines() if line.strip()]
        if len(lines) >= _COVER_LINES:
            break
    for label in lexicon.cover_dates:
        for number, line in lines[:_COVER_LINES]:
            match = label.match(line)
            dates = find_dates(match["rest"]) if match else []
            if dates:
                return dates[0].value, Evidence(page=number, quote=line)
    return None


def in_period(value: PartialDate, period: Period) -> bool:
    """Whether a date falls in the period; a month-only date counts when its month overlaps the period."""
    return value.first_day() <= period.end and value.last_day() >= period.start


Dated = tuple[PartialDate, list[Evidence]]
"""A document's date for the period, with the passages that give it."""


def apply_period(
    result: ScreeningResult, period: Period, dates: Mapping[str, Dated | None]
) -> ScreeningResult:
    """Screening limited to an edition's period, as one more criterion that every document is judged on.

    `dates` gives each source's date (of death or publication). A document outside the period is excluded
    (`outside_period`) unless it is already excluded or an analyst decided it; one whose date is not known cannot
    be included on that, so it goes to review.
    """
    what = "death" if period.field == "death" else "publication"
    stated = "" if period.field == "death" else " (as the review's cover gives it)"
    text = f"The date of {what}{stated} is between {long_date(period.start)} and {long_date(period.end)}."
    exclude_text = f"The date of {what}{stated} is outside this edition's period."
    documents = []
    for document in result.documents:
        found = dates.get(document.source)
        evidence: list[Evidence] = []
        if document.problem is not None:
            outcome, note = Outcome.unknown, "The document could not be read."
        elif found is None:
            outcome, note = Outcome.unknown, f"No date of {what} was found."
        else:
            value, evidence = found
            outcome = Outcome.met if in_period(value, period) else Outcome.not_met
            note = f"Date of {what}: {value.iso()}."
        judged = CriterionResult(id=PERIOD_CRITERION, result=outcome, note=note, evidence=evidence)
        update: dict[str, Any] = {"criteria": [*document.criteria, judged]}
        machine = document.override is None and document.problem is None
        if machine and document.decision is not Decision.exclude and outcome is Outcome.not_met:
            update |= {
                "decision": Decision.exclude,
                "exclusion_reason": OUTSIDE_PERIOD,
                "reasons": [f"{exclude_text} {note}"],
            }
        elif machine and document.decision is Decision.include and outcome is Outcome.unknown:
            update |= {"decision": Decision.review, "reasons": [f"Not decided: {text} {note}"]}
        elif machine and document.decision is Decision.include:
            update |= {"reasons": [*document.reasons, f"Met: {text}"]}
        documents.append(document.model_copy(update=update))
    criterion = CriterionText(
        id=PERIOD_CRITERION, text=text, exclude_text=exclude_text, exclude_id=OUTSIDE_PERIOD
    )
    return result.model_copy(
        update={
            "criteria_text": [*result.criteria_text, criterion],
            "documents": documents,
            "counts": count(documents),
        }
    )


def _period_dates(
    result: ScreeningResult, period: Period, corpus: Path, cache_dir: Path, lexicon: CompiledLexicon
) -> dict[str, Dated | None]:
    """Each document's date of death (from screening) or of publication (from its cover)."""
    if period.field == "death":
        return {
            d.source: (PartialDate.parse_iso(d.incident_date), d.incident_date_evidence[:1])
            if d.incident_date
            else None
            for d in result.documents
        }
    cache = TextCache(cache_dir)
    dates: dict[str, Dated | None] = {}
    for document in result.documents:
        dates[document.source] = None
        if document.problem is not None:
            continue
        text = cache.get(document.sha256)
        if text is None:  # the cache was cleared: read it again here, if it is the very file screening read
            # (within the limits, in a worker), so no untrusted file is read in this process
            path = corpus / document.source
            try:
                if sha256_of(path) != document.sha256:
                    continue
                text = load_text(path, cache)
            except (BriefgenError, OSError):
                continue
        found = cover_date(text, lexicon)
        dates[document.source] = (found[0], [found[1]]) if found else None
    return dates


# --- building ------------------------------------------------------------------------------------------------


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


def build_project(
    directory: Path,
    *,
    jobs: int,
    cache_dir: Path,
    force: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    warn: Warn | None = None,
) -> BuildReport:
    """Screen, code and render a project's edition into `<output>/edition-<N>/`, skipping what is unchanged."""
    project = load_project(directory)
    edition = project.settings.edition
    out_dir = project.edition_dir
    criteria = load_criteria(project.criteria)
    lexicon = load_lexicon(project.lexicon)
    overrides = load_overrides(project.overrides) if project.overrides else Overrides()
    codebook = load_codebook(project.codebook)
    briefing = load_briefing(project.briefing)
    inputs = ManifestInputs(
        corpus=project.shown(project.corpus),
        documents=[
            DocumentRef(source=path.relative_to(project.corpus).as_posix(), sha256=sha256_of(path))
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
    )
    previous = None if force else _read_manifest(out_dir / MANIFEST, warn)
    last = _last_edition(project.output, edition.number, warn)

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
    if screen.skipped:
        screening = read_stage(screening_path, ScreeningResult, "briefgen build --force")
    else:
        ref = resources.file_ref(
            project.criteria, criteria.title, criteria.version, out_dir, resources.default_criteria()
        )
        screening = screen_corpus(
            project.corpus,
            criteria=criteria,
            criteria_ref=ref,
            lexicon=lexicon,
            overrides=overrides,
            cache_dir=cache_dir,
            out_dir=out_dir,
            jobs=jobs,
            limits=limits,
            progress=progress,
            warn=warn,
        )
        if edition.period is not None:
            dates = _period_dates(
                screening, edition.period, project.corpus, cache_dir, CompiledLexicon(lexicon)
            )
            screening = apply_period(screening, edition.period, dates)
        write_output(screening_path, _json(screening))
        write_output(screening_path.with_suffix(".csv"), screening_csv(screening).encode())

    coded_path = out_dir / "coded.json"
    code = StageReport.start(
        "code",
        (coded_path, coded_path.with_suffix(".csv")),
        previous.stages.code if previous else None,
        screening=screen.record().outputs[screening_path.name],
        codebook=inputs.codebook.sha256,
        lexicon=inputs.lexicon.sha256,
    )
    coded_now = 0
    if code.skipped:
        coded = read_stage(coded_path, CodedResult, "briefgen build --force")
    else:
        runs = [(out_dir, previous), *([(last[1], last[2])] if last else [])]
        earlier = {} if force else _earlier_cases(inputs, runs)
        included = [d for d in screening.documents if d.decision is Decision.include]
        todo = [d for d in included if _coding_input(d) not in earlier]
        fresh = code_corpus(
            screening.model_copy(update={"documents": todo}),
            screening_ref=resources.file_ref(
                screening_path, "screening", screening.briefgen_version, out_dir, None
            ),
            screening_dir=out_dir,
            codebook=codebook,
            codebook_ref=resources.file_ref(
                project.codebook, codebook.title, codebook.version, out_dir, resources.default_codebook()
            ),
            lexicon=lexicon,
            cache_dir=cache_dir,
            jobs=jobs,
            limits=limits,
            progress=progress,
        )
        # The same cases, in the same order, as coding every included review would give.
        by_source = {case.source: case for case in fresh.cases}
        cases = [by_source.get(d.source) or earlier[_coding_input(d)] for d in included]
        coded = fresh.model_copy(update={"cases": cases, "summary": summarise(cases, codebook)})
        coded_now = len(fresh.cases)
        write_output(coded_path, _json(coded))
        write_output(coded_path.with_suffix(".csv"), coded_csv(coded).encode())

    earlier_cases = {case.sha256 for case in last[2].cases} if last else None
    new_cases = [c.source for c in coded.cases if earlier_cases is not None and c.sha256 not in earlier_cases]
    pdf_path, html_path = out_dir / "briefing.pdf", out_dir / "briefing.html"
    render = StageReport.start(
        "render",
        (pdf_path, html_path),
        previous.stages.render if previous else None,
        coded=code.record().outputs[coded_path.name],
        briefing=inputs.briefing.sha256,
        templates=inputs.templates,
        edition=[edition.number, edition.date.isoformat() if edition.date else None],
        new_cases=new_cases,
    )
    if render.skipped and previous is not None:
        pages = previous.pages
    else:
        # The project's edition number and date are the ones on the cover, whatever the briefing file says.
        edition_briefing = briefing.model_copy(
            update={"edition": edition.number, "release_date": edition.date}
        )
        check_briefing(edition_briefing, coded, path=project.briefing)
        page = render_html(coded, edition_briefing, new_cases=new_cases)
        write_output(html_path, page.encode())
        pages = write_pdf(page, pdf_path, created=edition.date)

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
    )


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
    lines.append(f"briefing: {report.pdf}")
    return lines


# --- helpers -------------------------------------------------------------------------------------------------


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


def _read_manifest(path: Path, warn: Warn | None) -> Manifest | None:
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        if warn:
            warn(f"{path}: not a manifest of this version of briefgen; ignoring it")
        return None


def _last_edition(output: Path, number: int, warn: Warn | None) -> tuple[int, Path, Manifest] | None:
    """The latest earlier edition with a manifest: its number, folder and manifest."""
    found = []
    for folder in output.glob("edition-*"):
        match = re.fullmatch(r"edition-(\d+)", folder.name)
        if match and int(match[1]) < number and (folder / MANIFEST).is_file():
            found.append((int(match[1]), folder))
    for earlier, folder in sorted(found, reverse=True):
        manifest = _read_manifest(folder / MANIFEST, warn)
        if manifest is not None:
            return earlier, folder, manifest
    return None


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
