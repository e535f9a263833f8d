"""A briefing project: one folder, one `briefgen.yaml`; reading and checking it, and `briefgen init`."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt

from briefgen import resources
from briefgen.errors import OutputError, ProjectInvalid, UsageError
from briefgen.models import Strict
from briefgen.render.briefing import default_briefing
from briefgen.screen.period import Period
from briefgen.yamlio import compose, line_of, load_yaml_model

CONFIG = "briefgen.yaml"


DEFAULT = "default"


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


class Edition(Strict):
    number: StrictInt = Field(ge=1, description="Edition number, shown on the cover.")
    date: dt.date | None = Field(
        default=None, description="Release date (YYYY-MM-DD); without it the PDF is marked as a draft."
    )
    period: Period | None = Field(
        default=None, description="Which reviews this edition covers [default: all]."
    )


class Project(Strict):
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
    corrections: ProjectPath | None = Field(
        default=None, description="The analyst's corrections of codes and features, and verified cases."
    )
    lexicon: ProjectPath | None = Field(default=None, description="Review vocabulary [default: shipped].")
    output: ProjectPath = Field(default="build", description="Where edition-<N>/ folders are written.")
    index: ProjectPath | None = Field(
        default=None,
        description="Also keep every review in this SQLite repository (as `briefgen index` does), e.g. "
        "build/reviews.db [default: none].",
    )
    edition: Edition
    draft: bool = Field(
        default=False,
        description="Build even when the briefing is not ready for release (placeholders, no cases), with "
        "warnings; as `briefgen build --draft`.",
    )


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
    corrections: Path | None = None
    index: Path | None = None

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
        corrections=file("corrections", settings.corrections, None) if settings.corrections else None,
        index=inside("index", settings.index) if settings.index else None,
    )


PROJECT_TEMPLATE = """\
# yaml-language-server: $schema=./project.schema.json
#
# A briefgen briefing project. `briefgen build` (run in this folder, or `briefgen build FOLDER`) screens the
# reviews in the corpus folder, codes the included ones and writes the briefing into <output>/edition-<number>/,
# with the JSON and CSV of each stage and a manifest. Rebuilding skips what has not changed.
# Paths are relative to this folder and must stay inside it. `default` means the file shipped with briefgen.

corpus: corpus                # the review documents: PDF, Word (.docx), .txt, .md
criteria: criteria.yaml       # inclusion criteria (a copy of the default; edit it, or write `default`)
codebook: codebook.yaml       # themes and codes (a copy of the default; check it with `briefgen codebook check`)
briefing: briefing.yaml       # your titles and narrative for the PDF
# overrides: overrides.yaml   # your screening decisions (document, decision, reason); briefgen never writes it
# corrections: corrections.yaml  # your corrections of codes and features, and verified cases (see review.html)
# lexicon: lexicon.yaml       # the vocabulary of reviews [default: shipped]
output: build
# index: build/reviews.db     # also keep every review in a searchable SQLite file (`briefgen search`)

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
        **{
            f"{name}.schema.json": resources.codebooks_dir() / f"{name}.schema.json"
            for name in ("codebook", "criteria", "overrides", "briefing", "project")
        },
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
            data = source.read_bytes()
            if name == "briefing.yaml":  # its schema sits beside it in a project
                data = data.replace(
                    b"$schema=../codebooks/briefing.schema.json", b"$schema=./briefing.schema.json"
                )
            _create(directory / name, data)
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
