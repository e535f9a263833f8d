"""The two consoles: results to stdout, errors and progress to stderr."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def configure_logging(verbosity: int) -> None:
    """-q gives errors only, the default warnings, -v info and -vv debug."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=err, show_time=False, show_path=False, markup=False)],
        force=True,
    )


def error_line(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True, highlight=False)


def warning_line(message: str) -> None:
    err.print(f"[yellow]warning:[/] {message}", markup=True, soft_wrap=True, highlight=False)
