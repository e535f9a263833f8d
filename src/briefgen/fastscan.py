r"""Which sentences can a pattern match? One linear-time RE2 pass finds them; Python's `re` still decides.

Python's `re` backtracks: one code's rules take about 10 ms over a long review, and a codebook has dozens of
codes. RE2 runs the same search as an automaton, 10 to 20 times faster, but it lacks lookarounds and
backreferences, and its `\w`, `\b`, `\d` and `\s` know only ASCII. So RE2 is only asked which sentences *may*
match, and every candidate is then judged with the real pattern in `re`. The result is exactly what `re` alone
gives, because RE2 never finds fewer candidates:
- RE2 gets the pattern without its lookarounds, which can only make it match more. A pattern RE2 cannot take
  (a backreference, a flag it lacks) is searched with `re` instead, as a whole.
- RE2 reads an ASCII view of the text: a non-ASCII letter stands as `_` (a digit as `0`, a space as ` `), so
  word boundaries fall where `re` puts them. A non-ASCII letter the pattern spells itself ('fianc[ée]') is
  spelled as the view has it ('fianc[_e]'); a pattern where that could match less (such a letter in a negated
  class or a range) goes to `re`. (The one blind spot left: a negated class that excludes `_` or ASCII digits,
  meeting a non-ASCII letter or digit. Codebooks have no use for such classes.)
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

import re2


class FastPattern:
    """A pattern compiled twice: for `re`, which gives matches and has the last word, and for RE2, which
    answers quickly whether and where a long text may match."""

    def __init__(self, pattern: str, *, ignore_case: bool = True, multiline: bool = False) -> None:
        flags = (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
        self.python = re.compile(pattern, flags)
        relaxed = without_lookarounds(pattern)
        spelled = ascii_spelling(relaxed) if relaxed is not None else None
        # False: RE2 may match where `re` does not, so `re` must confirm
        self.exact = spelled == pattern
        # Where RE2 first matches the ASCII view of a text from a position (-1: nowhere); None: `re` alone.
        self.re2 = _re2_compile(spelled, ignore_case) if spelled is not None else None
        # RE2's `^` and `$` hold at every line break; unless the pattern is multi-line, Python's hold only at
        # the text's edges: then a pattern with either is tested by RE2 only on a text of one line.
        self.anchored = not multiline and (spelled is None or "^" in spelled or "$" in spelled)

    @property
    def pattern(self) -> str:
        return self.python.pattern

    # Over a whole text, `search` and `finditer` ask `test` first: most texts have no match, and RE2 says so
    # quickly. Within a window (`pos`, `endpos`) they are `re`'s alone.
    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if pos == 0 and endpos >= len(text) and not self.test(text):
            return None
        return self.python.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if pos == 0 and endpos >= len(text) and not self.test(text):
            return iter(())
        return self.python.finditer(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.python.match(text, pos, endpos)

    def findall(self, text: str) -> list[Any]:
        return self.python.findall(text) if self.test(text) else []

    def sub(self, replacement: Callable[[re.Match[str]], str], text: str) -> str:
        return self.python.sub(replacement, text) if self.test(text) else text

    def test(self, text: str) -> bool:
        """Whether the pattern matches anywhere in `text`: what `search` would say, found faster."""
        return _test(self, text)


def forget() -> None:
    """Drop the remembered answers, as a fresh worker has none (for the benchmark)."""
    _test.cache_clear()
    _encoded_view.cache_clear()
    break_ends.cache_clear()


@lru_cache(maxsize=4096)
def break_ends(pattern: re.Pattern[str], text: str) -> tuple[int, ...]:
    """Where each match of `pattern` (a clause break) ends in `text`, searched whole: asked again for each code
    that matches the same sentence, so remembered."""
    return tuple(match.end() for match in pattern.finditer(text))


def last_break(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where the last break that ends at or before `position` ends (0: none), the breaks found in the whole
    text so that a break's lookahead sees what follows it."""
    ends = break_ends(pattern, text)
    before = bisect_right(ends, position)
    return ends[before - 1] if before else 0


@lru_cache(maxsize=16384)
def _test(pattern: FastPattern, text: str) -> bool:
    # Remembered: screening and coding put the same questions about the same sentences many times over.
    if pattern.re2 is None or (pattern.anchored and "\n" in text):
        return pattern.python.search(text) is not None
    view, same = _encoded_view(text)
    if pattern.re2(view, 0) < 0:
        return False
    return (pattern.exact and same) or pattern.python.search(text) is not None


def _re2_compile(relaxed: str, ignore_case: bool) -> Callable[[bytes, int], int] | None:
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    options.never_capture = True  # only where a match starts is asked: RE2 need not track groups
    try:
        # Multi-line: `^` and `$` hold at each sentence's edges, as they do when `re` judges the sentence alone.
        compiled = re2.compile("(?m)" + relaxed, options)
    except re2.error:
        return None
    # The binding's own call: its Python wrapper makes a generator and a match object for each search, which
    # costs more than RE2's search of a sentence. Through the wrapper where a release of it lacks the call.
    native = getattr(compiled, "_regexp", None)
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    if native is None or anchor is None:
        return lambda view, pos: _start(compiled.search(view, pos))
    match = native.Match
    return lambda view, pos: int(match(anchor, view, min(pos, len(view)), len(view))[0][0])


def _start(match: Any) -> int:
    return -1 if match is None else int(match.start())


class SentenceIndex:
    """Sentences joined into one text to scan, with each sentence's place in it."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.joined = "\n".join(texts)
        self.offsets = [0, *accumulate(len(t) + 1 for t in texts)]
        view = ascii_view(self.joined)  # one character for one, so the offsets hold for it too
        self.view = view.encode("utf-8")
        if len(self.view) == len(view):
            self.view_offsets = self.offsets
        else:  # RE2 reports positions in UTF-8 bytes
            spans = zip(self.offsets[:-1], self.offsets[1:], strict=True)
            self.view_offsets = [0, *accumulate(len(view[a:b].encode("utf-8")) for a, b in spans)]

    def candidates(self, pattern: FastPattern) -> list[int]:
        """The indexes, in order, of the sentences in which `pattern` may match: every sentence in which it
        does match is among them."""
        fast = pattern.re2
        if fast is not None:
            return _scan(lambda at: fast(self.view, at), self.view_offsets)
        return _scan(lambda at: _start(pattern.python.search(self.joined, at)), self.offsets)


def _scan(search: Callable[[int], int], offsets: list[int]) -> list[int]:
    found: list[int] = []
    position = 0
    while (start := search(position)) >= 0:
        slot = bisect_right(offsets, start) - 1
        if slot >= len(offsets) - 1:
            break
        found.append(slot)
        # On to the next sentence: a match that ran on past this sentence's end must not hide one inside the next.
        position = offsets[slot + 1]
    return found


# --- the ASCII view ------------------------------------------------------------------------------------------

_NEEDS_STAND_IN = re.compile(r"[\x0b\x1c-\x1f\x80-\U0010ffff]+")
_ASCII_STAND_INS = "\x0b\x1c\x1d\x1e\x1f"  # the ASCII characters it replaces (Python's spaces, not RE2's)


@cache
def _stand_in(char: str) -> str:
    if char.isspace():
        return " "
    if char.isdecimal():
        return "0"
    if char.isalnum():
        # `re` ignoring case lets "K" (the Kelvin sign) match k and "ſ" and "ı" match s and i.
        folded = {"ı": "i", "ſ": "s"}.get(char, char.lower())
        return folded if folded.isascii() and folded.isalpha() and len(folded) == 1 else "_"
    if 0xD800 <= ord(char) <= 0xDFFF:  # a lone surrogate from a broken PDF cannot be encoded as UTF-8
        return "?"
    return char


@lru_cache(maxsize=4096)
def _encoded_view(text: str) -> tuple[bytes, bool]:
    """The ASCII view of a sentence in UTF-8, and whether it is the text itself; asked for by pattern after
    pattern, so remembered."""
    view = ascii_view(text)
    return view.encode("utf-8"), view == text


def ascii_view(text: str) -> str:
    """`text` with each non-ASCII letter, digit and space replaced by an ASCII one of the same class, so RE2's
    ASCII `\\w`, `\\b`, `\\d` and `\\s` agree with Python's; other characters (’ – £) are kept."""
    if text.isascii() and not any(control in text for control in _ASCII_STAND_INS):
        return text  # most sentences: nothing to stand in for, found faster than by the pattern
    return _NEEDS_STAND_IN.sub(lambda m: "".join(_stand_in(c) for c in m.group(0)), text)


# --- relaxing a pattern for RE2 ------------------------------------------------------------------------------

_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")


def without_lookarounds(pattern: str) -> str | None:
    """`pattern` with every lookaround group removed (it then matches at least what it matched before), and
    Python's `{,n}` spelled `{0,n}` as RE2 needs; None when the pattern is malformed."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif char == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            out.append(pattern[i:end])
            i = end
        elif pattern.startswith(_LOOKAROUND, i):
            end = _group_end(pattern, i)
            if end is None:
                return None
            i = end
        elif pattern.startswith("{,", i):
            out.append("{0,")
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def ascii_spelling(pattern: str) -> str | None:
    """`pattern` with each non-ASCII letter and digit spelled as the ASCII view of a text has it ('é' -> '_'),
    so that it matches the view wherever `pattern` matches the text; None where it could match less: such a
    letter in a negated class or at either end of a range."""
    if pattern.isascii():
        return pattern
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            members = pattern[i:end]
            foreign = [c for c in members if c.isalnum() and not c.isascii()]
            if foreign and (members.startswith("[^") or re.search(r"[^\\]-[^\]]", members[1:])):
                return None
            out.append("".join(_stand_in(c) if c in foreign else c for c in members))
            i = end
            continue
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            out.append("\\" + escaped if escaped.isascii() or not escaped.isalnum() else _stand_in(escaped))
            i += 2
            continue
        out.append(_stand_in(char) if char.isalnum() and not char.isascii() else char)
        i += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int | None:
    """The index just past the character class that opens at `start`."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":  # a leading "]" is a literal
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] == "]":
            return i + 1
        else:
            i += 1
    return None


def _group_end(pattern: str, start: int) -> int | None:
    """The index just past the group that opens at `start`."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            i = end
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None
