"""Event coding, attribution and modality on invented wire sentences (people are fictional)."""

from __future__ import annotations

import pytest

from eventwire.api import code_text
from eventwire.config import Config
from eventwire.records import Event

PUB = "2024-03-08"  # a Friday


def code(text: str, **settings) -> list[Event]:
    cfg = Config().with_overrides(**settings) if settings else None
    return code_text(text, published=PUB, outlet="Test Wire", config=cfg)


def dyads(events: list[Event]) -> set[tuple[str, str, str]]:
    out = set()
    for e in events:
        for a in e.actor:
            for r in e.recipient or [None]:
                out.add((a.code or "", e.type, (r.code or "") if r else ""))
    return out


def one(events: list[Event], etype: str) -> Event:
    found = [e for e in events if e.type == etype]
    assert len(found) == 1, [(e.type, e.trigger.text) for e in events]
    return found[0]


def test_active_verb_with_sector():
    events = code("Chile's army attacked Peruvian border posts on Monday.")
    ev = one(events, "ASSAULT")
    assert (ev.actor[0].code, ev.actor[0].sector) == ("CHL", "MIL")
    assert ev.recipient[0].code == "PER"
    assert ev.trigger.text == "attacked"
    assert ev.sentence.text.startswith("Chile's army")


def test_passive_with_agent_and_nominal_weapon():
    events = code("A Bolivian general was killed in La Paz by a Chilean airstrike.")
    ev = one(events, "ASSAULT")
    assert (ev.actor[0].code, ev.actor[0].sector) == ("CHL", "MIL")
    assert (ev.recipient[0].code, ev.recipient[0].sector) == ("BOL", "MIL")


def test_coordinated_actors_are_one_event_with_a_list():
    ev = one(code("Canada, Norway and Japan condemned Russia on Tuesday."), "ACCUSE")
    assert {a.code for a in ev.actor} == {"CAN", "NOR", "JPN"}
    assert ev.recipient[0].code == "RUS"


def test_negated_event_is_dropped_by_default_and_kept_on_request():
    text = "Peru did not attack Chile."
    assert not [e for e in code(text) if e.type == "ASSAULT"]
    ev = one(code(text, keep_negated=True), "ASSAULT")
    assert ev.modality == "negated"
    assert ev.modality_cue is not None and ev.modality_cue.text == "not"


def test_threat_embedding_an_attack_is_one_threaten_event():
    events = code("Brazil warned that it would strike any Argentine warships in its waters.")
    assert ("BRA", "THREATEN", "ARG") in dyads(events)
    assert not [e for e in events if e.type == "ASSAULT"]


def test_reported_speech_gets_the_speaker_as_source():
    events = code("Peru is sending troops to Bolivia, the Chilean defense minister said Tuesday.")
    ev = one(events, "AID")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("PER", "BOL")
    assert [s.kind for s in ev.attribution] == ["outlet", "source"]
    assert ev.attribution[0].name == "Test Wire"
    speaker = ev.attribution[1]
    assert speaker.cue is not None and speaker.cue.text == "said"
    assert speaker.actor is not None and speaker.actor.code == "CHL"
    assert ev.modality == "reported"


def test_nested_attribution_is_outermost_first():
    events = code("Ecuador says Peru is sending weapons to Bolivia, the Andean Post reported.")
    ev = one(events, "AID")
    names = [s.name for s in ev.attribution]
    assert names[0] == "Test Wire"
    assert "Andean Post" in names[1]
    assert names[2].endswith("Ecuador") and ev.attribution[2].actor.code == "ECU"


def test_claims_and_denials_set_modality():
    claimed = one(code("Venezuela claims Colombia attacked its border posts."), "ASSAULT")
    assert claimed.modality == "claimed"
    assert claimed.attribution[-1].actor.code == "VEN"
    denied = [e for e in code("Colombia denied that its troops attacked Venezuela.") if e.type == "ASSAULT"]
    assert denied and denied[0].modality == "denied"


def test_future_and_hypothetical():
    fut = one(code("Japan will send aid to the Philippines."), "AGREE")  # PLOVER: future AID is AGREE
    assert fut.modality == "future"
    hyp = one(code("If Serbia attacks Kosovo, the alliance will respond."), "ASSAULT")
    assert hyp.modality == "hypothetical"
    assert hyp.recipient[0].code == "XKX" or hyp.recipient[0].code == "KOS"


def test_reported_would_is_the_reports_future():
    # reported speech moves "will" to "would": the cooperative act is a promise, AGREE
    ev = one(code("On Monday, the Bolivian government said it would recognize the new government of Peru."), "AGREE")
    assert ev.modality == "future" and "future SUPPORT -> AGREE" in ev.rule
    # a speaker's own declared conflict act is THREATEN, reported by whoever reports the speaker
    ev = one(code("The Chilean government announced it would impose sanctions on Peru."), "THREATEN")
    assert (ev.actor[0].code, ev.recipient[0].code, ev.mode) == ("CHL", "PER", ["relations"])
    assert ev.modality == "asserted" and [s.kind for s in ev.attribution] == ["outlet"]
    ev = one(code("Chile said it would attack Peru if Peruvian troops crossed the border."), "THREATEN")
    assert ev.mode == ["violence"] and ev.trigger.text == "attack"
    # a conditional without a speaker stays a hypothetical act; a refusal stays a refusal
    assert one(code("Chile would attack Peru if the talks failed."), "ASSAULT").modality == "hypothetical"
    assert one(code("Bolivia said it would not release the Chilean prisoners."), "REJECT")


def test_light_verb_and_nominal_event():
    ev = one(code("Egypt held talks with Sudan on Sunday."), "CONSULT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("EGY", "SDN")


def test_speakers_own_statement_is_not_attributed_to_them():
    events = code("\u201cWe condemn the aggression of Moscow,\u201d said the Polish president.")
    ev = one(events, "ACCUSE")
    assert (ev.actor[0].code, ev.actor[0].sector) == ("POL", "GOV")
    assert ev.recipient[0].code == "RUS"
    assert [s.kind for s in ev.attribution] == ["outlet"]


def test_a_guessed_country_is_not_borrowed_from_the_other_party():
    ev = one(code("A Turkish drone strike killed a militia commander near the border on Wednesday."), "ASSAULT")
    assert (ev.actor[0].code, ev.actor[0].sector) == ("TUR", "MIL")
    assert ev.recipient[0].code != "TUR" and ev.recipient[0].sector == "REB"


def test_sentences_without_events_give_none():
    assert code("The weather in Lima was mild and markets were calm on Friday.") == []


@pytest.mark.parametrize(
    "text,triple",
    [
        ("Kenya urged Somalia to release the hostages.", ("KEN", "REQUEST", "SOM")),
        ("Ghana imposed sanctions on Mali.", ("GHA", "SANCTION", "MLI")),
        ("Turkish police arrested dozens of Syrian migrants.", ("TUR", "COERCE", "SYR")),
        ("India rejected Pakistan's proposal.", ("IND", "REJECT", "PAK")),
        ("France praised Morocco for its reforms.", ("FRA", "SUPPORT", "MAR")),
        ("Norway agreed with Sweden on a new fishing quota.", ("NOR", "AGREE", "SWE")),
        ("Vietnam cooperated with Laos on border security.", ("VNM", "COOPERATE", "LAO")),
        ("Thousands of Armenians protested against Azerbaijan.", ("ARM", "PROTEST", "AZE")),
        ("Israel expelled two Iranian diplomats.", ("ISR", "SANCTION", "IRN")),
        ("Ukraine's president met Polish leaders in Warsaw.", ("UKR", "CONSULT", "POL")),
        ("Algeria apologized to Tunisia for the incident.", ("DZA", "CONCEDE", "TUN")),
    ],
)
def test_type_coverage(text, triple):
    assert triple in dyads(code(text))


def test_future_cooperation_is_agree_as_plover_says():
    """PLOVER 2.0: CONSULT/SUPPORT/COOPERATE/AID reported in the future tense are AGREE."""
    (ev,) = code("Vietnam will cooperate with Laos on border security.")
    assert (ev.type, ev.modality) == ("AGREE", "future")
    assert "future COOPERATE -> AGREE" in ev.rule
    (ev,) = code("Norway will send medical aid to Poland next month.")
    assert (ev.type, ev.modality) == ("AGREE", "future")
    (ev,) = code("Norway sent medical aid to Poland last month.")
    assert ev.type == "AID"


def test_attacking_plans_is_criticism_not_assault():
    from eventwire.api import code_text

    (ev,) = code_text("The Chilean foreign minister attacked the Peruvian government's plans on Monday.")
    assert ev.type == "ACCUSE"
    (ev,) = code_text("Rebels attacked the Peruvian army's positions near the border.")
    assert ev.type == "ASSAULT"


def test_coordinated_subjects_of_a_mutual_event_are_a_dyad():
    # no other recipient: "X and Y agreed" pairs X with Y, as "talks between X and Y" does
    ev = one(code("Jordan and Norway have agreed to hold joint naval drills next spring.", fast=True), "AGREE")
    assert [a.code for a in ev.actor] == ["JOR"] and [r.code for r in ev.recipient] == ["NOR"]
    assert ev.rule.endswith("mutual")


def test_coordinated_subjects_of_an_attack_are_not_paired_with_each_other():
    events = code("Police and soldiers opened fire near the stadium on Sunday.", fast=True)
    assert not [e for e in events if e.rule.endswith("mutual")]


def test_pronoun_subject_of_what_the_speaker_says_is_the_speaker():
    # (an expulsion its own actor announces is a threat to expel: THREATEN, see types.yaml threat_mode)
    ev = one(code("Peru announced on Monday that it will expel the Chilean ambassador.", fast=True), "THREATEN")
    assert ev.actor[0].entity_text == "Peru" and ev.actor[0].code == "PER"
    assert ev.mode == ["expel"] and "future SANCTION declared by its actor" in ev.rule
    # a pronoun that is not the speaker's stays as written
    ev = one(code("Peru said Chile had attacked it on Monday.", fast=True), "ASSAULT")
    assert ev.actor[0].code == "CHL" and ev.recipient[0].entity_text == "it"


def test_signing_an_agreement_is_one_support_event_and_a_promise_to_sign_is_agree():
    # PLOVER 2.0 SUPPORT: "ratify, sign, or finalize an agreement"; promises to sign are AGREE
    (ev,) = code("Chile signed a fisheries agreement with Peru on Monday.", fast=True)
    assert (ev.type, ev.actor[0].code, ev.recipient[0].code) == ("SUPPORT", "CHL", "PER")
    (ev,) = code("Chile will sign a fisheries agreement with Peru next week.", fast=True)
    assert ev.type == "AGREE" and ev.modality == "future"


def test_withdrawing_diplomats_is_sanction_and_an_announced_retreat_is_concede():
    # PLOVER 2.0: SANCTION 'withdraw' is one's non-military resources; RETREAT + future -> CONCEDE
    ev = one(code("Chile withdrew its ambassador from Peru on Monday.", fast=True), "SANCTION")
    assert ev.mode == ["withdraw"] and ev.recipient[0].code == "PER"
    (ev,) = code("Chile will withdraw its troops from Peru next month.", fast=True)
    assert ev.type == "CONCEDE" and ev.modality == "future"


def test_welcoming_a_visit_is_support_and_welcoming_a_person_is_hosting():
    ev = one(code("Peru welcomed the Chilean visit on Monday.", fast=True), "SUPPORT")
    assert ev.actor[0].code == "PER"
    ev = one(code("Peru welcomed the Chilean president on Monday.", fast=True), "CONSULT")
    # the host is the actor; PLOVER 2.0 has no "host" mode (only visit, from the visitor's side)
    assert ev.mode == [] and ev.recipient[0].code == "CHL"


def test_a_commitment_to_act_is_agree_and_an_intention_is_future():
    # "agreed to lift" is a promise, not a lifting: one AGREE whose recipient is in the clause
    (ev,) = code("Chile agreed to lift its ban on Peruvian beef.", fast=True)
    assert (ev.type, ev.recipient[0].code) == ("AGREE", "PER")
    # not the actor's own troops: the recipient is where they go
    (ev,) = code("Chile has agreed to send troops to Peru.", fast=True)
    assert (ev.type, ev.recipient[0].code) == ("AGREE", "PER")
    # an intention: RETREAT + future -> CONCEDE, AID + future -> AGREE (PLOVER manual)
    (ev,) = code("Chile plans to withdraw its troops from Peru.", fast=True)
    assert (ev.type, ev.modality) == ("CONCEDE", "future")
    (ev,) = code("Chile is ready to send troops to Peru.", fast=True)
    assert (ev.type, ev.modality) == ("AGREE", "future")


def test_the_agent_of_an_event_noun_is_the_actor():
    # "by X" after an attack noun names who attacked, as subject or as trigger
    ev = one(code("An airstrike by Turkish jets killed four fighters near the border.", fast=True), "ASSAULT")
    assert ev.actor[0].code == "TUR" and ev.actor[0].entity_text == "Turkish jets"
    ev = one(code("The attack by Chilean soldiers on a Peruvian border post left six dead.", fast=True), "ASSAULT")
    assert ev.actor[0].code == "CHL" and ev.recipient[0].code == "PER"


def test_cancelling_a_visit_is_reject():
    ev = one(code("The Mexican president cancelled a planned visit to Washington.", fast=True), "REJECT")
    assert ev.actor[0].code == "MEX" and ev.recipient[0].code == "USA"


def test_the_actors_own_things_are_not_its_recipient():
    from eventwire.pipeline import get_pipeline
    from eventwire.records import Article
    from eventwire.stages.events import _owned_by

    pipe = get_pipeline(Config(fast=True))
    d = pipe.process(Article(id="t", text="Chile moved its troops and Peru's tanks to the border."))
    by_word = {d.doc[i].text: m for i, m in d.mentions.items()}
    chile = by_word["Chile"]
    assert _owned_by(d, by_word["troops"], [chile])  # "its troops": Chile's own
    assert not _owned_by(d, by_word["tanks"], [chile])  # Peru's
    # and the slot after it gives the recipient
    (ev,) = code("Chile withdrew its troops from Peru on Monday.", fast=True)
    assert ev.recipient[0].code == "PER"


@pytest.mark.parametrize("text,etype,recipient", [
    ("Chile launched cyber warfare against Peru last year.", "COERCE", "PER"),  # manual: COERCE cyber; the phrase hangs on "launched"
    ("Chile opened its borders to Peruvian refugees.", "AID", "PER"),  # asylum
    ("Chile declared a ceasefire with Peru on Monday.", "RETREAT", "PER"),  # implementing a ceasefire
    ("Chile denied entry to a Peruvian journalist.", "REJECT", "PER"),
    ("Chile launched a mediation effort between Peru and Bolivia.", "CONSULT", "PER"),  # compound noun
])
def test_lexicon_entries_from_the_plover_definitions(text, etype, recipient):
    ev = one(code(text, fast=True), etype)
    assert ev.actor[0].code == "CHL" and ev.recipient[0].code == recipient


def test_who_does_a_nominal_act_is_its_owner_or_its_verbs_subject():
    (ev,) = code("Chile completed its withdrawal of troops from Peru in May.", fast=True)
    assert (ev.type, ev.actor[0].code, ev.recipient[0].code) == ("RETREAT", "CHL", "PER")
    assert ev.actor[0].entity_text == "its"  # the owner, not "its withdrawal"


def test_a_thing_stands_for_its_owner_as_recipient():
    # the recipient of a rejection or criticism of a thing is whoever the thing belongs to
    ev = one(code("The Peruvian government rejected the call of the Chilean senate to free the activist."), "REJECT")
    assert ev.recipient[0].entity_text == "the Chilean senate"
    ev = one(code("Chile's president refused a request from the Bolivian foreign minister."), "REJECT")
    assert ev.recipient[0].entity_text == "the Bolivian foreign minister"
    assert ev.recipient[0].code == "BOL"
    ev = one(code("Bolivia rejected the offer made by the Chilean rebels last week."), "REJECT")
    assert ev.recipient[0].entity_text == "the Chilean rebels"
    ev = one(code("Ecuador criticised the policies of the Peruvian government."), "ACCUSE")
    assert (ev.recipient[0].entity_text, ev.recipient[0].code) == ("the Peruvian government", "PER")
    # ...also when the thing is the object of the refused act, not of the refusal
    ev = one(code("The tribunal refused to answer a request from envoys of Ecuador for documents."), "REJECT")
    assert (ev.recipient[0].entity_text, ev.recipient[0].code) == ("envoys", "ECU")


def test_the_owner_of_an_accepted_theme_is_the_recipient():
    ev = one(code("Ecuador accepted the proposal of Peru."), "AGREE")
    assert (ev.recipient[0].entity_text, ev.recipient[0].code) == ("Peru", "PER")
    ev = one(code("The Bolivian junta accepted the demands of Bolivian students."), "CONCEDE")
    assert ev.recipient[0].entity_text == "Bolivian students"


def test_from_names_the_source_of_an_event_noun():
    ev = one(code("There was a fresh appeal from the Chilean government to Peru."), "REQUEST")
    assert (ev.actor[0].entity_text, ev.recipient[0].code) == ("the Chilean government", "PER")


def test_a_declared_refusal_of_a_cooperative_act_is_reject_and_past_negation_is_not():
    ev = one(code("Chile will not release the Peruvian prisoners."), "REJECT")
    assert ev.mode == ["yield"]
    assert ev.modality == "asserted"  # the refusal is declared now, not a future event
    assert "refusal" in ev.rule and ev.actor[0].code == "CHL" and ev.recipient[0].code == "PER"
    ev = one(code("The rebels won't meet the Peruvian envoy."), "REJECT")
    assert ev.mode == ["meet"]
    ev = one(code("Austria says it cannot accept Afghan refugees."), "REJECT")
    assert ev.mode == ["assist"]
    # past negation is a negated event, dropped by default; a conflict act is never a refusal
    assert code("Bolivia did not meet the Peruvian envoy.") == []
    assert [e.type for e in code("Chile will not attack Peru.", keep_negated=True)] == ["ASSAULT"]


def test_a_failure_to_agree_is_a_rejection_in_any_tense():
    # types.yaml failure_is_refusal (CAMEO: FAIL -> 120 reject)
    ev = one(code("Ecuador and Peru failed to reach agreement on the new fishing treaty."), "REJECT")
    assert {ev.actor[0].code, ev.recipient[0].code} == {"ECU", "PER"}
    assert "refusal 'failed'" in ev.rule and ev.modality == "asserted"
    ev = one(code("Bolivian negotiators failed to reach a deal with Chile."), "REJECT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "CHL")
    # a failure to help is a negated act, not a rejection
    assert [e.type for e in code("The Chilean army failed to protect Peruvian villagers.")] == []


def test_using_people_as_human_shields_is_an_assault():
    ev = one(code("The rebels held 300 Peruvian villagers as human shields."), "ASSAULT")
    assert ev.recipient[0].code == "PER"
    ev = one(code("Chilean militants used Bolivian civilians as human shields."), "ASSAULT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHL", "BOL")


def test_an_agentless_state_act_is_by_the_state_of_the_place():
    ev = one(code("A Chilean reporter was arrested in Peru on Monday."), "COERCE")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("PER", "CHL")
    assert any("state act" in e for e in ev.actor[0].evidence)
    ev = one(code("Two Ecuadorian diplomats were expelled from Bolivia."), "SANCTION")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "ECU")
    # not for acts anyone can do: who killed him is not said
    assert code("A Chilean reporter was killed in Peru on Monday.") == []


def test_an_order_is_a_demand_unless_it_orders_a_deed():
    ev = one(code("A Bolivian judge ordered the Chilean consul to appear in court."), "REQUEST")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "CHL")
    # "ordered the arrest of X": the arrest is the event
    assert [e.type for e in code("A Bolivian judge ordered the arrest of the Chilean consul.")] == ["COERCE"]
    # a command to the actor's own forces is no dyad for the patterns
    assert code("The Peruvian president ordered troops to the border.", fast=True) == []


def test_calling_a_party_is_a_phone_consultation_naming_and_appeals_are_not():
    ev = one(code("The Peruvian president called his Chilean counterpart on Friday to discuss the crisis."), "CONSULT")
    assert ev.mode == ["phone"] and ev.recipient[0].code == "CHL"
    assert code("The Chilean president called the Peruvian ambassador a liar.", fast=True) == []
    assert code("The Chilean minister called a meeting of the Peruvian cabinet.", fast=True) == []
    # coordinated speakers calling for something are no pair phoning each other
    events = code("The Chilean and Peruvian ministers have called for the embargo to be lifted.", fast=True)
    assert [e.type for e in events] == []


def test_receiving_an_envoy_or_a_call_is_a_consultation():
    ev = one(code("The Chilean prime minister received the Peruvian ambassador on Monday."), "CONSULT")
    assert ev.mode == [] and ev.recipient[0].code == "PER"
    ev = one(code("Chile received a phone call from the Peruvian president."), "CONSULT")
    assert ev.mode == ["phone"] and ev.recipient[0].entity_text == "the Peruvian president"
    assert [e.type for e in code("Chile received a shipment of grain from Peru.", fast=True)] != ["CONSULT"]


def test_the_owner_of_support_is_the_supporter_not_the_supported():
    ev = one(code("The Chilean president voiced his strong support of the Peruvian president."), "SUPPORT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHL", "PER")
    events = code("The Chilean envoy phoned the Peruvian president to convey Chile's support.", fast=True)
    assert not any(e.type == "SUPPORT" and e.recipient[0].code == "CHL" for e in events)


def test_finding_guilty_is_a_conviction_not_guilty_is_none():
    ev = one(code("A court in Lima found the Chilean consul guilty of spying."), "SANCTION")
    assert ev.mode == ["convict"] and (ev.actor[0].code, ev.recipient[0].code) == ("PER", "CHL")
    assert code("The Peruvian court found the Chilean consul not guilty.", fast=True) == []
    assert code("Peruvian investigators found the Chilean documents useful.", fast=True) == []


def test_permission_granted_to_a_party_the_parser_joined_to_it():
    # "granted [the Peruvian airline] permission": one phrase in the parse, two in the sentence
    ev = one(code("The Chilean government granted the Peruvian airline permission to land."), "RETREAT")
    assert ev.mode == ["access"] and ev.recipient[0].entity_text == "the Peruvian airline"
    assert ev.recipient[0].code == "PER"


def test_an_expressed_condemnation_is_the_speakers_accusation():
    ev = one(code("The Bolivian foreign ministry expressed its strong condemnation of the Chilean president's declaration."), "ACCUSE")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "CHL")


def test_coordinated_country_modifiers_make_one_party_each():
    ev = one(code("Chilean and Peruvian officials met in Lima."), "CONSULT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHL", "PER")
    assert ev.recipient[0].entity_text == "Peruvian officials" and ev.actor[0].sector == "GOV"
    ev = one(code("Rebels attacked Chilean and Peruvian troops near the border."), "ASSAULT")
    assert [r.code for r in ev.recipient] == ["CHL", "PER"]
    # ... and so do coordinated countries in a plural head's "of" phrase
    ev = one(code("The navies of Chile and Peru held joint exercises off Arica."), "COOPERATE")
    assert (ev.actor[0].entity_text, ev.actor[0].sector) == ("The navies of Chile", "MIL")
    assert (ev.actor[0].code, ev.recipient[0].code, ev.recipient[0].entity_text) == ("CHL", "PER", "Peru")


def test_an_event_noun_takes_its_verbs_entries():
    # nominalizations in events.yaml: the verb's object is the noun's "of" phrase
    ev = one(code("Bolivia has announced the suspension of aid to Peru."), "SANCTION")
    assert (ev.actor[0].code, ev.recipient[0].code, ev.trigger.text) == ("BOL", "PER", "suspension")
    ev = one(code("Chilean forces began a ground assault on Peru."), "ASSAULT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHL", "PER")


def test_a_deed_noun_is_not_its_own_actor():
    # "the killing of civilians" borrows a code from its victims; it names no one who acted
    events = code("The Chilean spokesman condemned the killing of Peruvian civilians.")
    assert [e.type for e in events] == ["ACCUSE"]


def test_the_theme_participle_holds_the_recipient():
    ev = one(code("Chile eased the curfew imposed on Peruvian towns."), "RETREAT")
    assert ev.recipient[0].code == "PER"


def test_an_unlabelled_proper_name_in_an_actor_slot_is_a_named_actor():
    # the small model gives "Maria Ostos" no entity label; as the subject of talks it is someone
    ev = one(code("Maria Ostos held talks with the Peruvian foreign minister."), "CONSULT")
    assert ev.actor[0].entity_text == "Maria Ostos" and ev.actor[0].kind == "named"
    assert any("named" in e for e in ev.actor[0].evidence)


def test_an_ultimatum_given_to_someone_and_legal_action():
    ev = one(code("Chile gave Peru a deadline to withdraw its fishing fleet."), "THREATEN")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHL", "PER")
    ev = one(code("The Chilean trade commission launched legal action against the Bolivian government."), "ACCUSE")
    assert ev.recipient[0].code == "BOL"


def test_guards_on_refusals_and_unlabelled_names():
    # a thing's prospects are no refusal; a capitalised law is not an actor
    events = code("Ministers praised a plan for Peru which will not help the Chilean rebels.")
    assert all(e.type != "REJECT" for e in events), [(e.type, e.rule) for e in events]
    events = code("The Security Bill would have forced Peruvian ministers to resign.")
    assert all(a.entity_text != "The Security Bill" for e in events for a in e.actor), [e.rule for e in events]


def test_the_owner_of_a_deed_with_a_recipient_is_its_actor():
    ev = one(code("The ban followed Bolivia's crackdown on Peruvian protesters."), "COERCE")
    assert ev.actor[0].code == "BOL" and ev.recipient[0].code == "PER"


def test_the_subject_of_a_demanded_clause_is_the_one_asked():
    ev = one(code("The Bolivian senator demanded that the Chilean prime minister step aside."), "REQUEST")
    assert ev.recipient[0].entity_text == "the Chilean prime minister"


def test_a_partitive_head_stands_for_its_of_phrase():
    ev = one(code("A group of Chilean soldiers attacked a number of Peruvian border posts."), "ASSAULT")
    assert ev.actor[0].entity_text == "Chilean soldiers"
    assert ev.recipient[0].entity_text == "Peruvian border posts"


def test_a_reported_obligation_is_a_demand_on_the_clause_subject():
    ev = one(code("Brazil says Chile must withdraw its troops from Peru."), "REQUEST")
    assert (ev.actor[0].code, ev.recipient[0].code, ev.trigger.text) == ("BRA", "CHL", "says")
    assert ev.modality == "asserted" and [s.kind for s in ev.attribution] == ["outlet"]
    # the demanded deed is not coded as an event of its own, and "should" is no demand
    assert [e.type for e in code("Brazil says Chile must withdraw its troops from Peru.")] == ["REQUEST"]
    assert all(e.type != "REQUEST" for e in code("Bolivia said Chile should expect a long winter."))


def test_an_uncoded_speaker_is_the_subject_of_what_it_says():
    ev = one(code("The Frente Azul said it will free Juan Ortega next week."), "CONCEDE")
    assert "Frente Azul" in ev.actor[0].entity_text
    assert any("subject of what it says" in e for e in ev.actor[0].evidence)


def test_awards_returned_artworks_and_ended_mediation():
    ev = one(code("Chile has awarded its highest medal to the Peruvian president."), "SUPPORT")
    assert ev.recipient[0].code == "PER"
    ev = one(code("The United States returned a stolen painting to the Peruvian ambassador."), "RETREAT")
    assert ev.recipient[0].code == "PER"
    ev = one(code("Chile ended its mediation talks with Peru."), "SANCTION")
    assert ev.recipient[0].code == "PER"


def test_violations_and_contributions():
    ev = one(code("Peru has violated a ban by the UN on arms sales."), "REJECT")
    assert ev.recipient[0].code == "UNO"
    ev = one(code("Chilean rebels violated Peru's truce near the border."), "ASSAULT")
    assert ev.recipient[0].code == "PER"
    ev = one(code("Bolivia plans to contribute soldiers to the UN force in Peru."), "AGREE")  # future AID
    assert ev.recipient[0].code == "UNO"


def test_finalising_a_deal_and_pledging_support_are_support():
    # manual, SUPPORT: "finalize an agreement", "express support for"; a promise to sign is AGREE
    ev = one(code("Chile and Peru have agreed a new fisheries agreement."), "SUPPORT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHL", "PER")
    ev = one(code("The Chilean minister agreed to the deal with Peru."), "SUPPORT")
    assert ev.recipient[0].code == "PER"
    ev = one(code("The Bolivian president pledged support for the Peruvian government."), "SUPPORT")
    assert ev.recipient[0].code == "PER"
    assert [e.type for e in code("Chile will sign a trade deal with Peru.")] == ["AGREE"]
    assert [e.type for e in code("Chile agreed to send troops to Peru.")] == ["AGREE"]


def test_pardons_permissions_releases_and_acronyms():
    ev = one(code("President Ana Cruz granted an amnesty to Juan Perez, a Peruvian activist."), "CONCEDE")
    assert ev.recipient[0].entity_text == "Juan Perez"
    ev = one(code("Ecuador let free the Peruvian fishermen."), "RETREAT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("ECU", "PER")
    ev = one(code("The Chilean president gave in to the demands of Peruvian miners."), "CONCEDE")
    assert ev.recipient[0].code == "PER"
    # an acronym the parser tags as a common noun is a named actor ...
    ev = one(code("TRUST returned two stolen paintings to the government of Chile."), "RETREAT")
    assert ev.actor[0].entity_text == "TRUST" and ev.actor[0].kind == "named"
    # ... but not in a headline written in capitals
    assert code("TRUST RETURNS TWO PAINTINGS TO CHILE.") == []


def test_pardon_is_a_concession_and_him_is_not_the_pardoner():
    # manual: formal pardons and amnesties are CONCEDE; "him" is never its own verb's subject
    ev = one(code("Lena Ostos was freed on Saturday after President Ama Kessy of Chile pardoned her."), "CONCEDE")
    her = ev.recipient[0]
    assert her.entity_text == "her" and her.canonical == "Lena Ostos"
    text = "Lena Ostos was freed on Saturday after President Ama Kessy of Chile pardoned her."
    assert text[her.antecedent[0]:her.antecedent[1]] == "Lena Ostos"


def test_an_event_noun_counted_by_a_partitive():
    ev = one(code("Bolivia and Chile opened a fresh round of joint naval drills off Arica."), "COOPERATE")
    assert {ev.actor[0].code, ev.recipient[0].code} == {"BOL", "CHL"}
    ev = one(code("Chile and Peru began a fresh round of talks in Lima on Monday."), "CONSULT")
    assert {ev.actor[0].code, ev.recipient[0].code} == {"CHL", "PER"}
    # negation sits on the light verb above the partitive
    assert code("Chile and Peru did not begin a new round of talks.") == []
    assert one(code("Chile and Peru did not begin a new round of talks.", keep_negated=True), "CONSULT").modality == "negated"


def test_refusals_conditioned_on_another_party_and_a_speakers_own_he():
    ev = one(code("Peruvian dockers say they will not call off their strike until the Peruvian government raises wages."), "REJECT")
    assert ev.recipient[0].entity_text == "the Peruvian government"
    ev = one(code("President Luis Rivera of Bolivia said he will not lift the embargo until Chile frees the prisoners."), "REJECT")
    assert (ev.actor[0].entity_text, ev.recipient[0].code) == ("President Luis Rivera", "CHL")
    assert ev.mode == ["yield"]
    ev = one(code("Chilean troops apprehended a Peruvian man near the border."), "COERCE")
    assert ev.recipient[0].code == "PER"
    # a negated "before" clause is an until clause; an asserted one is only a time
    ev = one(code("Copper miners in Peru won't end the stoppage before the Chilean owners raise wages."), "REJECT")
    assert ev.recipient[0].code == "CHL"
    assert code("Copper miners in Peru ended the stoppage before the Chilean owners raised wages.") == []


@pytest.mark.parametrize("text, etype, recipient", [
    # deploying observers is AID, troops along a border MOBILIZE
    ("The African Union deployed a team of election observers to Malawi last month.", "AID", "MWI"),
    ("Chile deployed troops along the border with Peru.", "MOBILIZE", "PER"),
    # lifting a boycott "of X", returning property
    ("Chile lifted its boycott of Peru.", "RETREAT", "PER"),
    ("The Chilean customs agency returned a stolen statue to Peruvian authorities.", "RETREAT", "PER"),
    # a scathing attack is an accusation, an armed one an assault
    ("The Peruvian opposition leader launched a scathing attack on the Chilean government.", "ACCUSE", "CHL"),
    ("Chilean jets launched an attack on Peruvian border posts.", "ASSAULT", "PER"),
    ("The Peruvian senator mounted an attack on the Chilean government's asylum record.", "ACCUSE", "CHL"),
    # the target of a threatened measure, a ban on a country's goods, the owner of what is returned
    ("Peru threatened sanctions against Bolivia on Friday.", "THREATEN", "BOL"),
    ("Chile banned imports of Peruvian potatoes.", "SANCTION", "PER"),
    ("Bolivia returned the remains of Chilean miners.", "RETREAT", "CHL"),
    # a protest outside a body's building targets that body
    ("Hundreds of students demonstrated outside the Chilean embassy in Lima.", "PROTEST", "CHL"),
    # asking a party to go or pull out asks that party
    ("Peru called for the resignation of the Bolivian interior minister.", "REQUEST", "BOL"),
    # ruling out talks refuses them; a protest lodged with a government is a formal complaint
    ("Chile's president ruled out talks with Bolivia.", "REJECT", "BOL"),
    ("The Peruvian embassy lodged a protest with the Chilean government.", "ACCUSE", "CHL"),
    # retaliation is force; vowing it a threat
    ("Bolivian rebels retaliated against Peruvian troops on Sunday.", "ASSAULT", "PER"),
    ("Bolivian rebels vowed to retaliate against Peruvian troops.", "THREATEN", "PER"),
])
def test_type_and_recipient(text, etype, recipient):
    assert one(code(text), etype).recipient[0].code == recipient


def test_a_commitment_finds_no_recipient_in_people_in_general():
    events = code("The Chilean minister promised to make sure that pensioners' savings are safe.")
    assert all(r.entity_text != "pensioners" for e in events for r in e.recipient)


def test_coordinated_parties_agreeing_to_act_on_a_third_are_the_dyad():
    ev = one(code("Chile and Peru have agreed to exchange data on Bolivian smugglers."), "AGREE")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHL", "PER") and ev.rule.endswith("mutual")
    ev = one(code("The Brazilian government gave in to demands from the Peruvian truckers' union."), "CONCEDE")
    assert ev.recipient[0].entity_text == "the Peruvian truckers' union"


def test_hosting_a_dinner_for_someone_and_money_given():
    ev = one(code("The Chilean president will host a state banquet for the Peruvian foreign minister."), "AGREE")
    assert ev.recipient[0].code == "PER"  # a future CONSULT is AGREE
    ev = one(code("Norway gave 40 million euros to Peru."), "AID")
    assert ev.recipient[0].code == "PER"


def test_the_light_verb_carries_negation_tense_and_refusal_of_an_event_noun():
    ev = one(code("The Peruvian rebels said they will not begin talks with the Chilean government."), "REJECT")
    assert ev.mode == ["meet"] and ev.recipient[0].code == "CHL"
    ev = one(code("Chile will hold talks with Peru."), "AGREE")  # a future CONSULT
    assert ev.modality == "future"
    assert [e.type for e in code("Chile held talks with Peru.")] == ["CONSULT"]
    # failing to reach a deal is no deal, but a rejection (types.yaml failure_is_refusal)
    assert [e.type for e in code("Chile and Peru failed to reach a deal on fishing.")] == ["REJECT"]


def test_forces_on_alert_mobilize_and_a_comment_on_a_strike_is_no_event():
    ev = one(code("Chilean troops remained on alert along the border with Peru."), "MOBILIZE")
    assert (ev.actor[0].code, ev.actor[0].sector, ev.recipient[0].code) == ("CHL", "MIL", "PER")
    assert code("The Chilean minister commented on the strike by Peruvian dockers.") == []


def test_strikes_by_workers_are_protests_and_air_strikes_are_not():
    ev = one(code("Peruvian dockers went on strike against the Chilean government."), "PROTEST")
    assert ev.mode == ["strike"] and ev.recipient[0].code == "CHL"
    ev = one(code("The Peruvian activist has started a hunger strike to protest against the Chilean authorities."), "PROTEST")
    assert ev.actor[0].entity_text == "The Peruvian activist"  # not "a hunger strike" (object control)
    assert all(e.type != "PROTEST" for e in code("Chilean jets carried out a strike on Peruvian positions."))


def test_an_urged_act_is_hypothetical():
    events = code("Bolivia urged Chile to attack Peru.")
    assert one(events, "REQUEST").modality == "asserted"
    assert one(events, "ASSAULT").modality == "hypothetical"
    # the purpose of an intended act is intended too; of a done one, done
    (ev,) = [e for e in code("Japan offered to fly medics to Santiago to help the Chilean army after the floods.") if e.trigger.text == "help"]
    assert (ev.type, ev.recipient[0].code, ev.modality) == ("AGREE", "CHL", "future")
    (ev,) = [e for e in code("Chile sent troops to help the Peruvian army.") if e.trigger.text == "help"]
    assert (ev.type, ev.modality) == ("AID", "asserted")
    # an ordered act is not reported as done either
    events = code("The Chilean president ordered the army to attack Peruvian positions.")
    assert one(events, "ASSAULT").modality == "hypothetical"


def test_naming_who_is_to_blame_is_an_accusation():
    ev = one(code("After the bombing, the Chilean government said Peruvian rebels were responsible."), "ACCUSE")
    assert (ev.actor[0].code, ev.recipient[0].code, ev.trigger.text) == ("CHL", "PER", "said")
    ev = one(code("Bolivia said Chilean agents were behind the attack on its embassy."), "ACCUSE")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "CHL")
    ev = one(code("Peru holds Chile responsible for the deaths of its soldiers."), "ACCUSE")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("PER", "CHL")
    # a duty is no blame, and a denial is no accusation
    assert code("Chile said Peru was responsible for the security of the border.") == []
    assert code("Bolivia said Chilean agents were not behind the attack.") == []


def test_ending_a_sanction_in_force_is_retreat():
    ev = one(code("The United States rolled back tariffs on Chilean goods in exchange for more purchases."), "RETREAT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("USA", "CHL")
    ev = one(code("Bolivia scrapped the embargo against Peru on Friday."), "RETREAT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "PER")
    # ending cooperation is no retreat
    assert [e.type for e in code("Peru ended talks with Chile.")] == ["SANCTION"]


def test_passive_until_clause_coordinated_event_nouns_and_rejected_cooperation():
    # the party a refusal's condition is on: the agent of a passive until-clause
    ev = one(code("Teachers in Peru insist they won't call off their strike until back pay is approved by the government of Peru."), "REJECT")
    assert ev.recipient[0].code == "PER" and ev.recipient[0].entity_text.startswith("the government")
    # an event noun coordinated with the light verb's object shares that verb
    ev = one(code("The OAS voiced its anger and sharp condemnation of the Chilean president's decree."), "ACCUSE")
    assert (ev.actor[0].entity_text, ev.recipient[0].code) == ("The OAS", "CHL")
    ev = one(code("Bolivia's cabinet on Monday rejected all cooperation with the Chilean police."), "REJECT")
    assert ev.recipient[0].code == "CHL"


def test_concession_to_the_party_after_whose_move_it_comes_and_information_sharing():
    ev = one(code("Bolivian miners called off their strike after an agreement with the government of Bolivia."), "CONCEDE")
    assert ev.recipient[0].entity_text.startswith("the government")
    ev = one(code("Public workers in Chile called off a strike after the Chilean government accepted a pay deal."), "CONCEDE")
    assert ev.recipient[0].entity_text == "the Chilean government"
    ev = one(code("Chilean investigators shared evidence with Peru this week."), "COOPERATE")
    assert ev.recipient[0].code == "PER"
    ev = one(code("Swiss authorities gave bank records to the Peruvian government."), "COOPERATE")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("CHE", "PER")


def test_announcing_a_ceasefire_is_declaring_one():
    ev = one(code("The Chilean army announced a one-sided truce in Peru on Sunday."), "RETREAT")
    assert (ev.actor[0].code, ev.recipient[0].code, ev.mode) == ("CHL", "PER", ["ceasefire"])
    # two parties announcing one together agree to it
    assert one(code("Chile and Peru announced a ceasefire."), "AGREE")


def test_an_uncoded_object_is_the_recipient_of_a_stance_but_not_of_a_material_act():
    # a stance on a policy or act: the thing is the uncoded recipient, its words the evidence
    ev = one(code("The Peruvian senate rejected the referendum as illegal on Tuesday."), "REJECT")
    (rec,) = ev.recipient
    assert (rec.entity_text, rec.code, rec.kind) == ("the referendum", None, "thing")
    ev = one(code("Chile's foreign minister condemned the new decree."), "ACCUSE")
    assert ev.recipient[0].entity_text == "the new decree" and ev.recipient[0].kind == "thing"
    assert "thing_target" in ev.recipient[0].evidence[0]
    assert one(code("Bolivia's president backed the new water plan."), "SUPPORT").recipient[0].kind == "thing"
    # switched off, the same sentence gives no dyadic event
    assert not code("The Peruvian senate rejected the referendum as illegal on Tuesday.", object_recipients=False)
    # a material act needs a party; "recognise" a state, never a thing
    assert not code("Chilean troops seized the tools of the trade.")
    assert not code("Peru's president recognised the pressures on families.")
    # an uncoded party is a recipient of any type
    ev = one(code("Chilean police arrested 25 members of a smuggling ring on Monday."), "COERCE")
    assert ev.recipient[0].entity_text == "25 members" and ev.recipient[0].kind == "group"


def test_two_uncoded_targets_in_one_article_are_two_events():
    events = code("The Bolivian senate rejected the referendum. Later the Bolivian senate rejected the budget.")
    assert sorted(e.recipient[0].entity_text for e in events if e.type == "REJECT") == ["the budget", "the referendum"]


def test_people_without_a_country_are_civilians():
    ev = one(code("Police in Lima detained a 30-year-old woman on Friday."), "COERCE")
    assert (ev.recipient[0].entity_text, ev.recipient[0].sector) == ("a 30-year-old woman", "CVL")


def test_a_call_to_punish_or_investigate_x_accuses_x():
    ev = one(code("Several Chilean lawmakers have called for sanctions against Peruvian officials."), "ACCUSE")
    assert (ev.actor[0].code, ev.recipient[0].code, ev.mode) == ("CHL", "PER", ["disapprove"])
    ev = one(code("The Bolivian opposition demanded an inquiry into the conduct of the Chilean police."), "ACCUSE")
    assert (ev.recipient[0].code, ev.mode) == ("CHL", ["investigate"])
    # a call for talks is still a request, and "hosted X for talks" still a meeting with X
    assert not [e for e in code("Chile called for talks with Peru.") if e.type == "ACCUSE"]
    ev = one(code("The Chilean president has hosted the Peruvian king for talks at the palace."), "CONSULT")
    assert ev.recipient[0].code == "PER"


def test_coordinated_possessors_are_two_parties_and_a_deep_recipient_phrase_is_found():
    ev = one(code("Peru and Bolivia's foreign ministers met briefly today after a week of tension."), "CONSULT")
    assert ([a.code for a in ev.actor], [r.code for r in ev.recipient]) == (["PER"], ["BOL"])
    # the parser hangs "to the Peruvian embassy" inside the object's relative clause
    ev = one(code("Bolivian customs returned a painting that was stolen in 1990 from a gallery in Lima to the Peruvian embassy."), "RETREAT")
    assert (ev.recipient[0].entity_text, ev.recipient[0].code) == ("the Peruvian embassy", "PER")


def test_an_offered_retreat_is_agree_an_announced_one_concede():
    ev = one(code("Chile says it is willing to withdraw all of its soldiers from Peru if the talks succeed."), "AGREE")
    assert ev.modality == "future" and "willing_as" in ev.rule
    assert one(code("Chile announced that it will withdraw its troops from Peru."), "CONCEDE").modality == "future"


def test_recipients_the_parser_hung_in_the_object_or_its_relative_clause():
    ev = one(code("The Chilean government lifted the ban that it imposed on Peruvian fishing boats last year."), "RETREAT")
    assert ev.recipient[0].code == "PER"
    ev = one(code("The Peruvian rebels declared a unilateral truce effective from Sunday in Bolivia."), "RETREAT")
    assert (ev.recipient[0].code, ev.mode) == ("BOL", ["ceasefire"])
    ev = one(code("Chile's president conceded to the demands of the striking truck drivers."), "CONCEDE")
    assert ev.recipient[0].sector == "LAB"


def test_a_blamed_cause_or_a_thing_dealt_with_is_no_recipient():
    assert not code("The Chilean airline blamed high fuel prices for a drop in profits.")
    ev = one(code("The Chilean government blamed Peru for the sharp rise in prices."), "ACCUSE")
    assert ev.recipient[0].code == "PER"
    # the object of "with" in a deal is a party, never a thing
    assert not [e for e in code("A Chilean carmaker struck a deal to supply a Peruvian firm with 3,000 vans.")
                if any(r.kind == "thing" for r in e.recipient)]
    ev = one(code("Chilean pensioners protested against the new pension law."), "PROTEST")
    assert ev.recipient[0].entity_text == "the new pension law"


def test_a_hyphenated_word_split_by_the_tokenizer_is_one_word():
    events = code("The Chilean president announced a weeklong cease-fire with the Peruvian rebels on Thursday.")
    ev = one(events, "RETREAT")  # one event: the announced truce, not also the noun "cease-fire"
    assert (ev.recipient[0].code, ev.mode) == ("PER", ["ceasefire"]) and len(events) == 1


def test_a_party_inside_the_rejected_thing_is_the_recipient():
    ev = one(code("The rebels have long refused direct talks with the Chilean government."), "REJECT")
    assert (ev.recipient[0].entity_text, ev.recipient[0].code) == ("the Chilean government", "CHL")


def test_as_long_as_is_a_condition_not_the_past():
    ev = one(code("Chile says it is willing to withdraw all of its soldiers from Peru as long as the talks succeed."), "AGREE")
    assert ev.modality == "future"
    assert one(code("Chile has long criticised Peru."), "ACCUSE").modality == "historical"


def test_boycotting_an_activity_is_protest_and_a_declared_boycott_a_threat():
    ev = one(code("The Chilean opposition boycotted the presidential election in Chile."), "PROTEST")
    assert ev.mode == ["boycott"]
    ev = one(code("Chile's main opposition parties said they would boycott the talks with Peru."), "THREATEN")
    assert ev.mode == ["restrict"]


def test_a_setting_before_the_verb_is_no_theme_and_welcoming_a_thing_is_no_visit():
    (ev,) = [e for e in code("On a visit to Peru, the Chilean president voiced his strong support of the Bolivian president.")
             if e.trigger.text == "voiced"]
    assert ev.recipient[0].code == "BOL"
    assert dyads(code("The Chilean minister welcomed Peru's attempt to reconcile the two targets.")) == {("CHL", "SUPPORT", "PER")}
    assert dyads(code("The Chilean president held bilateral discussions with the Peruvian president at his office.")) == {
        ("CHL", "CONSULT", "PER")}


def test_scaling_back_relations_is_sanction_and_a_warned_party_is_the_threats_target():
    assert dyads(code("Chile downgraded its diplomatic ties with Peru on Monday.")) == {("CHL", "SANCTION", "PER")}
    assert dyads(code("Chile scaled back military aid to Peru.")) == {("CHL", "SANCTION", "PER")}
    ev = one(code("The Chilean envoy warned the Peruvian government that Chile would consider scaling back "
                  "intelligence co-operation with Peru."), "THREATEN")
    assert ev.recipient[0].entity_text == "the Peruvian government"


def test_he_after_a_reporting_verb_is_its_speaker_and_a_refused_trip_refuses_its_purpose():
    ev = one(code("The Chilean president said he will meet the Peruvian president."), "AGREE")
    (a,) = ev.actor
    assert (a.entity_text, a.code, a.antecedent) == ("he", "CHL", (0, 21))
    ev = one(code("The Chilean president will not go to Lima to meet the Peruvian president."), "REJECT")
    assert ev.mode == ["meet"] and ev.recipient[0].code == "PER"
    # a trip not made in the past: its purpose is a negated event, dropped by default
    assert not code("The Chilean president did not travel to Lima to sign the deal with Peru.")


def test_a_refused_meeting_is_not_also_a_meeting():
    events = code("The rebels have refused official talks with the Chilean government.")
    assert [e.type for e in events] == ["REJECT"]


def test_property_is_a_recipient_of_assault_and_coerce_only():
    ev = one(code("A Chilean rebel car bomb struck a bus near the Peruvian border on Monday."), "ASSAULT")
    assert (ev.recipient[0].entity_text, ev.recipient[0].kind) == ("a bus", "thing")
    ev = one(code("Chilean troops seized all three pumping stations on the pipeline."), "COERCE")
    assert ev.recipient[0].entity_text == "all three pumping stations"
    # a thing that is no property stays no recipient of a material act
    assert not code("Chilean troops seized the tools of the trade.")


def test_allowing_outsiders_or_a_craft_in_is_access_and_refusing_it_a_rejection():
    ev = one(code("Ethiopia allowed UN observers into the camps last week."), "RETREAT")
    assert ev.recipient[0].code == "UNO" and ev.mode == ["access"]
    ev = one(code("Kenya allowed a Somali plane to land in Wajir."), "RETREAT")
    assert ev.recipient[0].code == "SOM"
    ev = one(code("Kenya will not allow the Somali plane to land."), "REJECT")
    assert ev.recipient[0].code == "SOM"
    # allowing anything else is no such event
    assert code("The Kenyan central bank allowed prices to rise.") == []


def test_a_conviction_with_a_prison_sentence_is_also_coerce_arrest():
    # PLOVER 2.0 manual, SANCTION: convictions that result in imprisonment are also COERCE 'arrest'
    evs = code("A Bolivian court convicted a Chilean smuggler of fraud and sentenced him to nine years in prison.")
    assert {(e.type, e.recipient[0].code) for e in evs} == {("SANCTION", "CHL"), ("COERCE", "CHL")}


def test_granting_what_another_party_asked_for_is_a_concession_to_it():
    ev = one(code("The Peruvian interior minister approved a request from Chile's foreign ministry for extra flights."), "CONCEDE")
    assert ev.recipient[0].code == "CHL"
    ev = one(code("A Bolivian judge granted a request by the Chilean government to postpone the hearing."), "CONCEDE")
    assert ev.recipient[0].code == "CHL"
    # approving a thing that is no request is not this event
    assert code("The Bolivian senate approved the budget of the Chilean consulate.") == []


def test_opening_or_exchanging_fire_is_an_assault():
    ev = one(code("Bolivian police opened fire on Peruvian smugglers near the border."), "ASSAULT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "PER")
    ev = one(code("Chilean soldiers exchanged fire with Bolivian troops overnight."), "ASSAULT")
    assert ev.recipient[0].code == "BOL"
    # opening anything else is not
    assert [e.type for e in code("Bolivia opened a consulate in the Peruvian city of Tacna.")] != ["ASSAULT"]


def test_passive_light_verb_agent_police_sent_and_crowd_control():
    # the agent of a passive light verb is the event noun's actor
    ev = one(code("The attack on the Chilean consulate was carried out by Bolivian militants."), "ASSAULT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "CHL")
    ev = one(code("Peru sent 300 police officers to Bolivia."), "AID")
    assert ev.recipient[0].code == "BOL"
    # repression short of violence, and a named crowd-control weapon (manual: ASSAULT crowd-control)
    ev = one(code("Bolivian police dispersed Chilean fans outside the stadium."), "COERCE")
    assert ev.recipient[0].code == "CHL" and ev.mode == ["restrict"]
    ev = one(code("Bolivian police used water cannon against Chilean fans."), "ASSAULT")
    assert ev.recipient[0].code == "CHL" and ev.mode == ["crowd-control"]


def test_joint_patrols_are_military_cooperation():
    ev = one(code("Peruvian troops began joint patrols with Bolivian police along the border."), "COOPERATE")
    assert ev.recipient[0].code == "BOL" and "military" in ev.context
    assert code("Police patrols were stepped up in Lima.") == []


def test_an_armed_raid_on_a_village_is_an_assault():
    ev = one(code("Bolivian rebels raided a Peruvian border village at dawn."), "ASSAULT")
    assert ev.recipient[0].code == "PER"


def test_the_actors_own_things_inside_a_clause_are_not_its_recipient():
    # "their" is the (uncoded) actor itself: its banks are what it shares from, not a party
    ev = one(code("Some 40 countries agreed to pass on data from their banks to Peru."), "AGREE")
    assert ev.recipient[0].code == "PER"


@pytest.mark.parametrize("text, etype, mode, recipient", [
    # blacklisting, revoking visas: reductions in relations (SANCTION)
    ("Peru blacklisted a Bolivian mining firm.", "SANCTION", ["discontinue"], "BOL"),
    ("Chile revoked visas for Peruvian diplomats.", "SANCTION", [], "PER"),
    # dissolving a party bans it from political life (COERCE restrict)
    ("The Bolivian junta dissolved the main opposition party.", "COERCE", ["restrict"], "OPP"),
    # handing over prisoners releases them
    ("Peru handed over four Chilean prisoners on Tuesday.", "RETREAT", [], "CHL"),
    # a raid on premises is a search (COERCE seize); an armed raid on a place stays ASSAULT
    ("Chilean police raided the offices of a Peruvian mining firm.", "COERCE", ["seize"], "PER"),
    ("Bolivian troops searched the Peruvian consul's residence.", "COERCE", ["seize"], "PER"),
])
def test_sanctions_bans_and_handovers(text, etype, mode, recipient):
    ev = one(code(text), etype)
    assert (ev.recipient[0].code or ev.recipient[0].sector) == recipient and ev.mode == mode


def test_the_victim_of_a_condemned_harm_is_not_its_target():
    # "of" names a harm's victim, "by" its author: the condemnation targets the author
    ev = one(code("Peru condemned the killing of two Peruvians by Chilean soldiers."), "ACCUSE")
    assert ev.recipient[0].code == "CHL"
    ev = one(code("The Bolivian government condemned the killing of two Bolivians in Peru."), "ACCUSE")
    assert ev.recipient[0].kind == "thing"
    # of a proposal or offer, "of" still names its owner
    assert one(code("Chile rejected the proposal of Peru."), "REJECT").recipient[0].code == "PER"


def test_a_trip_for_talks_carries_the_talks():
    ev = one(code("The Bolivian foreign minister flew to Lima for talks with the Peruvian president."), "CONSULT")
    assert (ev.actor[0].code, ev.recipient[0].code) == ("BOL", "PER")
    # the trip's tense and negation are the talks'
    ev = one(code("The Bolivian foreign minister will travel to Lima next week for talks with Peru."), "AGREE")
    assert ev.recipient[0].code == "PER"
    assert code("The Bolivian minister went home for lunch.") == []


def test_a_titled_persons_guessed_country_is_not_the_other_sides():
    # no country word for the chancellor: the sentence's country is the Bolivian's, so it is dropped
    ev = one(code("Chancellor Maria Fenwick met Bolivian President Luis Arce in Vienna last week."), "CONSULT")
    assert ev.recipient[0].code == "BOL" and ev.actor[0].code is None
