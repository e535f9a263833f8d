"""Hostile and broken input: every fuzzed document ends in `DocumentUnreadable` (a `review` decision in a corpus
run) and every fuzzed YAML file in one clear error line naming the file; never a traceback or a hang. Also: paths
that leave the corpus are refused, outputs are byte-identical run to run and are never half-written."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from briefgen.coding.codebook import load_codebook
from briefgen.corrections.file import load_corrections
from briefgen.errors import DocumentUnreadable, InputFileError, OverridesInvalid
from briefgen.files import sha256_of, write_atomic
from briefgen.ingest.cache import TextCache
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.ingest.read import read_document
from briefgen.lexicon import load_lexicon
from briefgen.models import DocumentText, Problem
from briefgen.resources import codebooks_dir
from briefgen.screen.criteria import load_criteria
from briefgen.screen.overrides import load_overrides
from tests.conftest import CORPUS, SAMPLES, pdf_of, run

SAMPLE_PDF = (CORPUS / "dhr-millbrook-anne.pdf").read_bytes()
SAMPLE_DOCX = (CORPUS / "dhr-oakhurst-eva.docx").read_bytes()
SAMPLE_TXT = CORPUS / "dhr-sandleigh-brian.txt"
DOCX_PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "docProps/core.xml",
]
LOADERS: dict[str, Callable[[Path], object]] = {
    "criteria": load_criteria,
    "codebook": load_codebook,
    "overrides": load_overrides,
    "lexicon": load_lexicon,
    "corrections": load_corrections,
}
# BRIEFGEN_FUZZ_EXAMPLES=1000 fuzzes harder (minutes); the default keeps this file well under a minute.
FUZZ = settings(
    max_examples=int(os.environ.get("BRIEFGEN_FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,  # a failure prints its example; nothing to keep between runs
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
GUARD_SECONDS = 30.0


@contextmanager
def no_hang(seconds: float = GUARD_SECONDS) -> Iterator[None]:
    """Fail, instead of hanging the test run, when the block takes longer than `seconds`."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_or_refuse(path: Path, limits: Limits = DEFAULT_LIMITS) -> DocumentText | DocumentUnreadable:
    """Read a document; the only failure allowed is DocumentUnreadable, naming the file and a known problem."""
    with no_hang():
        try:
            document = read_document(path, sha256="0" * 64, limits=limits)
        except DocumentUnreadable as exc:
            assert str(path) in str(exc)
            assert exc.problem in set(Problem)
            label(f"refused: {exc.problem}")
            return exc
    assert any(page.text.strip() for page in document.pages)
    label("read")
    return document


def label(outcome: str) -> None:
    """Count outcomes for `--hypothesis-show-statistics` (how many fuzzed files were read, how many refused)."""
    if currently_in_test_context():
        event(outcome)


def load_or_refuse(loader: Callable[[Path], object], path: Path) -> InputFileError | None:
    """Load a YAML file; the only failure allowed is an InputFileError, on one line, naming the file."""
    with no_hang():
        try:
            loader(path)
        except InputFileError as exc:
            message = str(exc)
            assert message.startswith(str(path))
            assert "\n" not in message and "Traceback" not in message
            return exc
    return None


def minimal_pdf(page: bytes) -> bytes:
    """A one-page PDF whose page object is `page`, with a correct cross-reference table."""
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page])


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(SAMPLE_DOCX)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


# --- documents -----------------------------------------------------------------------------------------------

_edit = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 4096)),
)


def mutate(data: bytes, edits: list[tuple[str, float, Any]], keep: float) -> bytes:
    out = bytearray(data)
    for kind, where, value in edits:
        at = min(len(out) - 1, int(where * len(out))) if out else 0
        if kind == "flip" and out:
            out[at] = value
        elif kind == "insert":
            out[at:at] = value
        else:
            del out[at : at + value]
    return bytes(out[: max(1, int(len(out) * keep))])


class TestHostileDocuments:
    @FUZZ
    @given(edits=st.lists(_edit, min_size=1, max_size=12), keep=st.one_of(st.just(1.0), st.floats(0.02, 1.0)))
    def test_mutated_pdf(self, tmp_path: Path, edits: list[tuple[str, float, Any]], keep: float) -> None:
        """A sample PDF with flipped, inserted or deleted bytes, perhaps truncated: read, or refused."""
        path = tmp_path / "mutated.pdf"
        path.write_bytes(mutate(SAMPLE_PDF, edits, keep))
        read_or_refuse(path)

    @FUZZ
    @given(data=st.binary(max_size=4096), suffix=st.sampled_from([".pdf", ".docx", ".txt", ".md", ".doc"]))
    def test_random_bytes(self, tmp_path: Path, data: bytes, suffix: str) -> None:
        """Random bytes under any supported name: read (text files take anything), or refused."""
        path = tmp_path / f"random{suffix}"
        path.write_bytes(data)
        read_or_refuse(path)

    @FUZZ
    @given(data=st.binary(max_size=2048))
    def test_pdf_header_then_garbage(self, tmp_path: Path, data: bytes) -> None:
        """A file that starts like a PDF and then is not one is refused."""
        path = tmp_path / "fake.pdf"
        path.write_bytes(b"%PDF-1.7\n" + data + b"\n%%EOF\n")
        assert isinstance(read_or_refuse(path), DocumentUnreadable)

    @FUZZ
    @given(
        members=st.dictionaries(
            st.one_of(
                st.sampled_from(DOCX_PARTS),
                st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=20),
            ),
            st.one_of(st.binary(max_size=512), st.text(max_size=512).map(str.encode)),
            max_size=6,
        )
    )
    def test_zip_of_junk_named_docx(self, tmp_path: Path, members: dict[str, bytes]) -> None:
        """A zip file with junk inside, named .docx, is refused as corrupt."""
        path = tmp_path / "junk.docx"
        path.write_bytes(zip_bytes(members))
        assert isinstance(read_or_refuse(path), DocumentUnreadable)

    @FUZZ
    @given(
        part=st.sampled_from(["word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"]),
        edits=st.lists(_edit, min_size=1, max_size=8),
        keep=st.floats(0.05, 1.0),
    )
    def test_docx_with_a_damaged_part(
        self, tmp_path: Path, part: str, edits: list[tuple[str, float, Any]], keep: float
    ) -> None:
        """A Word file whose XML parts are damaged (bad XML, cut short): read, or refused."""
        members = docx_members()
        members[part] = mutate(members[part], edits, keep)
        path = tmp_path / "damaged.docx"
        path.write_bytes(zip_bytes(members))
        read_or_refuse(path)

    @FUZZ
    @given(edits=st.lists(_edit, min_size=1, max_size=8), keep=st.floats(0.05, 1.0))
    def test_mutated_docx_bytes(
        self, tmp_path: Path, edits: list[tuple[str, float, Any]], keep: float
    ) -> None:
        """A Word file with damaged bytes (bad CRC, broken deflate stream, cut short): read, or refused."""
        path = tmp_path / "mutated.docx"
        path.write_bytes(mutate(SAMPLE_DOCX, edits, keep))
        read_or_refuse(path)

    @pytest.mark.parametrize(
        "page",
        [b"42", b"(not a page)", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"],
        ids=["number", "string", "cycle"],
    )
    def test_pdf_whose_page_cannot_be_loaded(self, tmp_path: Path, page: bytes) -> None:
        """A page object that is not a page (or a page tree that loops) is `corrupt`, naming the page."""
        path = tmp_path / "bad-page.pdf"
        path.write_bytes(minimal_pdf(page))
        refused = read_or_refuse(path)
        assert isinstance(refused, DocumentUnreadable) and refused.problem == Problem.corrupt
        assert "page 1" in str(refused)

    def test_encrypted_word_file_is_named_as_such(self, tmp_path: Path) -> None:
        """An OLE container with a .docx name (how Word saves a password-protected file) is `encrypted`."""
        path = tmp_path / "locked.docx"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
        refused = read_or_refuse(path)
        assert isinstance(refused, DocumentUnreadable) and refused.problem == Problem.encrypted

    def test_zip_bomb_is_refused_before_unpacking(self, tmp_path: Path) -> None:
        """A Word file that unpacks past the size limit is `too_large`, without being unpacked."""
        members = docx_members()
        members["word/media/padding.bin"] = bytes(2_000_000)
        path = tmp_path / "bomb.docx"
        path.write_bytes(zip_bytes(members))
        assert path.stat().st_size < 200_000
        refused = read_or_refuse(path, Limits(max_file_bytes=1_000_000))
        assert isinstance(refused, DocumentUnreadable) and refused.problem == Problem.too_large

    def test_deeply_nested_word_xml_is_refused(self, tmp_path: Path) -> None:
        """XML nested thousands deep (past lxml's limit) is corrupt, not a crash."""
        members = docx_members()
        members["word/document.xml"] = b"<a>" * 5000 + b"</a>" * 5000
        path = tmp_path / "deep.docx"
        path.write_bytes(zip_bytes(members))
        assert isinstance(read_or_refuse(path), DocumentUnreadable)

    def test_page_limit_is_a_setting(self, tmp_path: Path) -> None:
        """A PDF over the page limit is `too_large`; the limit is a setting, not a constant."""
        path = tmp_path / "long.pdf"
        path.write_bytes(SAMPLE_PDF)
        refused = read_or_refuse(path, Limits(max_pages=3))
        assert isinstance(refused, DocumentUnreadable) and refused.problem == Problem.too_large
        assert isinstance(read_or_refuse(path), DocumentText)

    @pytest.mark.parametrize("separator", ["\f", "\n\n"], ids=["form feeds", "blank lines"])
    def test_text_of_countless_pages_is_refused(self, tmp_path: Path, separator: str) -> None:
        """A small text file of a million form feeds (or paragraphs) is `too_large`, not a million pages."""
        path = tmp_path / "flood.txt"
        path.write_text(f"a{separator}" * 1_000_000, encoding="utf-8")
        refused = read_or_refuse(path, Limits(max_pages=2_000))
        assert isinstance(refused, DocumentUnreadable) and refused.problem == Problem.too_large

    def test_hostile_files_go_to_review_in_a_corpus_run(self, tmp_path: Path) -> None:
        """A corpus of broken files is screened without a traceback: each broken file goes to review, named."""
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / "a-random.pdf").write_bytes(bytes(range(256)) * 4)
        (corpus / "b-truncated.pdf").write_bytes(SAMPLE_PDF[: len(SAMPLE_PDF) // 3])
        (corpus / "c-junk.docx").write_bytes(zip_bytes({"word/document.xml": b"<w:document"}))
        (corpus / "d-locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
        (corpus / "e-empty.txt").write_bytes(b"")
        (corpus / "f-review.txt").write_bytes(SAMPLE_TXT.read_bytes())
        out = tmp_path / "out" / "screening.json"
        with no_hang(120):
            result = run("screen", corpus, "--out", out, "-j", "2", "--cache-dir", tmp_path / "cache")
        assert result.exit_code == 0, result.output
        assert result.exception is None
        documents = {d["source"]: d for d in json.loads(out.read_text())["documents"]}
        for name in ("a-random.pdf", "b-truncated.pdf", "c-junk.docx", "d-locked.docx", "e-empty.txt"):
            assert documents[name]["decision"] == "review" and documents[name]["problem"], name
            assert name in result.stderr
        assert documents["d-locked.docx"]["problem"] == "encrypted"
        assert documents["f-review.txt"]["problem"] is None


# --- YAML ----------------------------------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40), st.dates()
)
_yaml_data = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
_field_names = st.sampled_from(
    ["title", "version", "criteria", "id", "kind", "on_or_after", "overrides", "document", "decision", "reason",
     "themes", "codes", "match", "phrases", "regex", "near", "features", "sections", "police", "forces",
     "corrections", "case", "code", "present", "feature", "value", "verified", "sha256"]
)  # fmt: skip
_shaped = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_field_names, children, max_size=6)
    ),
    max_leaves=30,
)


class TestHostileYaml:
    @FUZZ
    @given(data=st.one_of(_yaml_data, _shaped), which=st.sampled_from(sorted(LOADERS)))
    def test_wrong_shapes_and_types(self, tmp_path: Path, data: object, which: str) -> None:
        """Any YAML data, of any shape and type, loads or is refused with one line naming the file."""
        path = tmp_path / f"{which}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        load_or_refuse(LOADERS[which], path)

    def test_a_key_with_a_line_break_is_named_on_one_line(self, tmp_path: Path) -> None:
        """An unknown key holding a line break is shown escaped: the error stays one line."""
        path = tmp_path / "criteria.yaml"
        shipped = yaml.safe_load((codebooks_dir() / "criteria.yaml").read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump({**shipped, "ver\nsion": 1}), encoding="utf-8")
        refused = load_or_refuse(LOADERS["criteria"], path)
        assert refused is not None and "ver\\nsion" in str(refused)

    @FUZZ
    @given(
        which=st.sampled_from(["criteria", "codebook", "lexicon"]),
        edits=st.lists(_edit, min_size=1, max_size=6),
        keep=st.floats(0.1, 1.0),
    )
    def test_mutated_shipped_files(
        self, tmp_path: Path, which: str, edits: list[tuple[str, float, Any]], keep: float
    ) -> None:
        """The shipped criteria, codebook and lexicon with damaged bytes: load, or one clear error line."""
        shipped = {"criteria": "criteria.yaml", "codebook": "police-dhr.yaml", "lexicon": "lexicon.yaml"}[
            which
        ]
        path = tmp_path / shipped
        path.write_bytes(mutate((codebooks_dir() / shipped).read_bytes(), edits, keep))
        load_or_refuse(LOADERS[which], path)

    @FUZZ
    @given(edits=st.lists(_edit, min_size=1, max_size=6), keep=st.floats(0.1, 1.0))
    def test_mutated_corrections(
        self, tmp_path: Path, edits: list[tuple[str, float, Any]], keep: float
    ) -> None:
        """The sample corrections file with damaged bytes: loads, or one clear error line."""
        path = tmp_path / "corrections.yaml"
        path.write_bytes(mutate((SAMPLES / "corrections.yaml").read_bytes(), edits, keep))
        load_or_refuse(load_corrections, path)

    @FUZZ
    @given(data=st.binary(max_size=2048))
    def test_random_bytes(self, tmp_path: Path, data: bytes) -> None:
        """Random bytes (often not UTF-8) as a criteria file are refused with one line."""
        path = tmp_path / "criteria.yaml"
        path.write_bytes(data)
        load_or_refuse(load_criteria, path)

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("deep flow nesting", "[" * 5000 + "]" * 5000),
            ("deep block nesting", "".join("  " * i + "a:\n" for i in range(300)) + "  " * 300 + "b"),
            (
                "alias bomb",
                "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
                + "".join(
                    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                    for p, n in zip("abcdefg", "bcdefgh", strict=True)
                ),
            ),
            ("self-referencing alias", "a: &a [*a]\n"),
            ("huge string", "title: " + "x" * 3_000_000 + "\n"),
            ("huge number", "version: " + "9" * 50_000 + "\n"),
            (
                "impossible date",
                "title: t\nversion: '1'\ncriteria: [{id: a, kind: incident_date, on_or_after: 2021-13-45}]\n",
            ),
            ("python object tag", "!!python/object/apply:os.system ['echo owned']\n"),
            ("tab indentation", "criteria:\n\t- id: a\n"),
            ("NUL character", "title: a\x00b\n"),
            ("empty file", ""),
            ("a list, not a mapping", "- 1\n- 2\n"),
        ],
    )
    @pytest.mark.parametrize("which", sorted(LOADERS))
    def test_known_attacks(self, tmp_path: Path, name: str, text: str, which: str) -> None:
        """Deep nesting, alias bombs, huge values, unsafe tags and broken syntax are refused, quickly."""
        path = tmp_path / f"{which}.yaml"
        path.write_text(text, encoding="utf-8")
        assert load_or_refuse(LOADERS[which], path) is not None

    def test_non_utf8_is_refused(self, tmp_path: Path) -> None:
        """A file in another encoding says so."""
        path = tmp_path / "criteria.yaml"
        path.write_bytes("title: Crit\u00e8res\n".encode("latin-1"))
        refused = load_or_refuse(load_criteria, path)
        assert refused is not None and "UTF-8" in str(refused)

    @pytest.mark.parametrize(
        ("option", "text"),
        [
            ("--criteria", "version: " + "9" * 50_000 + "\n"),
            ("--criteria", "[" * 5000 + "]" * 5000),
            ("--overrides", "overrides: &a [*a]\n"),
            ("--overrides", "overrides:\n  - {document: ../outside.pdf, decision: include, reason: r}\n"),
            ("--lexicon", "version: 2021-13-45\n"),
        ],
    )
    def test_cli_gives_one_error_line(self, tmp_path: Path, option: str, text: str) -> None:
        """Through the CLI a hostile YAML file is one red line naming the file and exit code 3, no traceback."""
        path = tmp_path / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / "review.txt").write_bytes(SAMPLE_TXT.read_bytes())
        with no_hang():
            result = run("screen", corpus, option, path, "--out", tmp_path / "out" / "screening.json")
        assert result.exit_code == 3, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and str(path) in lines[0]
        assert not (tmp_path / "out").exists()


# --- paths ---------------------------------------------------------------------------------------------------


def overrides_file(tmp_path: Path, document: str) -> Path:
    path = tmp_path / "overrides.yaml"
    entry = {"document": document, "decision": "include", "reason": "checked by hand"}
    path.write_text(yaml.safe_dump({"overrides": [entry]}), encoding="utf-8")
    return path


class TestPaths:
    @pytest.mark.parametrize(
        "document",
        ["../elsewhere.pdf", "reviews/../../elsewhere.pdf", "/etc/passwd", "C:\\reviews\\a.pdf", "c:a.pdf",
         "reviews\\..\\..\\a.pdf", "\\\\server\\share\\a.pdf", ".."],
    )  # fmt: skip
    def test_overrides_outside_the_corpus_are_refused(self, tmp_path: Path, document: str) -> None:
        """An override naming a path with `..`, an absolute path or a drive is refused, with its line."""
        with pytest.raises(OverridesInvalid) as caught:
            load_overrides(overrides_file(tmp_path, document))
        assert "line 3: overrides.0.document: must be a path inside the corpus folder" in str(caught.value)

    @FUZZ
    @given(document=st.text(alphabet=st.sampled_from("ab./\\:C.. "), min_size=1, max_size=16))
    def test_accepted_overrides_stay_inside(self, tmp_path: Path, document: str) -> None:
        """Whatever an accepted override says, it is a relative path that cannot climb out of the corpus."""
        try:
            overrides = load_overrides(overrides_file(tmp_path, document))
        except OverridesInvalid:
            return
        accepted = overrides.overrides[0].document
        assert not PurePosixPath(accepted).is_absolute() and ".." not in PurePosixPath(accepted).parts
        assert "\\" not in accepted and not re.match(r"[A-Za-z]:", accepted)


# --- outputs -------------------------------------------------------------------------------------------------


class TestOutputs:
    def test_screen_twice_gives_identical_bytes(self, tmp_path: Path) -> None:
        """Cold with two workers, then warm with one: the same JSON and CSV, byte for byte."""
        cache = tmp_path / "cache"
        outputs = []
        for jobs, folder in (("2", "first"), ("1", "second")):
            out = tmp_path / folder / "screening.json"
            result = run("-q", "screen", CORPUS, "--out", out, "-j", jobs, "--cache-dir", cache)
            assert result.exit_code == 0, result.output
            outputs.append((out.read_bytes(), out.with_suffix(".csv").read_bytes()))
        assert outputs[0] == outputs[1]

    def test_analyst_files_are_never_written(self, tmp_path: Path) -> None:
        """The criteria and overrides files are read, never rewritten."""
        criteria = tmp_path / "criteria.yaml"
        criteria.write_bytes((codebooks_dir() / "criteria.yaml").read_bytes())
        overrides = overrides_file(tmp_path, "dhr-sandleigh-brian.txt")
        before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (criteria, overrides)}
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / "dhr-sandleigh-brian.txt").write_bytes(SAMPLE_TXT.read_bytes())
        result = run(
            "-q",
            "screen",
            corpus,
            "--criteria",
            criteria,
            "--overrides",
            overrides,
            "--out",
            tmp_path / "s.json",
        )
        assert result.exit_code == 0, result.output
        assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before

    @pytest.mark.parametrize("where", ["writing", "renaming"])
    def test_interrupted_write_keeps_the_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
    ) -> None:
        """A write interrupted half-way (Ctrl-C, a full disk) leaves the old file whole and no temporary file."""
        path = tmp_path / "screening.json"
        write_atomic(path, b'{"old": true}\n')

        class HalfWriter(io.BytesIO):
            def write(self, data: Any) -> int:
                super().write(bytes(data)[: len(data) // 2])
                raise KeyboardInterrupt

        if where == "writing":
            real_fdopen = os.fdopen

            def half_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
                os.close(fd)
                return HalfWriter()

            monkeypatch.setattr(os, "fdopen", half_fdopen)
            assert real_fdopen is not os.fdopen
        else:

            def no_rename(*args: Any) -> None:
                raise KeyboardInterrupt

            monkeypatch.setattr(os, "replace", no_rename)
        with pytest.raises(KeyboardInterrupt):
            write_atomic(path, b'{"new": true, "padding": "' + b"x" * 10_000 + b'"}\n')
        monkeypatch.undo()
        assert path.read_bytes() == b'{"old": true}\n'
        assert [p.name for p in tmp_path.iterdir()] == ["screening.json"]

    def test_interrupted_run_keeps_the_previous_outputs(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Ctrl-C while `screen` writes its outputs: exit 130, and the previous JSON and CSV are untouched."""
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / "review.txt").write_bytes(SAMPLE_TXT.read_bytes())
        out = tmp_path / "out" / "screening.json"
        assert run("-q", "screen", corpus, "--out", out).exit_code == 0
        previous = out.read_bytes(), out.with_suffix(".csv").read_bytes()
        (corpus / "another.txt").write_bytes(SAMPLE_TXT.read_bytes() + b"\nMore text.\n")

        def interrupted(*args: Any) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "replace", interrupted)
        result = run("-q", "screen", corpus, "--out", out)
        monkeypatch.undo()
        assert result.exit_code == 130
        assert (out.read_bytes(), out.with_suffix(".csv").read_bytes()) == previous
        assert sorted(p.name for p in out.parent.iterdir()) == ["screening.csv", "screening.json"]

    def test_cache_survives_a_killed_run(self, tmp_path: Path) -> None:
        """Cache entries cut short (the run was killed while writing them) are ignored and rebuilt."""
        cache_dir = tmp_path / "cache"
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / "review.txt").write_bytes(SAMPLE_TXT.read_bytes())
        first = tmp_path / "first.json"
        assert run("-q", "screen", corpus, "--out", first, "--cache-dir", cache_dir).exit_code == 0
        entries = sorted(cache_dir.rglob("*.json"))
        assert len(entries) >= 2  # the extracted text and the screening result
        for entry in entries:
            entry.write_bytes(entry.read_bytes()[:100])
        second = tmp_path / "second.json"
        result = run("-q", "screen", corpus, "--out", second, "--cache-dir", cache_dir)
        assert result.exit_code == 0, result.output
        assert json.loads(first.read_text())["documents"] == json.loads(second.read_text())["documents"]
        assert TextCache(cache_dir).get(sha256_of(corpus / "review.txt")) is not None
