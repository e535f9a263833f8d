"""What a corpus folder can hold besides reviews: file names that are not UTF-8 or that carry rich markup or
terminal escapes, links out of the corpus, unreadable subfolders, and text that a spreadsheet would run as a
formula. Each gives a finished run, honest outputs and a warning where something was skipped."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.files import sha256_of
from tests.conftest import CORPUS, run

SAMPLE_TXT = CORPUS / "dhr-sandleigh-brian.txt"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def screen(corpus: Path, out: Path, *options: object) -> Any:
    """`briefgen screen` over `corpus`, writing into `out`."""
    return run("screen", corpus, "--out", out / "screening.json", "-j", "1", *options)


def documents(out: Path) -> dict[str, dict[str, Any]]:
    """The screened documents by source; the JSON must be valid UTF-8."""
    data = json.loads((out / "screening.json").read_bytes().decode("utf-8"))
    return {document["source"]: document for document in data["documents"]}


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV written by briefgen, which starts with a UTF-8 byte-order mark."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder holding one readable review."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SAMPLE_TXT, folder / SAMPLE_TXT.name)
    return folder


def latin1_name(corpus: Path) -> Path:
    """A copy of the sample review under the Latin-1 bytes of `café.txt`, where the file system allows it."""
    raw = os.path.join(os.fsencode(corpus), b"caf\xe9.txt")
    try:
        shutil.copyfile(SAMPLE_TXT, raw)
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take file names that are not UTF-8")
    return Path(os.fsdecode(raw))


class TestNamesThatAreNotUtf8:
    def test_the_document_is_screened_and_named_as_text(self, corpus: Path, tmp_path: Path) -> None:
        """A Latin-1 file name gives a finished run; JSON, CSV and terminal name it `caf\\xe9.txt`."""
        latin1_name(corpus)
        out = tmp_path / "out"
        result = screen(corpus, out)
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        screened = documents(out)
        assert set(screened) == {"caf\\xe9.txt", SAMPLE_TXT.name}
        assert screened["caf\\xe9.txt"]["decision"] == screened[SAMPLE_TXT.name]["decision"]
        assert "caf\\xe9.txt" in [row[0] for row in csv_rows(out / "screening.csv")]
        assert "caf\\xe9.txt" in result.stdout

    def test_the_name_is_the_same_when_taken_from_the_cache(self, corpus: Path, tmp_path: Path) -> None:
        """A second run, which reuses the first run's results, writes the same bytes."""
        latin1_name(corpus)
        assert screen(corpus, tmp_path / "a").exit_code == 0
        assert screen(corpus, tmp_path / "b").exit_code == 0
        for name in ("screening.json", "screening.csv"):
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()

    def test_an_override_matches_it_by_sha256(self, corpus: Path, tmp_path: Path) -> None:
        """The analyst overrides such a document by its sha256 (its name cannot be typed)."""
        path = latin1_name(corpus)
        overrides = tmp_path / "overrides.yaml"
        overrides.write_text(
            "overrides:\n"
            f"  - document: {sha256_of(path)}\n"
            "    decision: include\n"
            "    reason: checked by hand\n",
            encoding="utf-8",
        )
        out = tmp_path / "out"
        result = screen(corpus, out, "--overrides", overrides)
        assert result.exit_code == 0, result.output
        screened = documents(out)["caf\\xe9.txt"]
        assert screened["decision"] == "include"
        assert screened["override"]["reason"] == "checked by hand"


class TestLinks:
    def test_a_link_to_a_file_outside_the_corpus_is_skipped(self, corpus: Path, tmp_path: Path) -> None:
        """A link to a file elsewhere is never read; a warning names the link."""
        secret = tmp_path / "elsewhere" / "secret.txt"
        secret.parent.mkdir()
        secret.write_text("Domestic Homicide Review\nthe secret words xyzzy\n", encoding="utf-8")
        (corpus / "secret.txt").symlink_to(secret)
        out = tmp_path / "out"
        result = screen(corpus, out)
        assert result.exit_code == 0, result.output
        assert (
            f"warning: {corpus / 'secret.txt'}: link to {secret}, outside the corpus folder" in result.stderr
        )
        assert set(documents(out)) == {SAMPLE_TXT.name}
        assert "xyzzy" not in (out / "screening.json").read_text(encoding="utf-8")

    def test_a_link_to_a_folder_outside_the_corpus_is_skipped(self, corpus: Path, tmp_path: Path) -> None:
        """A link to a folder elsewhere is not descended; a warning names the link."""
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        shutil.copy(SAMPLE_TXT, elsewhere / "other.txt")
        (corpus / "more").symlink_to(elsewhere, target_is_directory=True)
        out = tmp_path / "out"
        result = screen(corpus, out)
        assert result.exit_code == 0, result.output
        assert f"{corpus / 'more'}: link to {elsewhere}, outside the corpus folder; skipped" in result.stderr
        assert set(documents(out)) == {SAMPLE_TXT.name}

    def test_a_link_inside_the_corpus_is_followed(self, corpus: Path, tmp_path: Path) -> None:
        """A link to a review in the same corpus is screened under the link's name, without a warning."""
        (corpus / "alias.txt").symlink_to(SAMPLE_TXT.name)
        out = tmp_path / "out"
        result = screen(corpus, out)
        assert result.exit_code == 0, result.output
        assert "warning" not in result.stderr
        assert set(documents(out)) == {SAMPLE_TXT.name, "alias.txt"}

    def test_a_loop_of_links_is_skipped(self, corpus: Path, tmp_path: Path) -> None:
        """A link to itself ends neither the run nor in a hang: a warning names it."""
        (corpus / "loop.txt").symlink_to("loop.txt")
        result = screen(corpus, tmp_path / "out")
        assert result.exit_code == 0, result.output
        assert f"{corpus / 'loop.txt'}: cannot be read" in result.stderr


class TestUnreadableFolders:
    def test_a_folder_without_permission_is_named_in_a_warning(self, corpus: Path, tmp_path: Path) -> None:
        """A subfolder the user may not read is skipped with a warning; the rest is screened. Skipped where
        mode 000 does not stop reading (as root): the next test simulates it for every user."""
        locked = corpus / "locked"
        locked.mkdir()
        shutil.copy(SAMPLE_TXT, locked / "hidden-from-us.txt")
        locked.chmod(0)
        if os.access(locked, os.R_OK):
            locked.chmod(0o755)
            pytest.skip("this user reads a folder whatever its mode (root)")
        try:
            result = screen(corpus, tmp_path / "out")
        finally:
            locked.chmod(0o755)
        assert result.exit_code == 0, result.output
        assert f"warning: {locked}: folder cannot be read (Permission denied)" in result.stderr
        assert set(documents(tmp_path / "out")) == {SAMPLE_TXT.name}

    def test_a_folder_that_cannot_be_listed_is_named_in_a_warning(
        self, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The same as above, simulated so that it runs as root too: listing the folder is refused."""
        locked = corpus / "locked"
        locked.mkdir()
        shutil.copy(SAMPLE_TXT, locked / "hidden-from-us.txt")
        listing = os.scandir

        def refused(path: Any = ".") -> Iterator[os.DirEntry[str]]:
            if Path(path) == locked:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return listing(path)

        monkeypatch.setattr(os, "scandir", refused)
        result = screen(corpus, tmp_path / "out")
        monkeypatch.undo()
        assert result.exit_code == 0, result.output
        assert f"warning: {locked}: folder cannot be read (Permission denied)" in result.stderr
        assert set(documents(tmp_path / "out")) == {SAMPLE_TXT.name}


class TestSpreadsheets:
    def test_a_formula_in_a_review_opens_as_text(self, corpus: Path, tmp_path: Path) -> None:
        """A review whose first line is `=HYPERLINK(...)` gives a title cell that starts with `'`."""
        (corpus / "formula.txt").write_text(
            '=HYPERLINK("http://example.invalid","open me")\n' + SAMPLE_TXT.read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        out = tmp_path / "out"
        assert screen(corpus, out).exit_code == 0
        rows = {row[0]: row for row in csv_rows(out / "screening.csv")}
        assert rows["formula.txt"][1].startswith("'=HYPERLINK(")
        assert documents(out)["formula.txt"]["title"].startswith("=HYPERLINK(")  # the JSON keeps the truth

    def test_no_cell_starts_like_a_formula(self, corpus: Path, tmp_path: Path) -> None:
        """File names starting with =, +, -, @, tab or carriage return are written with a leading `'`."""
        names = [f"{start}name.txt" for start in FORMULA_STARTS]
        for name in names:
            shutil.copy(SAMPLE_TXT, corpus / name)
        out = tmp_path / "out"
        assert screen(corpus, out).exit_code == 0
        rows = csv_rows(out / "screening.csv")
        assert {f"'{name}" for name in names} <= {row[0] for row in rows}
        assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]

    def test_each_screening_column_appears_once(self, built: Path) -> None:
        """The document's date of death and the criterion about it are two columns with two names."""
        header = csv_rows(built / "screening.csv")[0]
        assert len(header) == len(set(header))
        assert header.count("incident_date") == 1
        assert {"incident_date_result", "incident_date_page", "incident_date_quote"} <= set(header)

    @pytest.mark.parametrize("name", ["screening.csv", "coded.csv"])
    def test_csvs_open_in_excel_as_utf8(self, built: Path, name: str) -> None:
        """Each CSV starts with a UTF-8 byte-order mark, which Excel needs to read accents and dashes."""
        rows = csv_rows(built / name)
        assert rows[0][0] == "source"


class TestTerminal:
    def test_markup_in_a_file_name_prints_literally(self, corpus: Path, tmp_path: Path) -> None:
        """A name holding rich markup is shown as it is, not as a style."""
        (corpus / "[red]x[").mkdir()
        shutil.copy(SAMPLE_TXT, corpus / "[red]x[" / "red].txt")
        shutil.copy(SAMPLE_TXT, corpus / "[bold]y.txt")
        result = screen(corpus, tmp_path / "out")
        assert result.exit_code == 0, result.output
        assert "[red]x[/red].txt" in result.stdout
        assert "[bold]y.txt" in result.stdout

    def test_escape_codes_in_a_file_name_never_reach_the_terminal(self, corpus: Path, tmp_path: Path) -> None:
        """An ANSI escape in a name is shown as `?`; no escape byte is printed."""
        shutil.copy(SAMPLE_TXT, corpus / "esc\x1b[31mred.txt")
        result = screen(corpus, tmp_path / "out")
        assert result.exit_code == 0, result.output
        assert "esc?[31mred.txt" in result.stdout
        assert "\x1b" not in result.stdout
        assert "\x1b" not in result.stderr
