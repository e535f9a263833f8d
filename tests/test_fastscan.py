"""The fast candidate search: RE2 must never miss a sentence that Python's `re` would match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import resources
from briefgen.coding.codebook import load_codebook
from briefgen.coding.match import CompiledCodebook
from briefgen.fastscan import FastPattern, SentenceIndex, ascii_spelling, ascii_view, without_lookarounds
from briefgen.lexicon import CompiledLexicon, load_lexicon

CODEBOOK = CompiledCodebook(load_codebook(resources.default_codebook()))
LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))
SHIPPED = [code.match for code in CODEBOOK.codes] + [
    LEXICON.police,
    LEXICON.other_subject,
    LEXICON.hypothetical,
    LEXICON.death,
    LEXICON.forces.names,
    LEXICON.people.ages,
    *(pattern for pattern, _ in LEXICON.people.introductions),
]


def _phrases() -> list[str]:
    """The codebook's own phrases, so that random sentences often match."""
    found = set()
    for code in CODEBOOK.source.codes:
        for rule in code.match:
            lists = [rule.phrases or [], *(rule.near or [])]
            found.update(phrase.replace("*", "ing") for phrases in lists for phrase in phrases)
    return sorted(found)


# Characters where RE2 and `re` differ: non-ASCII letters and digits, non-breaking and thin spaces, curly
# quotes, the Kelvin sign, the long s and the dotless i.
TRICKY = ["Zoë", "café", "٣", "²", "\u00a0", "\u2009", "’", "“", "\u212a", "ſtalking", "ı", "_", "\x0b"]
sentences = st.lists(
    st.sampled_from([*_phrases(), *TRICKY, "police", "officers", " ", ", ", ". ", "-", "'", "3", "12"]),
    max_size=30,
).map(" ".join)


class TestRelaxingPatterns:
    @pytest.mark.parametrize(
        ("pattern", "relaxed"),
        [
            (r"controlling\b(?! (mind|interest))", r"controlling\b"),
            (r"(?<![\w&])PSNI(?![\w&])", r"PSNI"),
            (r"a(?=b(?:c|d))e", r"ae"),
            (r"[(?!]x", r"[(?!]x"),  # inside a class, "(?!" is three characters
            (r"\(?!x", r"\(?!x"),  # an escaped parenthesis opens no group
            (r"x{,3}", r"x{0,3}"),  # Python's {,n}, which RE2 reads as text
        ],
    )
    def test_lookarounds_go_and_the_rest_stays(self, pattern: str, relaxed: str) -> None:
        """Only lookaround groups are dropped, so the relaxed pattern matches at least as much."""
        assert without_lookarounds(pattern) == relaxed

    def test_a_pattern_re2_cannot_take_is_searched_by_re(self) -> None:
        """Backreferences have no RE2 form: the pattern still works, through `re` alone."""
        pattern = FastPattern(r"\b(\w+) \1\b")
        assert pattern.re2 is None
        assert pattern.test("it was was reported") and not pattern.test("it was reported")

    @pytest.mark.parametrize(
        ("pattern", "spelled"),
        [
            (r"\bZoë\b", r"\bZo_\b"),
            (r"fianc[ée]e?", r"fianc[_e]e?"),
            (r"caf\é", r"caf_"),
            (r"[^é]x", None),  # a negated class: spelled, it would refuse every non-ASCII letter
            (r"[à-ÿ]x", None),  # a range: spelled, it would lose the non-letters between its ends
        ],
    )
    def test_a_non_ascii_letter_is_spelled_as_the_view_has_it(
        self, pattern: str, spelled: str | None
    ) -> None:
        """The ASCII view has no 'ë' to match: the pattern spells it '_' as the view does, or goes to `re`."""
        assert ascii_spelling(pattern) == spelled

    def test_a_spelled_pattern_still_answers_as_re_does(self) -> None:
        """'Zoë' spelled 'Zo_' matches the view of 'Zoë' and of 'Zoé'; `re` has the last word."""
        pattern = FastPattern(r"\bZoë\b")
        assert pattern.re2 is not None and not pattern.exact
        assert pattern.test("Zoë called the police")
        assert not pattern.test("Zoé called the police")
        assert not pattern.test("Zoe called the police")


class TestAsciiView:
    def test_letters_digits_and_spaces_keep_their_class(self) -> None:
        """One character for one: a letter stays a word character, a space a space; punctuation is kept."""
        text = "Zoë\u00a0said ’٣’ \u212aelvin ſ"
        view = ascii_view(text)
        assert len(view) == len(text)
        assert view == "Zo_ said ’0’ kelvin s"

    def test_ascii_separators_that_python_counts_as_spaces_become_spaces(self) -> None:
        """A vertical tab or a file separator is a space to `re` and not to RE2: it stands as a space."""
        assert ascii_view("no\x0bcontact\x1cwith police") == "no contact with police"
        assert ascii_view("plain text stays") == "plain text stays"


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(sentences, min_size=1, max_size=6))
def test_candidates_include_every_sentence_re_matches(texts: list[str]) -> None:
    """For the shipped patterns, every sentence `re` matches is a candidate, and `test` agrees with `re`."""
    index = SentenceIndex(texts)
    for pattern in SHIPPED:
        expected = {i for i, text in enumerate(texts) if pattern.python.search(text)}
        assert expected <= set(index.candidates(pattern)), pattern.pattern[:80]
        assert [pattern.test(t) for t in texts] == [i in expected for i in range(len(texts))]


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(sentences, min_size=2, max_size=6))
def test_test_agrees_with_re_on_text_of_several_lines(lines: list[str]) -> None:
    """A page is tested whole: on text of several lines `test` still says what `re` says, for the shipped
    patterns and for patterns anchored at a line's start or end (where RE2 and `re` read `^` and `$` apart)."""
    text = "\n".join(lines)
    anchored = [FastPattern(r"^police\b"), FastPattern(r"\bofficers$"), FastPattern(r"(?:^|\. )police")]
    anchored += [FastPattern(r"\bcaf[ée]\b"), FastPattern(r"^Zoë", multiline=True)]
    for pattern in [*SHIPPED, *anchored]:
        assert pattern.test(text) == (pattern.python.search(text) is not None), pattern.pattern[:80]


def test_an_anchor_at_a_line_break_is_not_taken_for_the_texts_edge() -> None:
    """`^` holds at the start of the text only, as in `re`, not after every line break."""
    pattern = FastPattern(r"^officers attended")
    assert not pattern.test("The call was logged.\nofficers attended")
    assert pattern.test("officers attended.\nThe call was logged.")


def test_a_match_running_into_the_next_sentence_hides_nothing() -> None:
    """A candidate match that spans two sentences still lets the second sentence's own match be found."""
    pattern = FastPattern(r"\bno\b[^.]{0,40}\bcontact\b")
    texts = ["There was no", "contact was recorded, and later no police contact at all"]
    assert SentenceIndex(texts).candidates(pattern) == [0, 1]
