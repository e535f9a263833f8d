"""Shared fixtures: the sample corpus, screened and coded once per test session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefgen.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPUS = SAMPLES / "corpus"


@pytest.fixture(scope="session")
def labels() -> dict[str, dict[str, object]]:
    """The truth for every sample, by file name."""
    data = yaml.safe_load((SAMPLES / "labels.yaml").read_text(encoding="utf-8"))["samples"]
    return {entry["file"]: entry for entry in data.values()}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's cache."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session", autouse=True)
def _no_ocr() -> Iterator[None]:
    """The samples' labels describe the scanned review as unread (no OCR); the OCR tests turn it on. For the
    whole session, so fixtures built once per module run without OCR too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OCR", "0")
        yield


def run(*args: str) -> object:
    """Run the CLI as a user would; returns the result with exit_code, stdout and stderr."""
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`briefgen screen` and `briefgen code` run once over the samples; the build folder they wrote."""
    out = tmp_path_factory.mktemp("build")
    cache = tmp_path_factory.getbasetemp() / "cache"
    screened = CliRunner().invoke(
        app,
        [
            "screen",
            str(CORPUS),
            "--out",
            str(out / "screening.json"),
            "--cache-dir",
            str(cache),
            "-j",
            "2",
            "--no-ocr",
        ],
    )
    assert screened.exit_code == 0, screened.output
    coded = CliRunner().invoke(
        app,
        ["code", str(out / "screening.json"), "--out", str(out / "coded.json"), "--cache-dir", str(cache)],
    )
    assert coded.exit_code == 0, coded.output
    return out


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of these numbered objects (the first is the catalog), with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
