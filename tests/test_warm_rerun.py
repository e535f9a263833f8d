"""A warm rerun (every document's result already cached) does only what it must: it loads none of the reading,
screening or worker code, forks no worker, and leaves the stat index as it was; and it writes the same bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from briefgen.runner.caches import StatIndex
from tests.conftest import CORPUS

# Run as `python -c` so that the modules a command loads can be listed afterwards.
LOADED_BY_SCREEN = """
import sys
from briefgen.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exit:
    assert not exit.code, exit.code
print(" ".join(sorted(name for name in sys.modules if name.startswith(("briefgen", "re2", "rich.progress")))))
"""

NEEDED_ONLY_TO_READ_OR_SCREEN = {
    "briefgen.screen.judge",
    "briefgen.people",
    "briefgen.text",
    "briefgen.fastscan",
    "re2",
    "briefgen.ingest.pdf",
    "briefgen.ingest.word",
    "briefgen.runner.isolation",
    "rich.progress",
}


def screen_in_a_process(out: Path, cache: Path) -> set[str]:
    """Run `briefgen screen` on the samples in a fresh Python; the briefgen modules it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED_BY_SCREEN, "-q", "screen", str(CORPUS), "--out", str(out)],
        env={**os.environ, "BRIEFGEN_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


class TestWarmRerun:
    def test_a_warm_rerun_loads_no_reading_or_screening_code(self, tmp_path: Path) -> None:
        """The first run loads screening's code; the rerun, with every result cached, loads none of it and
        writes the same bytes."""
        cache = tmp_path / "cache"
        first = screen_in_a_process(tmp_path / "a" / "screening.json", cache)
        assert {"briefgen.screen.judge", "briefgen.runner.isolation"} <= first
        second = screen_in_a_process(tmp_path / "b" / "screening.json", cache)
        assert second & NEEDED_ONLY_TO_READ_OR_SCREEN == set()
        assert (tmp_path / "a" / "screening.json").read_bytes() == (
            tmp_path / "b" / "screening.json"
        ).read_bytes()
        assert (tmp_path / "a" / "screening.csv").read_bytes() == (
            tmp_path / "b" / "screening.csv"
        ).read_bytes()


class TestStatIndex:
    def test_an_unchanged_corpus_leaves_the_index_unwritten(self, tmp_path: Path) -> None:
        """Recording files found unchanged changes nothing, so the index file is not written again."""
        document = tmp_path / "review.txt"
        document.write_text("Domestic Homicide Review")
        index = StatIndex(tmp_path)
        index.record(document, "a" * 64)
        index.save()
        written = index.path.stat().st_mtime_ns
        index.path.chmod(0o444)  # written again, it would be replaced: seen in its mode
        again = StatIndex(tmp_path)
        assert again.sha256(document) == "a" * 64
        again.record(document, "a" * 64)
        again.save()
        assert index.path.stat().st_mtime_ns == written and index.path.stat().st_mode & 0o777 == 0o444

    def test_a_file_edited_during_a_run_is_hashed_again_next_run(self, tmp_path: Path) -> None:
        """A file found unchanged keeps the size and time it was checked at, so an edit made while the run went
        on is not taken for the old content next time."""
        document = tmp_path / "review.txt"
        document.write_text("Domestic Homicide Review")
        index = StatIndex(tmp_path)
        index.record(document, "a" * 64)
        index.save()
        during = StatIndex(tmp_path)
        assert during.sha256(document) == "a" * 64
        document.write_text("Domestic Homicide Review, edited while the run went on")
        during.record(document, "a" * 64)
        during.save()
        assert StatIndex(tmp_path).sha256(document) is None

    def test_a_new_or_changed_file_is_recorded(self, tmp_path: Path) -> None:
        """A file not in the index, or changed, is recorded with its new hash and the index written."""
        document = tmp_path / "review.txt"
        document.write_text("one")
        index = StatIndex(tmp_path)
        assert index.sha256(document) is None
        index.record(document, "a" * 64)
        index.save()
        document.write_text("two, longer")
        index = StatIndex(tmp_path)
        assert index.sha256(document) is None
        index.record(document, "b" * 64)
        index.save()
        assert StatIndex(tmp_path).sha256(document) == "b" * 64
        (entry,) = json.loads(index.path.read_text()).values()
        assert entry[2] == "b" * 64
