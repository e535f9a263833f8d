"""The analyst has the last word: corrections of codes and features, verified cases, and what they change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from briefgen.agree import cohens_kappa
from briefgen.corrections.agreement import verification
from briefgen.corrections.apply import apply_corrections
from briefgen.corrections.file import load_corrections
from briefgen.errors import CorrectionsInvalid
from briefgen.models import CodedResult
from tests.conftest import SAMPLES, run

IOANA = "dhr-ashbury-ioana.pdf"


def corrections_file(folder: Path, entries: list[dict[str, object]], name: str = "corrections.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump({"corrections": entries}, sort_keys=False), encoding="utf-8")
    return path


def code_with(built: Path, out: Path, corrections: Path | None) -> object:
    args = ["code", built / "screening.json", "--out", out / "coded.json"]
    return run(*args, *(["--corrections", corrections] if corrections else []))


@pytest.fixture(scope="module")
def corrected(built: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The samples coded with the sample corrections file."""
    out = tmp_path_factory.mktemp("corrected")
    shutil.copy(SAMPLES / "corrections.yaml", out / "corrections.yaml")
    result = code_with(built, out, out / "corrections.yaml")
    assert result.exit_code == 0, result.output
    return out, result


def case_of(folder: Path, source: str = IOANA) -> dict[str, object]:
    data = json.loads((folder / "coded.json").read_text(encoding="utf-8"))
    return next(case for case in data["cases"] if case["source"] == source)


class TestApplying:
    def test_the_analysts_value_counts_and_the_machines_is_kept(self, corrected: tuple[Path, object]) -> None:
        """coded.json keeps both values, says which counts, and the case is marked verified."""
        case = case_of(corrected[0])
        children = case["codes"]["children"]
        assert children["present"] is False
        assert children["correction"]["machine"] is True and children["correction"]["counts"] == "analyst"
        assert case["features"]["cohabiting"]["value"] is False
        assert case["features"]["cohabiting"]["correction"]["line"] == 10
        assert case["analyst"]["verified"] is True

    def test_csv_uses_the_value_that_counts(self, corrected: tuple[Path, object]) -> None:
        """coded.csv has the analyst's value for a corrected code and feature."""
        text = (corrected[0] / "coded.csv").read_text(encoding="utf-8-sig")
        rows = {row.split(",")[0]: row for row in text.splitlines()}
        header = text.splitlines()[0].split(",")
        row = rows[IOANA].split(",")
        assert row[header.index("children")] == "0"
        assert row[header.index("cohabiting")] == "no"

    def test_uncorrected_cases_keep_their_bytes(self, built: Path, corrected: tuple[Path, object]) -> None:
        """A case with no correction is written exactly as without a corrections file."""
        plain = json.loads((built / "coded.json").read_text(encoding="utf-8"))
        other = next(c for c in plain["cases"] if c["source"] != IOANA)
        assert case_of(corrected[0], other["source"]) == other
        assert "analyst" not in other and "corrections" not in plain

    def test_removing_a_correction_restores_the_machine(
        self, built: Path, corrected: tuple[Path, object]
    ) -> None:
        """Applying no corrections to a corrected result gives back what the machine coded."""
        machine = CodedResult.model_validate_json((built / "coded.json").read_bytes())
        with_corrections = CodedResult.model_validate_json((corrected[0] / "coded.json").read_bytes())
        restored = apply_corrections(with_corrections, None)
        assert restored.cases == machine.cases and restored.summary == machine.summary
        assert restored.corrections is None

    def test_summary_counts_after_corrections(self, built: Path, corrected: tuple[Path, object]) -> None:
        """The code counts in coded.json count the corrected values."""
        machine = json.loads((built / "coded.json").read_text(encoding="utf-8"))["summary"]
        after = json.loads((corrected[0] / "coded.json").read_text(encoding="utf-8"))["summary"]
        assert after["code_counts"]["children"] == machine["code_counts"]["children"] - 1

    def test_unknown_names_are_warnings_with_their_line(self, built: Path, tmp_path: Path) -> None:
        """An unknown case, code or feature is a warning naming its YAML line; the run goes on."""
        path = corrections_file(
            tmp_path,
            [
                {"case": "dhr-nowhere.pdf", "verified": True},
                {"case": IOANA, "code": "stalkin", "present": True, "reason": "r"},
                {"case": IOANA, "feature": "cohabitting", "value": False, "reason": "r"},
            ],
        )
        result = code_with(built, tmp_path, path)
        assert result.exit_code == 0, result.output
        assert "line 2: no coded case is 'dhr-nowhere.pdf'" in result.stderr
        assert "line 4: 'stalkin' is not a code (did you mean 'stalking'?)" in result.stderr
        assert "line 8: 'cohabitting' is not a feature (did you mean 'cohabiting'?)" in result.stderr

    def test_a_stale_correction_is_flagged_and_not_applied(self, built: Path, tmp_path: Path) -> None:
        """A correction made on another version of the review is kept, marked stale, and the machine counts."""
        path = corrections_file(
            tmp_path,
            [
                {"case": IOANA, "sha256": "0" * 16, "code": "children", "present": False, "reason": "r"},
                {"case": IOANA, "sha256": "0" * 16, "verified": True},
            ],
        )
        result = code_with(built, tmp_path, path)
        assert result.exit_code == 0, result.output
        assert "has changed since it was checked" in result.stderr
        case = case_of(tmp_path)
        assert case["codes"]["children"]["present"] is True
        assert case["codes"]["children"]["correction"]["counts"] == "machine"
        assert case["analyst"]["verified"] is False and len(case["analyst"]["stale"]) == 2

    def test_the_corrections_file_is_never_written(self, built: Path, tmp_path: Path) -> None:
        """An output path equal to the corrections file is refused before any work."""
        path = corrections_file(tmp_path, [{"case": IOANA, "verified": True}])
        before = path.read_bytes()
        result = run("code", built / "screening.json", "--out", path, "--corrections", path)
        assert result.exit_code == 2
        assert path.read_bytes() == before


class TestBadFiles:
    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            (
                "corrections:\n  - case: a.pdf\n    code: x\n    reason: r\n",
                "line 2: corrections.0: code 'x': say",
            ),
            ("corrections:\n  - case: a.pdf\n    code: x\n    present: no way\n    reason: r\n", "line 4"),
            ("corrections:\n  - case: a.pdf\n    verified: true\n    code: x\n", "give exactly one of"),
            ("corrections:\n  - case: a.pdf\n    feature: x\n    reason: r\n", "give its `value`"),
            ("corrections:\n  - case: a.pdf\n    code: x\n    present: false\n", "needs a `reason`"),
            ("corrections:\n  - case: ../b.pdf\n    verified: true\n", "inside the corpus folder"),
            (
                "corrections:\n  - case: a.pdf\n    case: b.pdf\n    verified: true\n",
                "line 3: key 'case' is given twice",
            ),
            ("corrections:\n  - case: a.pdf\n    verified: true\n    sha256: xyz\n", "sha256"),
            ("corrections: [\n", "invalid YAML"),
        ],
    )
    def test_a_malformed_file_is_one_line_naming_the_file_and_line(
        self, built: Path, tmp_path: Path, text: str, problem: str
    ) -> None:
        """A malformed corrections file stops `code` with one line and the invalid-input exit code."""
        path = tmp_path / "corrections.yaml"
        path.write_text(text, encoding="utf-8")
        result = code_with(built, tmp_path, path)
        assert result.exit_code == 3, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and problem in lines[0], lines

    def test_two_values_for_one_code_are_refused_with_both_lines(self, tmp_path: Path) -> None:
        """Contradicting corrections name both lines."""
        path = corrections_file(
            tmp_path,
            [
                {"case": IOANA, "code": "children", "present": False, "reason": "r"},
                {"case": IOANA, "code": "children", "present": True, "reason": "r"},
            ],
        )
        with pytest.raises(CorrectionsInvalid, match=r"line 6: code 'children'.*line 2 says False"):
            load_corrections(path)


class TestAgreement:
    def test_kappa_on_verified_cases(self, corrected: tuple[Path, object]) -> None:
        """Agreement is counted over every code of the verified cases, overall and per theme."""
        coded = CodedResult.model_validate_json((corrected[0] / "coded.json").read_bytes())
        checked = verification(coded)
        # The samples' two feature corrections now agree with the machine: neither changes a value it gave.
        assert checked.verified == 1 and checked.codes_corrected == 1 and checked.features_corrected == 0
        assert len(checked.unverified) == checked.cases - 1
        case = next(c for c in coded.cases if c.source == IOANA)
        pairs = [(r.machine_present, r.present) for r in case.codes.values()]
        assert checked.kappa == cohens_kappa([m for m, _ in pairs], [a for _, a in pairs])
        assert checked.themes and all(theme.pairs for theme in checked.themes)

    def test_agree_compares_the_machines_codes(self, corrected: tuple[Path, object], tmp_path: Path) -> None:
        """`briefgen agree` on a corrected coded.json scores the machine's value, not the analyst's."""
        folder = corrected[0]
        result = run(
            "agree", folder / "coded.json", folder / "coded.csv", "--out", tmp_path / "agreement.json"
        )
        assert result.exit_code == 0, result.output
        report = json.loads((tmp_path / "agreement.json").read_text(encoding="utf-8"))
        children = next(row for row in report["codes"] if row["code"] == "children")
        assert children["machine_present"] == children["human_present"] + 1
