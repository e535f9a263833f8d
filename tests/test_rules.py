r"""Rules an analyst writes: a pattern that matches an empty string or backtracks exponentially is refused when
the codebook or lexicon is loaded, with its line; a rule that is still too slow on a review is blamed, not the
review. And a cache folder briefgen cannot use stops a command before any work.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml

from briefgen import resources, yamlio
from briefgen.errors import ExitCode
from briefgen.lexicon import load_lexicon
from briefgen.models import CodedResult
from briefgen.screen.criteria import load_criteria
from briefgen.yamlio import regex_problem
from tests.conftest import run

# Slow in `re` on any sentence with a "p" (polynomial, so neither check refuses it) once its lookahead makes
# `re` judge every sentence RE2 finds.
SLOW_BUT_ACCEPTED = r"p[\w ]*[\w ]*[\w ]*[\w ]*[\w ]*(?=!)"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def codebook_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped codebook with `old` replaced by `new`, once."""
    text = resources.default_codebook().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "codebook.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def lexicon_with_police(tmp_path: Path, pattern: str) -> Path:
    """A copy of the shipped lexicon whose `police` cue is `pattern`."""
    data = resources.default_lexicon().read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [f"police: '{pattern}'\n" if line.startswith("police: ") else line for line in data]
    path = tmp_path / "lexicon.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def small_corpus(folder: Path) -> Path:
    """One plain-text review of 400 sentences about police contact."""
    words = "the police officer attended the address where she lived with her partner and recorded a report"
    chooser = random.Random(1)
    sentences = [
        " ".join(chooser.choice(words.split()) for _ in range(25)).capitalize() + "." for _ in range(400)
    ]
    folder.mkdir()
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, 400, 5)]
    (folder / "review.txt").write_text(
        "Domestic Homicide Review\n\nIntroduction\n\n" + "\n\n".join(paragraphs)
    )
    return folder


class TestPatternsThatMatchNothing:
    @pytest.mark.parametrize("pattern", ["", "a*", "(police)?", r"\b", r"\s*(?=officer)", "x{0}"])
    def test_is_refused(self, pattern: str) -> None:
        """A pattern that can match an empty string would match almost anywhere: it is refused."""
        problem = regex_problem(pattern)
        assert problem is not None and problem.startswith("can match an empty string")

    def test_an_empty_regex_rule_names_its_line(self, tmp_path: Path) -> None:
        """`codebook check` names the line of an empty regex, and loading the codebook refuses it too."""
        bad = codebook_with(tmp_path, "- phrases: [stalk*]", "- regex: ''")
        line = line_of(bad.read_text(), "- regex: ''")
        result = run("codebook", "check", bad)
        assert result.exit_code == ExitCode.INVALID_INPUT
        assert f"{bad}: line {line}: codes.0.match.0.regex: can match an empty string" in result.stderr
        assert run("codebook", "export", bad, "--out", tmp_path / "x.qdc").exit_code == ExitCode.INVALID_INPUT

    def test_a_phrase_of_only_a_wildcard_is_refused(self, tmp_path: Path) -> None:
        """The phrase `*` matches an empty string: refused with the line of the list it is in."""
        bad = codebook_with(tmp_path, "female_words: [woman,", "female_words: ['*', woman,")
        result = run("codebook", "check", bad)
        assert result.exit_code == ExitCode.INVALID_INPUT
        line = line_of(bad.read_text(), "female_words:")
        assert f"line {line}: features.female_words.0: phrase '*' can match an empty string" in result.stderr


class TestPatternsThatBacktrackExponentially:
    @pytest.mark.parametrize(
        ("pattern", "named"),
        [
            (r"(\w+\s?)+$", r"nested repetition `(\w+\s?)+`"),
            ("(a+)+b", "nested repetition `(a+)+`"),
            ("(.*)+x", "nested repetition `(.*)+`"),
            (r"(\d+\.?)+$", r"nested repetition `(\d+\.?)+`"),
            ("(a|aa)+", "repetition `(a|aa)+`"),
            ("report(?:ed|ing|((a|aa)+))?", "repetition `(a|aa)+`"),
            (r"(?:\s*)*x", r"nested repetition `(?:\s*)*`"),
        ],
    )
    def test_is_refused_naming_the_repetition(self, pattern: str, named: str) -> None:
        """A repetition that can share one text out among its turns in many ways is named with how to fix it."""
        problem = regex_problem(pattern)
        assert problem is not None
        assert problem.startswith(named) and "exponential time" in problem

    @pytest.mark.parametrize(
        "pattern",
        [
            r"\bmet\W+(?:\w+\W+){0,8}?online\b",  # what a `near` rule is made of
            r"(?:\b\w+\b\s*)+$",  # `\b` lets each word be one turn only
            "(a{2})+",
            "(foo|for)+",
            r"(\w+ ){0,3}police",
            "(?>a+)+b",  # atomic: never gives back
            "(a+)++b",  # possessive
            r"\b(ex-)?(partner|husband)('s)?\b",
        ],
    )
    def test_a_repetition_with_one_way_is_accepted(self, pattern: str) -> None:
        """Repetitions that can read a text in one way only are accepted."""
        assert regex_problem(pattern) is None

    def test_a_catastrophic_rule_names_its_line(self, tmp_path: Path) -> None:
        """`codebook check` refuses `(\\w+\\s?)+$` with its line, instead of every review timing out later."""
        bad = codebook_with(tmp_path, "- phrases: [stalk*]", r"- regex: '(\w+\s?)+$'")
        line = line_of(bad.read_text(), r"- regex: '(\w+\s?)+$'")
        result = run("codebook", "check", bad)
        assert result.exit_code == ExitCode.INVALID_INPUT
        assert (
            f"{bad}: line {line}: codes.0.match.0.regex: nested repetition `(\\w+\\s?)+` can take exponential "
            "time: remove the inner or outer quantifier"
        ) in result.stderr

    def test_feature_patterns_are_checked_too(self, tmp_path: Path) -> None:
        """A regex in a feature list is checked like a rule's, with the line of the item."""
        old = "- '\\bhome (she|he) shared with\\b'"
        bad = codebook_with(tmp_path, old, "- '(a|aa)+'")
        result = run("codebook", "check", bad)
        assert result.exit_code == ExitCode.INVALID_INPUT
        line = line_of(bad.read_text(), "- '(a|aa)+'")
        assert f"line {line}: features.cohabiting_yes.5: repetition `(a|aa)+`" in result.stderr

    def test_a_lexicon_cue_is_checked_when_it_is_loaded(self, tmp_path: Path) -> None:
        """A catastrophic lexicon pattern stops `screen` before any work, naming the lexicon and the line."""
        lexicon = lexicon_with_police(tmp_path, r"(\w+\s?)+$")
        out = tmp_path / "out" / "screening.json"
        result = run("screen", small_corpus(tmp_path / "corpus"), "--lexicon", lexicon, "--out", out)
        assert result.exit_code == ExitCode.INVALID_INPUT
        line = line_of(lexicon.read_text(), "police: ")
        assert f"{lexicon}: line {line}: police: nested repetition `(\\w+\\s?)+`" in result.stderr
        assert not out.exists()

    def test_the_timed_run_catches_what_the_analysis_misses(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Were the analysis to miss a repetition, timing `re` on text made from it refuses the pattern."""
        regex_problem.cache_clear()
        monkeypatch.setattr(yamlio, "_exponential", lambda group: False)
        try:
            problem = regex_problem("report(a|aa)+$")
        finally:
            regex_problem.cache_clear()
        assert problem is not None
        assert problem.startswith("repetition `(a|aa)+` took") and "'reportaaaa" in problem


class TestShippedFiles:
    def test_the_shipped_codebook_passes(self) -> None:
        """The shipped codebook passes `codebook check`."""
        result = run("codebook", "check", resources.default_codebook())
        assert result.exit_code == 0, result.stderr

    def test_the_shipped_lexicon_and_criteria_load(self) -> None:
        """The shipped lexicon and criteria load with every pattern checked."""
        load_lexicon(resources.default_lexicon())
        load_criteria(resources.default_criteria())

    def test_every_shipped_pattern_passes_the_checks(self) -> None:
        """Every regular expression in the shipped codebook and lexicon passes the checks on its own."""
        patterns: list[str] = []

        def gather(value: object) -> None:
            if isinstance(value, dict):
                for item in value.values():
                    gather(item)
            elif isinstance(value, list):
                for item in value:
                    gather(item)
            elif isinstance(value, str) and "\\" in value:
                patterns.append(value)

        for path in (resources.default_codebook(), resources.default_lexicon()):
            gather(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert len(patterns) > 100
        for pattern in patterns:
            assert regex_problem.__wrapped__(pattern) is None, pattern


class TestSlowRulesAtRunTime:
    """A pattern that passes the checks but is still too slow on a review: the rules are blamed, not the review."""

    def test_slow_lexicon_is_blamed_in_screening(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A review whose text was read but whose screening ran out of time names the lexicon's patterns."""
        corpus = small_corpus(tmp_path / "corpus")
        assert run("screen", corpus, "--out", tmp_path / "first" / "screening.json").exit_code == 0
        monkeypatch.setenv("BRIEFGEN_MAX_SECONDS", "1")
        out = tmp_path / "second" / "screening.json"
        lexicon = lexicon_with_police(tmp_path, SLOW_BUT_ACCEPTED)
        result = run("screen", corpus, "--lexicon", lexicon, "--out", out, "-j", "1")
        assert result.exit_code == 0, result.stderr
        expected = "its text was read, but screening it with the lexicon's patterns took longer than 1 s"
        assert expected in result.stderr
        (document,) = json.loads(out.read_text())["documents"]
        assert expected in document["problem_detail"]

    def test_slow_codebook_is_blamed_in_coding(
        self, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A review whose text is cached but whose coding ran out of time is not coded, and the codebook is named."""
        codebook = codebook_with(tmp_path, "- phrases: [stalk*]", f"- regex: '{SLOW_BUT_ACCEPTED}'")
        assert run("codebook", "check", codebook).exit_code == 0
        monkeypatch.setenv("BRIEFGEN_MAX_SECONDS", "1")
        out = tmp_path / "coded.json"
        result = run("code", built / "screening.json", "--codebook", codebook, "--out", out, "-j", "1")
        assert result.exit_code == ExitCode.OK, (
            result.output
        )  # the case is listed as not coded; the run goes on
        assert "not coded: its text was read, but coding it with the codebook" in result.stderr
        assert "codebook.yaml and the lexicon took longer than 1 s" in result.stderr
        assert CodedResult.model_validate_json(out.read_bytes()).not_coded


class TestCacheFolder:
    """A cache folder that cannot be created or written stops a command at once, with one line naming it."""

    @pytest.fixture
    def under_a_file(self, tmp_path: Path) -> Path:
        (tmp_path / "somefile.txt").write_text("not a folder")
        return tmp_path / "somefile.txt" / "cache"

    def assert_refused(self, result: object, folder: Path) -> None:
        assert result.exit_code == ExitCode.USAGE  # type: ignore[attr-defined]
        stderr: str = result.stderr  # type: ignore[attr-defined]
        assert stderr.count("\n") == 1, stderr
        assert f"{folder}: cannot be the cache folder ({folder.parent} is a file)" in stderr

    def test_screen(self, under_a_file: Path, tmp_path: Path) -> None:
        """`screen --cache-dir` under a file fails before screening, and writes nothing."""
        out = tmp_path / "out" / "screening.json"
        result = run("screen", small_corpus(tmp_path / "corpus"), "--out", out, "--cache-dir", under_a_file)
        self.assert_refused(result, under_a_file)
        assert not out.exists()

    def test_code(self, built: Path, under_a_file: Path, tmp_path: Path) -> None:
        """`code --cache-dir` under a file fails before coding, and writes nothing."""
        out = tmp_path / "coded.json"
        result = run("code", built / "screening.json", "--out", out, "--cache-dir", under_a_file)
        self.assert_refused(result, under_a_file)
        assert not out.exists()

    def test_build(self, under_a_file: Path, tmp_path: Path) -> None:
        """`build --cache-dir` under a file fails before any stage."""
        project = tmp_path / "project"
        assert run("init", project).exit_code == 0
        result = run("build", project, "--cache-dir", under_a_file)
        self.assert_refused(result, under_a_file)
        assert not (project / "build").exists()

    def test_the_environment_variable_is_checked_too(
        self, under_a_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """BRIEFGEN_CACHE_DIR under a file fails the same way as the option."""
        monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(under_a_file))
        out = tmp_path / "out" / "screening.json"
        result = run("screen", small_corpus(tmp_path / "corpus"), "--out", out)
        self.assert_refused(result, under_a_file)
        assert not out.exists()
