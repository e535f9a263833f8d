"""Costly hostile input: a small file that needs gigabytes or minutes to read costs one worker process, never
the run. It goes to review with a warning naming the limit it passed; every other document is screened as usual;
no worker outlives the run."""

from __future__ import annotations

import json
import os
import signal
import zlib
from pathlib import Path

import pytest

from briefgen import resources
from briefgen.errors import StageInputInvalid
from briefgen.ingest.limits import Limits
from briefgen.lexicon import load_lexicon
from briefgen.models import FileRef
from briefgen.runner import corpus as corpus_module
from briefgen.runner.corpus import screen_corpus
from briefgen.runner.isolation import Confinement, Stopped, run_isolated
from briefgen.screen.criteria import load_criteria
from briefgen.screen.overrides import Overrides
from tests.conftest import CORPUS, pdf_of, run

NORMAL = [
    "dhr-ashbury-ioana.pdf",
    "dhr-oakhurst-eva.docx",
    "dhr-sandleigh-brian.txt",
    "dhr-wrexley-gareth.pdf",
]


def deflated(chunk: bytes, times: int) -> bytes:
    """`chunk` repeated `times` times, deflated without ever holding the whole in memory."""
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(chunk) for _ in range(times)) + packer.flush()


def pdf_with_content(stream: bytes, pages: int = 1) -> bytes:
    """A PDF of `pages` pages that all draw the same deflated content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    return pdf_of(objects + [page] * pages)


HOSTILE_FOR_MEMORY = {
    # 100 KB on disk: one compressed stream that unpacks to 96 MB (reading it takes twice that)
    "huge stream": lambda: pdf_with_content(deflated(b" " * (1 << 20), 96)),
    # 55 KB on disk: a million tiny text objects (about 450 MB once parsed)
    "countless objects": lambda: pdf_with_content(deflated(b"/F1 1 Tf BT (a) Tj ET\n", 1_000_000)),
}


def slow_pdf() -> bytes:
    """320 KB on disk; about a minute of parsing: 2,000 pages that each run the same 200,000 drawing operators."""
    return pdf_with_content(deflated(b"1 0 0 1 0 0 cm\n", 200_000), pages=2_000)


def corpus_with(tmp_path: Path, hostile: dict[str, bytes]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in NORMAL:
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    for name, data in hostile.items():
        (corpus / name).write_bytes(data)
    return corpus


def screen(corpus: Path, tmp_path: Path, *options: str) -> tuple[dict[str, dict[str, object]], str]:
    """`briefgen screen` over the corpus with a fresh cache; the documents by name, and the warnings."""
    out = tmp_path / "out" / "screening.json"
    result = run("screen", corpus, "--out", out, "--cache-dir", tmp_path / "cache", *options)
    assert result.exit_code == 0, result.output
    documents = {d["source"]: d for d in json.loads(out.read_text())["documents"]}
    return documents, result.stderr


def assert_screened_as_usual(documents: dict[str, dict[str, object]], built: Path) -> None:
    """The normal documents have exactly the results of the run over the whole sample corpus."""
    usual = {d["source"]: d for d in json.loads((built / "screening.json").read_text())["documents"]}
    for name in NORMAL:
        assert documents[name] == usual[name], name


def worker_processes() -> list[int]:
    """Processes whose parent is this one (Linux /proc): workers that were left behind, if any."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == me:
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("kind", sorted(HOSTILE_FOR_MEMORY))
def test_a_file_over_the_memory_limit_goes_to_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: Path, kind: str
) -> None:
    """A small PDF that needs more memory than the limit is stopped, goes to review as too large with a
    one-line warning; with a single worker, the documents after it are still screened as usual."""
    monkeypatch.setenv("BRIEFGEN_MAX_MEMORY_MB", "64")
    corpus = corpus_with(tmp_path, {"dhr-bomb.pdf": HOSTILE_FOR_MEMORY[kind]()})
    documents, warnings = screen(corpus, tmp_path, "-j", "1")
    bomb = documents["dhr-bomb.pdf"]
    assert (bomb["decision"], bomb["problem"]) == ("review", "too_large")
    assert bomb["problem_detail"] == "needed more than 64 MB to read"
    assert f"warning: {corpus / 'dhr-bomb.pdf'}: needed more than 64 MB to read\n" in warnings
    assert_screened_as_usual(documents, built)
    assert worker_processes() == []


def test_a_file_over_the_time_limit_goes_to_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: Path
) -> None:
    """A PDF that takes longer than the time limit to read is stopped, goes to review with a one-line
    warning, and the other documents are screened as usual."""
    monkeypatch.setenv("BRIEFGEN_MAX_SECONDS", "1")
    corpus = corpus_with(tmp_path, {"dhr-slow.pdf": slow_pdf()})
    documents, warnings = screen(corpus, tmp_path, "-j", "2")
    slow = documents["dhr-slow.pdf"]
    assert (slow["decision"], slow["problem"]) == ("review", "too_large")
    assert slow["problem_detail"] == "took longer than 1 s to read"
    assert f"warning: {corpus / 'dhr-slow.pdf'}: took longer than 1 s to read\n" in warnings
    assert_screened_as_usual(documents, built)
    assert worker_processes() == []


def test_a_stopped_file_is_remembered_until_the_limits_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rerun does not pay for the hostile file again (nor warn less about it); raising the limit retries it."""
    monkeypatch.setenv("BRIEFGEN_MAX_MEMORY_MB", "64")
    corpus = corpus_with(tmp_path, {"dhr-bomb.pdf": HOSTILE_FOR_MEMORY["countless objects"]()})
    screen(corpus, tmp_path)

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr("briefgen.ingest.cache.read_document", fail)
    documents, warnings = screen(corpus, tmp_path)
    assert documents["dhr-bomb.pdf"]["problem_detail"] == "needed more than 64 MB to read"
    assert "dhr-bomb.pdf: needed more than 64 MB to read" in warnings
    monkeypatch.undo()
    monkeypatch.setenv("BRIEFGEN_MAX_MEMORY_MB", "65")
    documents, _ = screen(corpus, tmp_path)
    assert documents["dhr-bomb.pdf"]["problem_detail"] == "needed more than 65 MB to read"


def test_a_worker_killed_mid_run_loses_no_other_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: Path
) -> None:
    """A worker killed from outside (the kernel's out-of-memory killer, say) costs its document only: it goes to
    review naming the kill, a new worker takes over, and the next run reads that document again."""
    corpus = corpus_with(tmp_path, {"dhr-doomed.txt": (CORPUS / "dhr-sandleigh-brian.txt").read_bytes()})
    load_text = corpus_module.load_text

    def killed_on_doomed(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "dhr-doomed.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return load_text(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(
        "briefgen.runner.corpus.load_text", killed_on_doomed
    )  # workers are forked: they inherit it
    documents, warnings = screen(corpus, tmp_path, "-j", "2")
    doomed = documents["dhr-doomed.txt"]
    assert (doomed["decision"], doomed["problem"]) == ("review", "corrupt")
    assert doomed["problem_detail"] == "the process reading it was killed (SIGKILL)"
    assert "dhr-doomed.txt: the process reading it was killed (SIGKILL)" in warnings
    assert_screened_as_usual(documents, built)
    monkeypatch.undo()
    documents, _ = screen(corpus, tmp_path, "-j", "2")
    assert documents["dhr-doomed.txt"]["problem"] is None  # a kill from outside is not remembered


def test_an_interrupted_run_leaves_no_worker_behind(tmp_path: Path) -> None:
    """Ctrl-C (or any exception) while workers are busy ends every worker before the run returns."""
    # the first document is done at once; by then both workers are busy with a slow one
    corpus = corpus_with(tmp_path, {"dhr-b-slow.pdf": slow_pdf(), "dhr-c-slow.pdf": slow_pdf()})

    def interrupt(done: int, total: int, source: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        screen_corpus(
            corpus,
            criteria=load_criteria(resources.default_criteria()),
            criteria_ref=FileRef(path="criteria.yaml", sha256="0" * 64, title="criteria", version="1"),
            lexicon=load_lexicon(resources.default_lexicon()),
            overrides=Overrides(),
            cache_dir=tmp_path / "cache",
            out_dir=tmp_path,
            jobs=2,
            progress=interrupt,
        )
    assert worker_processes() == []


@pytest.mark.parametrize(
    ("variable", "value"), [("BRIEFGEN_MAX_MEMORY_MB", "0"), ("BRIEFGEN_MAX_SECONDS", "1.5")]
)
def test_a_malformed_limit_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    """The memory and time limits are settings like the others: a bad value stops the run with one line."""
    monkeypatch.setenv(variable, value)
    result = run("screen", CORPUS, "--out", tmp_path / "s.json")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {variable}={value!r} is not a positive whole number"


def test_limits_have_safe_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without settings a document may take 192 MB and 60 s; the environment changes either for a run."""
    assert (Limits().max_memory_bytes, Limits().max_seconds) == (192 * 1024 * 1024, 60)
    monkeypatch.setenv("BRIEFGEN_MAX_MEMORY_MB", "2048")
    monkeypatch.setenv("BRIEFGEN_MAX_SECONDS", "300")
    limits = Limits.from_environment()
    assert (limits.max_memory_bytes, limits.max_seconds) == (2048 * 1024 * 1024, 300)


# --- the worker pool itself ------------------------------------------------------------------------------------


def _square_or_fail(n: int) -> int:
    if n == 3:
        raise StageInputInvalid("three is not allowed")
    if n == 5:
        os.abort()  # as pdfium does when an allocation is refused
    return n * n


def test_results_come_back_in_order_and_an_error_is_raised_at_its_item() -> None:
    """Results keep the input order whatever worker finished first; an error raised by the work is raised
    again in the parent at its item, after the results before it, and the workers are ended."""
    confinement = Confinement(memory_bytes=256 * 1024 * 1024, seconds=30)
    seen: list[int | Stopped] = []
    with pytest.raises(StageInputInvalid, match="three is not allowed"):
        for outcome in run_isolated(
            _square_or_fail, list(range(8)), jobs=3, confinement=confinement, initializer=lambda: None
        ):
            seen.append(outcome)
    assert seen == [0, 1, 4]
    assert worker_processes() == []
    outcomes = list(
        run_isolated(_square_or_fail, [4, 5, 6], jobs=1, confinement=confinement, initializer=lambda: None)
    )
    assert outcomes == [16, Stopped("memory", "needed more than 256 MB to read"), 36]
