"""How a stage tells its caller what it is doing, written once: the callbacks a command passes in.

The library never prints. A stage that runs over many documents calls `Progress` after each one and `Warn` for
each problem that does not stop it (an unreadable file, an override that matches nothing); the CLI draws the
progress bar and prints the warnings, and a test can collect them in a list.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""Called after each document with (done, total, source)."""

Warn = Callable[[str], None]
"""Called with one line for each problem that does not stop the stage."""
