"""Files on disk: content hashes, atomic writes, and the stages' JSON files read with one clear error."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import OutputError, StageInputInvalid, UsageError
from briefgen.models import AgreementReport, CodedResult, ScreeningResult


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_path(name: str) -> str | None:
    """How an analyst's file names a document: a path inside the corpus folder, given with forward slashes; None
    for an absolute path or one that climbs out of the folder with '..'."""
    path = name.replace("\\", "/")
    if path.startswith("/") or ".." in path.split("/") or re.match(r"^[A-Za-z]:", path):
        return None
    return path


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


# What each stage model is called in a message.
_STAGE_FILES: dict[type[BaseModel], str] = {
    ScreeningResult: "screening file",
    CodedResult: "coded file",
    AgreementReport: "agreement file",
}


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
    except ValidationError as exc:
        problem = _first_problem(exc, data)
    kind = _STAGE_FILES.get(model, "stage file")
    other = next((name for m, name in _STAGE_FILES.items() if m is not model and _is(data, m)), None)
    if other is not None:
        raise StageInputInvalid(
            f"is {_a(other)}, not {_a(kind)}; give the {kind} `{rerun}` writes", path=path
        )
    raise StageInputInvalid(
        f"is not {_a(kind)} from this version of briefgen ({problem}); rerun `{rerun}`", path=path
    )


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _is(data: bytes, model: type[BaseModel]) -> bool:
    try:
        model.model_validate_json(data)
    except ValidationError:
        return False
    return True


def _first_problem(exc: ValidationError, data: bytes) -> str:
    """What is wrong, briefly: the JSON itself, or the first field that is missing, unknown or wrong."""
    if not data.strip():
        return "the file is empty"
    problems = exc.errors()
    first = problems[0]
    message = str(first["msg"])
    if first["type"] == "json_invalid":
        detail = message.removeprefix("Invalid JSON: ")
        at = re.search(r" at line (\d+) column \d+$", detail)
        if detail.startswith("EOF while parsing") and at:
            return f"JSON is cut short at line {at[1]}"
        return f"invalid JSON: {detail}"
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "missing":
        described = f"missing field {where!r}"
    elif first["type"] == "extra_forbidden":
        described = f"unknown field {where!r}"
    elif not where:
        described = "the JSON is not an object" if first["type"] == "model_type" else message
    else:
        described = f"{where}: {message[:1].lower()}{message[1:]}"
    more = len(problems) - 1
    return described + (f", and {more} more problem{'s' if more > 1 else ''}" if more else "")


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


@contextmanager
def exclusive_lock(path: Path, *, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) while the block runs; if another process holds it,
    refuse at once rather than both doing all the work. Where the system has no advisory locks, no lock."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError as exc:
        raise OutputError(f"cannot create the lock file ({exc.strerror})", path=path) from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another {what} is running; wait for it to finish", path=path.parent) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
