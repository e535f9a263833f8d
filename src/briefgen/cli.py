"""The `briefgen` command: a thin layer that reads inputs, calls one library function, writes the outputs and
prints a summary. Errors a user can fix leave as one red line and a non-zero exit code."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from briefgen import __version__, console, resources
from briefgen.corpus import default_cache_dir, default_jobs, screen_corpus
from briefgen.errors import BriefgenError, OutputError
from briefgen.ingest import write_atomic
from briefgen.lexicon import load_lexicon
from briefgen.models import FileRef, ScreeningResult
from briefgen.reports import screening_csv
from briefgen.screen import Overrides, load_criteria, load_overrides

app = typer.Typer(
    name="briefgen",
    help="Turn published Domestic Homicide Reviews into an evidence-cited learning briefing for the police.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Known errors become one red line and their exit code; only a real bug shows a traceback."""
    try:
        yield
    except BriefgenError as exc:
        console.error_line(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        console.error_line("interrupted; outputs of finished stages are kept, nothing was half-written")
        raise typer.Exit(130) from None


def _version(value: bool) -> None:
    if value:
        console.out.print(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More detail (-vv for debug).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    console.configure_logging(-1 if quiet else verbose)


def file_ref(path: Path, title: str, version: str, relative_to: Path, default: Path) -> FileRef:
    """How an input file is recorded in an output: a path relative to the output, or the shipped default."""
    data = path.read_bytes()
    shown = (
        f"(default) {path.name}"
        if path.resolve() == default.resolve()
        else Path(os.path.relpath(path.resolve(), relative_to.resolve())).as_posix()
    )
    return FileRef(path=shown, title=title, version=version, sha256=hashlib.sha256(data).hexdigest())


def write_output(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror})", path=path) from None


CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Where extracted text is cached [default: $BRIEFGEN_CACHE_DIR or ~/.cache/briefgen].",
        show_default=False,
    ),
]
JobsOption = Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers [default: all cores].")]
LexiconOption = Annotated[
    Path | None, typer.Option("--lexicon", help="Review vocabulary (sections, forces, context cues).")
]


@app.command()
def screen(
    corpus: Annotated[Path, typer.Argument(help="Folder of review documents (PDF, Word .docx, .txt, .md).")],
    criteria: Annotated[Path | None, typer.Option(help="Inclusion criteria YAML [default: shipped criteria].")] = None,
    overrides: Annotated[
        Path | None, typer.Option(help="Analyst's decisions (YAML: document, decision, reason); never written.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Screening JSON; a CSV is written beside it.")] = Path(
        "build/screening.json"
    ),
    jobs: JobsOption = None,
    cache_dir: CacheDirOption = None,
    lexicon: LexiconOption = None,
) -> None:
    """Decide which reviews meet the inclusion criteria, with page-cited evidence for every decision."""
    with handle_errors():
        criteria_path = criteria or resources.default_criteria()
        criteria_model = load_criteria(criteria_path)
        lexicon_model = load_lexicon(lexicon or resources.default_lexicon())
        overrides_model = load_overrides(overrides) if overrides else Overrides()
        out_dir = out.parent
        ref = file_ref(
            criteria_path, criteria_model.title, criteria_model.version, out_dir, resources.default_criteria()
        )
        with _progress("Screening") as advance:
            result = screen_corpus(
                corpus,
                criteria=criteria_model,
                criteria_ref=ref,
                lexicon=lexicon_model,
                overrides=overrides_model,
                cache_dir=cache_dir or default_cache_dir(),
                out_dir=out_dir,
                jobs=jobs or default_jobs(),
                progress=advance,
                warn=console.warning_line,
            )
        write_output(out, result.model_dump_json(indent=2).encode() + b"\n")
        csv_path = out.with_suffix(".csv")
        write_output(csv_path, screening_csv(result).encode())
        _print_screening(result, out, csv_path)


@contextmanager
def _progress(label: str) -> Iterator[typer.CallbackParam | object]:
    """A progress bar on stderr (hidden when stderr is not a terminal); yields the per-document callback."""
    bar = Progress(
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console.err,
        transient=True,
        disable=not console.err.is_terminal,
    )
    task = bar.add_task("", total=None)

    def advance(done: int, total: int, source: str) -> None:
        bar.update(task, completed=done, total=total, description=source)

    with bar:
        yield advance


def _print_screening(result: ScreeningResult, out: Path, csv_path: Path) -> None:
    counts = result.counts
    if len(result.documents) <= 60:
        table = Table(title="Screening decisions", title_justify="left", expand=False)
        table.add_column("Document", overflow="fold")
        table.add_column("Date of death", no_wrap=True)
        table.add_column("Decision", no_wrap=True)
        table.add_column("Why", overflow="fold")
        colours = {"include": "green", "exclude": "red", "review": "yellow"}
        for document in result.documents:
            why = (
                f"{document.problem.value}: {document.problem_detail}"
                if document.problem
                else (document.exclusion_reason or ("all criteria met" if document.decision == "include" else ""))
            )
            if document.decision == "review" and not document.problem:
                why = "; ".join(r.id for r in document.criteria if r.result == "unknown") + " unknown"
            marker = " (override)" if document.override else ""
            table.add_row(
                document.source,
                document.incident_date or "-",
                f"[{colours[document.decision.value]}]{document.decision.value}{marker}[/]",
                why,
            )
        console.out.print(table)
    excluded = ", ".join(f"{reason} {n}" for reason, n in counts.excluded_by_reason.items())
    console.out.print(
        f"identified {counts.identified}  ·  unreadable {counts.unreadable}  ·  screened {counts.screened}  ·  "
        f"excluded {counts.excluded}{f' ({excluded})' if excluded else ''}  ·  "
        f"[green]included {counts.included}[/]  ·  [yellow]for review {counts.review}[/]"
        + (f"  ·  overridden {counts.overridden}" if counts.overridden else "")
    )
    console.out.print(f"wrote {out} and {csv_path}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `briefgen ... | head` closed the pipe: not an error
        sys.stderr.close()
        sys.exit(0)
