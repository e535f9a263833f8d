"""The manifest of an edition: what went into it and what came out, and the editions before it."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from briefgen.models import (
    ScreeningCounts,
    Strict,
)
from briefgen.project.config import Edition

MANIFEST = "manifest.json"

log = logging.getLogger(__name__)


class InputRef(Strict):
    path: str = Field(description="Relative to the project folder, or '(default) NAME' for a shipped file.")
    sha256: str
    title: str | None = None
    version: str | None = None


class DocumentRef(Strict):
    source: str = Field(description="Path inside the corpus folder.")
    sha256: str


class ManifestInputs(Strict):
    corpus: str
    documents: list[DocumentRef]
    criteria: InputRef
    codebook: InputRef
    lexicon: InputRef
    overrides: InputRef | None
    briefing: InputRef
    templates: str = Field(description="sha256 over the template files.")
    corrections: InputRef | None = Field(default=None, description="The analyst's corrections file, if any.")


class StageRecord(Strict):
    key: str = Field(description="sha256 of the stage's inputs; the stage is skipped while it is the same.")
    outputs: dict[str, str] = Field(description="Output file name -> sha256.")


class ManifestStages(Strict):
    screen: StageRecord
    code: StageRecord
    render: StageRecord


class Manifest(Strict):
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


def read_manifest(path: Path) -> Manifest | None:
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        log.warning("%s: not a manifest of this version of briefgen; ignoring it", path)
        return None


def last_edition(output: Path, number: int) -> tuple[int, Path, Manifest] | None:
    """The latest earlier edition with a manifest: its number, folder and manifest."""
    found = []
    for folder in output.glob("edition-*"):
        match = re.fullmatch(r"edition-(\d+)", folder.name)
        if match and int(match[1]) < number and (folder / MANIFEST).is_file():
            found.append((int(match[1]), folder))
    for earlier, folder in sorted(found, reverse=True):
        manifest = read_manifest(folder / MANIFEST)
        if manifest is not None:
            return earlier, folder, manifest
    return None
