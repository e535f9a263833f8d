"""The two consoles: results to stdout, errors, warnings and progress to stderr.

The library logs (`logging`); this module decides how a log record looks on the terminal. Text that comes from
outside (file names, review text) is printed as plain text: rich markup in it is not interpreted, and terminal
control characters (ANSI escapes) are shown as `?`, so a file name cannot restyle or rewrite the screen.
"""

from __future__ import annotations

import logging
import re

from rich.console import Console
from rich.text import Text

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """Outside text made safe for a terminal: control characters (ANSI escapes among them) become `?`."""
    return _CONTROL.sub("?", text)


def _line(label: str, style: str, message: str) -> Text:
    line = Text()
    line.append(label, style=style)
    line.append(plain(message))
    return line


def error_line(message: str) -> None:
    err.print(_line("error: ", "bold red", message), soft_wrap=True)


def warning_line(message: str) -> None:
    if not out.quiet:
        err.print(_line("warning: ", "yellow", message), soft_wrap=True)


class _TerminalHandler(logging.Handler):
    """Warnings as `warning: ...` lines; -v's information and -vv's debugging as dim lines."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not end the run
            message = str(record.msg)
        if record.levelno >= logging.ERROR:
            error_line(message)
        elif record.levelno >= logging.WARNING:
            warning_line(message)
        else:
            err.print(_line("", "dim", message), style="dim", soft_wrap=True)


def configure_logging(verbosity: int) -> None:
    """-q gives errors only, the default warnings, -v information (each document's decision, each stage's
    time) and -vv debugging."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    out.quiet = verbosity < 0
    root = logging.getLogger("briefgen")
    root.handlers[:] = [_TerminalHandler()]
    root.setLevel(level)
    root.propagate = False
