"""The `briefgen` command: a thin layer that reads options, calls one library function, writes the outputs
and prints a summary. Errors a user can fix leave as one red line and a named exit code (errors.ExitCode).

Each command imports what it uses when it runs, so `briefgen --version` or `briefgen screen` never loads the
PDF renderer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from briefgen import console
from briefgen.errors import BriefgenError, ExitCode

if TYPE_CHECKING:
    from briefgen.evaluate import Evaluation
    from briefgen.ingest.limits import Limits
    from briefgen.models import CodedResult, ScreeningResult
    from briefgen.pipeline import Workers
    from briefgen.reporting import Progress

EXIT_CODES = "Exit codes: " + ", ".join(f"{code.value} {code.meaning}" for code in ExitCode) + "."

app = typer.Typer(
    name="briefgen",
    help="Turn published Domestic Homicide Reviews into an evidence-cited learning briefing for the police.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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
        raise typer.Exit(ExitCode.INTERRUPTED) from None


def _version(value: bool) -> None:
    if value:
        from briefgen import __version__

        console.out.print(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More detail (-vv for debug).")
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    console.configure_logging(-1 if quiet else verbose)


VerboseOption = Annotated[
    int,
    typer.Option("--verbose", "-v", count=True, help="More detail (-vv for debug); also before the command."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors; also before the command.")]


def _set_verbosity(verbose: int, quiet: bool) -> None:
    """-v and -q given after the command (`briefgen screen -q ...`) count as much as before it."""
    if verbose or quiet:
        console.configure_logging(-1 if quiet else verbose)


CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Where extracted text is cached (default: $BRIEFGEN_CACHE_DIR or ~/.cache/briefgen).",
        show_default=False,
    ),
]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: all cores).")
]
LexiconOption = Annotated[
    Path | None, typer.Option("--lexicon", help="Review vocabulary (sections, forces, context cues).")
]


@app.command()
def screen(
    corpus: Annotated[
        Path,
        typer.Argument(metavar="CORPUS_DIR", help="Folder of review documents (PDF, Word .docx, .txt, .md)."),
    ],
    criteria: Annotated[
        Path | None, typer.Option(help="Inclusion criteria YAML (default: shipped criteria).")
    ] = None,
    overrides: Annotated[
        Path | None,
        typer.Option(help="Analyst's decisions (YAML: document, decision, reason); never written."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Screening JSON; a CSV is written beside it.")] = Path(
        "build/screening.json"
    ),
    jobs: JobsOption = None,
    cache_dir: CacheDirOption = None,
    lexicon: LexiconOption = None,
    no_ocr: NoOcrOption = False,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Decide which reviews meet the inclusion criteria, with page-cited evidence for every decision."""
    _set_verbosity(verbose, quiet)
    from briefgen import resources
    from briefgen.files import companion_csv
    from briefgen.pipeline import screen_stage

    with handle_errors(), _workers("Screening", jobs, cache_dir, no_ocr=no_ocr) as workers:
        result = screen_stage(
            corpus,
            criteria=criteria or resources.default_criteria(),
            lexicon=lexicon or resources.default_lexicon(),
            overrides=overrides,
            out=out,
            workers=workers,
        )
        _print_screening(result, out, companion_csv(out))


@app.command("code")
def code_command(
    screening: Annotated[
        Path, typer.Argument(metavar="SCREENING_JSON", help="screening.json written by `briefgen screen`.")
    ] = Path("build/screening.json"),
    codebook: Annotated[
        Path | None, typer.Option(help="Codebook YAML (default: shipped police-dhr codebook).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Coded JSON; a case x code CSV is written beside it.")] = Path(
        "build/coded.json"
    ),
    corrections: Annotated[
        Path | None,
        typer.Option(help="Analyst's corrections (YAML: codes, features, verified cases); never written."),
    ] = None,
    jobs: JobsOption = None,
    cache_dir: CacheDirOption = None,
    lexicon: LexiconOption = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Code the included reviews against a codebook: themes, codes and case features, each with evidence."""
    _set_verbosity(verbose, quiet)
    from briefgen import resources
    from briefgen.files import companion_csv, read_stage
    from briefgen.models import ScreeningResult
    from briefgen.pipeline import code_stage

    with handle_errors():
        screening_result = read_stage(screening, ScreeningResult, "briefgen screen CORPUS_DIR")
        with _workers("Coding", jobs, cache_dir) as workers:
            run = code_stage(
                screening_result,
                screening,
                codebook=codebook or resources.default_codebook(),
                lexicon=lexicon or resources.default_lexicon(),
                out=out,
                workers=workers,
                corrections=corrections,
            )
        _print_coding(run.result, out, companion_csv(out))


def _print_coding(result: CodedResult, out: Path, csv_path: Path) -> None:
    from rich.table import Table

    summary = result.summary
    table = Table(title=f"Codes across {summary.cases} included reviews", title_justify="left")
    table.add_column("Theme / code")
    table.add_column("Cases", justify="right")
    for theme in result.codebook.themes:
        nvap = f"NVAP {theme.nvap_action}: " if theme.nvap_action else ""
        table.add_row(f"[bold]{nvap}{theme.title}[/]", str(summary.theme_counts.get(theme.id, 0)))
        for code in (c for c in result.codebook.codes if c.theme == theme.id):
            count = summary.code_counts.get(code.id, 0)
            table.add_row(f"  {code.label}", str(count) if count else "[dim]0[/]")
        table.add_section()
    console.out.print(table)
    types = ", ".join(f"{k} {v}" for k, v in summary.feature_counts.get("case_type", {}).items())
    forces = len(summary.feature_counts.get("police_forces", {}))
    not_coded = f"  ·  [yellow]not coded {len(result.not_coded)}[/]" if result.not_coded else ""
    if result.corrections is not None:
        from briefgen.corrections.agreement import verification

        checked = verification(result)
        not_coded += (
            f"  ·  verified {checked.verified}  ·  corrected {checked.codes_corrected} codes, "
            f"{checked.features_corrected} features"
        )
    console.out.print(
        f"{summary.cases} cases coded{not_coded}  ·  case types: {types or '-'}  ·  police forces: {forces}"
    )
    console.out.print(f"wrote {out} and {csv_path}")


@app.command()
def render(
    coded: Annotated[
        Path, typer.Argument(metavar="CODED_JSON", help="coded.json written by `briefgen code`.")
    ] = Path("build/coded.json"),
    briefing: Annotated[
        Path | None,
        typer.Option(help="Analyst's briefing YAML: titles, dates, narrative (default: a generic draft)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="The briefing PDF (tagged PDF/UA).")] = Path("build/briefing.pdf"),
    html: Annotated[Path | None, typer.Option(help="Also write the briefing as one HTML file.")] = None,
    agreement: Annotated[
        Path | None, typer.Option(help="Machine against human coding (JSON), shown in the methodology.")
    ] = None,
    sources: Annotated[
        Path | None,
        typer.Option(help="CSV of links to the published reviews (columns file, url, title) for Appendix A."),
    ] = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Write the briefing PDF: figures counted from the coded reviews, narrative from the briefing file."""
    _set_verbosity(verbose, quiet)
    from briefgen.files import read_stage
    from briefgen.models import AgreementReport, CodedResult
    from briefgen.pipeline import render_stage
    from briefgen.render.briefing import default_briefing, load_briefing

    with handle_errors():
        coded_result = read_stage(coded, CodedResult, "briefgen code")
        briefing_path = briefing or default_briefing()
        briefing_model = load_briefing(briefing_path)
        agreement_model = read_stage(agreement, AgreementReport, "briefgen agree") if agreement else None
        pages = render_stage(
            coded_result,
            briefing_model,
            briefing_path=briefing_path,
            pdf=out,
            html=html,
            inputs={"coded file": coded, "agreement file": agreement, "sources file": sources},
            agreement=agreement_model,
            created=briefing_model.release_date,
            sources=sources,
        )
        console.out.print(f"wrote {out} ({pages} pages)" + (f" and {html}" if html is not None else ""))


@app.command("init")
def init_command(
    directory: Annotated[Path, typer.Argument(help="The new project folder (created if missing).")],
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Start a briefing project: briefgen.yaml, copies of the default criteria, codebook and briefing, corpus/."""
    _set_verbosity(verbose, quiet)
    from briefgen.project.config import init_project

    with handle_errors():
        for path in init_project(directory):
            console.out.print(f"created {path}", markup=False, soft_wrap=True)
        console.out.print(
            f"add reviews to {directory / 'corpus'}, edit the copies, then run `briefgen build {directory}`",
            markup=False,
            soft_wrap=True,
        )


@app.command("build")
def build_command(
    directory: Annotated[Path, typer.Argument(help="Project folder, with its briefgen.yaml.")] = Path("."),
    jobs: JobsOption = None,
    cache_dir: CacheDirOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every stage, even unchanged ones.")] = False,
    require_verified: Annotated[
        bool,
        typer.Option("--require-verified", help="Refuse to render cases an analyst has not verified."),
    ] = False,
    no_ocr: NoOcrOption = False,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Build even if the briefing has placeholders (example.org, TODO) or no cases; warn.",
        ),
    ] = False,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Build a project's briefing: screen, code and render, skipping what has not changed since the last build."""
    _set_verbosity(verbose, quiet)
    from briefgen.project.build import build_project, summary_lines

    with handle_errors(), _workers("Building", jobs, cache_dir, no_ocr=no_ocr) as workers:
        report = build_project(
            directory,
            jobs=workers.jobs,
            cache_dir=workers.cache_dir,
            force=force,
            draft=draft,
            limits=workers.limits,
            progress=workers.progress,
            require_verified=require_verified,
        )
        for line in summary_lines(report):
            console.out.print(line, markup=False, soft_wrap=True)


@app.command("eval")
def eval_command(
    labels: Annotated[
        Path, typer.Argument(metavar="LABELS_YAML", help="Labels YAML: the truth for each sample document.")
    ],
    screening: Annotated[Path, typer.Option(help="screening.json of the labelled documents.")] = Path(
        "build/screening.json"
    ),
    coded: Annotated[
        Path | None, typer.Option(help="coded.json of the same run (for features and codes).")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
    ] = None,
    details: Annotated[bool, typer.Option(help="List every miss, not only the figures.")] = True,
    groups: Annotated[
        Path | None,
        typer.Option(help="YAML of the documents that report one case (`groups: {name: [file, ...]}`)."),
    ] = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Measure accuracy on labelled reviews: decisions, dates, features, and precision/recall per code."""
    _set_verbosity(verbose, quiet)
    import json

    from briefgen.evaluate import evaluate, load_case_groups, load_labels
    from briefgen.files import read_stage, write_output
    from briefgen.models import CodedResult, ScreeningResult

    with handle_errors():
        label_set = load_labels(labels)
        screening_result = read_stage(screening, ScreeningResult, "briefgen screen CORPUS_DIR")
        coded_result = read_stage(coded, CodedResult, "briefgen code") if coded else None
        case_groups = load_case_groups(groups) if groups else None
        evaluation = evaluate(label_set, screening_result, coded_result, case_groups)
        _print_evaluation(evaluation, details)
        if json_out:
            write_output(
                json_out, (json.dumps(evaluation.as_dict(), indent=2, sort_keys=True) + "\n").encode()
            )


def _print_evaluation(evaluation: Evaluation, details: bool) -> None:
    from rich.table import Table

    def line(label: str, right: int, total: int) -> None:
        share = f"{right / total:.1%}" if total else "-"
        console.out.print(f"{label:<28} {right:>4} / {total:<4} {share:>7}")

    line("screening decisions", evaluation.decisions.right, evaluation.decisions.total)
    line("dates of death", evaluation.dates.right, evaluation.dates.total)
    line("case features", evaluation.features.right, evaluation.features.total)
    if evaluation.groups.total:
        line("case groups", evaluation.groups.right, evaluation.groups.total)
    for name, tally in sorted(evaluation.feature_by_name.items()):
        line(f"  {name}", tally.right, tally.total)
    if evaluation.codes:
        table = Table(title="Codes", title_justify="left")
        table.add_column("code", no_wrap=True)
        for column in ("TP", "FP", "FN", "precision", "recall"):
            table.add_column(column, justify="right")
        for code_id, score in evaluation.codes.items():
            table.add_row(
                code_id,
                str(score.tp),
                str(score.fp),
                str(score.fn),
                f"{score.precision:.2f}",
                f"{score.recall:.2f}",
            )
        console.out.print(table)
        overall = evaluation.overall
        console.out.print(
            f"codes overall: precision {overall.precision:.3f}  recall {overall.recall:.3f}  "
            f"(TP {overall.tp}, FP {overall.fp}, FN {overall.fn})"
        )
    if details:
        for code_id, score in evaluation.codes.items():
            for name in score.false_positives:
                console.out.print(f"[yellow]code false positive[/] {code_id} in {name}")
            for name in score.false_negatives:
                console.out.print(f"[yellow]code missed[/] {code_id} in {name}")
        for title, tally in (
            ("decision", evaluation.decisions),
            ("date", evaluation.dates),
            ("feature", evaluation.features),
            ("case group", evaluation.groups),
        ):
            for miss in tally.misses:
                console.out.print(f"[yellow]{title} miss[/] {miss}")
    for source in evaluation.unlabelled:
        console.warning_line(f"{source} has no label")


@app.command("agree")
def agree_command(
    coded: Annotated[Path, typer.Argument(help="coded.json written by `briefgen code`.")],
    human_file: Annotated[
        Path, typer.Argument(help="Human coding CSV: `source` plus one 1/0 column per code.")
    ],
    out: Annotated[Path, typer.Option(help="Agreement JSON, for `briefgen render --agreement`.")] = Path(
        "build/agreement.json"
    ),
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Compare the machine's codes with a human coder's: per-code agreement and Cohen's kappa."""
    _set_verbosity(verbose, quiet)
    from rich.table import Table

    from briefgen.agree import agreement, read_human_coding
    from briefgen.files import check_outputs, read_stage, write_output
    from briefgen.models import CodedResult

    with handle_errors():
        check_outputs([out], {"coded file": coded, "human coding file": human_file})
        coded_result = read_stage(coded, CodedResult, "briefgen code")
        human = read_human_coding(human_file, coded_result)
        report = agreement(coded_result, human, human_file.name)
        write_output(out, report.model_dump_json(indent=2).encode() + b"\n")
        table = Table(title=f"Machine and human coding of {report.cases} cases", title_justify="left")
        for column in ("code", "agreement", "kappa", "machine", "human"):
            table.add_column(column, justify="left" if column == "code" else "right")
        for row in report.codes:
            kappa = "-" if row.kappa is None else f"{row.kappa:.2f}"
            table.add_row(
                row.code, f"{row.agreement:.0%}", kappa, str(row.machine_present), str(row.human_present)
            )
        console.out.print(table)
        kappa = "undefined" if report.overall_kappa is None else f"{report.overall_kappa:.2f}"
        console.out.print(f"overall agreement {report.overall_agreement:.1%}, Cohen's kappa {kappa}")
        console.out.print(f"wrote {out}")


@app.command("review")
def review_command(
    coded: Annotated[
        Path, typer.Argument(metavar="CODED_JSON", help="coded.json written by `briefgen code`.")
    ] = Path("build/coded.json"),
    out: Annotated[Path, typer.Option(help="The review page (one HTML file, opens with no server).")] = Path(
        "build/review.html"
    ),
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Write the analyst's review page: every code and feature with its evidence, and a correction line for each."""
    _set_verbosity(verbose, quiet)
    from briefgen.corrections.agreement import verification
    from briefgen.files import read_stage
    from briefgen.models import CodedResult
    from briefgen.pipeline import review_page

    with handle_errors():
        coded_result = read_stage(coded, CodedResult, "briefgen code")
        review_page(coded_result, out, inputs={"coded file": coded})
        checked = verification(coded_result)
        console.out.print(
            f"wrote {out} ({checked.cases} cases, {checked.verified} verified)", markup=False, soft_wrap=True
        )


export_app = typer.Typer(help="Export coded reviews for other software.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("qdpx")
def export_qdpx(
    coded: Annotated[
        Path, typer.Argument(metavar="CODED_JSON", help="coded.json written by `briefgen code`.")
    ] = Path("build/coded.json"),
    out: Annotated[Path, typer.Option(help="The REFI-QDA project to write (.qdpx).")] = Path(
        "build/coded.qdpx"
    ),
    cache_dir: CacheDirOption = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Export the coded reviews as a REFI-QDA project (.qdpx) for QualCoder, NVivo, MAXQDA or ATLAS.ti."""
    _set_verbosity(verbose, quiet)
    from briefgen.export.qdpx import export_project
    from briefgen.files import read_stage
    from briefgen.models import CodedResult

    with handle_errors(), _workers("Exporting", 1, cache_dir) as workers:
        coded_result = read_stage(coded, CodedResult, "briefgen code")
        summary = export_project(coded_result, coded, out, cache_dir=workers.cache_dir, limits=workers.limits)
        console.out.print(
            f"wrote {out} ({summary.sources} sources, {summary.selections} coded selections"
            + (f"; {summary.unplaced} quotes not found in their page, left out" if summary.unplaced else "")
            + ")",
            markup=False,
            soft_wrap=True,
        )


@app.command("index")
def index_command(
    corpus: Annotated[
        Path,
        typer.Argument(metavar="CORPUS_DIR", help="Folder of review documents (PDF, Word .docx, .txt, .md)."),
    ],
    db: Annotated[
        Path, typer.Option("--db", help="The repository: one SQLite file, updated in place.")
    ] = Path("reviews.db"),
    criteria: Annotated[
        Path | None, typer.Option(help="Inclusion criteria YAML (default: shipped criteria).")
    ] = None,
    codebook: Annotated[
        Path | None, typer.Option(help="Codebook YAML (default: shipped police-dhr codebook).")
    ] = None,
    overrides: Annotated[
        Path | None, typer.Option(help="Analyst's screening decisions (YAML); never written.")
    ] = None,
    urls: Annotated[
        Path | None, typer.Option(help="CSV of `source,url`: where each review was published.")
    ] = None,
    jobs: JobsOption = None,
    cache_dir: CacheDirOption = None,
    lexicon: LexiconOption = None,
    no_ocr: NoOcrOption = False,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Keep every review in one searchable SQLite file: pages (full text), decisions, codes and evidence."""
    _set_verbosity(verbose, quiet)
    from briefgen import resources
    from briefgen.repository.index import index_corpus

    with handle_errors(), _workers("Indexing", jobs, cache_dir, no_ocr=no_ocr) as workers:
        report = index_corpus(
            corpus,
            db=db,
            criteria=criteria or resources.default_criteria(),
            codebook=codebook or resources.default_codebook(),
            lexicon=lexicon or resources.default_lexicon(),
            overrides=overrides,
            workers=workers,
            urls=urls,
        )
        console.out.print(
            f"{report.documents} documents ({report.written} written, {report.pages_read} read into pages, "
            f"{report.removed} removed)  ·  {report.pages} pages  ·  {report.cases} coded cases "
            f"({report.coded_now} coded now)",
            markup=False,
        )
        console.out.print(f"wrote {db} ({report.size_bytes / 1e6:.1f} MB)", markup=False, soft_wrap=True)


class DecisionChoice(StrEnum):
    include = "include"
    exclude = "exclude"
    review = "review"


@app.command("search")
def search_command(
    query: Annotated[
        str,
        typer.Argument(
            help='FTS5 query: words, "a phrase", AND / OR / NOT, NEAR(a b, 5), prefix*.', show_default=False
        ),
    ],
    db: Annotated[Path, typer.Option("--db", help="The repository written by `briefgen index`.")] = Path(
        "reviews.db"
    ),
    died_from: Annotated[
        str | None, typer.Option("--from", help="Deaths on or after this date (YYYY-MM-DD or YYYY-MM).")
    ] = None,
    died_to: Annotated[
        str | None, typer.Option("--to", help="Deaths on or before this date (YYYY-MM-DD or YYYY-MM).")
    ] = None,
    force: Annotated[
        str | None, typer.Option(help="Cases in contact with this police force (part of its name).")
    ] = None,
    decision: Annotated[DecisionChoice | None, typer.Option(help="Only reviews with this decision.")] = None,
    code: Annotated[str | None, typer.Option(help="Only cases where this code is present (its id).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many hits.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the hits as CSV.")] = False,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Search the text of every review in the repository: ranked snippets, each cited to its page."""
    _set_verbosity(verbose, quiet)
    from briefgen.repository.search import Filters, search

    with handle_errors():
        if as_json and as_csv:
            from briefgen.errors import UsageError

            raise UsageError("give --json or --csv, not both")
        filters = Filters(
            died_from=died_from,
            died_to=died_to,
            force=force,
            decision=decision.value if decision else None,
            code=code,
        )
        hits = search(db, query, filters=filters, limit=limit)
        if as_json:
            import json

            data = {"query": query, "hits": [hit.as_dict() for hit in hits]}
            sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        elif as_csv:
            from briefgen.tables import table_csv

            header = ["source", "page", "title", "date_of_death", "decision", "ocr", "score", "snippet"]
            rows = [
                [h.source, str(h.page), h.title, h.date_of_death or "", h.decision, "yes" if h.ocr else "",
                 f"{h.score:g}", h.plain()]
                for h in hits
            ]  # fmt: skip
            sys.stdout.write(table_csv(header, rows))
        else:
            _print_hits(query, hits)


@app.command("browse")
def browse_command(
    db: Annotated[
        Path, typer.Argument(metavar="DB", help="The repository written by `briefgen index`.")
    ] = Path("reviews.db"),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8001,
    host: Annotated[
        str,
        typer.Option(help="Address to listen on: 127.0.0.1 (this machine only) unless you choose another."),
    ] = "127.0.0.1",
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Browse the repository in Datasette: reviews, pages, codes, evidence, facets and ready-made queries."""
    _set_verbosity(verbose, quiet)
    from briefgen.repository.browse import check_repository, serve

    with handle_errors():
        check_repository(db)
        console.out.print(
            f"serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", markup=False, soft_wrap=True
        )
        serve(db, host=host, port=port)


def _print_hits(query: str, hits: list[Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from briefgen.repository.search import CLOSE, OPEN

    if not hits:
        console.out.print(Text(console.plain(f"no page matches {query}")))
        return
    table = Table(title=Text(console.plain(f"{len(hits)} pages match {query}")), title_justify="left")
    table.add_column("Review", overflow="fold")
    table.add_column("Page", justify="right", no_wrap=True)
    table.add_column("Died", no_wrap=True)
    table.add_column("Decision", no_wrap=True)
    table.add_column("Snippet", overflow="fold", ratio=1)
    for hit in hits:
        snippet = Text()
        for number, part in enumerate(console.plain(hit.snippet.replace(CLOSE, OPEN)).split(OPEN)):
            snippet.append(part, style="bold yellow" if number % 2 else "")
        if hit.ocr:
            snippet.append(" (OCR text)", style="dim")
        page = f"{'para' if hit.page_unit == 'paragraph' else 'p.'} {hit.page}"
        table.add_row(
            Text(console.plain(hit.source)),
            page,
            Text(console.plain(hit.date_of_death or "-")),
            Text(console.plain(hit.decision)),
            snippet,
        )
    console.out.print(table)


codebook_app = typer.Typer(help="Check, describe and export codebooks.", no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("check")
def codebook_check(
    file: Annotated[Path, typer.Argument(metavar="CODEBOOK_YAML", help="Codebook YAML to check.")],
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Report every problem in a codebook, each with its YAML line."""
    _set_verbosity(verbose, quiet)
    from briefgen.coding.codebook import check_codebook, load_codebook

    with handle_errors():
        problems = check_codebook(file)
        if problems:
            for problem in problems:
                console.error_line(problem)
            raise typer.Exit(3)
        codebook = load_codebook(file)
        console.out.print(
            f"{file}: valid - {len(codebook.themes)} themes, {len(codebook.codes)} codes (version {codebook.version})"
        )


@codebook_app.command("schema")
def codebook_schema(
    out: Annotated[
        Path | None, typer.Option(help="Write the schema here instead of standard output.")
    ] = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Print the codebook JSON Schema, for editors that check YAML as you type (as `briefgen schema codebook`)."""
    _set_verbosity(verbose, quiet)
    _write_schema("codebook", out)


def _write_schema(name: str, out: Path | None) -> None:
    from briefgen.files import write_output
    from briefgen.schemas import json_schema

    with handle_errors():
        schema = json_schema(name)
        if out is None:
            sys.stdout.write(schema)
        else:
            write_output(out, schema.encode())
            console.out.print(f"wrote {out}")


class SchemaName(StrEnum):
    """The YAML files briefgen reads that an analyst writes."""

    codebook = "codebook"
    criteria = "criteria"
    overrides = "overrides"
    corrections = "corrections"
    briefing = "briefing"
    project = "project"
    lexicon = "lexicon"
    labels = "labels"


@app.command("schema")
def schema_command(
    name: Annotated[
        SchemaName, typer.Argument(help="Which file (project is briefgen.yaml).", show_default=False)
    ],
    out: Annotated[
        Path | None, typer.Option(help="Write the schema here instead of standard output.")
    ] = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Print the JSON Schema of a YAML file you write (codebook, criteria, overrides, briefing, briefgen.yaml...)."""
    _set_verbosity(verbose, quiet)
    _write_schema(name.value, out)


@codebook_app.command("export")
def codebook_export(
    file: Annotated[
        Path | None,
        typer.Argument(metavar="[CODEBOOK_YAML]", help="Codebook YAML (default: shipped codebook)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="REFI-QDA codebook file to write (.qdc).")] = Path(
        "build/codebook.qdc"
    ),
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """Export a codebook to REFI-QDA (.qdc), which NVivo, ATLAS.ti, MAXQDA and QualCoder open."""
    _set_verbosity(verbose, quiet)
    from briefgen import resources
    from briefgen.coding.codebook import load_codebook, to_qdc
    from briefgen.files import write_output

    with handle_errors():
        codebook = load_codebook(file or resources.default_codebook())
        write_output(out, to_qdc(codebook).encode())
        console.out.print(f"wrote {out} ({len(codebook.codes)} codes in {len(codebook.themes)} themes)")


NoOcrOption = Annotated[
    bool,
    typer.Option("--no-ocr", help="Do not read scanned PDFs by OCR (it runs when Tesseract is installed)."),
]


@contextmanager
def _workers(
    label: str, jobs: int | None, cache_dir: Path | None, *, no_ocr: bool = False
) -> Iterator[Workers]:
    """How a corpus stage runs, from the options and the environment, with a progress bar on stderr (hidden
    when stderr is not a terminal)."""
    from briefgen.ingest.limits import Limits
    from briefgen.pipeline import Workers, usable_cache_dir
    from briefgen.runner.corpus import default_cache_dir, default_jobs

    limits: Limits = Limits.from_environment()
    if no_ocr:
        from dataclasses import replace

        limits = replace(limits, ocr=False)
    from briefgen.patternverdicts import remembered_in

    folder = usable_cache_dir(cache_dir or default_cache_dir())
    # The lexicon's and codebook's patterns passed the rule check in an earlier run are not checked again.
    with _progress(label) as advance, remembered_in(folder):
        yield Workers(
            jobs=jobs or default_jobs(),
            cache_dir=folder,
            limits=limits,
            progress=advance,
        )


@contextmanager
def _progress(label: str) -> Iterator[Progress]:
    """A progress bar on stderr (hidden when stderr is not a terminal); yields the per-document callback."""
    if not console.err.is_terminal:  # no bar to show, so none to load
        yield lambda done, total, source: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as ProgressBar

    bar = ProgressBar(
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False),
        console=console.err,
        transient=True,
    )
    task = bar.add_task("", total=None)

    def advance(done: int, total: int, source: str) -> None:
        bar.update(task, completed=done, total=total, description=console.plain(source))

    with bar:
        yield advance


_ALL_ROWS = 60  # a corpus this size or smaller is shown document by document


def _print_screening(result: ScreeningResult, out: Path, csv_path: Path) -> None:
    from collections import Counter

    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from briefgen.models import Decision

    counts = result.counts
    # A long corpus shows the documents an analyst must look at (for review, unreadable, overridden); the CSV
    # has every one.
    shown = result.documents
    title = "Screening decisions"
    if len(shown) > _ALL_ROWS:
        shown = [d for d in shown if d.decision is Decision.review or d.problem or d.override is not None]
        title = f"Screening decisions: the {len(shown)} for review or overridden (all {len(result.documents)} in the CSV)"
    if shown:
        table = Table(title=title, title_justify="left", expand=False)
        table.add_column("Document", overflow="fold")
        table.add_column("Date of death", no_wrap=True)
        table.add_column("Decision", no_wrap=True)
        table.add_column("Why", overflow="fold")
        colours = {"include": "green", "exclude": "red", "review": "yellow"}
        sizes = Counter(d.case_group for d in result.documents if d.case_group)
        leads = {d.case_group: d.source for d in result.documents if d.case_group and d.case_role == "lead"}
        for document in shown:
            why = (
                f"unreadable: {document.problem.value.replace('_', ' ')}"
                if document.problem
                else (
                    document.exclusion_reason
                    or ("all criteria met" if document.decision == "include" else "")
                )
            )
            if document.decision == "review" and not document.problem:
                unknown = [r.id for r in document.criteria if r.result == "unknown"]
                why = "; ".join(unknown) + " unknown" if unknown else document.reasons[0]
            if document.override is not None:
                why = document.reasons[0]  # the analyst's decision and reason, not the machine's
            marker = " (override)" if document.override else ""
            if sizes.get(document.case_group or "", 0) > 1:  # one case in several documents: counted once
                role = (
                    "lead"
                    if document.case_role == "lead"
                    else f"counted under {leads[document.case_group or '']}"
                )
                why += f"\ncase {document.case_group}: {role}"
            # Names and reasons come from outside (a file named `[red]x.pdf`): Text shows them as they are.
            table.add_row(
                Text(console.plain(document.source)),
                Text(console.plain(document.incident_date or "-")),
                Text(f"{document.decision.value}{marker}", style=colours[document.decision.value]),
                Text(console.plain(why)),
            )
        console.out.print(table)
    excluded = ", ".join(f"{reason} {n}" for reason, n in counts.excluded_by_reason.items())
    console.out.print(
        f"identified {counts.identified}  ·  unreadable {counts.unreadable}  ·  screened {counts.screened}  ·  "
        f"excluded {counts.excluded}{f' ({escape(console.plain(excluded))})' if excluded else ''}  ·  "
        f"[green]included {counts.included}[/]  ·  [yellow]for review {counts.review}[/]"
        + (f"  ·  overridden {counts.overridden}" if counts.overridden else "")
        + (
            f"  ·  cases {counts.cases} ({counts.included_cases} included)"
            if counts.cases is not None and counts.cases != counts.identified
            else ""
        )
    )
    console.out.print(Text(console.plain(f"wrote {out} and {csv_path}")), soft_wrap=True)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `briefgen ... | head` closed the pipe: not an error
        sys.stderr.close()
        sys.exit(0)
