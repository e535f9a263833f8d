"""Inputs that do not fit together are refused or warned about, never accepted in silence.

An agreement file made for other cases, a human coding CSV with a misspelt code or an empty cell, a briefing
naming a case type the codebook does not have, a YAML key given twice, two overrides for one document, and a
stage file that is not what it should be: each gets one line naming the file and the problem.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest

from briefgen.coding.codebook import check_codebook, load_codebook
from briefgen.errors import BriefingInvalid, InputFileError, OverridesInvalid, StageInputInvalid
from briefgen.evaluate import load_labels
from briefgen.lexicon import load_lexicon
from briefgen.models import AgreedCase, AgreementReport, CodeAgreement, CodedResult, Decision, ScreeningResult
from briefgen.project.config import load_project
from briefgen.render.briefing import check_agreement, check_briefing, default_briefing, load_briefing
from briefgen.render.html import render_html
from briefgen.resources import default_codebook
from briefgen.screen.criteria import load_criteria
from briefgen.screen.overrides import apply_overrides, load_overrides
from tests.conftest import CORPUS, run

FIXTURE = Path(__file__).parent / "fixtures" / "coded-small.json"


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def one_line(text: str) -> str:
    """The error output as one line, as a terminal of any width would show it."""
    return " ".join(text.split())


# --- briefgen agree ------------------------------------------------------------------------------------------


class TestHumanCoding:
    def test_a_misspelt_code_column_is_refused_with_the_nearest_code(
        self, built: Path, tmp_path: Path
    ) -> None:
        """A column that is not a code id is an error naming it and the code id it was probably meant to be."""
        rows = rows_of(built / "coded.csv")
        rows[0][rows[0].index("stalking")] = "stalkng"
        human = write_rows(tmp_path / "human.csv", rows)
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 3
        assert (
            "human.csv: column 'stalkng' is not a code id of the codebook; did you mean 'stalking'?"
            in one_line(result.stderr)
        )
        assert not (tmp_path / "agreement.json").exists()

    def test_a_column_like_no_code_is_refused(self, built: Path, tmp_path: Path) -> None:
        """A column that resembles no code id is still an error, named."""
        human = write_rows(tmp_path / "human.csv", [["source", "stalking", "notes"], ["x.pdf", "1", "hello"]])
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 3
        assert "column 'notes' is not a code id of the codebook" in one_line(result.stderr)

    def test_a_row_for_another_case_is_a_warning_with_its_line(self, built: Path, tmp_path: Path) -> None:
        """A row whose source is not a coded case is left out with a warning naming the CSV line."""
        rows = rows_of(built / "coded.csv")
        stranger = [*rows[1]]
        stranger[0] = "dhr-nowhere-nobody.pdf"
        human = write_rows(tmp_path / "human.csv", [rows[0], rows[1], stranger, *rows[2:]])
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 0, result.output
        assert "human.csv: line 3: 'dhr-nowhere-nobody.pdf' is not a case in the coded file; row ignored" in (
            one_line(result.stderr)
        )
        report = AgreementReport.model_validate_json((tmp_path / "agreement.json").read_bytes())
        assert report.cases == len(rows) - 1
        assert "dhr-nowhere-nobody.pdf" not in {case.source for case in report.covered}

    def test_no_matching_row_is_an_error(self, built: Path, tmp_path: Path) -> None:
        """When no row names a coded case, nothing is compared and the command fails."""
        human = write_rows(tmp_path / "human.csv", [["source", "stalking"], ["other.pdf", "1"]])
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 3
        assert "no row matches a case in the coded file" in one_line(result.stderr)

    def test_an_empty_cell_is_an_error_naming_line_and_column(self, built: Path, tmp_path: Path) -> None:
        """A blank code cell is not read as 'absent': the line and column are named."""
        rows = rows_of(built / "coded.csv")
        rows[2][rows[0].index("stalking")] = " "
        human = write_rows(tmp_path / "human.csv", rows)
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 3
        assert "human.csv: line 3, column stalking: the cell is empty" in one_line(result.stderr)

    def test_a_case_given_twice_is_an_error(self, built: Path, tmp_path: Path) -> None:
        """Two rows for one case (by path and by file name alike) name both lines."""
        rows = rows_of(built / "coded.csv")
        human = write_rows(tmp_path / "human.csv", [*rows, rows[1]])
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 3
        assert f"line {len(rows) + 1}: {rows[1][0]} is coded again (first on line 2)" in one_line(
            result.stderr
        )

    def test_the_true_and_false_words_are_accepted(self, built: Path, tmp_path: Path) -> None:
        """1/0, yes/no, y/n, true/false, t/f, present/absent and x are read, in any case."""
        coded = CodedResult.model_validate_json((built / "coded.json").read_bytes())
        words = ["1", "Yes", "y", "TRUE", "t", "present", "x", "0", "No", "n", "false", "F", "absent"]
        rows = [["source", "stalking"]] + [
            [case.source, words[i % len(words)]] for i, case in enumerate(coded.cases)
        ]
        human = write_rows(tmp_path / "human.csv", rows)
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 0, result.output
        report = AgreementReport.model_validate_json((tmp_path / "agreement.json").read_bytes())
        assert report.codes[0].human_present == sum(i % len(words) < 7 for i in range(len(coded.cases)))

    def test_the_report_records_the_cases_it_covers(self, built: Path, tmp_path: Path) -> None:
        """The agreement file lists each case compared, by source and sha256."""
        coded = CodedResult.model_validate_json((built / "coded.json").read_bytes())
        result = run("agree", built / "coded.json", built / "coded.csv", "--out", tmp_path / "agreement.json")
        assert result.exit_code == 0, result.output
        report = AgreementReport.model_validate_json((tmp_path / "agreement.json").read_bytes())
        assert [(c.source, c.sha256) for c in report.covered] == [(c.source, c.sha256) for c in coded.cases]

    def test_the_output_never_replaces_the_human_file(self, built: Path, tmp_path: Path) -> None:
        """`--out` naming the human coding file is refused before anything is written."""
        human = write_rows(tmp_path / "human.csv", rows_of(built / "coded.csv"))
        before = human.read_bytes()
        result = run("agree", built / "coded.json", human, "--out", human)
        assert result.exit_code == 2
        assert human.read_bytes() == before


# --- briefgen render --agreement -----------------------------------------------------------------------------


def small_agreement(coded: CodedResult, covered: list[AgreedCase]) -> AgreementReport:
    return AgreementReport(
        human_file="human.csv",
        cases=len(covered),
        covered=covered,
        codes=[CodeAgreement(code="stalking", agreement=1.0, kappa=1.0, machine_present=1, human_present=1)],
        overall_agreement=1.0,
        overall_kappa=1.0,
    )


class TestAgreementInRender:
    def test_an_agreement_for_other_cases_is_refused(self, built: Path, tmp_path: Path) -> None:
        """Rendering with an agreement file whose cases the coded file lacks fails, naming the file."""
        assert (
            run(
                "agree", built / "coded.json", built / "coded.csv", "--out", tmp_path / "agreement.json"
            ).exit_code
            == 0
        )
        coded = json.loads((built / "coded.json").read_text())
        dropped = coded["cases"].pop(0)["source"]
        (tmp_path / "fewer.json").write_text(json.dumps(coded))
        result = run(
            "render",
            tmp_path / "fewer.json",
            "--agreement",
            tmp_path / "agreement.json",
            "--out",
            tmp_path / "b.pdf",
        )
        assert result.exit_code == 3
        message = one_line(result.stderr)
        assert "agreement.json: is for other cases: 1 of its" in message
        assert f"is not in the coded file ({dropped})" in message
        assert not (tmp_path / "b.pdf").exists()

    def test_an_agreement_for_some_of_the_cases_is_counted_as_such(self) -> None:
        """An agreement over two of the four coded cases passes, and the methodology says two cases."""
        coded = CodedResult.model_validate_json(FIXTURE.read_bytes())
        covered = [AgreedCase(source=case.source, sha256=case.sha256) for case in coded.cases[:2]]
        report = small_agreement(coded, covered)
        check_agreement(report, coded, path=Path("agreement.json"))
        text = " ".join(
            unescape(
                re.sub(
                    r"<[^>]+>", " ", render_html(coded, load_briefing(default_briefing()), agreement=report)
                )
            ).split()
        )
        assert "An analyst coded two cases by hand" in text

    def test_a_case_is_known_by_its_content(self) -> None:
        """A covered case with a sha256 the coded file lacks is refused even when its path matches."""
        coded = CodedResult.model_validate_json(FIXTURE.read_bytes())
        covered = [AgreedCase(source=coded.cases[0].source, sha256="0" * 64)]
        with pytest.raises(StageInputInvalid, match="is for other cases"):
            check_agreement(small_agreement(coded, covered), coded, path=Path("agreement.json"))

    def test_an_agreement_file_without_its_cases_is_refused(self, built: Path, tmp_path: Path) -> None:
        """An agreement file that does not list its cases (an older briefgen's) must be made again."""
        old = tmp_path / "agreement.json"
        old.write_text(
            json.dumps(
                {
                    "human_file": "h.csv",
                    "cases": 16,
                    "codes": [],
                    "overall_agreement": 1,
                    "overall_kappa": None,
                }
            )
        )
        result = run("render", built / "coded.json", "--agreement", old, "--out", tmp_path / "b.pdf")
        assert result.exit_code == 3
        assert (
            "agreement.json: is not an agreement file from this version of briefgen (missing field 'covered'); "
            "rerun `briefgen agree`" in one_line(result.stderr)
        )


# --- the briefing's case type --------------------------------------------------------------------------------


def briefing_with_case_type(tmp_path: Path, case_type: str) -> Path:
    text = default_briefing().read_text(encoding="utf-8")
    assert "\nspecial_theme:\n" in text
    path = tmp_path / "briefing.yaml"
    path.write_text(text.replace("\nspecial_theme:\n", f"\nspecial_theme:\n  case_type: {case_type}\n"))
    return path


class TestCaseType:
    def test_an_unknown_case_type_is_refused_with_its_line(self, built: Path, tmp_path: Path) -> None:
        """A misspelt special_theme.case_type stops the render with its YAML line and the known types."""
        briefing = briefing_with_case_type(tmp_path, "rapid")
        line = briefing.read_text().splitlines().index("  case_type: rapid") + 1
        result = run("render", built / "coded.json", "--briefing", briefing, "--out", tmp_path / "b.pdf")
        assert result.exit_code == 3
        assert (
            f"briefing.yaml: line {line}: special_theme.case_type: 'rapid' is not a case type of the codebook "
            "(rapidly_escalating, long_term)" in one_line(result.stderr)
        )

    def test_a_case_type_no_case_has_is_accepted(self, built: Path, tmp_path: Path) -> None:
        """Every case type the codebook can give is accepted, whether or not a coded case has it."""
        coded = CodedResult.model_validate_json((built / "coded.json").read_bytes())
        assert coded.codebook.case_types == ["rapidly_escalating", "long_term"]
        briefing = briefing_with_case_type(tmp_path, "long_term")
        check_briefing(load_briefing(briefing), coded, path=briefing)

    def test_a_file_coded_without_case_types_checks_against_its_cases(self, tmp_path: Path) -> None:
        """A coded file from before case types were recorded is checked against the types its cases have."""
        coded = CodedResult.model_validate_json(FIXTURE.read_bytes())
        coded = coded.model_copy(update={"codebook": coded.codebook.model_copy(update={"case_types": []})})
        briefing = briefing_with_case_type(tmp_path, "long_term")
        check_briefing(load_briefing(briefing), coded, path=briefing)
        briefing = briefing_with_case_type(tmp_path, "rapid")
        with pytest.raises(BriefingInvalid, match="'rapid' is not a case type"):
            check_briefing(load_briefing(briefing), coded, path=briefing)

    def test_the_codebook_s_special_case_type_must_be_one_of_its_types(self, tmp_path: Path) -> None:
        """A codebook whose special theme names a case type its rules never give is invalid."""
        text = default_codebook().read_text(encoding="utf-8")
        assert "  case_type: rapidly_escalating\n" in text
        codebook = tmp_path / "codebook.yaml"
        codebook.write_text(text.replace("  case_type: rapidly_escalating\n", "  case_type: rapid\n"))
        problems = check_codebook(codebook)
        assert any("special_theme.case_type 'rapid' is not a case type" in problem for problem in problems)
        with pytest.raises(InputFileError, match="'rapid' is not a case type"):
            load_codebook(codebook)


# --- duplicate YAML keys -------------------------------------------------------------------------------------

YAML_LOADERS: dict[str, Callable[[Path], object]] = {
    "criteria": load_criteria,
    "codebook": load_codebook,
    "overrides": load_overrides,
    "lexicon": load_lexicon,
    "briefing": load_briefing,
    "labels": load_labels,
}


class TestDuplicateKeys:
    @pytest.mark.parametrize("which", sorted(YAML_LOADERS))
    def test_every_yaml_input_refuses_a_key_given_twice(self, tmp_path: Path, which: str) -> None:
        """Each kind of YAML input names the file, the line and the repeated key, instead of keeping the last."""
        path = tmp_path / f"{which}.yaml"
        path.write_text("title: one\nversion: '1'\ntitle: two\n", encoding="utf-8")
        with pytest.raises(InputFileError) as caught:
            YAML_LOADERS[which](path)
        assert str(caught.value) == f"{path}: line 3: key 'title' is given twice (also on line 1)"

    def test_the_project_file_refuses_a_key_given_twice(self, tmp_path: Path) -> None:
        """briefgen.yaml is checked the same way."""
        (tmp_path / "briefgen.yaml").write_text("corpus: corpus\noutput: build\ncorpus: other\n")
        with pytest.raises(InputFileError, match=r"briefgen.yaml: line 3: key 'corpus' is given twice"):
            load_project(tmp_path)

    def test_a_nested_repeat_is_found_on_its_line(self, tmp_path: Path) -> None:
        """A repeat inside a list item is reported at its own line, through the CLI as one error line."""
        overrides = tmp_path / "overrides.yaml"
        overrides.write_text(
            "overrides:\n  - document: a.pdf\n    decision: include\n    reason: x\n    decision: exclude\n"
        )
        result = run("screen", CORPUS, "--overrides", overrides, "--out", tmp_path / "s.json")
        assert result.exit_code == 3
        assert one_line(result.stderr) == (
            f"error: {overrides}: line 5: key 'decision' is given twice (also on line 3)"
        )

    def test_keys_equal_as_values_are_one_key(self, tmp_path: Path) -> None:
        """`1` and `1.0` are the same key once read, so they are a repeat too."""
        path = tmp_path / "labels.yaml"
        path.write_text("samples:\n  1: a\n  1.0: b\n")
        with pytest.raises(InputFileError, match=r"line 3: key '1\.0' is given twice"):
            load_labels(path)

    def test_a_merge_may_be_overridden(self, tmp_path: Path) -> None:
        """A key that overrides one merged in with `<<:` is not a repeat."""
        path = tmp_path / "overrides.yaml"
        path.write_text(
            "base: &base {decision: include, reason: r}\n"
            "overrides:\n  - <<: *base\n    document: a.pdf\n    reason: own reason\n"
        )
        with pytest.raises(OverridesInvalid, match="base: unknown field"):
            load_overrides(path)  # gets past the key check, to the model


# --- overrides -----------------------------------------------------------------------------------------------


def overrides_yaml(tmp_path: Path, *entries: tuple[str, str, str]) -> Path:
    path = tmp_path / "overrides.yaml"
    path.write_text(
        "overrides:\n"
        + "".join(
            f"  - document: {d}\n    decision: {decision}\n    reason: {r}\n" for d, decision, r in entries
        )
    )
    return path


class TestConflictingOverrides:
    def test_two_decisions_for_one_path_are_refused_on_loading(self, tmp_path: Path) -> None:
        """Two overrides naming one path with different decisions name both YAML lines."""
        path = overrides_yaml(
            tmp_path, ("a.pdf", "include", "x"), ("b.pdf", "exclude", "y"), ("a.pdf", "exclude", "z")
        )
        with pytest.raises(OverridesInvalid) as caught:
            load_overrides(path)
        assert str(caught.value) == (
            f"{path}: line 2 and line 8 give 'a.pdf' two decisions (include and exclude); keep one"
        )

    def test_a_path_and_a_sha256_of_one_document_must_agree(self, built: Path, tmp_path: Path) -> None:
        """An override by path and one by sha256 that reach the same document with different decisions fail."""
        documents = ScreeningResult.model_validate_json((built / "screening.json").read_bytes()).documents
        target = next(d for d in documents if d.source == "dhr-sandleigh-brian.txt")
        path = overrides_yaml(tmp_path, (target.source, "include", "x"), (target.sha256, "review", "y"))
        overrides = load_overrides(path)
        with pytest.raises(OverridesInvalid) as caught:
            apply_overrides(documents, overrides)
        assert str(caught.value) == (
            f"{path}: line 2 and line 5 give 'dhr-sandleigh-brian.txt' two decisions (include and review); keep one"
        )

    def test_repeated_overrides_warn_and_an_override_is_named_as_the_reason(self, tmp_path: Path) -> None:
        """The same decision twice is a warning; the include is explained as the analyst's, not the criteria's."""
        overrides = overrides_yaml(
            tmp_path,
            ("dhr-sandleigh-brian.txt", "include", "Repeat calls."),
            ("dhr-sandleigh-brian.txt", "include", "Said again."),
        )
        result = run("screen", CORPUS, "--overrides", overrides, "--out", tmp_path / "s.json")
        assert result.exit_code == 0, result.output
        assert (
            f"{overrides}: line 2 and line 5 override 'dhr-sandleigh-brian.txt' with the same decision; "
            "the first is used" in one_line(result.stderr)
        )
        screening = ScreeningResult.model_validate_json((tmp_path / "s.json").read_bytes())
        document = next(d for d in screening.documents if d.source == "dhr-sandleigh-brian.txt")
        assert document.decision is Decision.include
        assert document.reasons[0] == "included by override: Repeat calls."
        assert all(reason.startswith("machine (exclude): ") for reason in document.reasons[1:])
        row = next(line for line in result.stdout.splitlines() if "include (override)" in line)
        assert "included by" in row  # the table gives the analyst's reason, not "all criteria met"


# --- stage files ---------------------------------------------------------------------------------------------


class TestStageFiles:
    def test_a_cut_short_file_says_what_it_should_be(self, built: Path, tmp_path: Path) -> None:
        """A truncated screening file is named as such, with the line where the JSON stops."""
        text = (built / "screening.json").read_text()
        cut = tmp_path / "trunc.json"
        cut.write_text("\n".join(text.splitlines()[:3]))
        result = run("code", cut, "--out", tmp_path / "coded.json")
        assert result.exit_code == 3
        assert (
            "trunc.json: is not a screening file from this version of briefgen (JSON is cut short at line 3); "
            "rerun `briefgen screen CORPUS_DIR`" in one_line(result.stderr)
        )

    def test_a_file_of_another_stage_is_named(self, built: Path, tmp_path: Path) -> None:
        """Giving the coded file where the screening file belongs says which is which."""
        result = run("code", built / "coded.json", "--out", tmp_path / "coded.json")
        assert result.exit_code == 3
        assert "coded.json: is a coded file, not a screening file" in one_line(result.stderr)

    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            ("", "the file is empty"),
            ("[1, 2]", "the JSON is not an object"),
            ('{"cases": tru}', "invalid JSON: expected ident at line 1 column 14"),
            ('{"briefgen_version": "0.1"}', "missing field 'screening', and"),
        ],
    )
    def test_the_first_problem_is_given_briefly(self, tmp_path: Path, content: str, problem: str) -> None:
        """Invalid JSON and missing or wrong fields are told apart in the message."""
        path = tmp_path / "coded.json"
        path.write_text(content)
        result = run("render", path, "--out", tmp_path / "b.pdf")
        assert result.exit_code == 3
        assert f"coded.json: is not a coded file from this version of briefgen ({problem}" in one_line(
            result.stderr
        )
