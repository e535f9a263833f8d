"""The two consoles: results to stdout, errors and progress to stderr."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def configure_logging(verbosity: int) -> None:
    """-q gives errors only, the default warnings, -v info and -vv debug."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    out.quiet = verbosity < 0
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=err, show_time=False, show_path=False, markup=False)],
        force=True,
    )


def error_line(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)


def warning_line(message: str) -> None:
    if not out.quiet:
        err.print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True)
