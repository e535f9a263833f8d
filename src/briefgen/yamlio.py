"""Load an analyst's YAML file into a pydantic model, with errors that name the file, the line and the problem.

Safe against hostile files: only plain YAML types, a size limit, and alias expansion bounded so that an
"alias bomb" is refused instead of eating the memory. A key given twice in one mapping is refused too: PyYAML
would keep the last value without a word.
"""

from __future__ import annotations

import functools
import importlib
import operator
import re
import string
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ValidationError

from briefgen import patternverdicts
from briefgen.errors import InputFileError

ModelT = TypeVar("ModelT", bound=BaseModel)

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_NODES = 200_000


# libyaml's parser when PyYAML was built with it: the lexicon is read at every command, and the pure-Python
# parser took a quarter of a second over it.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        root = yaml.compose(text, Loader=_LOADER)
        if root is not None:
            _check_expansion(root, path, error)
            _check_duplicate_keys(root, path, error)
        # The values, built from the node tree already parsed rather than parsing the text a second time.
        data = None if root is None else _LOADER("").construct_document(root)
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


def _check_duplicate_keys(root: yaml.Node, path: Path, error: type[InputFileError]) -> None:
    """Refuse a mapping that gives a key twice, naming the second; a merge (`<<: *base`) may still be
    overridden."""
    keys = yaml.SafeLoader("")  # builds each key as the mapping would: `1`, `1.0` and `true` are one key
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                name, line = keys.construct_object(key), key.start_mark.line + 1
                if name in first:
                    raise error(
                        f"line {line}: key {key.value!r} is given twice (also on line {first[name]})",
                        path=path,
                    )
                first[name] = line
            stack.extend(reversed([value for _, value in node.value]))


def _describe_validation_error(exc: ValidationError, root: yaml.Node | None) -> str:
    """The first problem pydantic found, with the YAML line it points at, and how many more there are."""
    problems = exc.errors()
    first = problems[0]
    loc = first["loc"]
    line = line_of(root, loc)
    where = _where(loc)
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
        where = _where(loc)
        lines.append(f"{f'line {line}: ' if line else ''}{where}: {_plain_message(problem)}")
    return lines


def _where(loc: Sequence[int | str]) -> str:
    """The path to a field, on one line whatever its keys hold: a key with a line break is shown escaped."""
    path = ".".join(str(part) for part in loc) or "top level"
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in path)


def compose(path: Path) -> yaml.Node | None:
    """The YAML node tree of a file already known to parse, for line numbers."""
    return yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)


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


# --- an analyst's regular expressions ------------------------------------------------------------------------
#
# Every rule runs over every sentence of every review in Python's `re`, which backtracks. Two kinds of pattern
# compile and then wreck a run: one that matches an empty string matches everywhere (and its evidence fills the
# memory), and a repetition that can share the same text out among its turns in many ways, such as
# `(\w+\s?)+`, makes `re` try each way before it gives up: exponential time in the length of the sentence.
# The second kind is found on the pattern itself: each quantified group becomes a position automaton, which
# has exponentially many runs over some text exactly when a position can come back to itself along two
# different paths that read the same characters (Weber and Seidl, 1991). A timed run of `re` on text built
# from the group backs the analysis up.

# What `re.compile` does in two steps, as no public API gives the parsed pattern: each pattern is parsed once.
_sre: Any = importlib.import_module("re._parser")
_sre_compiler: Any = importlib.import_module("re._compiler")


def valid_regex(value: str) -> str:
    """A pydantic validator: the value is a Python regular expression fit to be a rule (`regex_problem`)."""
    problem = regex_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Regex = Annotated[str, AfterValidator(valid_regex)]
"""A field that holds an analyst's regular expression."""


@functools.lru_cache(maxsize=4096)
def regex_problem(pattern: str) -> str | None:
    """What is wrong with `pattern` as a rule, and how to fix it; None when nothing is. Remembered: each load of a
    codebook or lexicon checks every pattern in it; and within `patternverdicts.remembered_in(cache folder)`, a
    pattern that passed in an earlier run is not checked again."""
    if patternverdicts.passed_before(pattern):
        return None
    problem = _check_regex(pattern)
    if problem is None:
        patternverdicts.remember_pass(pattern)
    return problem


def _check_regex(pattern: str) -> str | None:
    try:
        tree = _sre.parse(pattern)
        _sre_compiler.compile(tree)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    except (RecursionError, OverflowError):
        return "not a valid regular expression (too long or nested too deeply)"
    if tree.getwidth()[0] == 0:
        return "can match an empty string, so it matches almost anywhere: make some part of it required"
    groups = sorted(_quantified_groups(pattern), key=lambda span: span[1] - span[0])
    for start, end in groups:  # the smallest group at fault is the one to name
        group = pattern[start:end]
        if _exponential(group):
            if _has_repetition(group):
                return f"nested repetition `{group}` can take exponential time: remove the inner or outer quantifier"
            return (
                f"repetition `{group}` can take exponential time, as its choices overlap: make them exclusive "
                "or remove the quantifier"
            )
    slow = _slow_example(pattern, groups) if groups else None
    if slow is not None:
        group, text, seconds = slow
        return (
            f"repetition `{group}` took {seconds * 1000:.0f} ms on the {len(text)}-character text {text!r} "
            "and can take exponential time: simplify it"
        )
    return None


_QUANTIFIER = re.compile(r"(?:[*+]|\{(\d*),(\d*)\}|\{(\d+)\})([?+]?)")


def _quantified_groups(pattern: str) -> list[tuple[int, int]]:
    """Where `pattern` has a group repeated more than once (`(...)+`, `(?:...){0,8}`), quantifier included;
    possessive ones (`(...)++`) never backtrack and are left out."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            continue
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            start = opened.pop()
            quantifier = _QUANTIFIER.match(pattern, i + 1)
            if quantifier is not None and quantifier.group(4) != "+":
                at_most = quantifier.group(2) if quantifier.group(1) is not None else quantifier.group(3)
                if at_most is None or at_most == "" or int(at_most) >= 2:
                    spans.append((start, quantifier.end()))
        i += 1
    return spans


def _class_end(pattern: str, start: int) -> int:
    """The index just past the character class that opens at `start` (the end of the pattern if it is open)."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):  # a leading "]" is a literal
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _has_repetition(pattern: str) -> bool:
    """Whether the body of the repeated group `pattern` repeats something itself."""
    try:
        ((_, (_, _, body)),) = _sre.parse(pattern)
    except (re.error, ValueError, TypeError):
        return False
    return any(most >= 2 for _, most, _ in _repetitions(body))


def _repetitions(items: Any) -> Iterator[tuple[int, int, Any]]:
    """(least, most, body) of every repetition in a parsed pattern, however deep."""
    for op, value in items:
        if op.name in _REPEATS:
            yield value
        for part in _parts(op.name, value):
            yield from _repetitions(part)


# --- the position automaton ----------------------------------------------------------------------------------

# The characters the analysis tells apart: enough of each class (`\w`, `\s`, `\d`, punctuation, non-ASCII) for
# two patterns that share a character to share one here. Letters come first: a sample text takes the first fit.
_ALPHABET = (
    string.ascii_lowercase + string.digits + " " + string.punctuation + string.ascii_uppercase
    + "\t\n\r\x0b\x0c\x00éüß’‘“”–—…£\u00a0\u2028٣"
)  # fmt: skip
_ALL = (1 << len(_ALPHABET)) - 1
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_READS = ("LITERAL", "NOT_LITERAL", "ANY", "IN")  # the items that read one character
_UNROLL = 4  # a repetition of at most this many turns is written out; a longer one is taken as a loop
_MOST_POSITIONS = 400  # past this, a group is left to the timed run: pairs of positions would take too long


class _TooLarge(Exception):
    """The group has more positions than the analysis takes."""


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


_CATEGORIES: dict[str, Callable[[str], bool]] = {
    "CATEGORY_DIGIT": str.isdecimal,
    "CATEGORY_NOT_DIGIT": lambda char: not char.isdecimal(),
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_NOT_SPACE": lambda char: not char.isspace(),
    "CATEGORY_WORD": _is_word,
    "CATEGORY_NOT_WORD": lambda char: not _is_word(char),
}


def _any_character(char: str) -> bool:
    return True


def _in_class(items: tuple[tuple[Any, Any], ...], char: str) -> bool:
    negate = found = False
    for op, value in items:
        if op.name == "NEGATE":
            negate = True
        elif op.name == "LITERAL":
            found = found or ord(char) == value
        elif op.name == "RANGE":
            found = found or value[0] <= ord(char) <= value[1]
        elif op.name == "CATEGORY":
            found = found or _CATEGORIES.get(value.name, _any_character)(char)
        else:  # nothing else comes out of the parser; if it did, any character
            found = True
    return found != negate


@functools.lru_cache(maxsize=4096)
def _mask(kind: str, value: Any) -> int:
    """The characters of `_ALPHABET` one character-reading item matches, as bits, ignoring case."""

    def matches(char: str) -> bool:
        if kind == "LITERAL":
            return ord(char) == int(value)
        if kind == "NOT_LITERAL":
            return ord(char) != int(value)
        if kind == "IN":
            return _in_class(value, char)
        return True  # ANY

    bits = 0
    for bit, char in enumerate(_ALPHABET):
        if any(len(form) == 1 and matches(form) for form in (char, char.lower(), char.upper())):
            bits |= 1 << bit
    return bits


_WORD = sum(1 << bit for bit, char in enumerate(_ALPHABET) if _is_word(char))

# What a word-boundary assertion between two characters asks of them: nothing, `\b`, `\B`.
_FREE, _BOUNDARY, _INSIDE = 0, 1, 2
_Ways = dict[tuple[int, int], int]
"""(position, what an assertion on the way asks) -> in how many ways, 2 standing for more than one."""


def _both(first: int, second: int) -> int | None:
    """Two assertions on the same spot between characters: what they ask together, None if they conflict."""
    if first in (_FREE, second):
        return second
    return first if second == _FREE else None


def _add(into: dict[Any, int], key: Any, ways: int) -> None:
    into[key] = min(2, into.get(key, 0) + ways)


@dataclass
class _Fragment:
    first: _Ways  # where a match of the fragment can start
    last: _Ways  # where it can end
    empty: dict[int, int]  # how it can match nothing: assertion -> ways


class _Positions:
    """The position (Glushkov) automaton of a pattern: one position per character it reads, and from each
    position to the next, in how many ways the pattern can go (`re` tries each)."""

    def __init__(self) -> None:
        self.masks: list[int] = []
        self.ways: dict[tuple[int, int], int] = {}

    def sequence(self, items: Any) -> _Fragment:
        fragment = _Fragment({}, {}, {_FREE: 1})
        for op, value in items:
            fragment = self._then(fragment, self._item(op.name, value))
        return fragment

    def _item(self, name: str, value: Any) -> _Fragment:
        if name in _READS:
            return self._read(_characters(name, value))
        if name == "SUBPATTERN":
            return self.sequence(value[3])
        if name == "BRANCH":
            return self._either([self.sequence(branch) for branch in value[1]])
        if name == "GROUPREF_EXISTS":
            _, yes, no = value
            return self._either([self.sequence(yes), self.sequence(no or [])])
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            return self._repeat(*value)
        if name == "AT":
            asks = {"AT_BOUNDARY": _BOUNDARY, "AT_NON_BOUNDARY": _INSIDE}.get(value.name, _FREE)
            return _Fragment({}, {}, {asks: 1})
        if name in ("ASSERT", "ASSERT_NOT"):
            return _Fragment({}, {}, {_FREE: 1})
        # Atomic groups and possessive repetitions never give back what they matched: one position stands for
        # each, reading any character they can. A backreference could be any text.
        fragment = self._read(_characters(name, value))
        if _can_be_empty(name, value):
            fragment.empty[_FREE] = 1
        return fragment

    def _read(self, mask: int) -> _Fragment:
        position = len(self.masks)
        if position >= _MOST_POSITIONS:
            raise _TooLarge
        self.masks.append(mask)
        return _Fragment({(position, _FREE): 1}, {(position, _FREE): 1}, {})

    def _either(self, fragments: list[_Fragment]) -> _Fragment:
        result = _Fragment({}, {}, {})
        for fragment in fragments:
            for key, ways in fragment.first.items():
                _add(result.first, key, ways)
            for key, ways in fragment.last.items():
                _add(result.last, key, ways)
            for asks, ways in fragment.empty.items():
                _add(result.empty, asks, ways)
        return result

    def _repeat(self, least: int, most: int, body: Any) -> _Fragment:
        if most <= _UNROLL:
            fragment = _Fragment({}, {}, {_FREE: 1})
            for turn in range(most):
                once = self.sequence(body)
                if turn >= least:
                    once = self._either([once, _Fragment({}, {}, {_FREE: 1})])
                fragment = self._then(fragment, once)
            return fragment
        once = self.sequence(body)
        self._link(once, once)  # a turn may follow a turn
        empty = dict(once.empty)
        if least == 0:
            _add(empty, _FREE, 1)
        return _Fragment(once.first, once.last, empty)

    def _then(self, before: _Fragment, after: _Fragment) -> _Fragment:
        """`before` followed by `after`."""
        self._link(before, after)
        first, last, empty = dict(before.first), dict(after.last), dict[int, int]()
        for asks, ways in before.empty.items():
            for (position, also), more in after.first.items():
                if (together := _both(asks, also)) is not None:
                    _add(first, (position, together), ways * more)
        for (position, asks), ways in before.last.items():
            for also, more in after.empty.items():
                if (together := _both(asks, also)) is not None:
                    _add(last, (position, together), ways * more)
        for asks, ways in before.empty.items():
            for also, more in after.empty.items():
                if (together := _both(asks, also)) is not None:
                    _add(empty, together, ways * more)
        return _Fragment(first, last, empty)

    def _link(self, before: _Fragment, after: _Fragment) -> None:
        """Every way to go from where `before` ends to where `after` starts, unless its assertions cannot hold."""
        for (end, asks), ways in before.last.items():
            for (start, also), more in after.first.items():
                together = _both(asks, also)
                if together is not None and self._can_hold(together, end, start):
                    _add(self.ways, (end, start), ways * more)

    def _can_hold(self, asks: int, end: int, start: int) -> bool:
        if asks == _FREE:
            return True
        words = [bool(self.masks[p] & _WORD) for p in (end, start)]
        others = [bool(self.masks[p] & ~_WORD & _ALL) for p in (end, start)]
        boundary = (words[0] and others[1]) or (others[0] and words[1])
        inside = (words[0] and words[1]) or (others[0] and others[1])
        return boundary if asks == _BOUNDARY else inside

    def exponential(self) -> bool:
        """Whether some position comes back to itself along two different paths that read the same text."""
        following: dict[int, list[int]] = {}
        for start, end in self.ways:
            following.setdefault(start, []).append(end)
        for (start, end), ways in self.ways.items():  # two ways along one step, and back
            if ways > 1 and start in _reachable(end, lambda p: following.get(p, [])):
                return True

        def pairs(node: tuple[int, int]) -> Iterator[tuple[int, int]]:  # two paths reading the same character
            for one in following.get(node[0], []):
                for other in following.get(node[1], []):
                    if self.masks[one] & self.masks[other]:
                        yield one, other

        starts = [(p, p) for p in following]
        for component in _components(starts, pairs):
            if any(a == b for a, b in component) and any(a != b for a, b in component):
                return True
        return False


def _characters(name: str, value: Any) -> int:
    """Every character one item of a parsed pattern can read, as bits."""
    if name in _READS:
        return _mask(name, tuple(value) if name == "IN" else value)
    if name == "GROUPREF":
        return _ALL
    return functools.reduce(
        operator.or_, (_characters(op.name, v) for part in _parts(name, value) for op, v in part), 0
    )


def _parts(name: str, value: Any) -> list[Any]:
    """The parsed sequences inside one item of a parsed pattern (a group's, each branch's...)."""
    if name == "SUBPATTERN":
        return [value[3]]
    if name == "ATOMIC_GROUP":
        return [value]
    if name in _REPEATS:
        return [value[2]]
    if name == "BRANCH":
        return list(value[1])
    if name == "GROUPREF_EXISTS":
        return [value[1], value[2] or []]
    return []


def _can_be_empty(name: str, value: Any) -> bool:
    if name == "ATOMIC_GROUP":
        return bool(value.getwidth()[0] == 0)
    if name == "POSSESSIVE_REPEAT":
        return bool(value[0] == 0 or value[2].getwidth()[0] == 0)
    return True


def _reachable(start: int, following: Callable[[int], list[int]]) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in following(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


_Node = TypeVar("_Node")


def _components(starts: list[_Node], successors: Callable[[_Node], Iterator[_Node]]) -> list[list[_Node]]:
    """The strongly connected components reachable from `starts` (Tarjan's algorithm, without recursion)."""
    index: dict[_Node, int] = {}
    low: dict[_Node, int] = {}
    stack: list[_Node] = []
    on_stack: set[_Node] = set()
    components: list[list[_Node]] = []
    for start in starts:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, successors(start))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, successors(child)))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


@functools.lru_cache(maxsize=1024)
def _exponential(group: str) -> bool:
    """Whether the repeated group `group` (a pattern of its own) can match some text in exponentially many ways."""
    try:
        tree = _sre.parse(group)
    except re.error:  # it refers to a group outside itself: not judged
        return False
    automaton = _Positions()
    try:
        automaton.sequence(tree)
    except _TooLarge:
        return False
    return automaton.exponential()


# --- the timed run -------------------------------------------------------------------------------------------

_SLOW_SECONDS = 0.05  # on 30 characters: `re` is trying exponentially many ways
_LONGEST = 30
_TIMED_RUN_SECONDS = 0.5  # in all for one pattern: one with thousands of groups is not timed to the end
_MARKER = "\ue000"  # a private-use character, to find where a group sits in the whole pattern


def _slow_example(pattern: str, groups: list[tuple[int, int]]) -> tuple[str, str, float] | None:
    """A repeated group of `pattern` on which `re` is slow, with the text and the seconds; None if it is not.

    The text is what leads up to the group, the group's body over and over, and a character that makes the
    match fail, so that `re` tries every way the body can share the text out before it gives up."""
    compiled = re.compile(pattern, re.IGNORECASE)  # as rules run
    stop = time.perf_counter() + _TIMED_RUN_SECONDS
    for start, end in groups:
        if time.perf_counter() > stop:
            break
        group = pattern[start:end]
        try:
            ((_, (_, _, body)),) = _sre.parse(group)
        except (re.error, ValueError, TypeError):
            continue
        turn = _sample_text(body)[0]
        if not turn:
            continue
        before = _text_before(pattern, start, end)
        for tail in ("!", "\x00"):
            for turns in range(1, _LONGEST // len(turn) + 1):
                text = before + turn * turns + tail
                if (seconds := _search_time(compiled, text)) > _SLOW_SECONDS:
                    # Twice more, so that a pause of a busy machine is not taken for the pattern's time.
                    seconds = min(seconds, _search_time(compiled, text), _search_time(compiled, text))
                    if seconds > _SLOW_SECONDS:
                        return group, text, seconds
    return None


def _search_time(compiled: re.Pattern[str], text: str) -> float:
    began = time.perf_counter()
    compiled.search(text)
    return time.perf_counter() - began


def _text_before(pattern: str, start: int, end: int) -> str:
    """A text that `pattern` can read up to the group at `start:end`."""
    if _MARKER in pattern:
        return ""
    try:
        tree = _sre.parse(pattern[:start] + _MARKER + pattern[end:])
    except re.error:
        return ""
    text, found = _sample_text(tree, ord(_MARKER))
    return text if found else ""


def _sample_text(items: Any, marker: int | None = None) -> tuple[str, bool]:
    """A short text that `items` match (each repetition at its least, each choice its first); with `marker`,
    the text up to that character, and whether it was met."""
    text = ""
    for op, value in items:
        name = op.name
        if name == "LITERAL" and value == marker:
            return text, True
        if name == "LITERAL":
            text += chr(value)
        elif name in _READS:
            text += _sample_character(_characters(name, value))
        samples = [_sample_text(part, marker) for part in _parts(name, value)]
        for sample, found in samples:
            if found:
                return text + sample, True
        if samples:  # of a choice, the first
            text += samples[0][0] * (value[0] if name in _REPEATS else 1)
    return text, False


def _sample_character(mask: int) -> str:
    for bit, char in enumerate(_ALPHABET):
        if mask >> bit & 1:
            return char
    return ""
