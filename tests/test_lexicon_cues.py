"""Each cue in codebooks/lexicon.yaml: what it must find and what it must leave alone.

The cues are the language of reviews, kept as data so that an analyst can extend them; these examples pin down
what each is for, so that a change to one shows what it gains and what it breaks.
"""

from __future__ import annotations

import pytest

from briefgen import resources
from briefgen.lexicon import CompiledLexicon, Cues, load_lexicon

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))

# cue: (sentences it must match, sentences it must not match)
EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "after_death_work": (
        [
            "The Senior Investigating Officer briefed the family.",
            "Officers guarded the scene overnight.",
        ],
        ["Officers attended after a neighbour heard shouting."],
    ),
    "police_employment": (
        [
            "He was a serving police officer with twelve years' service.",
            "The chair is a retired detective inspector.",
            "She told the operator that he was a police sergeant with a neighbouring force.",
            "Her cousin is a constable with Dorset Police.",
            "His son serves with the Metropolitan Police.",
            "Her father was an officer in Durham Constabulary.",
        ],
        [
            "Two officers attended the flat on 3 May.",
            "She was seen by an officer at the front counter.",
            "An officer with a body-worn camera spoke to her.",
        ],
    ),
    "caller_said": (
        [
            "She rang 999 to say that he ",
            "he called the police, saying ",
            "a neighbour phoned 101 and told them ",
            "she dialled 999 to report that ",
        ],
        ["She rang 999 at 23.40.", "Officers attended and arrested him."],
    ),
    "reported_event": (
        ["She rang 101 to report the assault of ", "he called the police about an incident on the "],
        ["Officers attended on ", "She rang 101 at about 21:15 on "],
    ),
    "other_matter": (
        ["A neighbour reported a burglary at the flat.", "He called about drug dealing on the landing."],
        ["She called to say he had hit her."],
    ),
    "abuse_plain": (
        ["She said he had pushed her against the door.", "Officers completed a DASH."],
        ["A neighbour reported shouting and a smell of cannabis."],
    ),
    "no_abuse_noted": (
        [
            "Crime recorded. No domestic abuse indicators were noted.",
            "The call was not treated as a domestic incident.",
        ],
        ["Officers recorded a domestic incident and completed a DASH."],
    ),
    "together_at_death": (
        ["They were back together at the time of her death.", "The panel has treated him as her partner."],
        ["They were together for two years before she left him."],
    ),
    "no_police_contact": (
        [
            "She was not known to the police.",
            "Neither of them was known to the police.",
            "There was no previous police contact with the couple.",
            "Checks run once he was in custody showed he had never come to the attention of the police.",
            "A search of police systems after the arrest revealed nothing about either of them.",
            "Police records showed no earlier calls to the address.",
            "Enquiries made with the PNC bureau found no convictions.",
        ],
        [
            "She was known to the police as a victim of domestic abuse.",
            "Police attended and found no injuries.",
            "Police records show that officers attended twice that spring.",
        ],
    ),
    "contact_action": (
        [
            "Officers attended and spoke with her.",
            "She rang the police from a neighbour's phone.",
            "In spring he phoned West Mercia Police to complain.",
            "Her mother contacted Avon and Somerset Constabulary.",
            "She called the force on 101 that evening.",
        ],
        ["The police are a partner in the review.", "Gwent Police provided an IMR on 101 pages."],
    ),
    "found_someone": (
        [
            "Officers found him in the garden.",
            "Officers found her collapsed in the hallway.",
            "On 9 May 2018 transport police located Tia on a station platform.",
            "They traced her at a friend's house.",
        ],
        ["Officers found no injuries.", "The officer found that the log had been closed."],
    ),
    "not_their_matter": (
        [
            "That incident did not involve Jo or her partner.",
            "The report was entirely unconnected to Jo.",
            "This call had nothing to do with Jo.",
        ],
        [
            "Jo did not want to involve the police.",
            "The DASH did not include the strangulation she described.",
        ],
    ),
    "unreal_contact": (
        [
            "She was worried that calling the police would make things worse.",
            "Her cousin thought of phoning the police that night.",
            "The lodger considered reporting what he heard to the police.",
            "A passer-by almost rang 999 when she saw them fighting.",
            "Her sister had wanted to call the police, but was talked out of it.",
        ],
        [
            "She called the police at midnight.",
            "The attending officer considered contacting children's services.",
            "She wanted to report the assault and officers took a statement.",
        ],
    ),
    "relative_record": (
        [
            "Gus's elder brother has a string of convictions and is known to Kent Police.",
            "Her father had a criminal record for burglary.",
            "The perpetrator's cousin was well known to local officers.",
            "4.2 His stepson is on police systems for drug supply.",
        ],
        [
            "Her brother rang the police because his criminal record made him wary of officers.",
            "Gus was known to Kent Police.",
            "Her mother reported to the police that he had convictions for assault.",
        ],
    ),
    "before_death": (
        ["In the weeks before her death the police were called twice."],
        ["After her death the police searched the flat."],
    ),
    "death_date_follows": (  # the words between 'before her death' and a date
        [" on ", ", on Sunday ", " in the early hours of the ", " at the flat they shared on "],
        [
            ": a call to the police on ",
            ", and officers visited on ",
            " the neighbour rang on ",
            " in 2019 she rang on ",
        ],
    ),
    "learning": (
        ["There was a missed opportunity to refer her to MARAC.", "This was good practice by the officer."],
        ["The officer's name was Smith."],
    ),
    "no_learning": (
        ["The panel identified no learning for the police in this case."],
        ["The panel identified learning for the police."],
    ),
    "criticism": (
        ["The officers failed to complete a risk assessment.", "The DASH was not completed."],
        ["The officers completed a risk assessment."],
    ),
    "other_people": (
        ["Her mother died in March 2015.", "His first wife left him in 2010."],
        ["She died on 4 June 2019."],
    ),
    "death_process_agent": (
        [
            "The Partnership was notified of Ian's death by Avon and Somerset Police on the ",
            "The coroner's officer told the family of her death by telephone on ",
            "Officers reported his death to the coroner on ",
        ],
        ["She was killed by Ian on ", "The panel learned that his death by suicide on ", "Ian died on "],
    ),
    "relative_to_death": (["22 days before", "in the weeks leading up to"], ["on"]),
    "threat_to_kill": (
        ["He said he would kill her if she left.", "She told officers he had threatened her."],
        ["She was killed on 2 June 2017."],
    ),
    "age": (
        [
            "Ann, aged 34, lived alone.",
            "a 34-year-old mother",
            "He was 52 years of age.",
            "Tom, a man who was twenty-two years old, lived in a hostel.",
            "a seventy-one-year-old widow",
            "Mia, aged nineteen, had just started college.",
        ],
        ["In 34 cases", "twenty years ago", "Nineteen officers attended."],
    ),
    "pronoun_age": (
        ["She was 34 when they met.", "He was forty-six.", "She was seventy-eight years old."],
        [
            "Her sister was 34.",
            "She was 20 years before a nurse.",
            "She was twenty-six weeks pregnant.",
            "He was ten minutes late.",
        ],
    ),
    "age_told": (
        [
            "She was in her ninetieth year when she moved to the home.",
            "By then Tom was in his 61st year.",
            "He had just turned 40 when they married.",
            "Rosa had turned 27 that spring.",
            "Ann was born in March 1958 in Leeds.",
            "He was born on the 2nd of May 1970.",
            "He had turned sixty a week before.",
            "Maya was born in the spring of 1990 in Bristol.",
            "She was born in late 1975.",
            "He was born in mid-1968.",
            "She had celebrated her fortieth birthday in the summer before she was killed.",
            "He died three days before his 60th birthday.",
            "It would have been her fiftieth birthday the following week.",
            "She would have turned 35 that autumn.",
            "Had he lived, he would now have been 58.",
            "She would have reached forty in the spring.",
        ],
        [
            "She was in her third year at college.",
            "He turned 180 degrees.",
            "The case turned 2 years later on new evidence.",
            "She was born in Leeds.",
            "She was born in 1975.",
            "He turned away from the door.",
        ],
    ),
    "story_year": (
        [
            "In the summer of 2017, on the 3rd of July, officers attended.",
            "During 2019 she rang the police twice.",
            "In the last months of 2020 he moved out.",
        ],
        [
            "The Care Act 2014 applied.",
            "Over 2019/20 the service was reorganised.",
            "On 3 July 2017 she rang.",
        ],
    ),
    "next_in_story": (
        [
            "He was arrested the following morning at his brother's house.",
            "Later that night officers searched the flat.",
            "Within hours the force had circulated his description.",
        ],
        ["He was arrested on 3 May after she reported the assault.", "Officers attended the next week."],
    ),
    "force_no_contact": (
        [
            "Essex Police had no contact with either of them.",
            "He had no previous dealings with Kent Police.",
            "Surrey Police | Records check: no trace",
            "A search of Dorset Police systems returned no records for her.",
            "She was not known to Gwent Police.",
            "Neither of them had ever had contact with Dorset Police.",
        ],
        [
            "Kent Police attended twice and had no further involvement.",
            "Essex Police had no power to detain him.",
            "No DASH was completed by Surrey Police.",
        ],
    ),
    "she": (["She told her sister."], ["He told his brother."]),
    "he": (["He told his brother."], ["She told her sister."]),
    "perpetrator_named": (
        ["Tom was convicted of her murder.", "Her partner, referred to here as Tom, was arrested."],
        ["The court heard the case in May."],
    ),
    "perpetrator_act": (["He was arrested at the scene."], ["He was at home."]),
    "ended_not_hers": (
        ["His previous relationship ended in 2012.", "He claimed the relationship had ended."],
        ["The relationship ended in May."],
    ),
    "ending_wished": (
        ["She had tried to", "she wanted to", "She had never ", "they had not yet "],
        ["In May the relationship", "He had not contacted her ", "No one saw him again "],
    ),
    "record_date_label": (
        ["Date", "Date(s)", "Date of incident", "Dates of contact", "Date and time", "When:"],
        ["Summary", "Agencies", "Date of birth", "Update on the action"],
    ),
    "affirming": (
        ["There is no doubt that he stalked her.", "not only by phone", "on no fewer than five occasions"],
        ["There was no stalking."],
    ),
    "recommendation_start": (
        ["Recommendation 3. The police should review...", "2.1 The force will..."],
        ["The force will..."],
    ),
    "conditional": (
        ["It is not clear whether officers should have arrested him."],
        ["Officers should have arrested him."],
    ),
    "police_practice": (
        [
            "The risk checklist (DASH) was graded standard.",
            "Nobody ran a PNC check on him.",
            "The call handler",
        ],
        ["The GP saw her twice that spring."],
    ),
    "praise": (
        ["The response that night was prompt and thorough.", "The officer rightly arrested him."],
        ["The response that night was slow."],
    ),
    "earlier_story": (
        ["Officers had attended the flat twice.", "She had previously called 101.", "In 2017 she moved."],
        ["Officers attended and he was arrested.", "An ambulance arrived."],
    ),
    "death_year": (
        ["Year of death: 2018", "She died in 2018 at home.", "Her death in the summer of 2019 shocked them."],
        ["She died on 4 May 2018.", "He moved in 2018.", "The review began in 2019."],
    ),
    "letter_opening": (["Dear Ms Okafor,", "Dear Colleagues"], ["dear friends of hers", "Deary me"]),
    "letter_closing": (["Yours sincerely,", "With kind regards"], ["She wrote to him sincerely."]),
    "action_plan_title": (["Action Plan", "DHR Marlow: Implementation Plan"], ["She made a plan to leave."]),
    "derivative_title": (
        [
            "Seven-minute briefing",
            "DHR Ann: Learning Brief for practitioners",
            "Safeguarding Adults and Children Newsletter",
            "Media Statement on the publication of a review",
            "Practitioner briefing note",
            "Regulation 28 Report to Prevent Future Deaths",
            "Training pack: the case of 'Ann'",
        ],
        ["Overview Report", "Executive Summary", "Ann was briefed by her lawyer.", "She read the notes."],
    ),
    "full_report_title": (["Overview Report", "Final report"], ["Executive Summary"]),
    "summary_title": (["Executive Summary", "Summary report of the review"], ["Overview Report"]),
    "deferral": (
        [
            "The analysis of each agency's contact is set out in section 6 of the full Overview Report.",
            "Readers are referred to the overview report.",
            "This is a summary only.",
        ],
        [
            "The panel set out its analysis in section 6.",
            "This overview report sets out the panel's findings.",
        ],
    ),
    "purpose": (
        [
            "Officers took her mobile so that the messages could be downloaded.",
            "He was bailed to another address in order to keep him away from her.",
        ],
        ["Officers took her mobile, and it could have been copied at the scene."],
    ),
    "short_statement": (
        ["Nobody rang her back.", "No referral was made.", "Officers attended twice."],
        ["Race, religion and language.", "Housing and money."],
    ),
    "case_fact_item": (
        [" he kept her passport", " and she then rang her sister", " he had not paid the rent"],
        [" separation, stalking and threats", " research shows that men who stalk"],
    ),
    "unreal_outcome": (
        [
            "An arrest, a safety plan and a refuge place would have changed what happened next.",
            "A risk assessment should have been done at the door.",
            "Had the grading been high, a conference referral would follow.",
        ],
        [
            "The officer completed the risk assessment at the door.",
            "She would often visit her sister at weekends.",
        ],
    ),
}


def test_every_cue_has_examples() -> None:
    """No cue goes without examples of what it is for."""
    assert set(EXAMPLES) == set(Cues.model_fields)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_cue_finds_what_it_is_for(name: str) -> None:
    """The cue matches each sentence of its kind."""
    cue = getattr(LEXICON.cues, name)
    for sentence in EXAMPLES[name][0]:
        assert cue.search(sentence), f"{name} should match {sentence!r}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_cue_leaves_other_sentences_alone(name: str) -> None:
    """The cue does not match the sentences next to its kind that say something else."""
    cue = getattr(LEXICON.cues, name)
    for sentence in EXAMPLES[name][1]:
        assert not cue.search(sentence), f"{name} should not match {sentence!r}"


def test_a_cue_can_be_written_as_a_plain_string_or_with_its_case() -> None:
    """A plain string is a case-insensitive cue; `case_sensitive: true` keeps the case."""
    cues = Cues.model_validate(
        {name: "x" for name in Cues.model_fields} | {"age": {"pattern": "Aged", "case_sensitive": True}}
    )
    assert cues.learning.case_sensitive is False
    assert cues.age.case_sensitive is True


# context cue: (sentences it must match, sentences it must not match); `denial_frame` is matched at the start.
CONTEXT_EXAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "denial_frame": (
        [
            "No service in either town kept any note that he had hurt an earlier girlfriend.",
            "3.4 Neither the mother nor the son had any recorded history of heroin use.",
            "There was no indication that he followed her home from work.",
            "Nothing in the records suggests that the couple argued about money, and nothing to show it.",
            "Nor was there any sign of him stalking her.",
            "The review does not find that the officers ignored her calls.",
            "We do not consider that he was ever her carer in any real sense.",
            "After reading his texts, we did not find evidence of a fixated pattern.",
            "On balance, the panel does not regard the messages he sent as",
            "The review would not describe his conduct after she left as",
        ],
        [
            "No officer knew that he had a history of abusing his former wife.",
            "The panel does not doubt that the sergeant acted in good faith.",
            "No PNC check was made on the suspect.",
            "The records show that he hurt an earlier girlfriend.",
            "After reading his texts, we found that he had followed her.",
            "The panel regards the messages he sent as harassment.",
        ],
    ),
    "general_statement": (
        [
            "A MARAC is a monthly meeting where agencies share information about victims at high risk.",
            "Cases are referred to the MARAC when the checklist scores fourteen or more.",
            "An evidence-led prosecution allows the police to proceed without the victim's evidence.",
        ],
        [
            "The sergeant referred Rosa to the MARAC in June.",
            "An evidence-led prosecution was considered and rejected by the CPS.",
        ],
    ),
    "hypothetical": (
        [
            "The panel looked closely for signs of stalking.",
            "The officer sent the form on, believing that the hub would refer her to the MARAC.",
            "They were expected to complete a risk assessment with her.",
            "Both constables thought that the other had already made the referral.",
            "The sergeant thought about applying for a protection order that evening.",
        ],
        [
            "The officer referred her to the MARAC the same night.",
            "I consider that his conduct towards her was coercive control.",
        ],
    ),
    "clause_break": (
        ["He drank heavily; she did not.", "She was referred (by the IDVA) to the refuge."],
        ["No Police Information Notice (PIN) was served.", "There was no alcohol, or drugs, in the flat."],
    ),
}


@pytest.mark.parametrize("name", sorted(CONTEXT_EXAMPLES))
def test_context_cue_finds_what_it_is_for(name: str) -> None:
    """Each context cue matches each sentence of its kind (a denial frame from the sentence's start)."""
    cue = getattr(LEXICON, name)
    for sentence in CONTEXT_EXAMPLES[name][0]:
        found = cue.match(sentence) if name == "denial_frame" else cue.search(sentence)
        assert found, f"{name} should match {sentence!r}"


@pytest.mark.parametrize("name", sorted(CONTEXT_EXAMPLES))
def test_context_cue_leaves_other_sentences_alone(name: str) -> None:
    """Each context cue leaves alone the sentences next to its kind that say something else."""
    cue = getattr(LEXICON, name)
    for sentence in CONTEXT_EXAMPLES[name][1]:
        found = cue.match(sentence) if name == "denial_frame" else cue.search(sentence)
        assert not found, f"{name} should not match {sentence!r}"


@pytest.mark.parametrize(
    "name",
    [
        "the Domestic Abuse, Stalking and Harassment and Honour Based Violence (DASH) checklist",
        "a referral to the stalking advocacy service",
        "the Protection from Harassment Act 1997",
        "the honour based abuse lead for the force",
        "Child and Adolescent Mental Health Services",
        "the force's cuckooing protocol",
        "a county lines taskforce",
        "the cultural mediation service",
        "the page of the checklist headed Stalking and Harassment",
        'under the heading "Coercive control"',
    ],
)
def test_named_things_are_found(name: str) -> None:
    """Each name of an instrument, a service or a law is one of the lexicon's named things."""
    assert LEXICON.any_named_thing is not None and LEXICON.any_named_thing.search(name)


def test_the_lexicon_s_json_is_the_same_in_every_process() -> None:
    """The lexicon keys the screening cache: its JSON must not depend on the process's hash seed."""
    import os
    import subprocess
    import sys

    script = (
        "from briefgen import resources; from briefgen.lexicon import load_lexicon; "
        "print(load_lexicon(resources.default_lexicon()).model_dump_json())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
