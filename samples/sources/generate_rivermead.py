#!/usr/bin/env python3
"""Write the chronology of the fictional DHR 'Kerry' (Rivermead) into dhr-rivermead-kerry.md.

Everything here is invented test material for briefgen. The narrative parts of the review are
written by hand in the .md; this script only (re)writes the block between the chronology anchors:

    start anchor: the line beginning "13.4 " (last hand-written paragraph of the chronology intro)
    end anchor:   the "<!-- pagebreak -->" line just before the heading "## 14."

The key events (police incidents, court, health, housing, probation milestones) are written out
below by hand; routine agency contacts are drawn from template pools with a fixed seed, so the
output is deterministic. Run:  python3 samples/sources/generate_rivermead.py
"""

from __future__ import annotations

import datetime as dt
import pathlib
import random
import re
import sys

SEED = 20190223
HERE = pathlib.Path(__file__).resolve().parent
TARGET = HERE / "dhr-rivermead-kerry.md"

D = dt.date

# --------------------------------------------------------------------------------------------
# Date formats: each agency's chronology was merged by the panel, so formats differ by agency.
# --------------------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suf = "th"
    else:
        suf = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def fmt(date: dt.date, style: str) -> str:
    if style == "slash":
        return date.strftime("%d/%m/%Y")
    if style == "dot":
        return date.strftime("%d.%m.%Y")
    if style == "long":
        return f"{ordinal(date.day)} {MONTHS[date.month - 1]} {date.year}"
    if style == "plain":
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    if style == "month":
        return f"{MONTHS[date.month - 1]} {date.year}"
    raise ValueError(style)


AGENCY_STYLE = {
    "WYP": "slash",
    "GP": "dot",
    "RGI": "slash",
    "YAS": "slash",
    "Rivermead Homes": "long",
    "Housing Options": "long",
    "RRP": "plain",
    "CRC": "slash",
    "NPS": "slash",
    "CSC": "dot",
    "RDAS": "long",
    "School": "dot",
    "Court": "long",
    "CPS": "slash",
    "Liaison Psychiatry": "slash",
}

# --------------------------------------------------------------------------------------------
# Key events, written by hand. (date, agency, text[, display]) ; display overrides the date text.
# --------------------------------------------------------------------------------------------

KEY = [
    # ---------------- 2013 ----------------
    (D(2013, 6, 24), "GP", "Dean notifies the practice of a change of address to Kerry's flat. Registration updated; no link made between the two patient records."),
    (D(2016, 3, 9), "WYP", "OIC visits Kerry at her mother's address and photographs the injuries to her neck and face. Kerry confirms her statement. OIC gives her the IDVA's details and a Victim Personal Statement form."),
    (D(2016, 3, 14), "RDAS", "IDVA refers Kerry to the sanctuary scheme for additional locks at the flat. The referral is not progressed because Kerry is staying at her mother's and then does not respond to the installer's calls."),
    (D(2016, 7, 1), "NPS", "Case allocated to the CRC as a medium risk of serious harm case. Transfer documents include the PSR and the police domestic abuse summary."),
    (D(2017, 3, 21), "WYP", "Letter to Kerry at Calder House under the Victims' Code informing her that the threats to kill investigation has been closed with no further action. No contact details for support are enclosed."),
    (D(2017, 12, 28), "CRC", "Termination report: no onward referral; BBR incomplete; 'risk of serious harm to partner remains medium'. No notification to WYP or RDAS that supervision has ended."),
    (D(2018, 3, 14), "GP", "Dean attends. He says he has been drinking 'a litre of vodka a day' since his probation order ended and asks for help to stop. AUDIT 33. GP refers him to RRP for a community detox assessment. Dean does not attend the RRP assessment."),
    (D(2018, 7, 2), "Rivermead Homes", "Neighbour at Flat 6 telephones the office: 'the couple at number 3 were at it again all weekend, she was screaming'. Logged as a further report under the existing tenancy warning. No contact with Kerry."),
    (D(2018, 8, 27), "RGI", "Kerry discharged from ED with a maxillofacial clinic appointment. Discharge summary to GP: 'fractured zygoma, fall down stairs; patient disclosed fear of partner; referred to hospital IDVA'."),
    (D(2018, 10, 22), "GP", "Kerry attends with low mood and says she is 'sick of everything'. PHQ-9 22. She denies thoughts of suicide. Mirtazapine continued. GP notes the hospital IDVA referral but does not ask about it. Review in four weeks; Kerry does not attend the review."),
    (D(2019, 1, 23), "Family", "Kerry tells her mother that Dean has 'got worse than ever' and that she is 'going to get out once and for all after my birthday'. She asks her mother not to tell anyone. (Account given to the review.)", "January 2019"),
    (D(2019, 1, 17), "Rivermead Homes", "Review of the tenancy warning. No further noise complaints since July 2018. Decision not to serve a Notice of Seeking Possession at present; review in three months."),
    (D(2013, 2, 12), "GP", "Kerry attends for contraceptive pill review. Blood pressure normal. Smoking 10 a day. Alcohol recorded as 'socially, weekends'. No concerns."),
    (D(2013, 6, 1), "Rivermead Homes", "Housing officer notes from a neighbour's comment that 'a man seems to be living at Flat 3'. Kerry is the sole tenant with her son. No action taken.", "June 2013"),
    (D(2013, 8, 17), "WYP", "(Incident 1) 23.40: a neighbour calls 999 reporting a woman screaming and the sound of breaking glass in the flat above. Officers attend at 00.05. Kerry and Dean are both intoxicated. Kerry has a small cut to her lower lip, which she says she caught on a glass; Dean says they argued about money and Kerry threw a glass at the wall. Tyler (11) is asleep at his grandmother's. A DASH is completed with Kerry and graded standard; she answers 'yes' to 4 questions. Kerry declines to make a statement. Dean agrees to stay at his brother's overnight. With Kerry's consent a referral is made to RDAS. No crime recorded; CAD closed as 'domestic - verbal argument'."),
    (D(2013, 8, 21), "RDAS", "Referral received from WYP (standard risk). Outreach worker telephones Kerry, who says things are 'fine now' but agrees to a follow-up call."),
    (D(2013, 8, 29), "RDAS", "Follow-up call. Kerry says Dean has 'calmed down' and she does not want further contact. Given helpline number. Case closed."),
    (D(2013, 9, 5), "GP", "Kerry attends with low mood for several months, poor sleep and tearfulness. PHQ-9 score 17. She reports drinking about 40 units a week. AUDIT score 22. Sertraline 50mg started. Brief intervention about alcohol; referral to RRP offered and declined."),
    (D(2013, 11, 2), "WYP", "(Incident 2) 01.15: Kerry calls 999 saying 'he's pushed me down the stairs' (communal stairwell). Officers attend at 01.32. Kerry has grazes to both knees. Dean says Kerry attacked him first and shows a scratch to his neck. Both are heavily intoxicated. Officers record 'counter allegations, neither party willing to provide a statement'. No DASH is completed; the incident is recorded as a verbal argument. NFA."),
    (D(2013, 11, 4), "Rivermead Homes", "Neighbour at Flat 5 reports 'shouting and banging most weekends' from Flat 3. Recorded as noise nuisance (ASB category 2). Letter sent to Kerry as tenant reminding her of tenancy conditions about noise."),
    (D(2013, 12, 24), "WYP", "(Incident 3) 21.30: Dean calls 101 reporting that Kerry has smashed the television and locked him out of the flat. Officers attend. Kerry is intoxicated and abusive to officers; she says Dean 'has been at me all day'. Kerry is arrested for criminal damage. No DASH is completed and the incident is not considered as one in which Kerry may be a victim."),
    (D(2013, 12, 25), "WYP", "Kerry interviewed in custody when sober; admits damaging the television. Issued with a simple caution for criminal damage and released at 14.10. Custody record notes 'states partner is controlling' under detainee comments; not followed up."),
    (D(2013, 12, 30), "Rivermead Homes", "Kerry reports the front door frame split 'when someone kicked it'. Emergency repair completed the same day and recharged to the tenant (£86)."),
    # ---------------- 2014 ----------------
    (D(2014, 1, 14), "School", "Tyler's attendance has fallen to 86%. Letter to Kerry. Head of Year notes Tyler 'tired and withdrawn'."),
    (D(2014, 3, 15), "WYP", "(Incident 4) 02.20: Kerry calls 999, says 'he's got his hands round my throat' and the line cuts off. Officers attend within 8 minutes. Kerry has reddening to both sides of her neck and is distressed. Tyler (11) is awake in his bedroom. Dean, intoxicated, is arrested for assault. A DASH is completed and graded medium (9 'yes' answers, including the question about strangulation). Referral made to RDAS; Child Concern notification sent to CSC."),
    (D(2014, 3, 16), "WYP", "Kerry is visited to provide a statement and declines, saying she 'doesn't want him in trouble'. Dean interviewed; says Kerry attacked him and he pushed her away. Following CPS advice (no victim statement, no independent witness) Dean is released with no further action."),
    (D(2014, 3, 18), "GP", "Kerry attends with a sore neck and bruising. Says there was 'a bit of a scuffle' at the weekend. GP asks whether she is safe at home; Kerry says 'it's sorted now, police came'. Record: 'DV? - declines support, leaflet given'. No liaison with police or CSC."),
    (D(2014, 3, 19), "RDAS", "Referral from WYP (medium risk). Three attempts to telephone Kerry between 19/03 and 26/03; no answer, voicemail full. Letter not sent as unsafe to do so. Case closed 27.03.2014."),
    (D(2014, 3, 20), "CSC", "Child Concern notification from WYP screened by the front door. Decision: Single Assessment of Tyler's needs. Social worker allocated."),
    (D(2014, 4, 2), "CSC", "Social worker home visit. Kerry and Dean present. Dean answers most questions. Both deny ongoing violence, describe 15/03 as 'a one-off drunken row'. Tyler seen alone in his bedroom; says he 'hates it when they fight'."),
    (D(2014, 4, 10), "GP", "Review. Mood low. PHQ-9 19. Sertraline increased to 100mg. Kerry says she has cut down on drinking."),
    (D(2014, 4, 28), "CSC", "Single Assessment completed. Tyler assessed as a Child in Need because of parental alcohol use and domestic abuse. CIN plan: Kerry to engage with alcohol services; Tyler to spend weekends with grandmother; school to monitor."),
    (D(2014, 5, 12), "CSC", "CIN meeting at the school. Kerry attends; Dean does not. Grandmother (Linda) attends. Kerry agrees to self-refer to RRP."),
    (D(2014, 6, 29), "WYP", "(Incident 5) 16.05: Kerry's mother calls 101 from her own address, reporting that Kerry arrived with a black eye and said that Dean had punched her. Officers are deployed at 19.10; by then Kerry has gone home. Officers visit the flat. Kerry says she was in a fight with a woman in town and 'Mum's got it wrong'. Dean is present throughout. No DASH is completed; the log is closed 'no DA disclosed'."),
    (D(2014, 7, 14), "CSC", "Tyler moves to live with his grandmother full time, by agreement with Kerry. Social worker notes 'protective step by mother'."),
    (D(2014, 7, 21), "CSC", "CIN review. Plan continues. Kerry has not yet contacted RRP."),
    (D(2014, 8, 5), "Rivermead Homes", "Kerry's Housing Benefit is reduced because Tyler no longer lives with her; spare room reduction applied. Arrears letter sent."),
    (D(2014, 9, 9), "GP", "Dean attends. Says he drinks 'about 8 cans a day'. AUDIT 28. Advised about risks of stopping suddenly; given RRP details. Dean 'not ready to cut down'."),
    (D(2014, 10, 8), "WYP", "(Incident 6) 00.40: Dean calls 999 stating Kerry has scratched his face and hit him with her phone. Both are intoxicated. Kerry says Dean grabbed her by the hair and she was defending herself; she has clumps of hair missing, which officers note. Kerry is arrested for assault. A DASH is completed with Dean as the victim and graded standard; Kerry is not risk assessed."),
    (D(2014, 10, 8), "WYP", "Dean tells officers by telephone that he does not want Kerry prosecuted. Kerry is released at 11.30 with no further action."),
    (D(2014, 10, 20), "RRP", "Kerry self-refers following the CIN plan. Comprehensive assessment booked. AUDIT 26."),
    (D(2014, 11, 25), "CSC", "CIN review. Tyler settled at his grandmother's; contact with Kerry on Saturdays at the grandmother's home. Kerry engaging with RRP."),
    # ---------------- 2015 ----------------
    (D(2015, 1, 21), "WYP", "(Incident 7) 22.50: a neighbour calls 999 reporting screaming from Flat 3. Because of demand, officers arrive at 23.31. The door is opened by Dean after about five minutes. Kerry is in the bathroom with a bloody nose and says she fell. Dean says she 'fell over drunk'. A DASH is started with Kerry but most questions are recorded as 'refused'; graded standard. No referral is made."),
    (D(2015, 2, 17), "CSC", "CIN case closed. Tyler living with grandmother, who has applied for a Child Arrangements Order; Kerry supportive. Closure letter sent to GP and school."),
    (D(2015, 4, 9), "Rivermead Homes", "Second noise complaint from Flat 5: 'screaming, things being thrown, man shouting'. Recorded as ASB. Kerry given a verbal warning at the office; she says she will 'keep it down'. Domestic abuse is not considered."),
    (D(2015, 5, 30), "WYP", "(Incident 8) 14.00: Kerry calls 101. She is sober and says Dean has taken her bank card and mobile phone and will not give them back, and has gone to his brother's. She wants the card and phone back and does not want Dean arrested. Officer attends the next morning and completes a DASH, graded standard. The officer telephones Dean, who returns both items. Log closed: 'IP requests no further police action, property returned'. No referral made."),
    (D(2015, 6, 11), "YAS", "Ambulance called by Dean at 03.10: Kerry has taken about 30 sertraline tablets with alcohol after an argument. Conveyed to RGI."),
    (D(2015, 6, 11), "RGI", "Emergency Department: paracetamol and salicylate levels negative; observed on the acute medical unit. Nursing note: 'partner present, pt tearful, says row over money'."),
    (D(2015, 6, 12), "Liaison Psychiatry", "Assessment before discharge. Kerry says the overdose was impulsive and she regrets it. She says Dean 'knocks me about when he's had a drink'. Liaison nurse gives her the RDAS helpline number. No DASH completed, no referral to RDAS or MARAC, no safeguarding referral. Discharge letter to GP: 'impulsive OD in context of relationship difficulties and alcohol'."),
    (D(2015, 6, 18), "GP", "Post-overdose review. Kerry says she is 'OK'. Sertraline changed to weekly prescriptions. Discharge letter read; 'relationship difficulties' noted. No enquiry about domestic abuse recorded."),
    (D(2015, 9, 19), "WYP", "(Incident 9) 20.45: Kerry calls 999 from a neighbour's flat saying Dean has punched her repeatedly in the face. Officers attend in 10 minutes. Kerry's left eye is swollen shut. Dean is arrested for assault occasioning actual bodily harm. Kerry provides a written statement the same night. A DASH is completed and graded medium (12 'yes' answers). Referral made to RDAS."),
    (D(2015, 9, 21), "RDAS", "Outreach worker allocated (medium risk). Kerry seen at the RDAS office; safety planning; Kerry says she 'wants it to stop but doesn't want to lose him'."),
    (D(2015, 9, 24), "WYP", "Kerry attends the police station and makes a withdrawal statement, saying she wants to 'make a go of it'. Dean released under investigation."),
    (D(2015, 10, 2), "CPS", "CPS review: the victim has withdrawn; photographs of injury, no independent witness. Decision: no further action. Evidence-led prosecution is not discussed."),
    (D(2015, 10, 20), "RDAS", "Kerry does not attend second appointment. Two calls not answered. Case closed 03.11.2015."),
    (D(2015, 12, 31), "WYP", "(Incident 10) 23.10: a member of the public reports a man and woman fighting in the street outside the block. Officers find Kerry and Dean shouting at each other; Dean has a cut eyebrow and says Kerry hit him with her bag; Kerry says Dean 'went for her'. Both are drunk. Words of advice given. Officers drive Kerry to her mother's. Recorded as anti-social behaviour; no DASH completed."),
    # ---------------- 2016 ----------------
    (D(2016, 3, 6), "WYP", "(Incident 11) 02.50: Kerry calls 999, whispering. She says Dean has strangled her 'until I blacked out' and is saying he will kill her. Officers attend within 6 minutes and detain Dean in the flat. Kerry has petechiae around her eyes and marks to her neck; her account is recorded on body-worn video. A DASH is completed: 16 'yes' answers, graded HIGH. The officer records 'MARAC referral to be completed by DA Safeguarding Unit'. Dean is arrested for assault occasioning actual bodily harm."),
    (D(2016, 3, 6), "YAS", "Paramedics attend at police request. Petechial haemorrhages noted; advised to attend ED. Kerry declines conveyance. Paramedic records 'patient reports loss of consciousness, strangled by partner'."),
    (D(2016, 3, 7), "WYP", "DA Safeguarding Unit reviews the incident. The reviewing officer records 'high risk - MARAC referral submitted by OIC' and makes a referral to RDAS for an IDVA. No MARAC referral is in fact sent by either the attending officer or the Unit; the MARAC coordinator receives nothing."),
    (D(2016, 3, 7), "CPS", "Dean charged with assault by beating. Bailed to appear at the Magistrates' Court on 21/03/2016 with conditions not to contact Kerry directly or indirectly and not to enter the road where she lives."),
    (D(2016, 3, 8), "RDAS", "IDVA allocated (high risk). IDVA speaks to Kerry by phone; Kerry is frightened and agrees to meet. IDVA notes 'police have referred to MARAC'."),
    (D(2016, 3, 8), "GP", "Kerry attends with a hoarse voice and sore throat. Tells the GP her partner strangled her two days ago and she 'passed out'. GP examines, documents bruising to the neck, asks whether the police are involved (yes). No safeguarding referral; no contact with police or MARAC. Code: 'Victim of domestic violence'."),
    (D(2016, 3, 11), "RDAS", "IDVA meets Kerry at her mother's house. Safety plan completed; sanctuary scheme referral discussed; Kerry says she will not have Dean back."),
    (D(2016, 3, 21), "Court", "Dean pleads not guilty to assault by beating. Trial fixed for 13th June 2016. Bail conditions continued."),
    (D(2016, 3, 28), "WYP", "Kerry tells the OIC she no longer supports the prosecution and makes a withdrawal statement. The OIC and CPS agree to proceed as an evidence-led prosecution using the 999 recording, body-worn video, photographs and the paramedic's record."),
    (D(2016, 4, 17), "WYP", "(Incident 12) 20.30: a neighbour reports that Dean is at the flat. Officers attend and find Dean inside. Kerry says she invited him round. Dean is arrested for breaching his bail conditions. No new DASH is completed; the officer records 'DASH completed 06/03, high risk, no change'."),
    (D(2016, 4, 18), "Court", "Dean appears at court for the bail breach. Re-admitted to bail on the same conditions."),
    (D(2016, 4, 26), "RDAS", "IDVA cannot reach Kerry. IDVA emails the DA Safeguarding Unit asking for the date of the MARAC meeting, as Kerry is not on the list for May. No reply is recorded."),
    (D(2016, 5, 16), "NPS", "Pre-sentence report interview is not possible before trial; NPS conducts domestic abuse checks with WYP in anticipation of a possible conviction. Police return lists 11 domestic incidents between the couple since August 2013."),
    (D(2016, 5, 31), "RDAS", "IDVA speaks to Kerry, who says she and Dean are 'back on' and she does not want support. IDVA closes the case on 06.06.2016 with a note that 'MARAC status unclear'."),
    (D(2016, 6, 13), "Court", "On the day of trial, Dean pleads guilty to assault by beating. The court adjourns for a pre-sentence report. Kerry tells the CPS advocate she does not want a restraining order because she and Dean are 'together'. No restraining order is sought."),
    (D(2016, 6, 22), "NPS", "Pre-sentence report. Dean assessed as medium risk of serious harm to a known adult. The author notes the previous conviction (2008) for assault on a former partner. Recommends a community order with a Building Better Relationships (BBR) requirement, rehabilitation activity and an alcohol treatment requirement."),
    (D(2016, 6, 27), "Court", "Dean sentenced to an 18-month community order: BBR programme requirement, 20 rehabilitation activity requirement days and a 6-month alcohol treatment requirement (ATR). Case allocated to the CRC."),
    (D(2016, 7, 4), "CRC", "Induction appointment. Order explained. Dean gives his address as Kerry's flat. The case manager records 'partner is the victim; relationship ongoing'. Home visit to be arranged; a home visit is not carried out during the order."),
    (D(2016, 7, 12), "RRP", "ATR assessment for Dean: drinking 100 to 120 units a week. Weekly appointments and breath testing agreed."),
    (D(2016, 8, 11), "WYP", "(Incident 13) 23.35: Kerry calls 999 saying Dean is smashing the flat up. Dean has left when officers arrive. Kerry is intoxicated and has no injuries. A DASH is completed and graded standard. Officers note that Dean is 'on probation' but no information is passed to the CRC. No referral is made."),
    (D(2016, 9, 6), "Rivermead Homes", "Third noise complaint, from two neighbours: 'fighting, a woman crying'. Housing officer writes to Kerry warning that continued nuisance may put her tenancy at risk."),
    (D(2016, 10, 17), "CRC", "BBR Women's Safety Worker telephones Kerry to explain the programme and offer support. Kerry says she is 'fine' and does not want contact."),
    (D(2016, 11, 27), "WYP", "(Incident 14) 03.05: Dean calls 999 saying Kerry has stabbed him. He has a superficial cut to his left forearm. Kerry says Dean pinned her to the bed by the throat and she grabbed a knife from the bedside to make him stop; officers note red marks to her neck but these are not photographed. Kerry is arrested for wounding. A DASH is completed with Dean as the victim and graded standard. Kerry is not risk assessed as a victim."),
    (D(2016, 11, 27), "WYP", "Custody: the healthcare practitioner records marks to Kerry's neck and her account that she was being strangled. Dean declines to make a statement. Kerry is released at 18.40 with no further action: self-defence cannot be excluded and Dean does not support a prosecution. The CRC is not informed."),
    (D(2016, 12, 3), "Family", "Kerry tells her sister she will 'never ring them again': 'I'm always the one who ends up in the cells'. (Account given to the review.)", "December 2016"),
    # ---------------- 2017 ----------------
    (D(2017, 3, 9), "WYP", "(Incident 15) 17.20: Kerry attends the front counter at Rivermead police station with her mother. She says she has left the flat because Dean told her 'if you go, I'll find you and finish you'. She wants to collect her belongings. A DASH is completed and graded medium (13 'yes' answers). A crime of threats to kill is recorded. The officer records 'already known to RDAS' and no referral is made; the RDAS case had been closed since June 2016."),
    (D(2017, 3, 10), "WYP", "Dean arrested for threats to kill and interviewed; he denies the threat. While he is in custody two officers accompany Kerry to the flat so that she can collect clothing, medication and documents. Dean released under investigation."),
    (D(2017, 3, 13), "Housing Options", "Kerry presents as homeless because of domestic abuse. Accepted as homeless and in priority need (vulnerable due to mental health). Placed in temporary accommodation at Calder House, a women-only supported scheme. The officer records 'police aware, DA'. No DASH completed; no referral to RDAS or MARAC."),
    (D(2017, 3, 14), "WYP", "Threats to kill investigation closed: word against word, no independent evidence. NFA."),
    (D(2017, 3, 16), "CRC", "Quarterly police DA check returned. The case manager learns for the first time of incidents 13, 14 and 15. Risk of serious harm reviewed and kept at medium. The case manager discusses the incidents with Dean, who says Kerry 'is the violent one'."),
    (D(2017, 4, 3), "CRC", "Breach proceedings begun for three unacceptable absences from BBR sessions."),
    (D(2017, 4, 24), "Court", "Breach of community order proved. Dean fined £100; order continued with the same requirements."),
    (D(2017, 6, 19), "Housing Options", "Kerry gives up her temporary accommodation and tells her support worker she is returning to her flat 'to sort things out with Dean'. Homelessness duty discharged. No contact with police or RDAS."),
    (D(2017, 7, 22), "WYP", "(Incident 16) 22.45: a neighbour calls 101 reporting shouting and banging. Officers attend at 00.50. Both are drunk; they say it was 'just a row'. No DASH is completed. The CAD entry reads 'regular couple, both known, drunk again, verbal only'."),
    (D(2017, 8, 15), "RRP", "Kerry self-refers again. AUDIT 31. She says she is drinking 'from when I get up'. Key worker allocated."),
    (D(2017, 9, 19), "RRP", "Key work session. Asked the routine question about relationships, Kerry says Dean 'gets handy when he's had a drink' and that she is 'used to it'. The key worker gives information about RDAS. No DASH is completed; the worker had not received DASH training."),
    (D(2017, 10, 14), "WYP", "(Incident 17) 22.05: Kerry calls 999 saying Dean threatened her with a kitchen knife and said he would 'cut her face'. Dean has left before officers arrive. A DASH is completed: 11 'yes' answers, graded standard. The supervisor agrees the grading, noting 'both parties intoxicated, victim has history of violence towards suspect'. No referral is made."),
    (D(2017, 10, 15), "WYP", "Dean arrested and interviewed; makes no comment. Kerry declines to provide a statement. NFA. The CRC is not informed."),
    (D(2017, 12, 27), "CRC", "Community order ends. Dean has attended 14 of the 24 BBR sessions and has not completed the programme. Termination report records the order as 'expired, requirements partly completed'."),
    # ---------------- 2018 ----------------
    (D(2018, 2, 2), "WYP", "(Incident 18) 19.55: Dean calls 101 saying Kerry is drunk, abusive and refusing to leave. Officers attend. Both say it was an argument. Officers take Kerry to her mother's address. No DASH is completed; recorded as 'domestic - verbal'."),
    (D(2018, 5, 18), "WYP", "(Incident 19) 21.40: Kerry calls 999 from her mobile saying Dean has locked her in the flat and taken her keys and she is frightened. Officers arrive 25 minutes later. Dean opens the door and says Kerry is drunk and 'making it up'; the keys are on the table. Kerry is intoxicated. A DASH is completed and graded standard. The officer does not check previous incidents on force systems. No referral is made."),
    (D(2018, 6, 12), "Rivermead Homes", "Fourth noise complaint. Housing officer serves Kerry with a formal tenancy warning and says that a Notice of Seeking Possession will follow if the nuisance continues. Kerry says the noise is 'him, not me'. Not recorded as a disclosure of domestic abuse."),
    (D(2018, 8, 26), "RGI", "Emergency Department, 08.50: Kerry attends with her mother. Swelling and bruising to the left cheek; CT shows a fracture of the left zygomatic arch. Kerry says she fell down the stairs. Triage nurse records 'mechanism doesn't fit injuries' and calls the police. Kerry tells a nurse 'he'll kill me one day'. Hospital IDVA referral made."),
    (D(2018, 8, 26), "WYP", "(Incident 20) 10.30: officer attends the ED following the call from the triage nurse. Kerry says she fell. A DASH is completed with partial answers and graded medium. Crime recorded as assault occasioning actual bodily harm."),
    (D(2018, 8, 29), "WYP", "OIC discusses an evidence-led prosecution with the supervising sergeant. Decision: no independent evidence of how the injury was caused, victim maintains she fell; evidence-led prosecution not viable. Dean is not interviewed. Crime filed NFA. No referral is made."),
    (D(2018, 8, 30), "RGI", "Hospital IDVA makes two calls to Kerry's mobile, neither answered. Text not sent as unsafe. Case closed 07.09.2018."),
    (D(2018, 9, 4), "RGI", "Maxillofacial clinic: fracture managed conservatively. Kerry attends alone. No concerns recorded."),
    (D(2018, 9, 11), "GP", "Kerry attends for review. She says 'it wasn't a fall'. GP asks whether she feels safe; Kerry says 'most of the time'. GP offers a referral to RDAS; Kerry declines. GP records the disclosure. No other action."),
    (D(2018, 11, 24), "WYP", "(Incident 21) 21.15: a neighbour calls 101 reporting shouting and 'a big thud'. Graded for a priority response. Officers attend at 23.25 and speak to Dean at the door. Kerry calls from inside the flat that she is 'fine'. Officers do not see Kerry. No DASH is completed. CAD closed 'verbal argument, no offences'."),
    (D(2018, 12, 10), "Rivermead Homes", "Housing officer visit about the tenancy warning. No answer. Card left."),
    # ---------------- 2019 ----------------
    (D(2019, 1, 8), "GP", "Kerry attends. Low mood, poor sleep, drinking 'a bottle of vodka some days'. Mirtazapine continued. Referral to RRP offered; Kerry says she will self-refer."),
    (D(2019, 2, 1), "WYP", "(Incident 22) 23.10: Kerry calls 101 and says Dean has been hitting her and she has locked herself in the bathroom. She then says 'forget it, it doesn't matter' and ends the call. The incident is graded priority. A call-back at 23.25 is not answered. Officers attend at 01.40 on 02/02/2019. Dean answers the door. Kerry says she had been drinking and 'it was nothing'. Officers see Kerry briefly; no visible injury. No DASH is completed ('victim refused'). CAD closed."),
    (D(2019, 2, 11), "RRP", "Kerry telephones to self-refer. Assessment booked for 28.02.2019."),
    (D(2019, 2, 23), "WYP", "22.47: Dean calls 999 and says Kerry 'isn't breathing'. Officers and paramedics attend. Kerry has multiple injuries, including a stab wound to the chest. She is pronounced dead at 23.31. Dean is arrested for murder."),
]

# --------------------------------------------------------------------------------------------
# Year introductions (hand-written narrative paragraphs), numbered 13.5 onwards by the script.
# --------------------------------------------------------------------------------------------

YEAR_INTRO = {
    2013: "Kerry and Dean met in January 2013 and Dean moved into Kerry's flat in the early summer. Tyler, then 11, lived with them. The first police call-out came in August. By the end of the year there had been three incidents, alcohol was a feature of each, and on the third Kerry herself was arrested.",
    2014: "2014 was the year in which children's social care became involved, after officers found Tyler in the flat when Dean was arrested for assaulting Kerry in March. Tyler went to live with his grandmother in July. Kerry was arrested for a second time in October, on Dean's allegation.",
    2015: "In 2015 Kerry had contact with the GP, alcohol services, the hospital and RDAS as well as the police. She took an overdose in June and told a liaison psychiatry nurse that Dean hit her when he had been drinking. In September she made a statement against Dean for the first time, and withdrew it five days later.",
    2016: "2016 contains the most serious incident before the homicide: the strangulation of 6th March, graded high risk but never referred to MARAC. Dean was convicted of assault by beating in June after an evidence-led prosecution, and began an 18-month community order. In November Kerry was arrested on Dean's allegation for a third time.",
    2017: "In March 2017 Kerry left the flat and became homeless, and for three months lived in women-only temporary accommodation. In June she returned to Dean. Two more police call-outs followed, and Dean's community order ended in December without the perpetrator programme being completed.",
    2018: "In 2018 there were four call-outs. In August Kerry attended hospital with a fractured cheekbone and told a nurse 'he'll kill me one day'. No agency referred her to MARAC and no support was put in place.",
    2019: "The last contact between Kerry and the police was 22 days before her death.",
}

# --------------------------------------------------------------------------------------------
# Routine contacts: template pools. Each function returns text for a given date.
# --------------------------------------------------------------------------------------------


_RECENT: dict[str, list[str]] = {}


def pick(rng: random.Random, key: str, opts: list[str], memory: int = 5) -> str:
    """Choose a template, avoiding those used in the last `memory` picks for this key."""
    recent = _RECENT.setdefault(key, [])
    fresh = [o for o in opts if o[:40] not in recent] or opts
    choice = rng.choice(fresh)
    recent.append(choice[:40])
    del recent[:-memory]
    return choice


def arrears_on(rng: random.Random, date: dt.date) -> int:
    """Rent arrears drift upwards over the years, with some repayment and noise."""
    years = (date - D(2013, 1, 1)).days / 365.25
    return int(260 + 95 * years + 120 * ((date.month % 6) / 6) + rng.randint(-40, 40))


def kerry_med(date: dt.date) -> str:
    if date < D(2013, 9, 5):
        return ""
    if date < D(2014, 4, 10):
        return "sertraline 50mg"
    if date < D(2016, 4, 14):
        return "sertraline 100mg"
    return "mirtazapine 30mg"


def kerry_working(date: dt.date) -> bool:
    return date < D(2014, 2, 1)


def gp_kerry(rng: random.Random, date: dt.date) -> str:
    med = kerry_med(date)
    units = rng.choice([28, 30, 35, 40, 45, 50, 60, 70])
    opts = []
    if med:
        opts += [
            f"Kerry: medication review with the GP. She describes her mood as 'up and down' and says she is sleeping four or five hours a night. PHQ-9 {rng.randint(12, 21)}, GAD-7 {rng.randint(9, 18)}. No thoughts of self-harm. {med.capitalize()} continued. Alcohol recorded as {units} units a week; brief advice given and RRP details repeated.",
            f"Kerry telephones for an early repeat of {med}; she says she has lost her last prescription. The duty GP issues 7 days only, adds a note that early requests should be discussed with the usual GP, and asks her to book a review.",
            f"Pharmacy telephones to query a duplicate request from Kerry for {med}. GP annotates the record 'no further supply before due date'. Kerry informed by text.",
            f"Kerry did not attend a booked mood review. Text reminder sent; {med} prescription issued for one month pending review. Administrative note: 'third DNA in 12 months'.",
            "Kerry requests sleeping tablets, saying she 'can't switch off'. GP declines, discusses sleep hygiene and the effect of alcohol on sleep, and suggests the online CBT programme. Kerry 'not happy with outcome'.",
            f"Kerry: telephone consultation. She says the {med} is 'not doing anything'. GP explains it may be affected by alcohol and asks her to come in; appointment booked for the following week.",
        ]
    opts += [
        f"Kerry attends with a productive cough for {rng.choice(['ten days', 'two weeks', 'a week'])}. Temperature 37.{rng.randint(2, 9)}. Chest clear on examination; oxygen saturation 97%. Advised fluids and paracetamol; safety-netting advice given. Smoking cessation offered and declined ({rng.choice([10, 15, 20])} a day).",
        f"Kerry's blood results: GGT {rng.randint(96, 240)} U/L (raised), ALT {rng.randint(38, 71)} U/L, MCV {rng.randint(99, 104)} fL, platelets normal. GP notes 'consistent with alcohol'. Letter asks Kerry to make an appointment to discuss.",
        "Practice nurse: Kerry's cervical screening is due. She declines today, saying she is 'on her period', and says she will rebook. Leaflet given.",
        "Kerry attends with urinary symptoms for three days. No fever, no loin pain. Dipstick positive for nitrites and leucocytes. Trimethoprim 200mg twice daily for 3 days.",
        "Kerry attends with toothache, lower left molar. She is not registered with a dentist; given details of the urgent dental line. Paracetamol and ibuprofen advice.",
        "Kerry did not attend a practice nurse appointment for a smear test. Second invitation sent; recall flag added.",
        "Kerry attends with a rash on both hands for a month. Contact dermatitis diagnosed, probably from cleaning products. Emollient and hydrocortisone 1% prescribed; advised gloves.",
        f"Kerry attends with indigestion and heartburn, worse after drinking. Weight {rng.randint(52, 58)}kg. Omeprazole 20mg for 4 weeks; alcohol discussed; she says she will 'try'.",
    ]
    if not kerry_working(date) and date > D(2014, 3, 1) and med:
        opts.append(f"Fit note issued for {rng.choice([4, 8, 13])} weeks: 'depression and anxiety'. Kerry says the ESA assessment is 'stressing her out' and asks for a letter; GP provides a brief factual letter.")
    if kerry_working(date):
        opts.append("Kerry attends with low back pain after a long run of night shifts at the care home. No history of injury; no red flags. Naproxen 250mg, advice sheet and self-referral details for physiotherapy.")
    return pick(rng, "gp_kerry", opts, 7)


def gp_dean(rng: random.Random, date: dt.date) -> str:
    opts = [
        "Dean attends asking for stronger painkillers for long-standing low back pain. No red flags. Co-codamol 30/500 prescribed, 56 tablets; advised about dependence and the interaction with alcohol.",
        "Dean telephones for a co-codamol repeat a week before it is due. Declined by the GP; asked to book a review. Dean 'unhappy', says he will 'go elsewhere'.",
        f"Dean: practice nurse blood pressure check, {rng.randint(148, 166)}/{rng.randint(92, 104)}. BMI {rng.randint(29, 33)}. Advised to reduce alcohol and salt; review in 3 months. Dean declines to start medication.",
        "Dean did not attend a booked hypertension review. Letter sent.",
        f"Dean attends with pain and swelling in the right big toe for two days. Gout diagnosed; colchicine prescribed; alcohol discussed as a trigger. AUDIT-C {rng.randint(9, 12)}. Urate level requested; not done.",
        "Dean attends with anxiety and poor sleep; says he is 'stressed about money' and 'the missus is doing my head in'. Propranolol 10mg as required. RRP leaflet given; Dean says he 'doesn't need it'.",
        f"Fit note issued to Dean for {rng.choice([2, 4])} weeks: 'low back pain'. Advised to remain active.",
        "Dean attends with indigestion and burning chest pain after meals. ECG normal. Omeprazole 20mg. Advised to cut down drinking; says he has 'cut right down'.",
        f"Dean's blood results: GGT {rng.randint(180, 420)} U/L, ALT {rng.randint(55, 110)} U/L. GP telephones Dean to advise that the results show liver strain from alcohol; offers referral to RRP, declined.",
    ]
    if D(2016, 7, 12) <= date <= D(2017, 1, 10):
        opts.append("Letter from RRP: Dean attending ATR appointments, breath tests reducing. Filed without GP review.")
    return pick(rng, "gp_dean", opts, 5)


def housing(rng: random.Random, date: dt.date) -> str:
    arrears = arrears_on(rng, date)
    repair = rng.choice([
        "dripping kitchen tap", "bathroom extractor fan not working", "boiler not firing",
        "damp and mould on the bedroom wall", "toilet cistern running constantly",
        "kitchen cupboard door hanging off its hinge", "radiator in the lounge cold",
        "communal landing light not working", "letterbox flap broken", "bath sealant perished",
    ])
    opts = [
        f"Income officer telephones Kerry about arrears of £{arrears}. Kerry says her benefits have been 'messed up'. Agreement to pay £{rng.choice([5, 8, 10])} a week on top of the rent; confirmation letter sent.",
        f"Repair reported by Kerry: {repair}. Job raised as routine; completed {rng.randint(2, 19)} days later. Operative's note: 'access given by tenant'.",
        f"Income team review: arrears £{arrears}. Escalation letter sent; Kerry invited to the office to discuss a payment plan and warned that possession proceedings may follow if no contact is made.",
        "Housing Benefit change notification received; Kerry asked by the council to provide bank statements within one month. Copy placed on the rent account.",
        "Kerry misses a pre-arranged appointment at the housing office about her rent account. Income officer leaves a voicemail and sends a further letter.",
        "Estate inspection of the block. Communal areas clean; bag of empty cans left on the landing outside Flat 3 removed by caretaker.",
        f"Kerry attends the office to make a cash payment of £{rng.choice([20, 30, 40, 50])} towards arrears. Receipt issued.",
    ]
    return pick(rng, "housing", opts, 5)


def rrp_kerry(rng: random.Random, date: dt.date) -> str:
    med = kerry_med(date)
    units = rng.choice([30, 40, 50, 60, 70, 80])
    opts = [
        f"Key work session. Kerry reports drinking about {units} units a week, mostly strong cider and vodka, starting 'around dinner time'. Her goal is to 'cut down, not stop'. Recovery plan reviewed; drink diary given.",
        "Kerry attends the women's 'Moving On' group. Topic: coping with cravings. Participates; leaves before the end, saying she has 'to get back'.",
        "Did not attend key work appointment. Text and letter sent. Key worker notes Kerry's mobile 'often switched off'.",
        "Kerry cancels by telephone, saying she is unwell. Rebooked for the following week.",
        f"Breath test on arrival {rng.randint(21, 58)} micrograms per 100ml. Session shortened; harm reduction advice about drinking on an empty stomach; rebooked.",
        f"Care plan review. Kerry says she has reduced to about {rng.choice([20, 25, 30])} units a week and has had two dry days. Drink diary partly completed; praised for progress. Goals reset.",
        f"Harm reduction session: the effect of alcohol with {med or 'her antidepressant'} discussed, together with safe storage of medication. Alcohol units leaflet given.",
        "Kerry attends a 'Recovery Café' drop-in session. Peer mentor notes she 'chatted, seemed brighter'.",
        "Key worker telephones Kerry to check on her after a missed group. Kerry says she 'had a bad week' and will come to the next appointment.",
    ]
    return pick(rng, "rrp_kerry", opts, 5)


def rrp_dean(rng: random.Random, date: dt.date) -> str:
    opts = [
        f"ATR appointment. Dean reports about {rng.choice([60, 70, 80, 90])} units a week. Breath test {rng.choice([0, rng.randint(6, 35)])} micrograms per 100ml. Triggers discussed: 'boredom and money'. Plan: no drinking before 6pm.",
        "ATR appointment: did not attend. CRC case manager informed by email the same day.",
        "Dean attends the 'Alcohol and Relationships' group. Facilitator notes 'quiet, engaged when prompted; spoke about arguments at home when drinking, described them as mutual'.",
        f"ATR appointment. Breath test 0. Dean says he has had {rng.choice(['three', 'four', 'five'])} dry days this week. Praised. Discussed relapse prevention.",
        "ATR review with CRC case manager present. Progress described as 'slow but steady'. Dean asks whether the ATR can end early; told it cannot.",
        "ATR appointment. Dean attends late and is smelling of alcohol; breath test 41. Session held; warning recorded and CRC informed.",
    ]
    return pick(rng, "rrp_dean", opts, 4)


def crc(rng: random.Random, date: dt.date) -> str:
    apart = D(2017, 3, 9) <= date <= D(2017, 6, 19)
    atr = date <= D(2017, 1, 10)
    if apart:
        return pick(rng, "crc_apart", [
            "Supervision appointment. Dean says Kerry has 'gone to her mum's for a bit' and he is 'giving her space'. Case manager reminds him of the BBR requirement.",
            "Supervision appointment. Dean says he is 'gutted' that Kerry has left and wants to 'prove he has changed'. Case manager discusses respecting Kerry's decision.",
            "Telephone reporting. Dean confirms he is still living at the flat.",
            "Supervision appointment: did not attend. Dean telephones later saying he 'got the day wrong'. Absence recorded as acceptable; appointment rebooked.",
        ], 2)
    opts = [
        "Supervision appointment. Dean says 'everything is fine at home'. Employment discussed; signposted to a construction skills course at the college. Next appointment in two weeks.",
        "Supervision appointment. Rehabilitation activity: victim awareness worksheet completed. Dean minimises the index offence, saying 'it was a push, she was going for me'. Case manager challenges this.",
        "Telephone reporting. Dean confirms his address is unchanged" + (" and that he is attending ATR." if atr else "."),
        "Supervision appointment: did not attend. Dean telephones later saying he 'got the day wrong'. Absence recorded as acceptable; appointment rebooked.",
        "Supervision appointment. Dean attends late, smelling of alcohol. Appointment rebooked for the following day; instruction given to attend sober.",
        "Supervision appointment. Rehabilitation activity: budgeting session. Dean says he and Kerry are 'getting on better' and 'not drinking as much'.",
        "Case manager records that an OASys review is due; review not completed this month due to caseload.",
        "Supervision appointment. Dean discusses his back pain and says he cannot work. Case manager refers him to the employment, training and education worker.",
        "Supervision appointment. Dean asks whether the BBR requirement can be removed because 'it's not relevant, we're fine now'. Told it cannot.",
    ]
    return pick(rng, "crc", opts, 5)


BBR_NOTES_ATTENDED = [
    "facilitators note he contributed to discussion of 'time out'",
    "quiet; completed the homework sheet",
    "challenged about blaming his partner; became defensive",
    "arrived late but engaged",
    "described an argument at home as 'six of one and half a dozen of the other'",
    "role play on respectful communication; participated",
    "spoke about his father's violence; facilitators note possible trauma",
    "said the group was 'a waste of time' but stayed to the end",
]
BANK_HOLIDAYS = {D(2016, 12, 26), D(2016, 12, 27), D(2017, 1, 2), D(2017, 4, 14), D(2017, 4, 17), D(2017, 5, 1), D(2017, 5, 29), D(2017, 8, 28)}
HOLIDAY_DAYS = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}
BBR_REASONS = ["unwell (no medical note)", "'forgot'", "family emergency (not verified)", "no bus fare", "working (accepted)"]


def bbr_sessions(rng: random.Random) -> list[tuple[dt.date, str, str]]:
    """24 BBR sessions offered Oct 2016 to Nov 2017; Dean attends 14 (as in the key events)."""
    out = []
    start = D(2016, 10, 24)
    dates = []
    d = start
    while len(dates) < 24:
        if D(2017, 4, 3) <= d < D(2017, 5, 8) or d in BANK_HOLIDAYS or (d.month == 12 and d.day >= 22) or (d.month == 1 and d.day <= 2):
            d += dt.timedelta(days=7)  # programme paused during breach proceedings, holidays
            continue
        dates.append(d)
        d += dt.timedelta(days=rng.choice([7, 14, 14, 21]))
    before = [i for i, x in enumerate(dates) if x < D(2017, 4, 3)]
    after = [i for i, x in enumerate(dates) if x >= D(2017, 4, 3)]
    missed = set(rng.sample(before, 4)) | set(rng.sample(after, 6))
    for i, when in enumerate(dates, start=1):
        if (i - 1) in missed:
            out.append((when, "CRC", f"BBR session {i}: did not attend; reason given {rng.choice(BBR_REASONS)}."))
        else:
            out.append((when, "CRC", f"BBR session {i}: attended; {rng.choice(BBR_NOTES_ATTENDED)}."))
    return out


def intox_pair(rng: random.Random, date: dt.date) -> list[tuple[dt.date, str, str]]:
    place = rng.choice(["at the bus station", "in a shop doorway on the high street", "in the park near the flats", "at the taxi rank by the market", "on the steps of the library"])
    caller = rng.choice(["a member of the public", "a bus driver", "a shop worker", "a taxi driver"])
    t = rng.choice(["06.30", "07.15", "08.00", "09.20"])
    return [
        (date, "YAS", f"Ambulance called by {caller}: woman intoxicated and unable to stand {place}. Kerry identified. GCS 13, no injuries found. Conveyed to RGI."),
        (date, "RGI", f"Kerry in the Emergency Department, intoxicated. Observed overnight in the clinical decision unit; discharged at {t} when sober, with alcohol advice card. No injuries found; no safeguarding concerns recorded."),
    ]


def csc_visit(rng: random.Random, date: dt.date) -> str:
    return pick(rng, "csc", [
        "CIN visit to Tyler at his grandmother's. Tyler settled and attending school; he says he sees his mum 'most Saturdays' and likes his new bedroom.",
        "CIN visit to Kerry at the flat. Kerry says she is trying to cut down her drinking. Dean not present. Kerry asked about Dean's whereabouts; says he is 'at work'.",
        "Telephone call to school: Tyler's attendance improving (93%). No concerns from teachers.",
        "Social worker telephones Tyler's grandmother. Contact arrangements working well; grandmother supervises Saturday visits.",
    ], 2)


CALDER_HOUSE = [
    (D(2017, 3, 13), "Calder House", "Kerry arrives at 19.00. Induction completed; house rules explained. Support worker notes 'very anxious, shaking, says she has not had a drink today'. Room 4 allocated."),
    (D(2017, 3, 16), "Calder House", "Support plan agreed: register with benefits at new address; appointment with RRP; consider RDAS referral. Kerry says she will 'think about' RDAS."),
    (D(2017, 3, 24), "Calder House", "Kerry returns at 23.40, intoxicated, after the curfew. Warning given. Next morning she apologises and says she met 'an old friend'."),
    (D(2017, 4, 6), "Calder House", "Key work session. Kerry talks about missing Tyler and her flat. She says Dean has been texting to say he has changed and stopped drinking."),
    (D(2017, 4, 20), "Calder House", "Kerry attends a group on healthy relationships run by a visiting RDAS worker. Participates. Does not take up the offer of one-to-one support."),
    (D(2017, 5, 4), "Calder House", "Key work session. Kerry says she is 'doing well', has cut her drinking, and is bidding for a new tenancy through the council scheme. Support worker notes she has not done so."),
    (D(2017, 5, 25), "Calder House", "Kerry stays out overnight without notice. On return she says she stayed with her mother. Second warning."),
    (D(2017, 6, 8), "Calder House", "Key work session. Kerry says Dean 'really has changed' and that they are talking about her going home. The worker discusses risks; Kerry says 'I know what I'm doing'. Not shared with any other agency."),
    (D(2017, 6, 19), "Calder House", "Kerry leaves Calder House with her belongings. Housing Options informed."),
]


def police_review_entries() -> list[tuple[dt.date, str, str]]:
    """The secondary review of each incident by the DA Safeguarding Unit, as recorded on force systems."""
    reviews = {
        1: "DA Safeguarding Unit review of Incident 1: standard risk confirmed. RDAS referral noted. No further action by the Unit.",
        2: "Supervisory review of Incident 2: log closed as a non-crime domestic incident; no DASH attached. Not referred to the DA Safeguarding Unit.",
        4: "DA Safeguarding Unit review of Incident 4: medium risk confirmed; Child Concern notification confirmed as sent; no further action by the Unit.",
        6: "Supervisory review of Incident 6: Kerry recorded as suspect, Dean as victim. Standard risk confirmed for Dean. No review of Kerry as a possible victim.",
        7: "DA Safeguarding Unit review of Incident 7: standard risk confirmed 'on the information available'. Repeat victim marker noted: seventh incident.",
        9: "DA Safeguarding Unit review of Incident 9: medium risk confirmed. Reviewer notes 'ninth incident, previous strangulation 03/2014'. No change to grading; no MARAC referral on professional judgement considered.",
        13: "DA Safeguarding Unit review of Incident 13: standard risk confirmed. Reviewer does not note that the previous DASH (Incident 11) was high.",
        14: "Supervisory review of Incident 14: Kerry recorded as suspect. Standard risk for Dean confirmed. Custody healthcare note not reviewed.",
        15: "DA Safeguarding Unit review of Incident 15: medium risk confirmed. Reviewer records 'victim in refuge-type accommodation, risk reduced'.",
        17: "DA Safeguarding Unit review of Incident 17: standard risk agreed with the supervisor's rationale. No reference to the knife or the threat in the rationale.",
        19: "Supervisory review of Incident 19: log closed 'no offences disclosed'. Standard risk agreed.",
        20: "DA Safeguarding Unit review of Incident 20: medium risk confirmed; 'victim not supporting'. No referral considered.",
    }
    incident_dates = {1: D(2013, 8, 19), 2: D(2013, 11, 4), 4: D(2014, 3, 17), 6: D(2014, 10, 9), 7: D(2015, 1, 22),
                      9: D(2015, 9, 21), 13: D(2016, 8, 12), 14: D(2016, 11, 28), 15: D(2017, 3, 10),
                      17: D(2017, 10, 16), 19: D(2018, 5, 19), 20: D(2018, 8, 28)}
    return [(incident_dates[n], "WYP", text) for n, text in reviews.items()]


# Panel comments, inserted as numbered narrative paragraphs after the matching row (date, agency, text start).
COMMENTS = [
    ((D(2013, 8, 17), "WYP", "(Incident 1)"), "Comment: this first call-out was dealt with appropriately in most respects. A DASH was completed and a referral made with Kerry's consent. The panel notes, however, that Kerry's injury was not investigated and the incident was closed as a verbal argument although the neighbour had reported screaming and breaking glass."),
    ((D(2013, 12, 25), "WYP", "Kerry interviewed"), "Comment: within four months of the first call-out Kerry had been arrested and cautioned. Her comment in custody that her partner was 'controlling' was recorded but not passed on. The panel considers that from this point Kerry began to be seen by the police as a perpetrator as much as a victim."),
    ((D(2014, 3, 15), "WYP", "(Incident 4)"), "Comment: Kerry answered 'yes' to the DASH question about strangulation. The panel considers that professional judgement should have led to a high grading and a MARAC referral. The Child Concern notification was prompt and led to effective work by CSC."),
    ((D(2014, 6, 29), "WYP", "(Incident 5)"), "Comment: Kerry was spoken to with Dean present. A report from a family member that Kerry had said Dean punched her was closed as 'no DA disclosed'."),
    ((D(2014, 10, 8), "WYP", "Dean tells officers"), "Comment: Kerry had clumps of hair missing and said she was defending herself. The history of the relationship was not considered in deciding whom to arrest, and Kerry was not risk assessed."),
    ((D(2015, 5, 30), "WYP", "(Incident 8)"), "Comment: the response was limited to what Kerry asked for, the return of her property. The taking of Kerry's bank card and phone was not recognised as controlling behaviour."),
    ((D(2015, 6, 12), "Liaison Psychiatry", "Assessment"), "Comment: this was the first explicit disclosure of abuse by Kerry to a health professional in the review period. It was not risk assessed, not referred, and was summarised for the GP as 'relationship difficulties'."),
    ((D(2015, 10, 2), "CPS", "CPS review"), "Comment: Kerry had made a statement and her injury had been photographed. An evidence-led prosecution was not considered."),
    ((D(2016, 3, 7), "WYP", "DA Safeguarding Unit reviews"), "Comment: this is the most significant missed opportunity in the review. The risk was correctly assessed as high, and both the attending officer and the reviewing officer believed the other had referred Kerry to MARAC. Neither did. Kerry was never heard at MARAC."),
    ((D(2016, 4, 26), "RDAS", "IDVA cannot reach Kerry"), "Comment: the IDVA's query was good practice. When it was not answered, it was not escalated, and the opportunity to discover the missing referral was lost."),
    ((D(2016, 6, 27), "Court", "Dean sentenced"), "Comment: the evidence-led prosecution which led to this conviction was good practice. No restraining order was sought because Kerry said the relationship was continuing."),
    ((D(2016, 11, 27), "WYP", "Custody: the healthcare"), "Comment: this was the third occasion on which Kerry was arrested on Dean's allegation. The custody healthcare practitioner recorded marks consistent with Kerry's account of being strangled. The history, which by then included Dean's conviction for assaulting Kerry, was not considered."),
    ((D(2017, 3, 10), "WYP", "Dean arrested for threats"), "Comment: the help given to Kerry to recover her property was good practice. However, no referral for support was made at the point at which Kerry had left Dean and reported a threat to kill her."),
    ((D(2017, 6, 19), "Housing Options", "Kerry gives up"), "Comment: Kerry returned to live with Dean. No agency that knew of the threats to kill three months earlier was told."),
    ((D(2017, 10, 14), "WYP", "(Incident 17)"), "Comment: 11 'yes' answers, including threats to kill and the use of a weapon, were graded as standard. The panel considers this grading cannot be justified and reflects how Kerry was seen rather than what she said."),
    ((D(2018, 5, 18), "WYP", "(Incident 19)"), "Comment: Kerry reported being locked in her home. The officer did not check the history and accepted Dean's account. The panel considers this controlling behaviour should have been recognised and investigated."),
    ((D(2018, 8, 29), "WYP", "OIC discusses"), "Comment: an evidence-led prosecution was considered but discounted. Dean was not interviewed and the hospital records, including Kerry's words 'he'll kill me one day', were not obtained."),
    ((D(2018, 11, 24), "WYP", "(Incident 21)"), "Comment: officers did not see Kerry. Force policy required them to see and speak to the victim."),
    ((D(2019, 2, 1), "WYP", "(Incident 22)"), "Comment: this was the last contact between Kerry and any agency about the abuse, 22 days before her death. No DASH was completed and no referral was made."),
]


# --------------------------------------------------------------------------------------------


def scheduled_entries(rng: random.Random) -> list[tuple[dt.date, str, str]]:
    """Annual events: gas safety check, tenancy audit, flu vaccination."""
    out = []
    for year in range(2013, 2019):
        gas = D(year, 10, rng.randint(2, 27))
        if year == 2013:
            note = "Engineer's sheet notes 'male occupant let me in'."
        else:
            note = rng.choice(["Engineer's sheet notes 'male occupant let me in, tenant asleep'.", "Access given by tenant's partner.", "First appointment no access; completed at second visit."])
        out.append((gas, "Rivermead Homes", f"Annual gas safety inspection completed by contractor. No issues with appliances. {note}"))
        audit = D(year, 4, rng.randint(3, 26))
        if year != 2017:
            if year < 2015:
                out.append((audit, "Rivermead Homes", "Annual tenancy audit visit: no answer. Calling card left asking Kerry to make contact."))
            else:
                out.append((audit, "Rivermead Homes", "Annual tenancy audit visit. Kerry confirms her partner Dean is living at the flat. Advised to inform Housing Benefit and to apply if she wants him added to the household; no application is received."))
        for month in (1, 4, 7, 10):
            q = D(year, month, 1) + dt.timedelta(days=rng.randint(6, 12))
            if D(2017, 3, 13) <= q <= D(2017, 6, 19) or q < D(2013, 3, 1):
                continue
            out.append((q, "Rivermead Homes", f"Quarterly rent statement: arrears of £{arrears_on(rng, q)}. Standard arrears letter sent to Kerry inviting her to contact the income team." + rng.choice([" No response.", " No response.", " Kerry telephones to say she will 'sort it'."])))
        if year >= 2014:
            flu = D(year, 10, rng.randint(5, 30))
            out.append((flu, "GP", f"Practice nurse: seasonal influenza vaccination given to Kerry (eligible on clinical grounds). Blood pressure {rng.randint(108, 126)}/{rng.randint(68, 82)}."))
    return out


def random_dates(rng: random.Random, start: dt.date, end: dt.date, n: int, weekdays=True) -> list[dt.date]:
    span = (end - start).days
    out = set()
    while len(out) < n:
        d = start + dt.timedelta(days=rng.randint(0, span))
        if weekdays and (d.weekday() >= 5 or d in BANK_HOLIDAYS or (d.month, d.day) in HOLIDAY_DAYS):
            continue
        out.add(d)
    return sorted(out)


def build_entries() -> list[tuple[dt.date, str, str, str | None]]:
    rng = random.Random(SEED)
    entries: list[tuple[dt.date, str, str, str | None]] = []
    for item in KEY:
        date, agency, text = item[0], item[1], item[2]
        display = item[3] if len(item) > 3 else None
        entries.append((date, agency, text, display))
    entries.extend((d, a, t, None) for d, a, t in police_review_entries())
    entries.extend((d, a, t, None) for d, a, t in CALDER_HOUSE)
    entries.extend((d, a, t, None) for d, a, t in scheduled_entries(rng))

    end = D(2019, 2, 20)
    for year in range(2013, 2020):
        ys, ye = D(year, 1, 1), min(D(year, 12, 31), end)
        if year == 2013:
            ys = D(2013, 3, 1)
        for d in random_dates(rng, ys, ye, 10 if year < 2019 else 1):
            entries.append((d, "GP", gp_kerry(rng, d), None))
        for d in random_dates(rng, ys, ye, 6 if year < 2019 else 1):
            entries.append((d, "GP", gp_dean(rng, d), None))
        for d in random_dates(rng, ys, ye, 9 if year < 2019 else 1):
            if D(2017, 3, 13) <= d <= D(2017, 6, 19):
                continue  # Kerry in temporary accommodation
            entries.append((d, "Rivermead Homes", housing(rng, d), None))

    for d in random_dates(rng, D(2014, 10, 27), D(2015, 5, 15), 20):
        entries.append((d, "RRP", rrp_kerry(rng, d), None))
    entries.append((D(2015, 5, 28), "RRP", "Kerry discharged from RRP after three missed appointments. Discharge letter to GP.", None))
    for d in random_dates(rng, D(2017, 8, 22), D(2018, 3, 2), 20):
        entries.append((d, "RRP", rrp_kerry(rng, d), None))
    entries.append((D(2018, 4, 20), "RRP", "Kerry discharged after losing contact for six weeks. Discharge letter to GP notes 'partner relationship a barrier to recovery'.", None))

    for d in random_dates(rng, D(2016, 7, 19), D(2017, 1, 6), 16):
        entries.append((d, "RRP", rrp_dean(rng, d), None))
    entries.append((D(2017, 1, 10), "RRP", "Dean's ATR ends. Completion summary sent to the CRC: drinking reduced to about 50 units a week; onward referral offered and declined.", None))

    for d in random_dates(rng, D(2016, 7, 11), D(2017, 12, 20), 34):
        entries.append((d, "CRC", crc(rng, d), None))
    entries.extend((d, a, t, None) for d, a, t in bbr_sessions(rng))

    for d in random_dates(rng, D(2014, 5, 19), D(2015, 2, 6), 7):
        entries.append((d, "CSC", csc_visit(rng, d), None))

    for d in random_dates(rng, D(2014, 2, 1), D(2018, 12, 1), 5, weekdays=False):
        entries.extend((dd, a, t, None) for dd, a, t in intox_pair(rng, d))

    for d, t in [
        (D(2014, 6, 3), "School reports Tyler's attendance at 89%; he is often late on Mondays. Shared with the CIN social worker."),
        (D(2014, 9, 15), "Tyler's grandmother confirmed as his main contact. Attendance since September 100%."),
        (D(2015, 3, 2), "School pastoral lead notes Tyler 'much more settled' since living with his grandmother."),
    ]:
        entries.append((d, "School", t, None))

    # stable sort: by date, keeping the order in which entries were added (key events first)
    entries = [e for e in entries if e[0] <= D(2019, 2, 23)]
    entries.sort(key=lambda e: e[0])
    return entries


AGENCY_LABEL = {
    "WYP": "WYP",
    "GP": "GP",
    "RGI": "RGI (ED)",
    "YAS": "YAS",
    "Rivermead Homes": "Rivermead Homes",
    "Housing Options": "Housing Options",
    "RRP": "RRP",
    "CRC": "CRC",
    "NPS": "NPS",
    "CSC": "CSC",
    "RDAS": "RDAS",
    "School": "School",
    "Court": "Court",
    "CPS": "CPS",
    "Liaison Psychiatry": "RGI (Liaison Psychiatry)",
    "Family": "Family",
    "Calder House": "Calder House",
}
AGENCY_STYLE["Calder House"] = "dot"


def render(entries) -> str:
    lines: list[str] = []
    para = 5
    by_year: dict[int, list] = {}
    for e in entries:
        by_year.setdefault(e[0].year, []).append(e)
    pending = list(COMMENTS)
    header = ["| Date | Agency | Event |", "| --- | --- | --- |"]
    for year in sorted(by_year):
        lines += [f"### {year}", "", f"13.{para} {YEAR_INTRO[year]}", ""]
        para += 1
        lines += header
        for date, agency, text, display in by_year[year]:
            shown = display or fmt(date, AGENCY_STYLE.get(agency, "slash"))
            lines.append(f"| {shown} | {AGENCY_LABEL.get(agency, agency)} | {text} |")
            hit = next((c for c in pending if c[0][0] == date and c[0][1] == agency and text.startswith(c[0][2])), None)
            if hit:
                pending.remove(hit)
                lines += ["", f"13.{para} {hit[1]}", ""]
                para += 1
                lines += header
        if lines[-1] == header[-1]:  # a comment closed the year's last row: drop the empty table
            lines = lines[:-2]
        lines.append("")
    if pending:
        raise SystemExit(f"unplaced comments: {[c[0] for c in pending]}")
    return "\n".join(lines)


def main() -> int:
    entries = build_entries()
    block = render(entries)
    src = TARGET.read_text(encoding="utf-8").splitlines()
    try:
        start = next(i for i, l in enumerate(src) if l.startswith("13.4 "))
        h14 = next(i for i, l in enumerate(src) if l.startswith("## 14."))
    except StopIteration:
        print("anchors not found", file=sys.stderr)
        return 1
    end = max(i for i in range(start, h14) if src[i].strip() == "<!-- pagebreak -->")
    out = src[: start + 1] + [""] + block.splitlines() + [""] + src[end:]
    TARGET.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")

    police = [e for e in entries if e[1] == "WYP" and e[2].startswith("(Incident")]
    words = sum(len(e[2].split()) for e in entries)
    print(f"{len(entries)} chronology rows, {len(police)} police incidents, ~{words} words in events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
