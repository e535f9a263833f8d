"""The command line as a whole: every command documents itself, and the global options work."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from briefgen import __version__
from briefgen.cli import app
from tests.conftest import CORPUS, run


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as the words a user types."""
    paths = []
    group = typer.main.get_group(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            paths += [[name, child] for child in sub]
        else:
            paths.append([name])
    return paths


@pytest.mark.parametrize("words", command_paths(), ids=lambda words: " ".join(words))
def test_every_command_has_help(words: list[str]) -> None:
    """`--help` works and says what the command does."""
    result = run(*words, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert len(result.stdout.split("Usage:")[1].strip()) > 40


def test_version() -> None:
    """`--version` prints the installed version."""
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    """`-q` silences the summary and warnings; the outputs are still written."""
    result = run("-q", "screen", CORPUS, "--out", tmp_path / "s.json")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "s.json").exists()
