"""The rule check's passes are remembered in the cache folder: a pattern passed before, with the same checker
code, is not checked again; a changed pattern or changed code is; a refused pattern is refused afresh each time,
with the same message; and a folder that cannot be written is no cache, never an error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from briefgen import patternverdicts, resources, yamlio
from briefgen.errors import ExitCode
from briefgen.lexicon import load_lexicon
from briefgen.patternverdicts import PassedPatterns, checker_fingerprint, remembered_in
from briefgen.yamlio import regex_problem
from tests.conftest import CORPUS, run

SAFE = r"\bofficers? attended\b"
OTHER_SAFE = r"\bofficers? arrived\b"
NESTED = r"(\w+\s?)+$"


@pytest.fixture(autouse=True)
def _forget_in_memory() -> Iterator[None]:
    """Each test starts with nothing remembered in this process, so only the folder can remember."""
    regex_problem.cache_clear()
    yield
    regex_problem.cache_clear()


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The patterns the checker itself looked at, in order."""
    seen: list[str] = []
    check = yamlio._check_regex

    def counting(pattern: str) -> str | None:
        seen.append(pattern)
        return check(pattern)

    monkeypatch.setattr(yamlio, "_check_regex", counting)
    return seen


def checked_in(folder: Path, *patterns: str) -> list[str | None]:
    """The verdicts on `patterns` within `remembered_in(folder)`, as a fresh command would see them."""
    regex_problem.cache_clear()
    with remembered_in(folder):
        return [regex_problem(pattern) for pattern in patterns]


class TestRememberedPasses:
    def test_a_pattern_passed_before_is_not_checked_again(self, tmp_path: Path, checks: list[str]) -> None:
        """The second run takes the pass from the folder without running the checker."""
        assert checked_in(tmp_path, SAFE) == [None]
        assert checks == [SAFE]
        assert checked_in(tmp_path, SAFE) == [None]
        assert checks == [SAFE]

    def test_a_changed_pattern_is_checked(self, tmp_path: Path, checks: list[str]) -> None:
        """A pattern that differs from every remembered one, however slightly, is checked."""
        checked_in(tmp_path, SAFE)
        assert checked_in(tmp_path, OTHER_SAFE, SAFE) == [None, None]
        assert checks == [SAFE, OTHER_SAFE]

    def test_changed_checker_code_checks_everything_again(
        self, tmp_path: Path, checks: list[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Passes are kept per version of the checker's code: new code trusts none of the old passes."""
        checked_in(tmp_path, SAFE)
        monkeypatch.setattr(patternverdicts, "checker_fingerprint", lambda: "f" * 64)
        checked_in(tmp_path, SAFE)
        assert checks == [SAFE, SAFE]

    def test_the_fingerprint_covers_the_checker_and_python(self) -> None:
        """The checker's fingerprint is a hash of yamlio.py, this cache's code and the Python version."""
        assert len(checker_fingerprint()) == 64
        assert PassedPatterns(Path("x"), checker_fingerprint()).path.parent.name == "regex-checks-v1"

    def test_outside_a_cache_folder_every_pattern_is_checked(self, checks: list[str]) -> None:
        """The library called without `remembered_in` checks as it always did."""
        assert regex_problem(SAFE) is None
        regex_problem.cache_clear()
        assert regex_problem(SAFE) is None
        assert checks == [SAFE, SAFE]

    def test_the_file_holds_hashes_not_patterns(self, tmp_path: Path) -> None:
        """What is written is a sorted list of pattern hashes, nothing of the analyst's text."""
        checked_in(tmp_path, SAFE, OTHER_SAFE)
        (file,) = (tmp_path / "regex-checks-v1").iterdir()
        entries = json.loads(file.read_text())
        assert entries == sorted(entries) and len(entries) == 2
        assert "officers" not in file.read_text()


class TestRefusedPatterns:
    def test_a_refused_pattern_is_refused_again_with_the_same_message(
        self, tmp_path: Path, checks: list[str]
    ) -> None:
        """A bad pattern is never remembered: the next run checks it again and says the same thing."""
        (first,) = checked_in(tmp_path, NESTED)
        (second,) = checked_in(tmp_path, NESTED)
        assert (
            first
            == second
            == "nested repetition `(\\w+\\s?)+` can take exponential time: remove the inner or outer quantifier"
        )
        assert checks == [NESTED, NESTED]
        assert not (tmp_path / "regex-checks-v1").exists()

    def test_a_bad_lexicon_is_refused_on_every_run(self, tmp_path: Path) -> None:
        """`screen` refuses a catastrophic lexicon cue the same way on a second run with the same cache."""
        lines = resources.default_lexicon().read_text(encoding="utf-8").splitlines(keepends=True)
        lexicon = tmp_path / "lexicon.yaml"
        lexicon.write_text(
            "".join(f"police: '{NESTED}'\n" if line.startswith("police: ") else line for line in lines),
            encoding="utf-8",
        )
        cache, out = tmp_path / "cache", tmp_path / "out" / "screening.json"
        results = [
            run("screen", CORPUS, "--lexicon", lexicon, "--out", out, "--cache-dir", cache) for _ in range(2)
        ]
        assert [result.exit_code for result in results] == [ExitCode.INVALID_INPUT] * 2
        assert results[0].stderr == results[1].stderr
        assert "police: nested repetition `(\\w+\\s?)+`" in results[0].stderr
        # The lexicon's other patterns passed and are remembered; the bad one is not.
        (file,) = (cache / "regex-checks-v1").iterdir()
        assert len(json.loads(file.read_text())) > 50


class TestUnusableFolder:
    def test_a_folder_that_cannot_be_written_means_checking(self, tmp_path: Path, checks: list[str]) -> None:
        """When the passes cannot be written, nothing fails: the next run checks every pattern again."""
        blocked = tmp_path / "a-file"
        blocked.write_text("not a folder")
        assert checked_in(blocked, SAFE) == [None]
        assert checked_in(blocked, SAFE) == [None]
        assert checks == [SAFE, SAFE]

    @pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
    def test_a_read_only_folder_means_checking(self, tmp_path: Path, checks: list[str]) -> None:
        """A read-only cache folder is no cache, and no error."""
        tmp_path.chmod(0o500)
        try:
            assert checked_in(tmp_path, SAFE) == [None]
            assert checked_in(tmp_path, SAFE) == [None]
        finally:
            tmp_path.chmod(0o700)
        assert checks == [SAFE, SAFE]

    @pytest.mark.parametrize("content", [b"{not json", b'{"a": 1}', b"[1, 2]", b"\xff\xfe"])
    def test_a_damaged_file_is_ignored_and_replaced(
        self, tmp_path: Path, checks: list[str], content: bytes
    ) -> None:
        """A damaged or foreign file is read as no passes, and the next write replaces it."""
        store = PassedPatterns(tmp_path, checker_fingerprint())
        store.path.parent.mkdir(parents=True)
        store.path.write_bytes(content)
        assert checked_in(tmp_path, SAFE) == [None]
        assert checked_in(tmp_path, SAFE) == [None]
        assert checks == [SAFE]


def _remember(args: tuple[str, str]) -> None:
    folder, pattern = args
    with remembered_in(Path(folder)):
        assert regex_problem(pattern) is None


class TestSharedFolder:
    def test_processes_sharing_a_folder_keep_a_whole_file(self, tmp_path: Path) -> None:
        """Workers writing at once leave a file that parses, with passes only of patterns that passed."""
        patterns = [rf"\bofficer number {n}\b" for n in range(40)]
        with ProcessPoolExecutor(4) as pool:
            list(pool.map(_remember, [(str(tmp_path), pattern) for pattern in patterns]))
        (file,) = (tmp_path / "regex-checks-v1").iterdir()
        entries = json.loads(file.read_text())
        assert 1 <= len(entries) <= len(patterns)
        assert not [p for p in file.parent.iterdir() if p.name.endswith(".tmp")]

    def test_a_second_process_adds_to_the_first(self, tmp_path: Path, checks: list[str]) -> None:
        """What another process remembered meanwhile is kept when this one writes."""
        one, two = (
            PassedPatterns(tmp_path, checker_fingerprint()),
            PassedPatterns(tmp_path, checker_fingerprint()),
        )
        assert SAFE not in one and OTHER_SAFE not in two  # both read the (empty) file first
        one.add(SAFE)
        two.add(OTHER_SAFE)
        one.save()
        two.save()
        assert checked_in(tmp_path, SAFE, OTHER_SAFE) == [None, None]
        assert checks == []


class TestShippedFiles:
    def test_the_shipped_lexicon_loads_the_same_from_remembered_passes(self, tmp_path: Path) -> None:
        """The lexicon loaded with every pass remembered equals the one checked pattern by pattern."""
        checked = load_lexicon(resources.default_lexicon())
        for _ in range(2):
            regex_problem.cache_clear()
            with remembered_in(tmp_path):
                assert load_lexicon(resources.default_lexicon()) == checked
