"""The classify-a-dyad entry point: learned model by default, lexicon patterns in fast mode."""

from __future__ import annotations

import pytest

from eventwire.classify import DyadClassifier
from eventwire.config import Config
from eventwire.evaluate.plv import unmark


@pytest.fixture(scope="module")
def model_clf():
    clf = DyadClassifier()
    if clf.model is None:
        pytest.skip("the dyad model files are not installed")
    return clf


@pytest.mark.parametrize(
    "marked,expected",
    [
        ("<s>Ghana</s> imposed new sanctions on <t>Mali</t> on Tuesday.", "SANCTION"),
        ("<s>Chilean troops</s> shelled <t>Peruvian positions</t> near the border.", "ASSAULT"),
        ("<s>The Kenyan president</s> met <t>his Ugandan counterpart</t> in Nairobi.", "CONSULT"),
    ],
)
def test_model_names_clear_cases(model_clf, marked, expected):
    text, src, tgt = unmark(marked)
    res = model_clf(text, src, tgt)
    assert res.how.startswith("model") and res.type == expected and 0 < res.probability <= 1


def test_fast_mode_uses_the_patterns():
    clf = DyadClassifier(Config(fast=True))
    assert clf.model is None
    text, src, tgt = unmark("<s>Ghana</s> imposed new sanctions on <t>Mali</t>.")
    res = clf(text, src, tgt)
    assert (res.type, res.how, res.trigger) == ("SANCTION", "pattern", "imposed")


def test_unmark_offsets():
    text, src, tgt = unmark("<s>Peru</s> accused <t>Chile</t>.")
    assert text == "Peru accused Chile."
    assert text[src[0] : src[1]] == "Peru" and text[tgt[0] : tgt[1]] == "Chile"
    assert unmark("<s>Rebels</s> attacked.")[2] is None


def test_fast_mode_finds_the_owner_of_a_rejected_thing():
    # the recipient search may look at a thing's owner ("the call of X"); the span-only
    # actor coder of the pattern classifier must support it
    clf = DyadClassifier(Config(fast=True))
    text, src, tgt = unmark("<s>Peru</s> rejected the call of <t>the Chilean parliament</t> to free the activist.")
    res = clf(text, src, tgt)
    assert (res.type, res.how) == ("REJECT", "pattern")


def test_fast_mode_finds_a_recipient_the_parser_joined_to_the_theme():
    # "granted [the Peruvian airline] permission": the events stage re-codes the phrase; the
    # span-only coder has no phrase coder and answers from the given span
    clf = DyadClassifier(Config(fast=True))
    text, src, tgt = unmark("<s>The Chilean government</s> granted <t>the Peruvian airline</t> permission to land.")
    res = clf(text, src, tgt)
    assert (res.type, res.how) == ("RETREAT", "pattern")


def test_the_patterns_inform_the_model(model_clf):
    text, src, tgt = unmark("<s>Ghana</s> imposed new sanctions on <t>Mali</t> on Tuesday.")
    res = model_clf(text, src, tgt)
    assert res.how == "model+pattern" and res.trigger == "imposed" and res.type == "SANCTION"
    # the prior moves the model's answer: a weight that outweighs any logit gap decides
    items = [(text, src, tgt)]
    (plain,) = model_clf.model.predict(items, allow_none=False)
    (forced,) = model_clf.model.predict(items, allow_none=False, prior=["AID"], weight=100.0)
    assert plain[0] == "SANCTION" and forced[0] == "AID"
    off = DyadClassifier(Config(pattern_weight=0.0), nlp=model_clf.nlp)
    assert (off(text, src, tgt).type, off(text, src, tgt).how) == ("SANCTION", "model")  # the model alone, no parse


def test_fast_fallback_uses_a_cue_only_where_its_constraint_holds():
    # "said" is REQUEST only with a "must" clause; with no pattern linking the pair the fallback
    # moves on to the next cue on the path ("attack"), not "said"
    clf = DyadClassifier(Config(fast=True))
    text = "Chile said on Monday that rebels loyal to the old regime could attack Peruvian towns soon."
    res = clf(text, (0, 5), (text.index("Peruvian"), text.index("Peruvian") + 14), allow_none=False)
    assert (res.type, res.how, res.trigger) == ("ASSAULT", "path", "attack")
