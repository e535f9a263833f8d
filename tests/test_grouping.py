"""Cases: the documents of one death (a report, its summary, a letter, a copy) counted and coded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import OverridesInvalid
from briefgen.evaluate import CaseGroups, Labels, SampleLabel, evaluate
from briefgen.models import Decision, FileRef, ScreenedDocument, ScreeningResult
from briefgen.screen.counts import count
from briefgen.screen.grouping import group_cases
from briefgen.screen.overrides import Override, Overrides, load_overrides


def doc(
    source: str,
    *,
    sha: str,
    pseudonym: str | None,
    date: str | None,
    form: str = "report",
    decision: Decision = Decision.include,
) -> ScreenedDocument:
    return ScreenedDocument(
        source=source,
        sha256=sha,
        title=Path(source).stem,
        format="pdf",
        page_unit="page",
        page_count=3,
        incident_date=date,
        decision=decision,
        criteria=[],
        reasons=[],
        pseudonym=pseudonym,
        document_form=form,  # type: ignore[arg-type]
    )


REPORT = doc("nell-overview.pdf", sha="a", pseudonym="Nell", date="2019-08-03")
SUMMARY = doc("nell-summary.docx", sha="b", pseudonym="Nell", date="2019-08-03", form="summary")
OTHER = doc("rosa.pdf", sha="c", pseudonym="Rosa", date="2019-08-03")


def roles(documents: list[ScreenedDocument]) -> dict[str, tuple[str | None, str | None]]:
    return {d.source: (d.case_group, d.case_role) for d in documents}


class TestGrouping:
    def test_a_report_and_its_summary_are_one_case_led_by_the_report(self) -> None:
        """The same victim and date of death make one case; the full report leads it."""
        grouped = roles(group_cases([SUMMARY, REPORT, OTHER]))
        assert grouped["nell-overview.pdf"] == ("nell-2019-08-03", "lead")
        assert grouped["nell-summary.docx"] == ("nell-2019-08-03", "member")
        assert grouped["rosa.pdf"][1] == "lead"

    def test_byte_identical_files_count_once(self) -> None:
        """Two copies of one file are one case."""
        copy = REPORT.model_copy(update={"source": "copy/nell.pdf"})
        documents = group_cases([REPORT, copy])
        counts = count(documents)
        assert (counts.identified, counts.cases, counts.included_cases) == (2, 1, 1)

    def test_a_summary_whose_victim_was_not_found_joins_by_day_and_file_name(self) -> None:
        """'nell-summary.docx' dated the same day as Nell's report is Nell's case."""
        unnamed = SUMMARY.model_copy(update={"pseudonym": None})
        assert roles(group_cases([REPORT, unnamed]))["nell-summary.docx"][1] == "member"

    def test_an_undated_summary_joins_the_one_case_of_its_naming_from_the_same_partnership(self) -> None:
        """'Mr P' undated joins the dated Mr P report of the same partnership, not another partnership's Mr P."""
        report = doc("p-report.pdf", sha="d", pseudonym="Mr P", date="2021-01-05").model_copy(
            update={"title": "Eastmoor Community Safety Partnership Domestic Homicide Review"}
        )
        summary = doc("p-summary.docx", sha="e", pseudonym="Mr P", date=None, form="summary").model_copy(
            update={"title": "Eastmoor Community Safety Partnership"}
        )
        stranger = doc("q.docx", sha="f", pseudonym="Mr P", date=None, form="summary").model_copy(
            update={"title": "Westfold Safer Communities Board"}
        )
        grouped = roles(group_cases([report, summary, stranger]))
        assert grouped["p-summary.docx"] == (grouped["p-report.pdf"][0], "member")
        assert grouped["q.docx"][1] == "lead"

    def test_a_summary_dated_to_the_month_joins_the_report_dated_to_the_day(self) -> None:
        """'Nell died in August 2019' in a summary is the death of 3 August 2019 in its report."""
        month = doc("nell-summary.docx", sha="b", pseudonym="Nell", date="2019-08", form="summary")
        grouped = roles(group_cases([REPORT, month, OTHER]))
        assert grouped["nell-summary.docx"] == (grouped["nell-overview.pdf"][0], "member")
        assert grouped["rosa.pdf"][0] != grouped["nell-overview.pdf"][0]

    def test_a_month_with_two_deaths_of_one_naming_joins_neither(self) -> None:
        """Two cases of 'Adult A' dying in one month leave a month-dated summary on its own."""
        first = doc("a1.pdf", sha="a", pseudonym="Adult A", date="2019-08-03")
        second = doc("a2.pdf", sha="b", pseudonym="Adult A", date="2019-08-21")
        month = doc("a-summary.docx", sha="c", pseudonym="Adult A", date="2019-08", form="summary")
        grouped = roles(group_cases([first, second, month]))
        assert len({group for group, _ in grouped.values()}) == 3

    def test_the_analyst_can_keep_a_document_apart_or_join_one(self) -> None:
        """`separate: true` keeps a document its own case; `group: X` puts documents in case X."""
        overrides = Overrides(
            overrides=[
                Override(document="nell-summary.docx", reason="a different Nell", separate=True),
                Override(document="rosa.pdf", reason="same case", group="case-7"),
                Override(document="nell-overview.pdf", reason="same case", group="case-7"),
            ]
        )
        grouped = roles(group_cases([REPORT, SUMMARY, OTHER], overrides))
        assert grouped["nell-summary.docx"][1] == "lead"
        assert grouped["rosa.pdf"][0] == grouped["nell-overview.pdf"][0] == "case-7"

    def test_two_groups_for_one_document_are_refused(self, tmp_path: Path) -> None:
        """An overrides file cannot place one document in two cases."""
        path = tmp_path / "overrides.yaml"
        path.write_text(
            "overrides:\n  - {document: a.pdf, reason: r, group: x}\n  - {document: a.pdf, reason: r, group: y}\n"
        )
        with pytest.raises(OverridesInvalid, match="two case groups"):
            load_overrides(path)

    def test_an_override_must_say_something(self) -> None:
        """An override with no decision, group or separate is an error."""
        with pytest.raises(ValueError, match="needs a decision"):
            Override(document="a.pdf", reason="r")


def test_eval_scores_grouping_from_a_groups_file() -> None:
    """`briefgen eval --groups` counts a document right when it is grouped with exactly its labelled case."""
    documents = group_cases([REPORT, SUMMARY, OTHER])
    screening = ScreeningResult(
        briefgen_version="x",
        corpus=".",
        criteria=FileRef(path="c", title="c", version="1", sha256="0"),
        criteria_text=[],
        counts=count(documents),
        documents=documents,
    )
    labels = Labels(samples={d.source: SampleLabel(file=d.source, decision="include") for d in documents})
    groups = CaseGroups(groups={"nell": ["nell-overview.pdf", "nell-summary.docx"]})
    evaluation = evaluate(labels, screening, None, groups)
    assert (evaluation.groups.right, evaluation.groups.total) == (3, 3)
    wrong = CaseGroups(groups={"x": ["nell-overview.pdf", "rosa.pdf"]})
    assert evaluate(labels, screening, None, wrong).groups.right == 0
