"""The sample builder (samples/build_samples.py): its source format and the label checks that keep
samples/labels.yaml readable by evaluation."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
import yaml

SAMPLES = Path(__file__).parents[1] / "samples"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_samples", SAMPLES / "build_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while they are made
    spec.loader.exec_module(module)
    return module


builder = _builder()
CODES = {"stalking", "threats", "children"}


def check(labels: dict[str, object]) -> None:
    builder.check_labels(Path("x.md"), labels, CODES)


class TestLabelChecks:
    def test_a_document_that_is_not_a_review_needs_no_features_or_codes(self) -> None:
        """A letter or action plan is labelled exclude / not_a_review with a date and nothing else."""
        check({"decision": "exclude", "exclusion_reason": "not_a_review", "incident_date": None})

    def test_review_needs_no_exclusion_reason(self) -> None:
        """`review` (a person must decide) stands alone, and may carry the truth's features and codes."""
        check(
            {
                "decision": "review",
                "exclusion_reason": None,
                "case_group": "mrs-y",
                "features": {},
                "codes": {},
            }
        )

    @pytest.mark.parametrize(
        "labels",
        [
            {"decision": "exclude", "exclusion_reason": "not_a_dhr"},
            {"decision": "review", "exclusion_reason": "no_police_contact"},
            {"decision": "exclude", "exclusion_reason": "not_a_review", "codes": {"present": ["threats"]}},
            {"decision": "include", "exclusion_reason": None},
            {"decision": "include", "features": {}, "codes": {"present": ["stalkin"]}},
            {"decision": "include", "features": {}, "codes": {"present": ["threats"], "absent": ["threats"]}},
            {"decision": "include", "features": {}, "codes": {}, "casegroup": "a"},
            {"decision": "review", "case_group": "Mrs Y"},
        ],
    )
    def test_labels_evaluation_would_misread_stop_the_build(self, labels: dict[str, object]) -> None:
        """An old or unknown reason, a reason on a non-exclusion, codes on a non-review, an include without
        features, an unknown code, a code both present and absent, an unknown key or a bad group id stop it."""
        with pytest.raises(SystemExit):
            check(labels)

    def test_a_wrong_day_count_stops_the_build(self) -> None:
        """days_first_contact_to_death must be the days from the first contact to the death."""
        features = {"first_police_contact": date(2021, 8, 14), "days_first_contact_to_death": 100}
        with pytest.raises(SystemExit, match="98 days"):
            check(
                {
                    "decision": "include",
                    "incident_date": date(2021, 11, 20),
                    "features": features,
                    "codes": {},
                }
            )

    def test_a_case_group_of_one_document_stops_the_build(self) -> None:
        """A case group joins several documents of one case; a group of one is a typing error."""
        with pytest.raises(SystemExit, match="only one document"):
            builder.check_case_groups({"a": {"case_group": "g"}, "b": {"case_group": None}})


class TestSourceFormat:
    def test_contents_lists_the_headings_that_follow_it(self) -> None:
        """`<!-- contents -->` lists the level 2 and 3 headings after it, not the cover's."""
        blocks = builder.parse_blocks(
            "## Cover\n\n<!-- contents -->\n\n## 1. Introduction\n\ntext\n\n### 1.1 Scope\n\n#### detail\n"
        )
        titles = [block.text for _, block in builder.contents_entries(blocks)]
        assert titles == ["1. Introduction", "1.1 Scope"]

    def test_word_style_contents_get_leaders_and_page_numbers(self) -> None:
        """In a Word-style PDF each contents entry links to its heading, whose page number is filled in."""
        blocks = builder.parse_blocks("<!-- contents -->\n\n## 1. Introduction\n")
        html = builder.to_html({"style": "word", "header": "DHR", "footer": "CSP"}, blocks)
        assert "<a href='#h1'>1. Introduction</a>" in html and "<h2 id='h1'>" in html
        assert "leader('.') target-counter(attr(href), page)" in html

    def test_labels_yaml_carries_the_case_group(self) -> None:
        """The overview report and executive summary of one case share their case_group in labels.yaml."""
        samples = yaml.safe_load((SAMPLES / "labels.yaml").read_text(encoding="utf-8"))["samples"]
        group = {name for name, label in samples.items() if label.get("case_group") == "mrs-y"}
        assert group == {"dhr-mrs-y-overview", "dhr-mrs-y-exec-summary"}
