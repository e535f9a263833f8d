"""Every failure a user can cause has its own exception here; each builds its own one-line message.

The CLI turns a `BriefgenError` into one red line on stderr and the exit code of its class. Anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """What briefgen's exit status means; listed in the README and in `briefgen --help`."""

    OK = 0
    FAILED = 1  # a problem not of the kinds below
    USAGE = 2  # a command was given an argument it cannot use: a missing folder, an output over an input
    INVALID_INPUT = 3  # an input file (YAML, JSON, CSV) is missing, unreadable or invalid
    TEMPLATE = 4  # a briefing template is missing or failed to render
    OUTPUT = 5  # an output could not be written
    INTERRUPTED = 130  # Ctrl-C: outputs of finished stages are kept, nothing was half-written

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "success",
    ExitCode.FAILED: "other failure",
    ExitCode.USAGE: "bad usage",
    ExitCode.INVALID_INPUT: "invalid input file",
    ExitCode.TEMPLATE: "template error",
    ExitCode.OUTPUT: "output not written",
    ExitCode.INTERRUPTED: "interrupted",
}


class BriefgenError(Exception):
    """Root of the errors a user can cause and fix."""

    exit_code = ExitCode.FAILED

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path is not None else message)


class UsageError(BriefgenError):
    """A command was given an argument it cannot use (a missing folder, an empty corpus)."""

    exit_code = ExitCode.USAGE


class InputFileError(BriefgenError):
    """An input file (YAML, JSON, CSV) is missing, unreadable or invalid."""

    exit_code = ExitCode.INVALID_INPUT


class CriteriaInvalid(InputFileError):
    """The screening criteria file is not valid."""


class OverridesInvalid(InputFileError):
    """The analyst's overrides file is not valid."""


class CodebookInvalid(InputFileError):
    """The codebook is not valid."""


class BriefingInvalid(InputFileError):
    """The briefing file (what the analyst writes for the PDF) is not valid."""


class ProjectInvalid(InputFileError):
    """A briefing project's briefgen.yaml is not valid."""


class NotReadyForRelease(InputFileError):
    """The briefing still has placeholders, or no case: build it with --draft, or fix it."""


class StageInputInvalid(InputFileError):
    """A stage's input JSON (screening.json, coded.json) is missing, from another version or corrupt."""


class DocumentUnreadable(BriefgenError):
    """A review document cannot be read. Not fatal in a corpus run: the document goes to `review`."""

    def __init__(self, problem: str, detail: str, *, path: Path | str | None = None) -> None:
        self.problem = problem
        self.detail = detail
        super().__init__(detail, path=path)


class TemplateError(BriefgenError):
    """A briefing template is missing or failed to render."""

    exit_code = ExitCode.TEMPLATE


class OutputError(BriefgenError):
    """An output could not be written."""

    exit_code = ExitCode.OUTPUT


class LexiconInvalid(InputFileError):
    """The lexicon file is not valid."""


class LabelsInvalid(InputFileError):
    """A labels file (the truth for `briefgen eval`) is not valid."""


class HumanCodingInvalid(InputFileError):
    """A human coding CSV (for `briefgen agree`) is not valid."""


class CorrectionsInvalid(InputFileError):
    """The analyst's corrections file (codes, features and verified cases) is not valid."""


class NotVerified(BriefgenError):
    """`build --require-verified` was asked to render cases an analyst has not verified."""
