"""Load an analyst's YAML file into a pydantic model, with errors that name the file, the line and the problem.

Safe against hostile files: only plain YAML types, a size limit, and alias expansion bounded so that an
"alias bomb" is refused instead of eating the memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from briefgen.errors import InputFileError

ModelT = TypeVar("ModelT", bound=BaseModel)

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_NODES = 200_000


def load_yaml_model(
    path: Path, model: type[ModelT], *, error: type[InputFileError] = InputFileError
) -> ModelT:
    """Read `path` and validate it as `model`; any problem raises `error` with the YAML line."""
    data, root = _read_yaml(path, error)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(_describe_validation_error(exc, root), path=path) from None


def _read_yaml(path: Path, error: type[InputFileError]) -> tuple[Any, yaml.Node | None]:
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise error(f"file is {size:,} bytes; the limit is {MAX_YAML_BYTES:,}", path=path)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", path=path) from None
    except IsADirectoryError:
        raise error("is a folder, not a YAML file", path=path) from None
    except UnicodeDecodeError:
        raise error("is not UTF-8 text", path=path) from None
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror})", path=path) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None:
            _check_expansion(root, path, error)
        data = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise error(f"{where}invalid YAML: {exc.problem or exc.context}", path=path) from None
    except yaml.reader.ReaderError as exc:  # its own message runs over two lines
        line = text.count("\n", 0, exc.position) + 1
        raise error(
            f"line {line}: invalid YAML: character #x{exc.character:04x} is not allowed", path=path
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from None
    except RecursionError:
        raise error("YAML is nested too deeply", path=path) from None
    except (
        ValueError,
        OverflowError,
    ) as exc:  # a value PyYAML cannot build: a 5,000-digit number, 2021-13-45
        raise error(f"invalid value in YAML ({str(exc).split(';')[0]})", path=path) from None
    if data is None:
        raise error("file is empty", path=path)
    return data, root


def _check_expansion(root: yaml.Node, path: Path, error: type[InputFileError]) -> None:
    """Refuse documents whose aliases would expand past MAX_EXPANDED_NODES nodes."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > 200:
            raise error("YAML is nested too deeply", path=path)
        key = id(node)
        if key in sizes:
            return sizes[key]
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > MAX_EXPANDED_NODES:
            raise error("YAML expands to too many values (an alias bomb?)", path=path)
        sizes[key] = total
        return total

    size(root, 0)


def _describe_validation_error(exc: ValidationError, root: yaml.Node | None) -> str:
    """The first problem pydantic found, with the YAML line it points at, and how many more there are."""
    problems = exc.errors()
    first = problems[0]
    loc = first["loc"]
    line = line_of(root, loc)
    where = ".".join(str(part) for part in loc) or "top level"
    more = (
        f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
        if len(problems) > 1
        else ""
    )
    at_line = f"line {line}: " if line else ""
    return f"{at_line}{where}: {_plain_message(first)}{more}"


def describe_all_problems(exc: ValidationError, root: yaml.Node | None) -> list[str]:
    """Every problem, each with its YAML line; for `codebook check`."""
    lines = []
    for problem in exc.errors():
        loc = problem["loc"]
        line = line_of(root, loc)
        where = ".".join(str(part) for part in loc) or "top level"
        lines.append(f"{f'line {line}: ' if line else ''}{where}: {_plain_message(problem)}")
    return lines


def compose(path: Path) -> yaml.Node | None:
    """The YAML node tree of a file already known to parse, for line numbers."""
    return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def _plain_message(problem: Any) -> str:
    message = str(problem["msg"])
    if problem["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    if problem["type"] == "missing":
        return "required field is missing"
    return message.removeprefix("Value error, ")


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """Walk the YAML node tree along a pydantic error location; the deepest line found."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if node is None:
            break
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        node = child
    return line


def valid_regex(value: str) -> str:
    """A pydantic validator: the value compiles as a Python regular expression."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return value
