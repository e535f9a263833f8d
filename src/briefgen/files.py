"""Files on disk: content hashes, atomic writes, and the stages' JSON files read with one clear error."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import OutputError, StageInputInvalid


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` so that `path` holds either its old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes files private; outputs are ordinary files
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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
