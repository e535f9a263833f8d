"""Screening: which reviews meet the inclusion criteria, with evidence, and how bad input is handled."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefgen import resources
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import Decision, DocumentText, Outcome, Page
from briefgen.screen import judge as judge_module
from briefgen.screen.criteria import Criteria, load_criteria
from briefgen.screen.judge import screen_document
from tests.conftest import CORPUS, run

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))
CRITERIA = load_criteria(resources.default_criteria())


def screened(built: Path) -> dict[str, dict[str, object]]:
    data = json.loads((built / "screening.json").read_text())
    return {doc["source"]: doc for doc in data["documents"]}


class TestSampleCorpus:
    def test_every_decision_matches_the_labels(
        self, built: Path, labels: dict[str, dict[str, object]]
    ) -> None:
        """Each sample gets the decision, and exclusion reason, its author gave it."""
        for source, document in screened(built).items():
            label = labels[source]
            assert document["decision"] == label["decision"], source
            if label["decision"] == "exclude":
                assert document["exclusion_reason"] == label["exclusion_reason"], source

    def test_every_date_of_death_matches_the_labels(
        self, built: Path, labels: dict[str, dict[str, object]]
    ) -> None:
        """Dates of death are found to the day, or to the month where the review gives only a month."""
        for source, document in screened(built).items():
            label = labels[source]
            if label["decision"] != "review" and label.get("exclusion_reason") != "not_a_review":
                assert document["incident_date"] == str(label["incident_date"]), source

    def test_every_criterion_carries_evidence(self, built: Path) -> None:
        """A met criterion always cites a page and a quote from the review."""
        for source, document in screened(built).items():
            for criterion in document["criteria"]:
                if criterion["result"] == "met":
                    assert criterion["evidence"], (source, criterion["id"])
                    assert all(e["page"] >= 1 and e["quote"] for e in criterion["evidence"])

    def test_faulty_files_go_to_review_with_the_problem_named(self, built: Path) -> None:
        """A scan, a locked PDF and a truncated PDF are flagged, not fatal."""
        documents = screened(built)
        assert documents["dhr-northgate-scanned.pdf"]["problem"] == "image_only"
        assert documents["dhr-southmere-protected.pdf"]["problem"] == "encrypted"
        assert documents["dhr-westcombe-truncated.pdf"]["problem"] == "truncated"
        for name in (
            "dhr-northgate-scanned.pdf",
            "dhr-southmere-protected.pdf",
            "dhr-westcombe-truncated.pdf",
        ):
            assert documents[name]["decision"] == "review"

    def test_counts_follow_the_prisma_flow(self, built: Path) -> None:
        """identified = unreadable + screened; screened = excluded + included + review of readable ones."""
        counts = json.loads((built / "screening.json").read_text())["counts"]
        assert counts["identified"] == counts["unreadable"] + counts["screened"]
        assert counts["identified"] == counts["excluded"] + counts["included"] + counts["review"]
        assert sum(counts["excluded_by_reason"].values()) == counts["excluded"]

    def test_a_csv_is_written_beside_the_json(self, built: Path) -> None:
        """Spreadsheet users get one row per document."""
        rows = (built / "screening.csv").read_text(encoding="utf-8-sig").splitlines()
        assert rows[0].startswith("source,title,incident_date,decision")
        assert len(rows) == 1 + len(screened(built))


class TestCommandLine:
    def test_warnings_name_each_unreadable_file(self, tmp_path: Path) -> None:
        """The run goes on past unreadable files, with a warning line for each."""
        result = run("screen", CORPUS, "--out", tmp_path / "s.json", "-j", "1")
        assert result.exit_code == 0
        assert "dhr-southmere-protected.pdf: PDF is password-protected" in result.stderr
        assert "Traceback" not in result.output

    def test_same_inputs_give_byte_identical_outputs(self, tmp_path: Path) -> None:
        """Two runs over the same corpus write the same JSON and CSV, byte for byte."""
        for name in ("a", "b"):
            assert run("screen", CORPUS, "--out", tmp_path / name / "screening.json").exit_code == 0
        for suffix in ("json", "csv"):
            first = (tmp_path / "a" / f"screening.{suffix}").read_bytes()
            assert first == (tmp_path / "b" / f"screening.{suffix}").read_bytes()

    def test_missing_corpus_is_one_clear_error(self, tmp_path: Path) -> None:
        """A folder that does not exist gives one line and exit code 2."""
        result = run("screen", tmp_path / "nowhere", "--out", tmp_path / "s.json")
        assert result.exit_code == 2
        assert "corpus folder not found" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1

    def test_empty_corpus_is_one_clear_error(self, tmp_path: Path) -> None:
        """A folder with no documents gives one line and exit code 2."""
        (tmp_path / "empty").mkdir()
        result = run("screen", tmp_path / "empty", "--out", tmp_path / "s.json")
        assert result.exit_code == 2
        assert "no review documents" in result.stderr

    def test_malformed_criteria_name_the_file_and_line(self, tmp_path: Path) -> None:
        """A YAML syntax error is reported with its line, not a traceback."""
        bad = tmp_path / "criteria.yaml"
        bad.write_text("title: x\nversion: '1'\ncriteria:\n  - id: a\n    kind: [unclosed\n")
        result = run("screen", CORPUS, "--criteria", bad, "--out", tmp_path / "s.json")
        assert result.exit_code == 3
        assert f"{bad}: line" in result.stderr
        assert "Traceback" not in result.output

    def test_invalid_criteria_values_name_the_field(self, tmp_path: Path) -> None:
        """A wrong value is reported with the YAML line and the field."""
        bad = tmp_path / "criteria.yaml"
        bad.write_text(
            "title: x\nversion: '1'\ncriteria:\n  - id: date\n    kind: incident_date\n    exclude_id: early\n"
            "    text: t\n    exclude_text: e\n    on_or_after: not-a-date\n"
        )
        result = run("screen", CORPUS, "--criteria", bad, "--out", tmp_path / "s.json")
        assert result.exit_code == 3
        assert "line 9" in result.stderr and "on_or_after" in result.stderr

    def test_a_later_cutoff_changes_the_decisions(self, tmp_path: Path) -> None:
        """The date is a parameter: with a 2019 cut-off, earlier deaths are excluded."""
        text = (
            resources.default_criteria()
            .read_text()
            .replace("on_or_after: 2016-01-01", "on_or_after: 2019-01-01")
        )
        criteria = tmp_path / "criteria.yaml"
        criteria.write_text(text)
        assert run("screen", CORPUS, "--criteria", criteria, "--out", tmp_path / "s.json").exit_code == 0
        documents = {d["source"]: d for d in json.loads((tmp_path / "s.json").read_text())["documents"]}
        assert documents["dhr-kelsborough-leah.pdf"]["exclusion_reason"] == "before_cutoff"
        assert documents["dhr-eastvale-natasha.pdf"]["decision"] == "include"


def test_a_long_corpus_shows_the_documents_an_analyst_must_look_at(tmp_path: Path) -> None:
    """Over 60 documents the table lists those for review or unreadable, and says the CSV holds them all."""
    result = run("screen", CORPUS, "--out", tmp_path / "s.json")
    text = " ".join(result.stdout.split())
    documents = len(list(CORPUS.iterdir()))
    assert f"Screening decisions: the 6 for review or overridden (all {documents} in the CSV)" in text
    assert "southmere" in text and "ashbury" not in text


class TestOverrides:
    def test_an_override_replaces_the_decision_and_is_shown(self, tmp_path: Path) -> None:
        """The analyst's decision wins on every rerun, with the machine's kept beside it."""
        overrides = tmp_path / "overrides.yaml"
        overrides.write_text(
            "overrides:\n  - document: dhr-sandleigh-brian.txt\n    decision: include\n"
            "    reason: The welfare check shows learning on repeat calls.\n"
        )
        before = overrides.read_bytes()
        result = run("screen", CORPUS, "--overrides", overrides, "--out", tmp_path / "s.json")
        assert result.exit_code == 0
        document = {d["source"]: d for d in json.loads((tmp_path / "s.json").read_text())["documents"]}[
            "dhr-sandleigh-brian.txt"
        ]
        assert document["decision"] == "include"
        assert document["override"]["machine_decision"] == "exclude"
        assert "(override)" in result.stdout
        assert overrides.read_bytes() == before

    def test_an_override_cannot_point_outside_the_corpus(self, tmp_path: Path) -> None:
        """Paths with '..' or absolute paths are refused with the YAML line."""
        overrides = tmp_path / "overrides.yaml"
        overrides.write_text(
            "overrides:\n  - document: ../../etc/passwd\n    decision: include\n    reason: x\n"
        )
        result = run("screen", CORPUS, "--overrides", overrides, "--out", tmp_path / "s.json")
        assert result.exit_code == 3
        assert "line 2" in result.stderr and "inside the corpus" in result.stderr

    def test_an_override_for_an_unknown_document_is_a_warning(self, tmp_path: Path) -> None:
        """A typo in a document name is reported, and the run still completes."""
        overrides = tmp_path / "overrides.yaml"
        overrides.write_text("overrides:\n  - document: no-such.pdf\n    decision: include\n    reason: x\n")
        result = run("screen", CORPUS, "--overrides", overrides, "--out", tmp_path / "s.json")
        assert result.exit_code == 0
        assert "no-such.pdf" in result.stderr


def review(*paragraphs: str) -> DocumentText:
    """A small review as extracted text, one page per paragraph group."""
    pages = [Page(number=n, text=text) for n, text in enumerate(paragraphs, start=1)]
    return DocumentText(sha256="0" * 64, format="txt", page_unit="page", title="test", pages=pages)


def decide(document: DocumentText, criteria: Criteria = CRITERIA) -> dict[str, Outcome]:
    result = screen_document("test.txt", document, criteria, LEXICON)
    return {c.id: c.result for c in result.criteria} | {"decision": result.decision}  # type: ignore[dict-item]


class TestTraps:
    def test_later_process_dates_do_not_move_a_pre_cutoff_death(self) -> None:
        """Commissioning, panel, trial and publication dates after the death are not the death."""
        document = review(
            "1. Introduction\nThis review concerns the death of 'Ann', who died on 4th December 2015 at her home.",
            "2. The Review Process\nThe review was commissioned on 12th February 2016. The panel met on 3 May 2016 "
            "and 14 June 2017. Mr B was convicted of murder at the Crown Court on 9th September 2016. The report "
            "was published in March 2018.",
        )
        outcome = decide(document)
        assert outcome["incident_date"] is Outcome.not_met
        assert outcome["decision"] is Decision.exclude

    def test_a_death_dated_only_by_month_is_kept_to_the_month(self) -> None:
        """'Ann died in April 2016' gives 2016-04, which is after the 2016 cut-off."""
        document = review("1. Introduction\nAnn died in April 2016 at the home she shared with her husband.")
        result = screen_document("t.txt", document, CRITERIA, LEXICON)
        assert result.incident_date == "2016-04"
        assert result.criteria[0].result is Outcome.met

    def test_police_only_after_the_death_is_not_contact(self) -> None:
        """The murder investigation, a panel member and the chair's police career are not contact."""
        document = review(
            "1. Introduction\nAnn died on 3rd August 2019. Detective Inspector Cole, the Senior Investigating "
            "Officer, led the murder investigation. Mr B was arrested for murder by Sussex Police.",
            "2. The Chair\nThe chair is a retired police superintendent who served with Kent Police for 30 years.",
            "3. Panel Members\nDI Jones, Sussex Police, Public Protection.",
            "4. Background\nNeither Ann nor Mr B was known to Sussex Police before her death.",
        )
        assert decide(document)["police_contact"] is Outcome.not_met

    def test_a_perpetrator_who_is_an_officer_is_not_police_contact(self) -> None:
        """His employment and vetting by the force are not contact with the police about the abuse."""
        document = review(
            "1. Introduction\nPriya died on 6th October 2018. Her husband Vik was a serving police officer with "
            "Staffordshire Police. He was re-vetted by his employer in 2014.",
            "2. Analysis\nPriya never reported the abuse to the police. Vik's colleagues were unaware of it.",
        )
        assert decide(document)["police_contact"] is Outcome.not_met

    def test_recommendations_to_the_police_are_not_contact(self) -> None:
        """A review may recommend police action where the police never met the victim."""
        document = review(
            "1. Introduction\nAnn died on 3rd August 2019.",
            "5. Analysis\nNo agency had contact with Ann in the year before her death.",
            "7. Recommendations\nSussex Police should raise awareness of coercive control. Officers should "
            "attend training on DASH.",
        )
        assert decide(document)["police_contact"] is Outcome.not_met

    def test_pre_death_contact_with_learning_is_included(self) -> None:
        """Police attendance before the death and an analysis of it meet both police criteria."""
        document = review(
            "1. Introduction\nAnn died on 3rd August 2019.",
            "4. Chronology\nOn 2nd March 2019 officers from Sussex Police attended after Ann called 999 to report "
            "that Mr B had assaulted her. A DASH was completed and graded standard.",
            "5. Analysis\nThe officers failed to identify the escalating risk and did not refer Ann to MARAC. This "
            "was a missed opportunity for Sussex Police.",
        )
        outcome = decide(document)
        assert outcome["police_contact"] is Outcome.met
        assert outcome["police_learning"] is Outcome.met
        assert outcome["decision"] is Decision.include

    def test_explicit_no_learning_for_police_excludes(self) -> None:
        """When the reviewer says there is no learning for the police, the review is excluded."""
        document = review(
            "1. Introduction\nBrian died on 16th June 2019.",
            "4. Chronology\nOn 2nd April 2019 officers from Norfolk Constabulary attended a welfare check.",
            "5. Analysis\nThe police response was appropriate. The panel identified no learning for Norfolk "
            "Constabulary.",
        )
        outcome = decide(document)
        assert outcome["police_learning"] is Outcome.not_met
        assert outcome["decision"] is Decision.exclude

    @pytest.mark.parametrize(
        "denial",
        [
            "The panel makes no criticism of Essex Police.",
            "There is no learning for Essex Police, whose 2015 response was sound.",
            "Essex Police's contact was handled well and the panel has no concerns about that force.",
        ],
    )
    def test_a_denial_about_one_force_does_not_answer_criticism_of_another(self, denial: str) -> None:
        """Plain omissions by one force's officers are police learning, whatever the review says of another."""
        document = review(
            "1. Introduction\nAnn died on 3rd August 2019.",
            "4. Chronology\nOn 2nd March 2019 Kent Police officers attended after Ann called 999. In 2015 Essex "
            "Police had arrested Mr B for assaulting a former partner.",
            "5. Analysis\nThe officers who attended did not check the national database. No referral was made "
            f"to the local domestic abuse service. Kent Police did not record the threats. {denial}",
        )
        outcome = decide(document)
        assert outcome["police_learning"] is Outcome.met
        assert outcome["decision"] is Decision.include

    def test_a_denial_about_the_only_force_beside_criticism_goes_to_an_analyst(self) -> None:
        """A review that says its one force has no learning, then lists its omissions, is for an analyst."""
        document = review(
            "1. Introduction\nAnn died on 3rd August 2019.",
            "4. Chronology\nOn 2nd March 2019 Kent Police officers attended after Ann called 999.",
            "5. Analysis\nThe officers who attended did not check the national database. No referral was made "
            "to the local domestic abuse service. Kent Police did not record the threats. The panel has no "
            "criticism of Kent Police.",
        )
        assert decide(document)["police_learning"] is Outcome.unknown

    def test_no_date_of_death_goes_to_review(self) -> None:
        """A document is never included on unknown evidence."""
        document = review(
            "4. Chronology\nOfficers from Kent Police attended on 2nd March 2019 after Ann called 999.",
            "5. Analysis\nOfficers failed to complete a DASH, a missed opportunity for Kent Police.",
        )
        assert decide(document)["decision"] is Decision.review


@pytest.mark.parametrize(
    "name", ["dhr-kelsborough-leah.pdf", "dhr-oakhurst-eva.docx", "dhr-sandleigh-brian.txt"]
)
def test_each_format_has_a_title_and_pages(built: Path, name: str) -> None:
    """PDF, Word and text reviews all yield a title and numbered pages (Word: paragraphs)."""
    document = screened(built)[name]
    assert document["title"] and document["page_count"] > 5
    assert document["page_unit"] == ("paragraph" if name.endswith(".docx") else "page")


class TestRerun:
    def test_an_unchanged_corpus_is_not_read_or_screened_again(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The second run takes every result from the cache and writes the same bytes."""
        cache = tmp_path / "cache"
        first = run("screen", CORPUS, "--out", tmp_path / "a" / "s.json", "--cache-dir", cache, "-j", "1")
        assert first.exit_code == 0

        def fail(*args: object, **kwargs: object) -> None:
            raise AssertionError("screened again")

        monkeypatch.setattr("briefgen.screen.judge.screen_document", fail)
        monkeypatch.setattr("briefgen.ingest.cache.read_document", fail)
        second = run("screen", CORPUS, "--out", tmp_path / "b" / "s.json", "--cache-dir", cache, "-j", "1")
        assert second.exit_code == 0, second.output
        assert (tmp_path / "a" / "s.json").read_bytes() == (tmp_path / "b" / "s.json").read_bytes()
        assert "dhr-southmere-protected.pdf: PDF is password-protected" in second.stderr

    def test_an_edited_document_is_screened_again(self, corpus_copy: Path, tmp_path: Path) -> None:
        """A file whose content changed under the same name gets a fresh decision."""
        cache = tmp_path / "cache"
        assert run("screen", corpus_copy, "--out", tmp_path / "s.json", "--cache-dir", cache).exit_code == 0
        target = corpus_copy / "dhr-kelsborough-leah.pdf"
        target.write_bytes((CORPUS / "dhr-greyford-ruth.pdf").read_bytes())
        assert run("screen", corpus_copy, "--out", tmp_path / "s.json", "--cache-dir", cache).exit_code == 0
        documents = {d["source"]: d for d in json.loads((tmp_path / "s.json").read_text())["documents"]}
        assert documents["dhr-kelsborough-leah.pdf"]["exclusion_reason"] == "before_cutoff"

    def test_changed_code_does_not_reuse_old_results(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Results are keyed on briefgen's code too: new code never serves what the old code decided."""
        cache = tmp_path / "cache"
        assert run("-q", "screen", CORPUS, "--out", tmp_path / "s.json", "--cache-dir", cache).exit_code == 0
        monkeypatch.setattr("briefgen.runner.caches.code_fingerprint", lambda: "other code")
        calls = tmp_path / "calls.txt"  # a file: documents are screened in worker processes
        original = judge_module.screen_document

        def counting(source: str, *args: object, **kwargs: object) -> object:
            with calls.open("a") as out:
                out.write(source + "\n")
            return original(source, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr("briefgen.screen.judge.screen_document", counting)
        assert (
            run(
                "-q", "screen", CORPUS, "--out", tmp_path / "s.json", "--cache-dir", cache, "-j", "1"
            ).exit_code
            == 0
        )
        unreadable = {
            "dhr-northgate-scanned.pdf",
            "dhr-southmere-protected.pdf",
            "dhr-westcombe-truncated.pdf",
        }
        readable = sum(1 for path in CORPUS.iterdir() if path.name not in unreadable)
        assert len(calls.read_text().splitlines()) == readable  # every readable document screened again


class TestLimits:
    def test_page_limit_is_a_setting(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """BRIEFGEN_MAX_PAGES lowers the page limit: longer documents go to review as too large."""
        monkeypatch.setenv("BRIEFGEN_MAX_PAGES", "30")
        result = run("screen", CORPUS, "--out", tmp_path / "s.json", "--cache-dir", tmp_path / "cache")
        assert result.exit_code == 0
        documents = {d["source"]: d for d in json.loads((tmp_path / "s.json").read_text())["documents"]}
        assert documents["dhr-rivermead-kerry.pdf"]["problem"] == "too_large"
        assert documents["dhr-kelsborough-leah.pdf"]["problem"] is None

    def test_a_malformed_limit_is_one_clear_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A limit that is not a positive number stops the run with one line."""
        monkeypatch.setenv("BRIEFGEN_MAX_FILE_MB", "lots")
        result = run("screen", CORPUS, "--out", tmp_path / "s.json")
        assert result.exit_code == 2
        assert "BRIEFGEN_MAX_FILE_MB='lots' is not a positive whole number" in result.stderr


def _full(cover: str, *rest: str) -> DocumentText:
    """A review with police contact and learning, under the given cover."""
    return review(
        cover,
        "1. Introduction\nNell died on 3rd August 2019 at her home.",
        "4. Chronology\nOn 2nd March 2019 officers from Kent Police attended after Nell called 999 to report "
        "that her partner had assaulted her.",
        "5. Analysis\nThe officers failed to complete a DASH, a missed opportunity for Kent Police.",
        *rest,
    )


class TestDocumentType:
    def test_a_safeguarding_adults_review_is_not_a_review_of_the_accepted_type(self) -> None:
        """A SAR is recognised from its cover and statute, and excluded as not_a_review."""
        document = _full(
            "Westbury Safeguarding Adults Board\nSafeguarding Adults Review: Adult F\n"
            "A review under section 44 of the Care Act 2014"
        )
        result = screen_document("t.txt", document, CRITERIA, LEXICON)
        assert result.criteria[0].result is Outcome.not_met
        assert result.exclusion_reason == "not_a_review"
        assert result.document_type == "safeguarding_adults_review"

    def test_a_dhr_that_mentions_a_sar_in_passing_stays_a_dhr(self) -> None:
        """A parallel review named in the introduction does not change what the document is."""
        document = _full(
            "Domestic Homicide Review\nOverview Report into the death of Nell\nCommissioned by Westbury CSP",
            "6. Parallel reviews\nA Safeguarding Adults Review was considered, and an IOPC referral was made.",
        )
        result = screen_document("t.txt", document, CRITERIA, LEXICON)
        assert result.criteria[0].result is Outcome.met
        assert result.decision is Decision.include

    def test_a_dhr_whose_introduction_dwells_on_another_body_stays_a_dhr(self) -> None:
        """The cover's title outweighs an introduction that names the IOPC and its report again and again."""
        document = _full(
            "Domestic Homicide Review\nThe death of Nell\nPublished by Westbury CSP",
            "2. Other processes\nThe Independent Office for Police Conduct was notified. The IOPC investigated "
            "the officers' conduct, and the IOPC's report was shared with the chair. An IOPC misconduct hearing "
            "followed, and the IPCC had looked at an earlier complaint.",
        )
        result = screen_document("t.txt", document, CRITERIA, LEXICON)
        assert result.document_type == "domestic_homicide_review"
        assert result.criteria[0].result is Outcome.met

    def test_an_iopc_report_that_mentions_a_dhr_stays_an_iopc_report(self) -> None:
        """A police conduct report is still one when its introduction says a DHR was also held, twice over."""
        document = _full(
            "Independent Office for Police Conduct\nInvestigation into contact with Nell",
            "2. Background\nA Domestic Homicide Review was commissioned. The DHR panel met the investigator, and "
            "the DHR chair saw a draft. The Domestic Homicide Review will publish later.",
        )
        result = screen_document("t.txt", document, CRITERIA, LEXICON)
        assert result.document_type == "police_conduct_report"
        assert result.exclusion_reason == "not_a_review"

    def test_a_letter_about_a_review_is_not_a_review(self) -> None:
        """A short document with a salutation and a sign-off is a letter, whatever review it names."""
        document = review(
            "Quality Assurance Panel\n12 May 2020\nDear Mr Hale,\nDomestic Homicide Review: 'Nell'\n"
            "Thank you for sending the report. Officers attended twice before her death in May 2018.",
            "The Panel asks for changes.\nYours sincerely,\nA. Reader",
        )
        result = screen_document("t.txt", document, CRITERIA, LEXICON)
        assert result.exclusion_reason == "not_a_review"
        assert result.document_form == "letter"

    @pytest.mark.parametrize(
        "cover",
        [
            "Seven Minute Briefing\nLessons from the Domestic Homicide Review into the death of Nell",
            "7-minute briefing: DHR 'Nell'\nWestbury Community Safety Partnership",
            "Learning Brief\nDomestic Homicide Review: Nell\nFor all front-line staff",
            "Westbury Safeguarding Bulletin, Spring 2021\nWhat we learned from DHR Nell",
            "Practice Note 4\nDomestic Homicide Review 'Nell': messages for practitioners",
            "PRESS RELEASE - for immediate release\nDomestic Homicide Review into Nell's death is published",
            "Case summary for training\nA Domestic Homicide Review, shortened for discussion in teams",
            "Regulation 28: Report to Prevent Future Deaths\nInquest touching the death of Nell",
        ],
    )
    def test_a_document_drawn_from_a_review_is_not_the_review(self, cover: str) -> None:
        """A briefing, bulletin, press release or coroner's report that tells the case is not the review."""
        result = screen_document("t.txt", _full(cover), CRITERIA, LEXICON)
        assert result.document_form == "derivative"
        assert result.exclusion_reason == "not_a_review"

    @pytest.mark.parametrize(
        "cover",
        [
            "Domestic Homicide Review\nOverview Report into the death of Nell\nA learning brief is published "
            "separately",
            "Domestic Homicide Review: Nell\nExecutive Summary\nSee also the partnership's newsletter",
        ],
    )
    def test_a_review_whose_cover_mentions_a_briefing_stays_a_review(self, cover: str) -> None:
        """A report or summary titled as such first is the review, whatever else its cover lists."""
        result = screen_document("t.txt", _full(cover), CRITERIA, LEXICON)
        assert result.document_form in ("report", "summary")
        assert result.criteria[0].result is Outcome.met

    def test_a_joint_review_goes_to_an_analyst(self) -> None:
        """A cover that names a DHR and a SAR together cannot be decided by the machine."""
        document = _full("Joint Domestic Homicide Review and Safeguarding Adults Review\nNell")
        assert decide(document)["document_type"] is Outcome.unknown


class TestPartialDocuments:
    def test_a_summary_that_defers_to_the_full_report_is_unknown(self) -> None:
        """An executive summary without the analysis sends learning to review, not to exclusion."""
        document = review(
            "Domestic Homicide Review\nExecutive Summary\nThe death of 'Nell'",
            "1. Introduction\nNell died on 3rd August 2019. Kent Police attended her home on 2nd March 2019 "
            "after she reported an assault.",
            "2. Findings\nThe panel's analysis of each agency is set out in section 7 of the Overview Report.",
        )
        outcome = decide(document)
        assert outcome["police_learning"] is Outcome.unknown
        assert outcome["decision"] is Decision.review


class TestDatesAndDay:
    def test_a_year_alone_is_a_date_known_to_the_year(self) -> None:
        """'Year of death: 2018' gives 2018, which is after the 2016 cut-off."""
        document = review("1. Introduction\nThe victim is called Nell. Year of death: 2018.")
        result = screen_document("t.txt", document, CRITERIA, LEXICON)
        assert result.incident_date == "2018"
        assert result.criteria[1].result is Outcome.met

    def test_a_year_that_straddles_the_cutoff_is_unknown(self) -> None:
        """A death in 2016 cannot be placed against a cut-off of 1 July 2016."""
        criteria = CRITERIA.model_copy(
            update={
                "criteria": [
                    c.model_copy(update={"on_or_after": date(2016, 7, 1)}) if c.kind == "incident_date" else c
                    for c in CRITERIA.criteria
                ]
            }
        )
        document = review("1. Introduction\nNell died in 2016 at her home.")
        assert decide(document, criteria)["incident_date"] is Outcome.unknown

    def test_a_fuller_date_wins_over_the_year(self) -> None:
        """'died in 2018' and 'died on 4 May 2018' give the day."""
        document = review("1. Introduction\nNell died in 2018.", "2. Background\nNell died on 4th May 2018.")
        assert screen_document("t.txt", document, CRITERIA, LEXICON).incident_date == "2018-05-04"

    @pytest.mark.parametrize(
        "death",
        [
            "Late on 2 September 2021 her husband, Ron, killed her at their flat.",
            "Her son murdered her in the kitchen on the evening of 2nd September 2021.",
            "Ron fatally stabbed Nell at their home in the early hours of Thursday 2 September 2021.",
            "On 2 September 2021 Nell's partner killed her.",
        ],
    )
    def test_a_death_told_by_the_killer_in_the_active_voice_is_dated(self, death: str) -> None:
        """'He killed her on ...' dates the death as plainly as 'she was killed on ...'."""
        document = review(
            f"1. Introduction\nNell was seventy-one. {death}",
            "5. Analysis\nKent Police had three contacts before Nell's death: a 999 call on 4 March 2021, a "
            "welfare visit on 11 April 2021 and a 101 call on 20 May 2021. Two of these came in the months "
            "leading up to her death, on 11 April 2021 and on 20 May 2021.",
        )
        assert screen_document("t.txt", document, CRITERIA, LEXICON).incident_date == "2021-09-02"

    @pytest.mark.parametrize(
        "sentence",
        [
            "In the year before her death on 2 May 2021, Nell saw her GP twice.",
            "Agencies' contact with Nell before Nell's death at her flat on the 2nd of May 2021 is set out below.",
        ],
    )
    def test_a_date_that_follows_before_her_death_at_once_is_the_death(self, sentence: str) -> None:
        """'In the year before her death on 2 May 2021' still dates the death."""
        document = review("1. Introduction\nThis review concerns Nell.", f"5. Analysis\n{sentence}")
        assert screen_document("t.txt", document, CRITERIA, LEXICON).incident_date == "2021-05-02"

    def test_could_have_killed_her_does_not_date_a_death(self) -> None:
        """A killing that was only possible ('he could have killed her in 2019'), or of a pet, is not the death."""
        document = review(
            "1. Introduction\nNell died on 2nd September 2021.",
            "4. Chronology\nShe told officers he could have killed her in March 2019, and that he nearly killed "
            "her in June 2019. He killed her cat in front of her on 3 July 2019.",
        )
        assert screen_document("t.txt", document, CRITERIA, LEXICON).incident_date == "2021-09-02"

    def test_the_police_on_the_day_of_the_death_are_not_earlier_contact(self) -> None:
        """Officers who attend after the death is told, in the same undated paragraph, came after it."""
        document = review(
            "1. Introduction\nNell died on 3rd August 2019. That morning her partner rang for an ambulance. "
            "Paramedics found Nell dead in the kitchen. Officers from Kent Police attended and he was arrested.",
            "2. Background\nNeither Nell nor her partner was known to the police before her death.",
        )
        assert decide(document)["police_contact"] is Outcome.not_met

    def test_police_learning_worded_through_their_tools_counts(self) -> None:
        """'The DASH was not completed' is learning about police practice without the word police."""
        document = review(
            "1. Introduction\nNell died on 3rd August 2019.",
            "4. Chronology\nOn 2nd March 2019 officers from Kent Police attended after Nell called 999.",
            "5. Findings\nThe DASH was completed without a PNC check of his record.",
        )
        assert decide(document)["police_learning"] is Outcome.met
