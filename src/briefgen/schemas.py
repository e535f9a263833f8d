"""JSON Schemas of every YAML file an analyst writes, for editors that check YAML as it is typed.

Each schema is the pydantic model that briefgen itself reads the file with, so the two never disagree. The
schemas ship in `codebooks/` (a test keeps them equal to the models), and each shipped YAML file names its schema
in a `# yaml-language-server: $schema=...` first line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel


def _codebook() -> type[BaseModel]:
    from briefgen.coding.codebook import Codebook

    return Codebook


def _criteria() -> type[BaseModel]:
    from briefgen.screen.criteria import Criteria

    return Criteria


def _overrides() -> type[BaseModel]:
    from briefgen.screen.overrides import Overrides

    return Overrides


def _corrections() -> type[BaseModel]:
    from briefgen.corrections.file import Corrections

    return Corrections


def _briefing() -> type[BaseModel]:
    from briefgen.render.briefing import Briefing

    return Briefing


def _project() -> type[BaseModel]:
    from briefgen.project.config import Project

    return Project


def _lexicon() -> type[BaseModel]:
    from briefgen.lexicon import Lexicon

    return Lexicon


def _labels() -> type[BaseModel]:
    from briefgen.evaluate import Labels

    return Labels


# name -> (what the file is, its model)
SCHEMAS: dict[str, tuple[str, Callable[[], type[BaseModel]]]] = {
    "codebook": ("a codebook: themes, codes and their rules", _codebook),
    "criteria": ("inclusion criteria for screening", _criteria),
    "overrides": ("the analyst's screening decisions", _overrides),
    "corrections": ("the analyst's corrections of codes and features, and verified cases", _corrections),
    "briefing": ("the analyst's briefing file: titles, dates and narrative", _briefing),
    "project": ("a briefing project's briefgen.yaml", _project),
    "lexicon": ("the language of reviews: sections, forces and cues", _lexicon),
    "labels": ("the truth for labelled reviews, for `briefgen eval`", _labels),
}


def file_name(name: str) -> str:
    return f"{name}.schema.json"


def json_schema(name: str) -> str:
    """The JSON Schema of one kind of file, as text (stable: keys sorted)."""
    title, model = SCHEMAS[name]
    schema: dict[str, Any] = model().model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"briefgen {name}"
    schema["description"] = f"{title[0].upper()}{title[1:]}."
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
