"""Whether a briefing is ready for release: no placeholders left in the analyst's briefing file, and at least
one case. `briefgen build` refuses a briefing that is not, or with --draft builds it and warns."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from pydantic import Field

from briefgen.errors import InputFileError, TemplateError
from briefgen.models import CodedResult, Strict
from briefgen.resources import templates_dir
from briefgen.yamlio import Regex, load_yaml_model

CHECKS = "release-checks.yaml"


class Placeholder(Strict):
    pattern: Regex
    says: str


class ReleaseChecks(Strict):
    placeholders: list[Placeholder] = Field(default_factory=list)


@functools.cache
def load_checks() -> ReleaseChecks:
    try:
        return load_yaml_model(templates_dir() / CHECKS, ReleaseChecks)
    except InputFileError as exc:
        raise TemplateError(str(exc)) from None


def placeholders(briefing_path: Path) -> list[str]:
    """'line 94: an example.org address or link' for each line of the briefing file that still has one."""
    checks = [(re.compile(p.pattern), p.says) for p in load_checks().placeholders]
    found = []
    text = briefing_path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        for pattern, says in checks:
            if pattern.search(content):
                found.append(f"line {number}: {says}")
    return found


def release_problems(briefing_path: Path, coded: CodedResult | None = None) -> list[str]:
    """Every reason the briefing is not ready for release; empty when it is. Without `coded`, only the
    briefing file is checked."""
    problems = [f"{briefing_path.name} {problem}" for problem in placeholders(briefing_path)]
    if coded is not None and not coded.cases:
        problems.append("no case is included")
    return problems
