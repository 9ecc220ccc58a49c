"""Tests for eventwire.quotes: attribution spans on invented sentences."""

from __future__ import annotations

from typing import Any

import pytest

from eventwire.quotes import Attribution, extract_attributions
from eventwire.stages.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_pipeline("auto")


def attrs(nlp: Any, text: str) -> list[Attribution]:
    doc = nlp(text)
    out = extract_attributions(doc)
    for a in out:  # every span is an exact slice of the text
        for sp in [a.cue, a.source, *a.content_spans]:
            if sp is not None:
                assert text[sp.start:sp.end] == sp.text
    return out


def only(nlp: Any, text: str) -> Attribution:
    out = attrs(nlp, text)
    assert len(out) == 1, [(a.cue.text, a.rule) for a in out]
    return out[0]


def test_said_that_with_appositive_source(nlp: Any) -> None:
    a = only(nlp, "The mayor of Tarnow, Edda Villiers, said on Monday that the bridge would reopen in May.")
    assert a.source is not None and a.source.text == "The mayor of Tarnow, Edda Villiers"
    assert a.cue.text.startswith("said")
    assert a.content is not None and a.content.text == "that the bridge would reopen in May"


def test_auxiliaries_and_adverbs_join_the_cue(nlp: Any) -> None:
    a = only(nlp, "Dana Moreau has repeatedly denied that she knew about the payments.")
    assert a.cue.text == "has repeatedly denied"
    assert a.source is not None and a.source.text == "Dana Moreau"


def test_quote_before_cue_and_its_continuation(nlp: Any) -> None:
    a = only(nlp, "“We will not pay,” said Karl Brenner, a spokesman for the union. “The offer is an insult.”")
    assert a.source is not None and a.source.text == "Karl Brenner, a spokesman for the union"
    assert [c.text for c in a.content_spans] == ["“We will not pay,”", "“The offer is an insult.”"]


def test_colon_and_quote_after_cue(nlp: Any) -> None:
    a = only(nlp, "Oskar Lind told reporters: “Nobody in this room believes the figures.”")
    assert a.source is not None and a.source.text == "Oskar Lind"
    assert a.content is not None and a.content.text == "“Nobody in this room believes the figures.”"


def test_interrupting_cue_splits_content(nlp: Any) -> None:
    a = only(nlp, "The talks, she said, had failed because neither side would move.")
    assert a.source is not None and a.source.text == "she"  # pronoun sources are kept as written
    assert a.cue.text == "said"
    assert [c.text for c in a.content_spans] == ["The talks", "had failed because neither side would move"]


def test_according_to(nlp: Any) -> None:
    a = only(nlp, "The river flooded three villages, according to the regional water board.")
    assert a.cue.text == "according to"
    assert a.source is not None and a.source.text == "the regional water board"
    assert a.content is not None and a.content.text == "The river flooded three villages"


def test_passive_agent_is_the_source(nlp: Any) -> None:
    a = only(nlp, "Ministers were told by Oskar Lind that the budget was too small.")
    assert a.source is not None and a.source.text == "Oskar Lind"
    assert a.content is not None and a.content.text == "that the budget was too small"


def test_nested_speech_inside_a_quote_is_not_a_second_attribution(nlp: Any) -> None:
    out = attrs(nlp, "“I think they know the plan has failed,” Mira Solberg said.")
    assert len(out) == 1
    assert out[0].source is not None and out[0].source.text == "Mira Solberg"


def test_no_attribution_in_plain_narration(nlp: Any) -> None:
    assert attrs(nlp, "Heavy rain closed the main road into Velmora on Tuesday.") == []


def test_multi_paragraph_text_keeps_offsets(nlp: Any) -> None:
    text = ("Floods hit the north.\n\n"
            "Officials said that two bridges had collapsed.\n\n"
            "The army, a spokesman said, would send boats.")
    out = attrs(nlp, text)
    assert len(out) == 2
    first = out[0]
    assert first.source is not None and first.source.text == "Officials"
    assert first.content is not None and text[first.content.start:].startswith("that two bridges")


def test_raised_passive_subject_is_content_without_source(nlp: Any) -> None:
    a = only(nlp, "Governor Talia Brenn is expected to sign the water bill on Friday.")
    assert a.source is None
    assert a.cue.text == "is expected"
    assert [c.text for c in a.content_spans] == ["Governor Talia Brenn", "to sign the water bill on Friday"]


def test_lemma_error_is_caught_by_the_word_form(nlp: Any) -> None:
    a = only(nlp, "Mayor Ines Varga hopes that the new tram line will open before winter.")
    assert a.cue.text == "hopes"
    assert a.source is not None and a.source.text == "Mayor Ines Varga"


def test_stance_adjective_after_copula(nlp: Any) -> None:
    a = only(nlp, "Pavel Rusk was confident that the ferry strike would end soon.")
    assert a.cue.text == "was confident"
    assert a.source is not None and a.source.text == "Pavel Rusk"
    assert a.content is not None and a.content.text == "that the ferry strike would end soon"


def test_light_verb_with_speech_noun(nlp: Any) -> None:
    a = only(nlp, "Senator Orla Finch issued a statement that the budget was unfair to farmers.")
    assert a.cue.text == "issued a statement"
    assert a.source is not None and a.source.text == "Senator Orla Finch"
    assert a.content is not None and a.content.text == "that the budget was unfair to farmers"


def test_headline_speaker_label_before_colon(nlp: Any) -> None:
    a = only(nlp, "Marta Quell: Harbor Tax Will Hurt Small Shops\n\nThe council meets today.")
    assert a.cue.text == ":"
    assert a.source is not None and a.source.text == "Marta Quell"
    assert a.content is not None and a.content.text == "Harbor Tax Will Hurt Small Shops"


def test_editorial_label_before_colon_is_not_a_speaker(nlp: Any) -> None:
    assert attrs(nlp, "The Latest: floods close the coastal road\n\nRain continued.") == []


def test_quotation_signed_with_a_dash(nlp: Any) -> None:
    text = "“The bridge should have been fixed years ago.” ― Lena Oberg\n\nMore rain fell."
    out = [a for a in attrs(nlp, text) if a.rule == "dash"]
    assert len(out) == 1
    assert out[0].source is not None and out[0].source.text == "Lena Oberg"
    assert out[0].content is not None and out[0].content.text.startswith("“The bridge")


def test_opening_poll_is_a_source_with_cue_in(nlp: Any) -> None:
    a = only(nlp, "In a new Harlow Institute poll, 40 percent of voters back Edda Villiers.")
    assert a.cue.text == "In"
    assert a.source is not None and a.source.text == "a new Harlow Institute poll"
    assert a.content is not None and a.content.text == "40 percent of voters back Edda Villiers"


def test_owned_view_makes_the_owner_the_source(nlp: Any) -> None:
    a = only(nlp, "The port strike will end soon, in Villiers's view.")
    assert (a.source and a.source.text, a.cue.text) == ("Villiers's", "view")
    assert a.content is not None and a.content.text == "The port strike will end soon"


def test_standing_in_the_polls_is_not_a_report(nlp: Any) -> None:
    assert attrs(nlp, "Vale leads in the polls.") == []


def test_attitude_adjective_with_a_target(nlp: Any) -> None:
    a = only(nlp, "Farmers in the valley are furious at the water board.")
    assert a.cue.text == "are furious at"
    assert a.content is not None and a.content.text == "the water board"
    b = only(nlp, "Oskar Lind was upbeat about the talks.")  # any adjective with "about"
    assert (b.source and b.source.text, b.cue.text) == ("Oskar Lind", "was upbeat about")


def test_copular_stance_noun(nlp: Any) -> None:
    a = only(nlp, "Dana Moreau has long been a supporter of the canal project.")
    assert a.source is not None and a.source.text == "Dana Moreau"
    assert a.cue.text == "has long been a supporter of"
    assert a.content is not None and a.content.text == "the canal project"


def test_stance_noun_subject_with_that_clause(nlp: Any) -> None:
    a = only(nlp, "The hope is that the new bridge will ease traffic.")
    assert a.source is None and a.cue.text == "The hope is"
    assert a.content is not None and a.content.text == "that the new bridge will ease traffic"


def test_owned_speech_noun_takes_its_preposition(nlp: Any) -> None:
    a = only(nlp, "Karl Brenner's criticism of the budget drew applause.")
    assert (a.source and a.source.text, a.cue.text) == ("Karl Brenner", "criticism of")
    assert a.content is not None and a.content.text == "the budget"


def test_find_is_a_cue_only_with_a_clause(nlp: Any) -> None:
    assert attrs(nlp, "The inspectors found the missing files in a basement.") == []
    a = only(nlp, "The inspectors found that the files were missing.")
    assert a.cue.text == "found"
