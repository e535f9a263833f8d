"""The codebook file: validation with YAML lines, the JSON Schema, the REFI-QDA export, the reference ids."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from briefgen import resources
from briefgen.coding.codebook import load_codebook
from tests.conftest import run

# The ids the reference codebook must define (codebook-requirements): scoring tools rely on them.
REFERENCE_IDS = set(
    [
        "stalking",
        "harassment",
        "digital_abuse",
        "met_online",
        "previous_partner_abuse",
        "separation",
        "victim_not_taken_seriously",
        "phone_seized",
        "officer_norms",
        "substance_misuse",
        "repeat_callouts",
        "unclear_primary_aggressor",
        "mental_health",
        "risk_downgraded",
        "dash_completed",
        "dash_not_completed",
        "marac_referral",
        "marac_not_referred",
        "support_referral_missing",
        "pin_used",
        "checks_not_done",
        "victim_wishes_only",
        "reluctance_to_report",
        "threats",
        "cultural_factors",
        "language_barrier",
        "economic_dependency",
        "loss_of_confidence",
        "call_handling_failure",
        "property_recovery",
        "children",
        "stalking_not_recognised",
        "investigation_responsibility_dispute",
        "evidence_led_prosecution",
        "order_breach",
        "dvpn_dvpo",
        "stalking_protection_order",
        "coercive_control",
        "modern_slavery",
        "cuckooing",
        "homelessness",
        "care_leaver",
    ]
)


def test_the_reference_codebook_defines_every_required_id() -> None:
    """Every code id of the requirements is there, each with a theme that has an NVAP action or is 'other'."""
    codebook = load_codebook(resources.default_codebook())
    assert {code.id for code in codebook.codes} == REFERENCE_IDS
    themes = {theme.id: theme for theme in codebook.themes}
    assert {t.nvap_action for t in themes.values() if t.nvap_action} == {"2.24", "2.11", "2.71", "2.42"}


def test_check_accepts_the_reference_codebook() -> None:
    """`codebook check` says valid, with the counts."""
    result = run("codebook", "check", resources.default_codebook())
    assert result.exit_code == 0
    assert "valid - 6 themes, 42 codes" in result.stdout


def test_check_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    """Several mistakes are reported at once, each with the YAML line."""
    text = resources.default_codebook().read_text()
    text = text.replace(
        "  - id: stalking\n    theme: rapid_escalation", "  - id: stalking\n    theme: no_such_theme", 1
    )
    text = text.replace("    min_hits: 1", "    min_hits: 0", 1)
    text = re.sub(r"(  - id: harassment\n(?:.*\n){3,5}?)    match:", r"\1    mtach:", text, count=1)
    bad = tmp_path / "codebook.yaml"
    bad.write_text(text)
    result = run("codebook", "check", bad)
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 2
    assert all(f"{bad}: " in line for line in lines)
    assert any("mtach" in line and "line " in line for line in lines)


def test_an_invalid_regular_expression_is_named(tmp_path: Path) -> None:
    """A broken regex in a rule is one clear error with its line."""
    bad = tmp_path / "codebook.yaml"
    bad.write_text(
        resources.default_codebook().read_text().replace("- phrases: [stalk*]", "- regex: 'stalk(('", 1)
    )
    result = run("codebook", "check", bad)
    assert result.exit_code == 3
    assert "not a valid regular expression" in result.stderr


def test_code_refuses_a_malformed_codebook(built: Path, tmp_path: Path) -> None:
    """A malformed codebook stops `code` with one line naming the file."""
    bad = tmp_path / "codebook.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n")
    result = run("code", built / "screening.json", "--codebook", bad, "--out", tmp_path / "coded.json")
    assert result.exit_code == 3
    assert str(bad) in result.stderr and "line" in result.stderr


def test_the_schema_describes_the_codebook() -> None:
    """`codebook schema` prints a JSON Schema that names codes and themes."""
    result = run("codebook", "schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "briefgen codebook"
    assert {"codes", "themes", "features"} <= set(schema["properties"])


def test_the_shipped_schema_file_is_up_to_date() -> None:
    """codebooks/codebook.schema.json is what `briefgen codebook schema` prints (regenerate it if not)."""
    shipped = (resources.codebooks_dir() / "codebook.schema.json").read_text()
    assert shipped == run("codebook", "schema").stdout


def test_export_to_refi_qda(tmp_path: Path) -> None:
    """The .qdc file is XML in the REFI-QDA codebook namespace with every code, and is stable."""
    out = tmp_path / "codebook.qdc"
    assert run("codebook", "export", "--out", out).exit_code == 0
    root = ET.parse(out).getroot()
    namespace = {"q": "urn:QDA-XML:codebook:1.0"}
    codable = root.findall(".//q:Code[@isCodable='true']", namespace)
    assert len(codable) == len(REFERENCE_IDS)
    again = tmp_path / "again.qdc"
    run("codebook", "export", "--out", again)
    assert again.read_bytes() == out.read_bytes()
