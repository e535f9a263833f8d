"""Coding: codes only for facts of the case, case features, recommendations, and the coded outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen import resources
from briefgen.coding.codebook import load_codebook
from briefgen.coding.match import CompiledCodebook, code_sentences
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import DocumentText, Page
from briefgen.text import Sentence, segment
from tests.conftest import run

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))
CODEBOOK = CompiledCodebook(load_codebook(resources.default_codebook()))


def codes_in(text: str, heading: str = "5. Analysis") -> set[str]:
    """The codes present in a one-section review."""
    document = DocumentText(
        sha256="0" * 64,
        format="txt",
        page_unit="page",
        title="t",
        pages=[Page(number=1, text=f"{heading}\n{text}")],
    )
    results = code_sentences(segment(document, LEXICON), CODEBOOK, LEXICON)
    return {code for code, result in results.items() if result.present}


class TestDenialFrames:
    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "No service in either town kept any note that he had hurt an earlier girlfriend.",
                "previous_partner_abuse",
            ),
            (
                "Neither the mother nor her son had any recorded history of heroin or crack use.",
                "substance_misuse",
            ),
            ("Nor was there any sign, in any of the records we read, that Tom followed Ana.", "stalking"),
            (
                "There is nothing to suggest that Ana had ever told Tom that she planned to leave him.",
                "separation",
            ),
            (
                "We found no evidence that Ana lost her confidence in the police at any point.",
                "loss_of_confidence",
            ),
        ],
    )
    def test_a_denial_at_the_head_of_a_clause_denies_it_all(self, sentence: str, code: str) -> None:
        """A denial frame negates its clause however far the match is, for failure codes too."""
        assert code not in codes_in(sentence)

    def test_a_denial_reaches_what_it_is_coordinated_with(self) -> None:
        """'did not A, B or C' denies C too."""
        assert "digital_abuse" not in codes_in(
            "He did not follow her about, wait outside her office or flood her with abusive messages."
        )

    def test_knowing_nothing_of_a_thing_does_not_deny_it(self) -> None:
        """'No agency knew that ...' is not a denial of what follows."""
        assert "previous_partner_abuse" in codes_in(
            "Tom had assaulted two former partners, although no agency in the city knew of it at the time."
        )

    def test_a_failure_code_keeps_its_own_negation(self) -> None:
        """'No PNC or local intelligence check was made' is the failure itself."""
        assert "checks_not_done" in codes_in(
            "No PNC or local intelligence check was made on Tom at either visit."
        )


class TestNamesOfThings:
    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "The officer completed the Domestic Abuse, Stalking and Harassment and Honour Based Violence "
                "(DASH) risk identification checklist with Ana.",
                "stalking",
            ),
            (
                "The officer completed the Domestic Abuse, Stalking and Harassment and Honour Based Violence "
                "(DASH) risk identification checklist with Ana.",
                "cultural_factors",
            ),
            (
                "Ana's daughter was later seen by Child and Adolescent Mental Health Services.",
                "mental_health",
            ),
        ],
    )
    def test_a_name_that_contains_a_codes_word_is_not_the_code(self, sentence: str, code: str) -> None:
        """The name of a checklist or a service is not the thing it is named after."""
        assert code not in codes_in(sentence)

    def test_the_instrument_is_still_itself(self) -> None:
        """Blanking the checklist's full name keeps its short name: the DASH was completed."""
        assert "dash_completed" in codes_in(
            "The officer completed the Domestic Abuse, Stalking and Harassment and Honour Based Violence "
            "(DASH) risk identification checklist with Ana."
        )

    def test_what_a_thing_is_for_is_no_ones_fact(self) -> None:
        """A sentence about what an evidence-led prosecution is, in general, is not one in this case."""
        assert "evidence_led_prosecution" not in codes_in(
            "An evidence-led prosecution allows the police to proceed without the victim's evidence."
        )


class TestWiderRules:
    @pytest.mark.parametrize(
        "sentence",
        [
            "The officers did not check Tom on the PNC or on the force's own records system.",
            "Neither officer searched the force's records for earlier incidents at the flat.",
            "No search of Tom's name was made on the Police National Computer.",
            "No PNC or Niche check was made on him.",
        ],
    )
    def test_checks_not_made_in_any_word_order(self, sentence: str) -> None:
        """A check not made is found whatever stands between the negation, the check and the system."""
        assert "checks_not_done" in codes_in(sentence)

    def test_a_welfare_check_is_not_a_history_check(self) -> None:
        """Without a system or a history checked, 'did not check' is not this code."""
        assert "checks_not_done" not in codes_in("The officers did not check on Ana again that week.")

    @pytest.mark.parametrize(
        "sentence",
        [
            "The officers seized Ana's phone as evidence of the messages.",
            "Tom read his messages every night and checked who he had called.",
            "Police were called to the house again, for the third time that month, by Ana's neighbour.",
            "Leo said the police aren't interested in people like him, and that he's given up on them.",
        ],
    )
    def test_named_possessives_male_victims_stories_and_contractions(self, sentence: str) -> None:
        """Rules read named possessives, men as victims, call-outs told as a story, and contractions."""
        assert codes_in(sentence) & {"phone_seized", "digital_abuse", "repeat_callouts", "loss_of_confidence"}

    @pytest.mark.parametrize(
        "sentence",
        [
            "In March 2019 after three unanswered calls the IDVA closed the case.",
            "All of her 999 calls were answered within ten seconds.",
        ],
    )
    def test_numbers_that_are_not_quantities_are_not_messages(self, sentence: str) -> None:
        """Years, paragraph numbers and '999' are not counts of calls."""
        assert "digital_abuse" not in codes_in(sentence)

    def test_searching_for_a_thing_is_not_finding_it(self) -> None:
        """'The panel looked carefully for stalking' is a search, not a finding."""
        assert "stalking" not in codes_in(
            "The panel looked carefully for stalking in the months after they parted."
        )

    def test_a_belief_about_what_others_would_do_is_not_a_fact(self) -> None:
        """'believing that the hub would refer her' is not a referral."""
        assert "marac_referral" not in codes_in(
            "The officer sent the form to the hub, believing that the hub would make the MARAC referral."
        )

    def test_a_phone_examined_after_the_death_was_not_seized_from_her(self) -> None:
        """The murder investigation's examination of her phone is not a seizure before the death."""
        assert "phone_seized" not in codes_in(
            "After Ana's death, her phone was examined by the murder investigation team."
        )

    def test_a_short_line_without_a_full_stop_is_a_heading(self) -> None:
        """'Referrals to support and to MARAC' is a heading, not a referral."""
        heading = Sentence(
            text="Referrals to support and to MARAC", page=1, section="", kind="analysis", index=0
        )
        results = code_sentences([heading], CODEBOOK, LEXICON)
        assert not results["marac_referral"].present


class TestContext:
    @pytest.mark.parametrize(
        "sentence",
        [
            "There is no evidence that alcohol was a factor in the relationship.",
            "Alcohol played no part in the events described in this review.",
            "Neither Ann nor Mr B used drugs or alcohol to excess at any time.",
        ],
    )
    def test_denials_do_not_make_a_code_present(self, sentence: str) -> None:
        """'No evidence of', 'played no part' and 'neither ... nor' deny."""
        assert "substance_misuse" not in codes_in(sentence)

    def test_a_plain_statement_makes_a_code_present(self) -> None:
        """The same fact, stated, is present."""
        assert "substance_misuse" in codes_in(
            "Both Ann and Mr B were heavily intoxicated when officers attended."
        )

    @pytest.mark.parametrize(
        "sentence",
        [
            "Officers should consider a DVPN in every case of this kind where the suspect is arrested.",
            "The panel considered whether Mr B's behaviour after the separation amounted to stalking.",
            "It is not known whether Mr B had a history of abusing previous partners.",
        ],
    )
    def test_possibilities_and_duties_are_not_facts(self, sentence: str) -> None:
        """'Should consider', 'whether' and 'it is not known whether' are not facts of the case."""
        assert not codes_in(sentence) & {"dvpn_dvpo", "stalking", "previous_partner_abuse"}

    def test_research_and_statistics_are_someone_else(self) -> None:
        """National figures are not this case."""
        assert "stalking" not in codes_in(
            "Research shows that stalking is present in most intimate partner homicides."
        )

    def test_recommendations_are_not_facts(self) -> None:
        """A recommendation about DVPNs does not mean one was used."""
        text = "Kent Police should ensure that officers issue a DVPN when the threshold is met in cases like this."
        assert "dvpn_dvpo" not in codes_in(text, heading="9. Recommendations")

    def test_a_failure_code_finds_the_failure(self) -> None:
        """'No referral to MARAC' after a high-risk grading is a missed referral, not a referral."""
        found = codes_in("The officer graded the risk as high. No referral to MARAC was made.")
        assert "marac_not_referred" in found and "marac_referral" not in found

    def test_a_failure_code_respects_the_threshold(self) -> None:
        """No referral where the threshold was not met is not a missed referral."""
        found = codes_in(
            "The risk was graded medium. No referral to MARAC was made. The threshold was not met."
        )
        assert "marac_not_referred" not in found

    def test_a_victims_grown_up_children_are_not_children(self) -> None:
        """Only children under 18 count."""
        assert "children" not in codes_in(
            "Her adult son, now 31, rang the police on her behalf that evening."
        )
        assert "children" in codes_in("She lived with her husband and their two young children in the flat.")


class TestWhatWasNotDone:
    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "Officers told the panel that a risk checklist should have been completed that night.",
                "dash_completed",
            ),
            (
                "A MARAC referral, an outreach worker and a swift arrest would not have guaranteed her safety.",
                "marac_referral",
            ),
            (
                "Had the risk been graded high, a referral to the local MARAC would have followed.",
                "marac_referral",
            ),
            (
                "The panel agrees that the threshold for referral to a MARAC was met in March.",
                "marac_referral",
            ),
            ("Each officer assumed that the other had referred Rosa to the MARAC.", "marac_referral"),
        ],
    )
    def test_what_should_or_would_have_happened_did_not(self, sentence: str, code: str) -> None:
        """A modal inside a fact's words, or as the verb its words are the subject of, makes it unreal."""
        assert code not in codes_in(sentence)

    def test_a_fact_followed_by_a_comment_is_still_a_fact(self) -> None:
        """A referral that was made stays made when a later clause is a judgement."""
        assert "marac_referral" in codes_in(
            "The sergeant referred Rosa to the MARAC, which was good practice."
        )

    @pytest.mark.parametrize(
        "sentence",
        [
            "Rosa was never referred to any domestic abuse service by the officers who saw her.",
            "No referral was made to the outreach team or to the independent advocacy service.",
            "She was never offered specialist support, although the force expected it at every incident.",
            "No specialist support was ever offered to her by any agency.",
        ],
    )
    def test_no_referral_for_support_in_any_wording(self, sentence: str) -> None:
        """A denial, a referral or an offer, and a support service, in any order of words."""
        assert "support_referral_missing" in codes_in(sentence)

    def test_a_referral_elsewhere_is_not_a_missing_support_referral(self) -> None:
        """'Not referred to MARAC but referred to the IDVA' does not deny the support referral."""
        assert "support_referral_missing" not in codes_in(
            "Rosa was not referred to the conference but was referred to the IDVA service that day."
        )
        assert "support_referral_missing" not in codes_in(
            "No referral to the conference was made, although officers referred Rosa to the outreach service."
        )

    @pytest.mark.parametrize(
        "sentence",
        [
            "What the officers did was settled by what Rosa said she wanted and by nothing else, so no further action was taken.",
            "The response was shaped entirely by what he asked for, and the log was closed.",
            "The constable took her word that everything was fine and left the address.",
        ],
    )
    def test_action_limited_to_what_the_victim_asked(self, sentence: str) -> None:
        """Action decided by what the victim asked for, or by her word alone, is victim_wishes_only."""
        assert "victim_wishes_only" in codes_in(sentence)

    def test_believing_the_perpetrators_account_is_not_following_her_wishes(self) -> None:
        """Accepting someone's account is belief, not action limited to the victim's wishes."""
        assert "victim_wishes_only" not in codes_in(
            "The school officer accepted Ivan's account that the boy had gone abroad and closed the file."
        )


class TestMoreWaysOfSayingIt:
    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            ("He had texted her to say he knew where she was living now.", "threats"),
            (
                "She lived with a threat, made again and again over the years, that she would die in that house.",
                "threats",
            ),
            (
                "Rosa waited almost three months before telling the police about the messages.",
                "reluctance_to_report",
            ),
            ("After that night she did not call the police again.", "reluctance_to_report"),
            (
                "By the spring Rosa had lost confidence that the police could keep her safe.",
                "loss_of_confidence",
            ),
            (
                "She said there was no point going back to them, as nothing ever changed.",
                "loss_of_confidence",
            ),
            (
                "A detective sergeant disputed the high-risk grading without reading the checklist.",
                "risk_downgraded",
            ),
            (
                "Neither the call handler nor the constables recognised his behaviour as stalking.",
                "stalking_not_recognised",
            ),
            (
                "The panel notes the threshold for a repeat MARAC referral was met and a referral should have been made.",
                "marac_not_referred",
            ),
            ("By then he drank most days, often around 50 units a week.", "substance_misuse"),
        ],
    )
    def test_the_code_is_found(self, sentence: str, code: str) -> None:
        """Each family of phrasing finds its code."""
        assert code in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "His niece said her own marriage ended that year, while her twelve-year-old son was changing schools.",
            "Her sister's marriage broke down in 2015 and her two young children moved in with Rosa.",
        ],
    )
    def test_a_relatives_marriage_is_not_the_couples_separation(self, sentence: str) -> None:
        """Another person's marriage ending is not the couple's separation."""
        assert "separation" not in codes_in(sentence)

    def test_a_relatives_children_are_not_the_couples(self) -> None:
        """A child told of in a sentence about a relative's own marriage is that relative's child."""
        assert "children" not in codes_in(
            "His niece said her own marriage ended that year, while her twelve-year-old son was changing schools."
        )

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "Age, sex, religion or belief and disability were not found to be relevant to this review.",
                "cultural_factors",
            ),
            ("He took over the household money and questioned every purchase she made.", "cuckooing"),
            ("Officers did not follow the force's cuckooing protocol at the flat that night.", "cuckooing"),
            ("The outreach worker came from a cultural mediation service in the city.", "cultural_factors"),
            ("Rosa felt from the spring that she was a nuisance to the officers she rang.", "officer_norms"),
            (
                "Her doctor noted she was having a difficult time with him and that police were involved.",
                "officer_norms",
            ),
            (
                "The panel does not consider that the MARAC threshold was met. No referral to MARAC was made.",
                "marac_not_referred",
            ),
        ],
    )
    def test_the_code_is_not_found(self, sentence: str, code: str) -> None:
        """Names of things, the victim's own feelings, and unmet thresholds are not the code."""
        assert code not in codes_in(sentence)


class TestHowOtherAuthorsWriteIt:
    """Codes written in the wordings of authors other than the rule authors'."""

    @pytest.mark.parametrize(
        "text",
        [
            "The risk was graded high. No referral to the Multi-Agency Risk Assessment Conference (MARAC) was made.",
            "Rosa met the threshold for a referral to MARAC on 4 May and was not referred.",
            "The MARAC criterion for repeat incidents was met in March. No referral was made.",
            "The threshold was met on the third call, but she was never referred to the MARAC.",
            "She was not referred, although the risk to her was high and MARAC met weekly.",
            "The review notes the non-referral to MARAC after the high-risk assessment.",
        ],
    )
    def test_a_referral_that_should_have_been_made_and_was_not(self, text: str) -> None:
        """A MARAC referral left unmade, in any order and with MARAC written out, is marac_not_referred."""
        codes = codes_in(text)
        assert "marac_not_referred" in codes
        assert "marac_referral" not in codes

    def test_a_threshold_not_reached_is_not_a_referral(self) -> None:
        """A checklist short of the referral threshold is neither a referral nor a missed one."""
        codes = codes_in(
            "Neither checklist reached the threshold of fourteen ticks for referral to the "
            "Multi-Agency Risk Assessment Conference (MARAC)."
        )
        assert "marac_referral" not in codes
        assert "marac_not_referred" not in codes

    @pytest.mark.parametrize(
        "sentence",
        [
            "Her parents separated when she was nine and she grew up with her grandmother.",
            "He had been married before, and that marriage ended in divorce in 2009.",
            "Tom's first marriage, which ended in 2004, had been a violent one.",
            "His only other long relationship ended amicably after two years.",
            "The mother of his son described a brief relationship that ended when the boy was small.",
            "The relationship never ended, and there was no separation at any time.",
        ],
    )
    def test_another_couples_ending_is_not_this_separation(self, sentence: str) -> None:
        """Parents, earlier marriages and other relationships that ended are not the couple's separation."""
        assert "separation" not in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "In March she told her friend she was going to leave Tom once the school term ended.",
            "Rosa ended the relationship in June and asked Tom to move out.",
        ],
    )
    def test_the_couples_own_ending_is_still_separation(self, sentence: str) -> None:
        """The victim leaving, or planning to leave, the perpetrator is separation."""
        assert "separation" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "The control room operator did not check force systems before sending the patrol.",
            "The attending constable did not check WMP records, which would have shown three earlier calls.",
            "Neither officer looked at the previous incidents at the address before knocking.",
        ],
    )
    def test_history_checks_not_made_on_systems_named_in_any_way(self, sentence: str) -> None:
        """Systems named by the force's abbreviation or plainly, and a consequence clause after, stay a failure."""
        assert "checks_not_done" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "Rosa's mobile phone was taken as evidence and kept for eleven days.",
            "Her phone was returned to her a fortnight later, with the download complete.",
            "Officers seized her phone so that the messages could be examined by the digital unit.",
        ],
    )
    def test_the_victims_phone_taken_kept_or_returned(self, sentence: str) -> None:
        """A named victim's phone taken, a phone given back, and a purpose clause after the seizure are phone_seized."""
        assert "phone_seized" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "The dispatcher said an officer would phone her within the day. Nobody rang her back.",
            "The failure to call him back after the second report left him without help for four days.",
            "She was never rung back, although the log said a call-back was due that evening.",
            "Abandoned calls to 101 were not returned at that time.",
            "The handling of that call also failed, and the call handling fell short of the force's standard.",
        ],
    )
    def test_call_handling_that_failed(self, sentence: str) -> None:
        """A call-back never made, abandoned calls not returned and the review's verdict are call_handling_failure."""
        assert "call_handling_failure" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "The log was closed as an abandoned call with no further concerns.",
            "The panel does not find that the call handling failed on that night.",
        ],
    )
    def test_an_abandoned_call_or_a_refused_finding_is_not_a_failure(self, sentence: str) -> None:
        """An abandoned call is the caller's, and a finding the review declines is no finding."""
        assert "call_handling_failure" not in codes_in(sentence)

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            (
                "He told his brother the police would do nothing. The panel sees this loss of confidence as "
                "the result of the earlier attendances.",
                "loss_of_confidence",
            ),
            (
                "Officers were called to the flat after repeated 999 calls from the neighbours.",
                "repeat_callouts",
            ),
            ("The force had four contacts with the couple in the year before the death.", "repeat_callouts"),
            ("There were five calls to the same address in as many months.", "repeat_callouts"),
            ("Her son told us that she would never have rung the police about him.", "reluctance_to_report"),
            ("He showed the reluctance older men often feel to report a wife.", "reluctance_to_report"),
            (
                "No adult safeguarding referral (a concern form to the council) was made by the officers.",
                "support_referral_missing",
            ),
            (
                "The officers did not make a referral to adult social care after the visit.",
                "support_referral_missing",
            ),
            (
                "The call handler asked him whether he really needed the police that night.",
                "victim_not_taken_seriously",
            ),
            ("Tom has a son, who was four at the time of the death and lives with his mother.", "children"),
        ],
    )
    def test_other_wordings_of_the_code(self, text: str, code: str) -> None:
        """Each code in a wording the rule authors did not use."""
        assert code in codes_in(text)

    def test_a_grown_child_with_a_clause_is_not_a_child(self) -> None:
        """An age after the child counts only when it is under eighteen."""
        assert "children" not in codes_in("Tom has a daughter, who was 24 at the time of the death.")


class TestTheReviewsOwnVoice:
    """Findings told as the chair's or author's view, and things considered and set aside, in many wordings."""

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "It is the view of the Chair that no PNC check was made on Tom before the officers left.",
                "checks_not_done",
            ),
            (
                "The Chair considers that Tom's controlling behaviour dominated the household.",
                "coercive_control",
            ),
            (
                "In the author's view, Ana had lost confidence in the police by that spring.",
                "loss_of_confidence",
            ),
            (
                "The independent author is satisfied that Tom was coercive and controlling throughout.",
                "coercive_control",
            ),
            (
                "The chair and the panel agree that no history checks were made at the second call.",
                "checks_not_done",
            ),
        ],
    )
    def test_the_chairs_view_is_a_finding(self, sentence: str, code: str) -> None:
        """A finding told as the chair's or author's view is the review's own, not a sentence about the chair."""
        assert code in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "After going through the texts, the panel did not find evidence of an obsessive fixation of the kind "
            "that marks stalking.",
            "On balance, the panel does not regard the messages he sent after she left as stalking.",
            "The review would not describe this behaviour as stalking in the sense the guidance uses.",
            "His conduct after the separation fell short of stalking.",
        ],
    )
    def test_a_code_considered_and_set_aside_is_not_present(self, sentence: str) -> None:
        """A label the review weighs and declines, in any wording, is not the code."""
        assert "stalking" not in codes_in(sentence)

    def test_a_label_the_review_accepts_is_present(self) -> None:
        """The same weighing that accepts the label makes the code present."""
        assert "stalking" in codes_in("The panel regards his conduct after she left as stalking.")

    def test_declining_one_label_keeps_the_one_accepted(self) -> None:
        """Setting aside one label does not deny the one the review gives in an earlier clause."""
        assert "harassment" in codes_in(
            "The panel calls his conduct harassment, and it did not find evidence of the obsession and fixation "
            "that mark stalking."
        )

    def test_the_chairs_own_career_is_still_someone_else(self) -> None:
        """A sentence about the chair's background is not about the case."""
        assert "coercive_control" not in codes_in(
            "The chair has worked for many years with survivors of coercive control in the voluntary sector."
        )


class TestFamiliesOfWording:
    """Each code as different authors state it present, and as they mention it without it being present."""

    @pytest.mark.parametrize(
        "text",
        [
            "Tom was never referred to MARAC. The panel does not think the threshold was reached while officers "
            "were involved.",
            "No referral to MARAC was made. The risk never reached the threshold for referral.",
            "Ana was not referred to MARAC. Her answers fell short of the MARAC threshold on each occasion.",
        ],
    )
    def test_no_referral_below_a_threshold_not_reached(self, text: str) -> None:
        """A threshold not reached, crossed or met, or fallen short of, makes no referral no failure."""
        assert "marac_not_referred" not in codes_in(text)

    @pytest.mark.parametrize(
        "sentence",
        [
            "The officers took her phone as evidence and she was left without one for a week.",
            "Officers attended and took her mobile phone to download the messages.",
            "PC Hart seized her phone when he took her statement in May.",
            "Her phone was kept by the police for nine days.",
        ],
    )
    def test_a_phone_taken_by_the_police(self, sentence: str) -> None:
        """The victim's phone taken, seized or kept by the police is phone_seized."""
        assert "phone_seized" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "After he came home he decided who she saw and took her phone whenever she went out.",
            "He kept her phone in his pocket so that she could not ring her sister.",
        ],
    )
    def test_a_phone_taken_by_the_abuser(self, sentence: str) -> None:
        """The abuser taking her phone is abuse, not a seizure."""
        assert "phone_seized" not in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "Mark had been cautioned in 2012 for assaulting a former partner.",
            "Two of his ex-partners had reported him to the police for violence.",
            "The police received a report from his ex-wife that he had assaulted her.",
        ],
    )
    def test_a_former_partner_he_abused(self, sentence: str) -> None:
        """A former partner abused by the perpetrator is previous_partner_abuse."""
        assert "previous_partner_abuse" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "Tom rang 101 to complain that he was being harassed by his former partner at work.",
            "He told the call handler that his former partner was threatening him by text every night.",
        ],
    )
    def test_the_ex_partner_who_abuses_is_this_perpetrator(self, sentence: str) -> None:
        """After a separation the abuser is the victim's ex-partner: not an earlier partner abused."""
        assert "previous_partner_abuse" not in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "In the last two years GMP were called to the flat, sometimes by neighbours and sometimes by her, on "
            "at least eight occasions.",
            "Officers attended the flat no fewer than five times in the last year of her life.",
            "The police were sent to the house on more than six separate occasions.",
        ],
    )
    def test_the_police_called_again_and_again(self, sentence: str) -> None:
        """The police, what brought them and how often, with asides and quantifiers between, are repeat call-outs."""
        assert "repeat_callouts" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "The Review Panel met on six occasions during the year.",
            "The GP visited him at home on four occasions.",
            "The IDVA visited her on three occasions in May.",
            "Police attended once, in the spring, and were not called again.",
        ],
    )
    def test_meetings_and_other_agencies_visits_are_not_call_outs(self, sentence: str) -> None:
        """Occasions counted of the panel or of other agencies are not police call-outs."""
        assert "repeat_callouts" not in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "Her only real attempt to leave Tom came in the spring of that year.",
            "Her attempts to leave him were met with threats.",
            "She made several efforts to end the relationship in the spring.",
            "She had been divorced from him for many years when he killed her.",
        ],
    )
    def test_an_attempt_to_leave_told_as_a_noun(self, sentence: str) -> None:
        """An attempt or effort to leave the perpetrator, and a divorce from him, are separation."""
        assert "separation" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "He had been divorced for some years and lived on his own.",
            "Tom was a divorced father of two who lived near the town centre.",
        ],
    )
    def test_divorced_as_a_long_standing_state(self, sentence: str) -> None:
        """Divorced as a person's state before this relationship is not the couple's separation."""
        assert "separation" not in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "Her 999 call sat in the queue for most of the night.",
            "The job was downgraded to a diary appointment for the next afternoon.",
            "Nobody went to the flat that night: the address was not attended for eleven hours.",
            "No officer was sent until the following morning.",
            "Her call sat on the stack for three hours before a patrol was free.",
        ],
    )
    def test_a_call_left_waiting_or_put_off(self, sentence: str) -> None:
        """A call queued, put off to a later response or not attended for hours is a call-handling failure."""
        assert "call_handling_failure" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "Officers attended within eight minutes and arrested him.",
            "Silent calls from such addresses must not be moved to a non-emergency response without review.",
        ],
    )
    def test_a_prompt_response_or_a_duty_is_not_a_failure(self, sentence: str) -> None:
        """A prompt attendance, or what call handlers must do, is not a call-handling failure."""
        assert "call_handling_failure" not in codes_in(sentence)

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "She told her sister that officers never listened, and by the summer she had lost all confidence in them.",
                "loss_of_confidence",
            ),
            ("After the second call she lost all faith in the force.", "loss_of_confidence"),
            ("She no longer trusted the police to protect her.", "loss_of_confidence"),
            (
                "Ana did not report the violence for several years, fearing that nobody would believe her.",
                "reluctance_to_report",
            ),
            (
                "Ana had not reported it at the time because she feared what he would do.",
                "reluctance_to_report",
            ),
            (
                "She never told anyone about the violence until her sister saw the bruises.",
                "reluctance_to_report",
            ),
            (
                "The IMR accepts that no one in the unit took ownership of the case for a month.",
                "investigation_responsibility_dispute",
            ),
            (
                "Neither unit accepted ownership of the case after the arrest.",
                "investigation_responsibility_dispute",
            ),
            (
                "The matter was passed between departments for five weeks.",
                "investigation_responsibility_dispute",
            ),
        ],
    )
    def test_more_wordings_of_victim_engagement_and_investigation(self, sentence: str, code: str) -> None:
        """Confidence lost in 'them', abuse kept from the police for a time, an investigation nobody owned."""
        assert code in codes_in(sentence)

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "The officer in the case took responsibility for the investigation from the first day.",
                "investigation_responsibility_dispute",
            ),
            ("Information was passed between agencies at the MARAC.", "investigation_responsibility_dispute"),
        ],
    )
    def test_an_investigation_someone_owned_is_no_dispute(self, sentence: str, code: str) -> None:
        """An officer who owned the investigation, or information shared, is no dispute."""
        assert code not in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "No detective would take the case while the two teams argued over it.",
            "The file was passed to and fro between CID and the safeguarding unit for a month.",
            "The investigation was transferred from CID to the domestic abuse team and back again.",
        ],
    )
    def test_an_investigation_sent_back_and_forth(self, sentence: str) -> None:
        """An investigation sent to and fro, or that no officer would take, is a dispute over responsibility."""
        assert "investigation_responsibility_dispute" in codes_in(sentence)

    def test_a_heading_named_after_a_harm_is_not_the_harm(self) -> None:
        """The name of a form's section is not stalking or harassment."""
        found = codes_in(
            "Every question on the page headed Stalking and Harassment was answered no, since he had moved away."
        )
        assert not found & {"stalking", "harassment"}

    @pytest.mark.parametrize(
        "sentence",
        [
            "The two constables acted on what Tom asked of them and nothing more.",
            "The officers did exactly what she asked for and no more, and left.",
        ],
    )
    def test_action_that_went_no_further_than_asked(self, sentence: str) -> None:
        """Acting on, or doing only, what the victim asked is victim_wishes_only."""
        assert "victim_wishes_only" in codes_in(sentence)

    def test_action_against_her_wishes_is_not_wishes_only(self) -> None:
        """Officers who acted despite what she asked did not limit themselves to it."""
        assert "victim_wishes_only" not in codes_in(
            "The officers arrested him although she asked them not to."
        )


class TestMechanismsThatCarry:
    """Kinds of language rather than phrasings: quoted threats, grades moved down, officers' recorded words,
    the victim's own account of the police, and lists of this case's facts after a general lead-in."""

    @pytest.mark.parametrize(
        "sentence",
        [
            'He texted her at midnight: "I\'ll torch your car with you inside it."',
            "Her neighbour heard him shout \u201cyou're going to end up in a coffin\u201d through the door.",
            'The last voicemail said "if I can\'t have you then no one can have you".',
            'He told her brother, "We are going to find you and batter you."',
            "He warned him that he would never see the children again.",
        ],
    )
    def test_a_threat_in_the_speakers_own_words(self, sentence: str) -> None:
        """A quoted first-person promise of harm, a fate foretold to 'you', or reported speech of the same is a
        threat, though the word 'threat' is never used."""
        assert "threats" in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            'She told the nurse "I will kill for a cup of tea" and laughed.',
            'He said "I would never hurt her" when interviewed.',
            'The leaflet asked "will you be safe tonight?"',
        ],
    )
    def test_quoted_words_that_threaten_nobody(self, sentence: str) -> None:
        """A figure of speech, a denial of harm and a question in quotation marks are not threats."""
        assert "threats" not in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "The inspector brought the grading down to standard the following morning.",
            "Her high-risk assessment was lowered to medium when it was reviewed.",
            "Risk re-assessed at 14.10 from medium to standard by the duty sergeant.",
            "The second force assessed her as lower risk than the first had done.",
        ],
    )
    def test_a_grade_moved_down(self, sentence: str) -> None:
        """A verb of lowering with the lower grade, or a move from a higher grade, is risk_downgraded."""
        assert "risk_downgraded" in codes_in(sentence)

    def test_a_grade_moved_up_is_not_a_downgrade(self) -> None:
        """A grade raised from standard to medium is not lowered."""
        assert "risk_downgraded" not in codes_in("The sergeant changed the grading from standard to medium.")

    @pytest.mark.parametrize(
        "sentence",
        [
            'One log entry describes her as "histrionic again, refuses all help".',
            'The control room note reads "caller excitable, hard to follow".',
            "Over time the officers came to see his drinking as a life he had chosen for himself.",
        ],
    )
    def test_officers_recorded_words_about_the_victim(self, sentence: str) -> None:
        """Officers' own recorded words of blame or of distress as character are officer_norms."""
        assert "officer_norms" in codes_in(sentence)

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "By the summer he had lost any faith that ringing the police would change anything.",
                "loss_of_confidence",
            ),
            (
                'She told her cousin, "The police won\'t do anything for people like me."',
                "loss_of_confidence",
            ),
            ("After the second visit she said she would never ring them again.", "reluctance_to_report"),
            ("His fear of being deported was the main reason he did not report.", "reluctance_to_report"),
            (
                "She wrote in her diary: \"I'm just wasting the officers' time.\"",
                "victim_not_taken_seriously",
            ),
        ],
    )
    def test_the_victims_own_account_of_the_police(self, sentence: str, code: str) -> None:
        """What the victim said of the police, or of calling them, gives her confidence and her reluctance."""
        assert code in codes_in(sentence)

    def test_a_list_of_this_cases_facts_after_a_general_lead_in(self) -> None:
        """A list after a colon that tells what he did is about this case, though its lead-in cites research."""
        assert "threats" in codes_in(
            "His conduct matched the risk factors found in research on domestic homicide: he drank; he made "
            "threats; he had a knife."
        )

    def test_a_list_of_general_risk_factors_stays_general(self) -> None:
        """A list of risk factors that names no one's acts is still a general statement."""
        assert "threats" not in codes_in(
            "Research identifies several risk factors for homicide: separation, stalking, threats and strangulation."
        )

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            ("The attending officers did not complete a fresh DASH with her.", "dash_not_completed"),
            ("The constable did not refer him to the local outreach service.", "support_referral_missing"),
            (
                "For two weeks the units argued about which of them should investigate the breach.",
                "investigation_responsibility_dispute",
            ),
            ("The file was closed at her request alone.", "victim_wishes_only"),
        ],
    )
    def test_terse_and_varied_wordings_of_a_failure(self, sentence: str, code: str) -> None:
        """A modifier before the form, the verb's base form, and the question argued over carry the code."""
        assert code in codes_in(sentence)

    def test_a_harm_said_not_to_arise_is_denied(self) -> None:
        """'Does not arise', in the present tense, denies as 'did not arise' does."""
        assert "stalking" not in codes_in(
            "The learning about stalking in that review does not arise in this one."
        )

    def test_the_authors_first_person_finding_is_a_fact(self) -> None:
        """'I consider that ...' gives the author's finding about the case, not a possibility."""
        assert "coercive_control" in codes_in(
            "Having read the records, I consider that this was coercive control."
        )

    def test_an_act_only_thought_about_did_not_happen(self) -> None:
        """An officer who thought about giving a warning notice did not give one."""
        assert "pin_used" not in codes_in(
            "The officer thought about issuing him a Police Information Notice but decided against it."
        )


class TestCountsLabelsAndRecords:
    """Repeat call-outs counted by an ordinal, an earlier partner named in a caution or a record, dismissive
    labels from the logs, and the victim's view of the police reported by family."""

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            (
                "The December call was the fourth police attendance at the house in eight months.",
                "repeat_callouts",
            ),
            ("It was the third call-out to the address that year.", "repeat_callouts"),
            ("The police were involved five times before the death.", "repeat_callouts"),
            ("Officers came to the house four times in the spring.", "repeat_callouts"),
            ("She had a caution from 2017 for assaulting a former boyfriend.", "previous_partner_abuse"),
            (
                "Nobody looked, so the other force's records about Dan's previous partner were never seen.",
                "previous_partner_abuse",
            ),
            (
                "Police in Kent recorded domestic incidents involving him and a woman he had lived with.",
                "previous_partner_abuse",
            ),
            (
                'The handler asked, "are you sure this is something you need us for?"',
                "victim_not_taken_seriously",
            ),
            ('The log calls it a "drunken squabble" between the two men.', "victim_not_taken_seriously"),
            ('One entry reads "frequent flyer, no further action".', "victim_not_taken_seriously"),
            ("The sergeant wrote that they were as bad as each other.", "victim_not_taken_seriously"),
            ('She said "They think I\'m the problem."', "victim_not_taken_seriously"),
            ('She had told her sister that there was "no point" ringing the police.', "loss_of_confidence"),
            (
                'He told his mother there was no point because the police "just see drunks".',
                "loss_of_confidence",
            ),
            ("After the arrest she told her mother she would never ring them again.", "loss_of_confidence"),
            ('Officers wrote that it was "impossible to say who started it".', "unclear_primary_aggressor"),
            ('His sister said he would "never grass up" his own brother.', "reluctance_to_report"),
            ("In early March he told Dan that he was leaving and would stay with his sister.", "separation"),
            ('She told him, "call them again and I\'ll say you did it."', "threats"),
            ('He texted: "Tell anyone and you\'ll regret it."', "threats"),
            ("She had no home of her own to go to.", "economic_dependency"),
            ("She kept his bank card and insisted on sharing his phone's location.", "digital_abuse"),
            ("When he was out she sent him long runs of messages accusing him of lying.", "digital_abuse"),
            ("To be plain, this was stalking, and nobody named it as such.", "stalking_not_recognised"),
            (
                "He did not treat a woman followed from work by her ex-husband as someone who might be being stalked.",
                "stalking_not_recognised",
            ),
            ("She told Dan she was moving out at the end of the month.", "separation"),
            ("He was not told about the Men's Advice Line or any local support.", "support_referral_missing"),
            ("She was never referred to any service after the second call.", "support_referral_missing"),
            ("She said she wasn't going to snitch on him.", "reluctance_to_report"),
            (
                'The officers left, recording "adult, has capacity, does not want police involvement".',
                "victim_wishes_only",
            ),
            ("What was done was only what Ann, on the doorstep, said she wanted.", "victim_wishes_only"),
            ("Each blamed the other when officers arrived.", "unclear_primary_aggressor"),
            (
                "A sergeant reviewed the DASH and lowered it to medium. So no referral was made to the MARAC.",
                "marac_not_referred",
            ),
            (
                "The escalation criterion for a MARAC referral was met. No referral was made to the Eastfield MARAC.",
                "marac_not_referred",
            ),
        ],
    )
    def test_the_kind_of_language_is_coded(self, sentence: str, code: str) -> None:
        """Each kind in a wording of its own."""
        assert code in codes_in(sentence)

    @pytest.mark.parametrize(
        "sentence",
        [
            "Her sister told the author that Ana had said there was no point calling the police.",
            "His brother explained to the chair that Tom had lost all confidence in the police.",
        ],
    )
    def test_an_account_given_to_the_chair_tells_the_case(self, sentence: str) -> None:
        """A witness telling the chair or author is not a sentence about the chair."""
        assert "loss_of_confidence" in codes_in(sentence)

    @pytest.mark.parametrize(
        ("sentence", "code"),
        [
            ("She was the third child of the family.", "repeat_callouts"),
            ("Officers visited his address on three occasions but did not find him.", "repeat_callouts"),
            ("She had been abused by her ex-husband for years before she met him.", "previous_partner_abuse"),
            ("At no point did the police consider a referral.", "loss_of_confidence"),
            ("There was no point at which officers were told of the history.", "loss_of_confidence"),
            ("The officers thought the dog was the problem.", "victim_not_taken_seriously"),
            ("The children squabbled over toys.", "victim_not_taken_seriously"),
            ("It was graded standard. No referral was made to the MARAC.", "marac_not_referred"),
            ("The grass had not been cut for weeks.", "reluctance_to_report"),
            ("He told her that he was leaving for work.", "separation"),
            ("She shared her location with her sister when she walked home.", "digital_abuse"),
            ("The escalation criterion for a MARAC referral was met.", "marac_referral"),
            ("The panel was asked to consider what risk assessment was carried out.", "dash_completed"),
            ("She said \"I'll call you tomorrow and I'll tell you the news.\"", "threats"),
            ("Officers told her about the local support service.", "support_referral_missing"),
            ("He recorded that she did not want police involvement, and arrested him.", "victim_wishes_only"),
            ("It was impossible to say who started the rumour at school.", "unclear_primary_aggressor"),
        ],
    )
    def test_the_near_miss_is_not(self, sentence: str, code: str) -> None:
        """An ordinal of something else, officers looking for him, her own earlier abuser, 'at no point'."""
        assert code not in codes_in(sentence)


class TestSampleCases:
    def cases(self, built: Path) -> dict[str, dict[str, object]]:
        return {case["source"]: case for case in json.loads((built / "coded.json").read_text())["cases"]}

    def test_only_included_reviews_are_coded(self, built: Path, labels: dict[str, dict[str, object]]) -> None:
        """Excluded and unreadable reviews are not coded."""
        included = {name for name, label in labels.items() if label["decision"] == "include"}
        assert set(self.cases(built)) == included

    def test_every_present_code_has_evidence(self, built: Path) -> None:
        """Each present code cites page, section and sentence."""
        for case in self.cases(built).values():
            for code, result in case["codes"].items():  # type: ignore[attr-defined]
                if result["present"]:
                    assert result["evidence"], code
                    assert all(e["page"] >= 1 and e["quote"] for e in result["evidence"])

    def test_features_of_a_rapidly_escalating_case(self, built: Path) -> None:
        """Leah: 26, female, killed by her ex-partner, not living together, 28 days, rapidly escalating."""
        features = {
            k: v["value"] for k, v in self.cases(built)["dhr-kelsborough-leah.pdf"]["features"].items()
        }  # type: ignore[attr-defined]
        assert features["victim_age"] == 26
        assert features["victim_gender"] == "female" and features["perpetrator_gender"] == "male"
        assert features["relationship"] == "ex_partner" and features["cohabiting"] is False
        assert features["police_forces"] == ["Northumbria Police"]
        assert features["first_police_contact"] == "2016-10-28"
        assert features["days_first_contact_to_death"] == 28
        assert features["case_type"] == "rapidly_escalating"

    def test_a_suicide_after_abuse_is_a_suicide(self, built: Path) -> None:
        """Jo took her own life: death type suicide."""
        assert self.cases(built)["dhr-harwick-jo.pdf"]["features"]["death_type"]["value"] == "suicide"  # type: ignore[index]

    def test_police_recommendations_are_listed(self, built: Path) -> None:
        """Recommendations addressed to the police are extracted with their numbers."""
        recommendations = self.cases(built)["dhr-kelsborough-leah.pdf"]["police_recommendations"]
        assert recommendations and all(r["addressee"] for r in recommendations)  # type: ignore[union-attr]

    def test_the_matrix_csv_has_a_row_per_case(self, built: Path) -> None:
        """The case x code CSV opens in a spreadsheet: one row per case, one column per code."""
        rows = (built / "coded.csv").read_text().splitlines()
        assert "stalking" in rows[0].split(",")
        assert len(rows) == 1 + len(self.cases(built))

    def test_coded_json_carries_the_codebook_texts(self, built: Path) -> None:
        """The renderer needs only coded.json: themes, NVAP actions and questions travel with it."""
        codebook = json.loads((built / "coded.json").read_text())["codebook"]
        assert {t["nvap_action"] for t in codebook["themes"]} >= {"2.24", "2.11", "2.71", "2.42"}
        assert all(t["reflective_questions"] for t in codebook["themes"])


class TestAccuracy:
    def test_eval_meets_the_targets_on_the_samples(self, built: Path, tmp_path: Path) -> None:
        """Precision >= 0.95 and recall >= 0.90 over all codes; features right for >= 95% of values."""
        figures = tmp_path / "eval.json"
        result = run(
            "eval",
            Path(__file__).parents[1] / "samples" / "labels.yaml",
            "--screening",
            built / "screening.json",
            "--coded",
            built / "coded.json",
            "--json",
            figures,
        )
        assert result.exit_code == 0, result.output
        data = json.loads(figures.read_text())
        assert data["codes"]["precision"] >= 0.95
        assert data["codes"]["recall"] >= 0.90
        assert data["features"]["right"] / data["features"]["total"] >= 0.95
        assert data["screening_decisions"]["right"] == data["screening_decisions"]["total"]


class TestCommandLine:
    def test_a_missing_screening_file_says_what_to_run(self, tmp_path: Path) -> None:
        """One line that names the file and the command that makes it."""
        result = run("code", tmp_path / "screening.json", "--out", tmp_path / "coded.json")
        assert result.exit_code == 3
        assert "run `briefgen screen CORPUS_DIR` first" in result.stderr

    def test_a_corrupt_screening_file_is_one_clear_error(self, tmp_path: Path) -> None:
        """Garbage JSON is reported, not a traceback."""
        bad = tmp_path / "screening.json"
        bad.write_text('{"documents": 3}')
        result = run("code", bad, "--out", tmp_path / "coded.json")
        assert result.exit_code == 3
        assert "is not a screening file from this version of briefgen" in result.stderr

    def test_coding_is_deterministic(self, built: Path, tmp_path: Path) -> None:
        """Coding the same screening twice gives byte-identical JSON and CSV."""
        assert run("code", built / "screening.json", "--out", tmp_path / "coded.json").exit_code == 0
        second = json.loads((tmp_path / "coded.json").read_text())
        first = json.loads((built / "coded.json").read_text())
        second["codebook"]["ref"]["path"] = first["codebook"]["ref"][
            "path"
        ]  # written relative to each output
        second["screening"]["path"] = first["screening"]["path"]
        assert first == second
        assert (tmp_path / "coded.csv").read_bytes() == (built / "coded.csv").read_bytes()

    def test_agreement_with_a_human_coder(self, built: Path, tmp_path: Path) -> None:
        """A human's corrected copy of coded.csv gives per-code agreement and kappa."""
        human = tmp_path / "human.csv"
        rows = (built / "coded.csv").read_text().splitlines()
        header = rows[0].split(",")
        column = header.index("stalking")
        first = rows[1].split(",")
        first[column] = "0" if first[column] == "1" else "1"
        human.write_text("\n".join([rows[0], ",".join(first), *rows[2:]]) + "\n")
        result = run("agree", built / "coded.json", human, "--out", tmp_path / "agreement.json")
        assert result.exit_code == 0, result.output
        report = json.loads((tmp_path / "agreement.json").read_text())
        stalking = next(c for c in report["codes"] if c["code"] == "stalking")
        assert stalking["agreement"] < 1.0
        assert report["cases"] == len(rows) - 1
