"""The layout is the architecture: what each package may import, and what each command loads.

ARCHITECTURE.md describes these rules; the tests keep them true.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.errors import ExitCode
from tests.conftest import run

PACKAGE = Path(__file__).parents[1] / "src" / "briefgen"

SHARED = {
    "models", "errors", "files", "resources", "yamlio", "text", "lexicon", "fastscan", "police", "people",
    "reporting", "console", "tables", "patternverdicts", "numwords",
}  # fmt: skip
STAGES = [
    "ingest",
    "screen",
    "coding",
    "render",
    "runner",
    "pipeline",
    "repository",
    "project",
]  # and the analyst's tools below
# What each part may import besides the shared pieces and itself. Nothing imports upward.
MAY_IMPORT = {
    "shared": set(),
    "ingest": set(),
    "screen": {"ingest"},
    "coding": set(),
    "render": set(),
    "runner": {"ingest", "screen", "coding"},
    "corrections": {"coding", "agree"},
    "review": {"corrections", "render"},
    "export": {"runner", "ingest"},
    "pipeline": {"ingest", "screen", "coding", "render", "runner", "corrections", "review"},
    "repository": {"ingest", "screen", "coding", "runner", "pipeline"},
    "project": {
        "ingest",
        "screen",
        "coding",
        "render",
        "runner",
        "pipeline",
        "corrections",
        "review",
        "repository",
    },
    "evaluate": set(),
    "agree": set(),
    "schemas": {*STAGES, "evaluate", "corrections"},
    "cli": {*STAGES, "evaluate", "agree", "schemas", "corrections", "review", "export"},
    "__main__": {"cli"},
}


def part_of(module: str) -> str:
    """'briefgen.screen.judge' -> 'screen'; every shared module -> 'shared'."""
    first = module.split(".")[1] if "." in module else ""
    return "shared" if first in SHARED or first == "" else first


def imports_of(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "briefgen":
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if (PACKAGE / a.name).is_dir())
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "briefgen")
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_upward(module: str) -> None:
    """A module imports only shared pieces, its own package and the stages before it."""
    part = part_of(module)
    allowed = {"shared", part, *MAY_IMPORT[part]}
    for imported in imports_of(MODULES[module], top_level_only=False):
        assert part_of(imported) in allowed, f"{module} imports {imported}"


def test_there_are_no_import_cycles() -> None:
    """Module-level imports form no cycle, so any module can be imported first."""
    graph = {
        name: {i for i in imports_of(path, top_level_only=True) if i in MODULES and i != name}
        for name, path in MODULES.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for imported in graph[name]:
            visit(imported, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def imported_by(*args: str) -> str:
    """The modules a briefgen command imports, from Python's own import log."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefgen", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stderr


def test_version_loads_neither_the_renderer_nor_the_models() -> None:
    """`briefgen --version` starts without WeasyPrint, pydantic or the stages."""
    log = imported_by("--version")
    for heavy in ("weasyprint", "pydantic", "briefgen.models", "pypdfium2"):
        assert f" {heavy}\n" not in log and f" {heavy}." not in log, heavy


def test_screening_never_loads_the_renderer(tmp_path: Path) -> None:
    """`briefgen screen` reads and screens a corpus without importing WeasyPrint or Jinja."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "review.txt").write_text("Domestic Homicide Review into the death of Ann.\n", encoding="utf-8")
    log = imported_by("-q", "screen", str(corpus), "--out", str(tmp_path / "out" / "screening.json"))
    assert "weasyprint" not in log
    assert "jinja2" not in log


def test_help_lists_every_exit_code() -> None:
    """The top-level help names each exit code and what it means."""
    result = run("--help")
    text = " ".join(result.output.split())
    for code in ExitCode:
        assert f"{code.value} {code.meaning}" in text


class TestVerbose:
    """-v tells what each document was decided and how long each stage took."""

    def test_verbose_screen_reports_each_decision_and_the_time(self, tmp_path: Path) -> None:
        """Each document's decision, and the stage's time, appear on stderr with -v."""
        samples = Path(__file__).parents[1] / "samples" / "corpus"
        result = run("-v", "screen", samples, "--out", tmp_path / "screening.json")
        assert result.exit_code == ExitCode.OK, result.output
        assert "dhr-greyford-ruth.pdf: exclude (before_cutoff)" in result.output
        assert "dhr-ashbury-ioana.pdf: include" in result.output
        assert "screening took" in result.output

    def test_without_verbose_there_is_no_such_detail(self, tmp_path: Path) -> None:
        """The default output keeps to the table and the warnings."""
        samples = Path(__file__).parents[1] / "samples" / "corpus"
        result = run("screen", samples, "--out", tmp_path / "screening.json")
        assert "screening took" not in result.output
        assert "dhr-ashbury-ioana.pdf: include" not in result.output
