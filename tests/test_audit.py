"""What an outside audit found, held: a case that cannot be coded, two builds at once, and the command line."""

from __future__ import annotations

import fcntl
import json
import re
import shutil
from pathlib import Path

import pytest

from briefgen import resources
from briefgen.errors import ExitCode
from briefgen.models import CodedResult
from briefgen.schemas import SCHEMAS, file_name, json_schema
from tests.conftest import CORPUS, run

ROOT = Path(__file__).parents[1]


class TestCaseThatCannotBeCoded:
    def test_coding_goes_on_and_lists_the_case_not_coded(self, tmp_path: Path) -> None:
        """An analyst includes a scanned review read on paper: `code` codes the rest and names it as not coded."""
        overrides = tmp_path / "overrides.yaml"
        overrides.write_text(
            "overrides:\n  - document: dhr-northgate-scanned.pdf\n    decision: include\n"
            "    reason: Read on paper.\n",
            encoding="utf-8",
        )
        screening = tmp_path / "screening.json"
        assert run("screen", CORPUS, "--overrides", overrides, "--out", screening).exit_code == 0
        result = run("code", screening, "--out", tmp_path / "coded.json")
        assert result.exit_code == ExitCode.OK, result.output
        coded = CodedResult.model_validate_json((tmp_path / "coded.json").read_bytes())
        assert [item.source for item in coded.not_coded] == ["dhr-northgate-scanned.pdf"]
        assert "no text layer" in coded.not_coded[0].reason
        included = json.loads(screening.read_text(encoding="utf-8"))["counts"]["included_cases"]
        assert len(coded.cases) == included - 1  # every included case but the scan
        assert "dhr-northgate-scanned.pdf: not coded" in result.stderr
        assert "not coded 1" in result.stdout


class TestOneBuildAtATime:
    def test_a_second_build_of_a_project_is_refused_while_one_runs(self, tmp_path: Path) -> None:
        """While a build holds the project's output folder, another is refused at once with one line."""
        project = tmp_path / "project"
        assert run("init", project).exit_code == 0
        lock = project / "build" / ".briefgen.lock"
        lock.parent.mkdir(parents=True)
        with lock.open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            result = run("build", project)
        assert result.exit_code == ExitCode.USAGE
        assert "another build of this project is running" in result.stderr
        assert not (project / "build" / "edition-1").exists()


class TestCommandLine:
    def test_flags_show_no_value_in_help(self) -> None:
        """A flag that takes no value is shown without a type in the help."""
        for command in ("build", "screen", "eval"):
            assert "<bool>" not in run(command, "--help").output

    @pytest.mark.parametrize("where", ["before", "after"])
    def test_quiet_works_before_or_after_the_command(self, tmp_path: Path, where: str) -> None:
        """`briefgen -q screen ...` and `briefgen screen -q ...` are both quiet."""
        args = ["screen", CORPUS, "--out", tmp_path / "s.json"]
        result = run("-q", *args) if where == "before" else run(*args, "-q")
        assert result.exit_code == 0
        assert result.stdout == ""
        assert "warning" not in result.stderr

    def test_verbose_works_after_the_command(self, tmp_path: Path) -> None:
        """`briefgen screen -v ...` reports each decision."""
        result = run("screen", CORPUS, "--out", tmp_path / "s.json", "-v")
        assert "dhr-greyford-ruth.pdf: exclude (before_cutoff)" in result.stderr

    def test_shell_completion_can_be_installed(self) -> None:
        """The top-level help offers shell completion."""
        output = run("--help").output
        assert "--install-completion" in output
        assert "--show-completion" in output


class TestSchemas:
    @pytest.mark.parametrize("name", sorted(SCHEMAS))
    def test_the_shipped_schema_is_the_one_briefgen_reads_with(self, name: str) -> None:
        """codebooks/NAME.schema.json equals the schema of the model that reads the file."""
        assert (resources.codebooks_dir() / file_name(name)).read_text(encoding="utf-8") == json_schema(name)

    @pytest.mark.parametrize("name", sorted(SCHEMAS))
    def test_schema_command_prints_each_schema(self, name: str) -> None:
        """`briefgen schema NAME` prints a JSON Schema titled for the file."""
        result = run("schema", name)
        assert result.exit_code == 0
        assert json.loads(result.stdout)["title"] == f"briefgen {name}"

    @pytest.mark.parametrize(
        "yaml_file",
        [
            "codebooks/police-dhr.yaml",
            "codebooks/criteria.yaml",
            "codebooks/lexicon.yaml",
            "templates/default-briefing.yaml",
            "samples/briefing.yaml",
            "samples/briefgen.yaml",
            "samples/corrections.yaml",
        ],
    )
    def test_each_shipped_yaml_names_a_schema_that_exists(self, yaml_file: str) -> None:
        """The first line of each shipped YAML file points editors to its schema, which is there."""
        path = ROOT / yaml_file
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        assert (path.parent / match[1]).is_file()

    def test_a_new_project_has_the_schemas_its_files_name(self, tmp_path: Path) -> None:
        """`init` copies the schemas beside the files that name them."""
        project = tmp_path / "p"
        assert run("init", project).exit_code == 0
        for name in ("briefgen.yaml", "criteria.yaml", "codebook.yaml", "briefing.yaml"):
            first = (project / name).read_text(encoding="utf-8").splitlines()[0]
            schema = first.split("$schema=")[1]
            assert (project / schema).is_file(), (name, schema)
        assert (project / "overrides.schema.json").is_file()


class TestOutputsNeverReplaceInputs:
    """Whatever `--out` says, briefgen never writes over a file the analyst edits, or one output over another."""

    def test_render_refuses_to_write_the_pdf_over_the_briefing_file(
        self, built: Path, tmp_path: Path
    ) -> None:
        """`render --briefing b.yaml --out b.yaml` stops with one line and leaves the briefing file as it was."""
        briefing = tmp_path / "b.yaml"
        shutil.copy(ROOT / "samples" / "briefing.yaml", briefing)
        before = briefing.read_bytes()
        result = run("render", built / "coded.json", "--briefing", briefing, "--out", briefing)
        assert result.exit_code == ExitCode.USAGE
        assert f"{briefing}: is the briefing" in result.stderr
        assert briefing.read_bytes() == before

    def test_screen_refuses_to_write_over_the_overrides(self, tmp_path: Path) -> None:
        """`screen --overrides ov.yaml --out ov.yaml` stops before screening and keeps the overrides."""
        overrides = tmp_path / "ov.yaml"
        overrides.write_text("overrides: []\n", encoding="utf-8")
        result = run("screen", CORPUS, "--overrides", overrides, "--out", overrides)
        assert result.exit_code == ExitCode.USAGE
        assert "is the overrides" in result.stderr
        assert overrides.read_text(encoding="utf-8") == "overrides: []\n"

    def test_code_refuses_to_write_over_the_codebook(self, built: Path, tmp_path: Path) -> None:
        """`code --codebook c.yaml --out c.yaml` stops and keeps the codebook."""
        codebook = tmp_path / "c.yaml"
        shutil.copy(resources.default_codebook(), codebook)
        result = run("code", built / "screening.json", "--codebook", codebook, "--out", codebook)
        assert result.exit_code == ExitCode.USAGE
        assert "is the codebook" in result.stderr

    def test_a_csv_out_path_gets_its_own_csv_name(self, tmp_path: Path) -> None:
        """`--out s.csv` writes the JSON to s.csv and the CSV to s.csv.csv, never both to one path."""
        result = run("screen", CORPUS, "--out", tmp_path / "s.csv")
        assert result.exit_code == 0
        assert json.loads((tmp_path / "s.csv").read_text(encoding="utf-8"))["documents"]
        assert (tmp_path / "s.csv.csv").read_bytes().startswith(b"\xef\xbb\xbfsource")


class TestRenderWritesBothOrNeither:
    def test_an_interrupted_render_leaves_the_old_html_and_pdf(
        self, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Interrupted while making the PDF, render has written no new HTML beside the old PDF."""
        html, pdf = tmp_path / "b.html", tmp_path / "b.pdf"
        html.write_text("old html", encoding="utf-8")
        pdf.write_bytes(b"old pdf")

        def interrupted(*args: object, **kwargs: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr("briefgen.render.pdf.pdf_bytes", interrupted)
        result = run("render", built / "coded.json", "--out", pdf, "--html", html)
        assert result.exit_code == ExitCode.INTERRUPTED
        assert html.read_text(encoding="utf-8") == "old html"
        assert pdf.read_bytes() == b"old pdf"
