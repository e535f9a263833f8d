"""Files on disk: content hashes, atomic writes, and the stages' JSON files read with one clear error."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import OutputError, StageInputInvalid, UsageError


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


def companion_csv(out: Path) -> Path:
    """The CSV written beside a stage's JSON: `screening.json` -> `screening.csv`, and never `out` itself
    (`--out s.csv` gives `s.csv.csv`)."""
    csv_path = out.with_suffix(".csv")
    return csv_path if csv_path != out else out.with_name(out.name + ".csv")


def check_outputs(outputs: list[Path], inputs: Mapping[str, Path | None]) -> None:
    """Refuse to write an output over any input (an analyst's overrides, briefing or codebook) or over another
    output, whatever the options say."""
    seen: dict[Path, Path] = {}
    for output in outputs:
        resolved = output.resolve()
        if resolved in seen:
            raise UsageError(f"is given for two outputs ({seen[resolved]} and {output})", path=output)
        seen[resolved] = output
        for role, given in inputs.items():
            if given is None:
                continue
            if resolved == given.resolve() or _same_file(output, given):
                raise UsageError(
                    f"is the {role}: choose another output path; briefgen never writes over its inputs",
                    path=output,
                )
            if given.is_dir() and resolved.is_relative_to(given.resolve()) and role == "corpus folder":
                raise UsageError(
                    "is inside the corpus folder: the output would be read as a review next time; write it elsewhere",
                    path=output,
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
