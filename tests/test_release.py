"""Release checks: `briefgen build` refuses a briefing with placeholders or no cases, and with --draft builds
it with a warning for each problem."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.errors import ExitCode
from briefgen.render.release import placeholders
from tests.conftest import CORPUS, SAMPLES, run


def project(tmp_path: Path, *documents: str, briefing: str | None = None) -> Path:
    """A project with the samples' settings (not a draft) and the given sample documents."""
    root = tmp_path / "project"
    (root / "corpus").mkdir(parents=True)
    config = (SAMPLES / "briefgen.yaml").read_text(encoding="utf-8")
    (root / "briefgen.yaml").write_text(
        "\n".join(line for line in config.splitlines() if not line.startswith("draft:")) + "\n"
    )
    (root / "briefing.yaml").write_text(briefing or (SAMPLES / "briefing.yaml").read_text(encoding="utf-8"))
    for name in documents:
        shutil.copy(CORPUS / name, root / "corpus" / name)
    return root


def released(text: str) -> str:
    """The sample briefing with real-looking contact details instead of example.org."""
    return text.replace("dhr-learning@example.org", "dhr-learning@police.uk").replace(
        "https://example.org/dhr-briefing-feedback", "https://www.police.uk/feedback"
    )


class TestPlaceholders:
    def test_example_org_and_todo_are_found_with_their_lines(self, tmp_path: Path) -> None:
        """example.org addresses and TODOs in the briefing file are reported with their line numbers."""
        path = tmp_path / "briefing.yaml"
        path.write_text("title: A\nemail: a@example.org\nnext_steps: TODO write this\n# TODO in a comment\n")
        assert placeholders(path) == ["line 2: an example.org address or link", "line 3: a TODO"]


class TestBuild:
    def test_a_briefing_with_placeholders_is_refused(self, tmp_path: Path) -> None:
        """The sample briefing's example.org contact stops a release build with one line naming it."""
        result = run("build", project(tmp_path, "dhr-greyford-ruth.pdf"), "-j", "1")
        assert result.exit_code == ExitCode.INVALID_INPUT
        assert "not ready for release: briefing.yaml line" in result.stderr
        assert "example.org" in result.stderr
        assert "--draft" in result.stderr

    def test_no_included_case_is_refused(self, tmp_path: Path) -> None:
        """A corpus with no included review is not released as an empty briefing."""
        briefing = released((SAMPLES / "briefing.yaml").read_text(encoding="utf-8"))
        result = run("build", project(tmp_path, "dhr-greyford-ruth.pdf", briefing=briefing), "-j", "1")
        assert result.exit_code == ExitCode.INVALID_INPUT
        assert "no case is included" in result.stderr

    def test_draft_builds_and_warns(self, tmp_path: Path) -> None:
        """With --draft the briefing is built, and each problem is a warning."""
        root = project(tmp_path, "dhr-greyford-ruth.pdf")
        result = run("build", root, "-j", "1", "--draft")
        assert result.exit_code == 0, result.stderr
        assert "warning: draft: briefing.yaml line" in result.stderr
        assert "warning: draft: no case is included" in result.stderr
        assert (root / "build" / "edition-1" / "briefing.pdf").is_file()
