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
from briefgen.numwords import NUMBER, number_value
from briefgen.text import Sentence, evidence_of


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
