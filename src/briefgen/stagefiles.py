"""Reading and writing the stages' files (screening.json, coded.json...): atomically, and with one clear error
that says which command makes a missing or unreadable file."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import OutputError, StageInputInvalid
from briefgen.ingest import write_atomic

StageT = TypeVar("StageT", bound=BaseModel)


def write_output(path: Path, data: bytes) -> None:
    """Write an output atomically; a failure is one error naming the file."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror})", path=path) from None


def read_stage(path: Path, model: type[StageT], rerun: str) -> StageT:
    """A stage's JSON output, or one clear error saying which command makes it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StageInputInvalid(f"not found; run `{rerun}` first", path=path) from None
    except OSError as exc:
        raise StageInputInvalid(f"cannot be read ({exc.strerror})", path=path) from None
    try:
        return model.model_validate_json(data)
    except ValidationError:
        raise StageInputInvalid(
            f"is not a valid {path.name} from this version of briefgen; rerun `{rerun}`", path=path
        ) from None
