"""Facts: the quantities a review states about its case ('Of the 22 call-outs, nine had no DASH risk
assessment'), each with the sentence that gives it, for the briefing's synthesis.

The patterns are the codebook's `facts`; here is only the mechanism: `{n}` in a pattern stands for a number
in digits or words, and the first sentence of the case's fact sections that matches gives the value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.coding.codebook import Fact
from briefgen.fastscan import FastPattern, SentenceIndex
from briefgen.models import CaseFact
from briefgen.text import Sentence, evidence_of

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
_WORDS |= {word: value + 10 for value, word in enumerate(_TEENS)} | {"nineteen": 19}
_WORDS |= {word: 20 + 10 * value for value, word in enumerate(_TENS)}
_TENS_PATTERN = "|".join(_TENS)
_UNITS_PATTERN = "|".join(_UNITS[1:])
# Longest alternatives first, so that 'twenty-two' is not read as 'twenty'.
NUMBER = rf"\d{{1,4}}|(?:{_TENS_PATTERN})[- ](?:{_UNITS_PATTERN})\b|" + "|".join(
    rf"{word}\b" for word in sorted(_WORDS, key=len, reverse=True)
)


def number_value(text: str) -> int | None:
    """'22', 'nine' or 'twenty-two' as a number; None for anything else."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in _WORDS:
        return _WORDS[text]
    tens, _, unit = text.replace(" ", "-").partition("-")
    if tens in _TENS and unit in _UNITS[1:]:
        return _WORDS[tens] + _WORDS[unit]
    return None


_ORDINAL_IRREGULAR = {"first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9, "twelfth": 12}


def ordinal_value(text: str) -> int | None:
    """'80th', 'eightieth' or 'eighty-first' as a number; None for anything else."""
    text = text.strip().lower().replace(" ", "-")
    if text[:-2].isdigit() and text[-2:] in ("st", "nd", "rd", "th"):
        return int(text[:-2])
    tens, _, unit = text.rpartition("-")
    if tens and tens not in _TENS:
        return None
    if unit in _ORDINAL_IRREGULAR:
        last: int | None = _ORDINAL_IRREGULAR[unit]
    elif unit.endswith("ieth"):
        last = number_value(unit[:-4] + "y")
    elif unit.endswith("th"):
        last = number_value(unit[:-2])
    else:
        last = None
    if last is None or (tens and not 1 <= last <= 9):
        return None
    return (_WORDS[tens] if tens else 0) + last


class CompiledFact:
    """One fact with its patterns compiled, `{n}` made a named group for the number."""

    def __init__(self, fact: Fact) -> None:
        self.fact = fact
        expanded = [pattern.replace("{n}", f"(?P<n>{NUMBER})") for pattern in fact.match]
        self.patterns = [re.compile(pattern, re.IGNORECASE) for pattern in expanded]
        self.require = re.compile(fact.require, re.IGNORECASE) if fact.require else None
        # Any of the patterns, without the group names: one linear pass finds the sentences worth trying.
        self.any = FastPattern("|".join(f"(?:{p.replace('(?P<n>', '(?:')})" for p in expanded))

    def find(self, sentence: Sentence) -> int | None:
        text = sentence.whole
        if self.require is not None and not self.require.search(text):
            return None
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                value = number_value(match.group("n"))
                if value is not None:
                    return value
        return None


def compile_facts(facts: Sequence[Fact]) -> list[CompiledFact]:
    return [CompiledFact(fact) for fact in facts]


def extract_facts(sentences: Sequence[Sentence], facts: Sequence[CompiledFact]) -> dict[str, CaseFact]:
    """Each fact's value from the first sentence (in document order) that states it, with that sentence."""
    found: dict[str, CaseFact] = {}
    index = SentenceIndex([sentence.whole for sentence in sentences])
    for compiled in facts:
        for slot in index.candidates(compiled.any):
            sentence = sentences[slot]
            value = compiled.find(sentence)
            if value is not None:
                found[compiled.fact.id] = CaseFact(value=value, evidence=evidence_of(sentence))
                break
    return found
