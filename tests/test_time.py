"""Tests for the time stage: choosing and resolving an event's date (invented sentences)."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.records import Article, Document, Event, EventDate, Span, Speaker
from eventwire.stages.time import (
    date_events,
    resolve_event_date,
    resolve_expression,
    tense_of,
)

PUBLISHED = date(2021, 5, 7)  # a Friday


@pytest.fixture(scope="module")
def nlp():
    from eventwire.stages.nlp import load_pipeline

    return load_pipeline("auto")


def _token(doc, word: str):
    return next(t for t in doc if t.text == word)


def _date(nlp, text: str, trigger: str, governors: tuple[str, ...] = ()) -> EventDate:
    doc = nlp(text)
    return resolve_event_date(_token(doc, trigger), PUBLISHED, [_token(doc, g) for g in governors])


@pytest.mark.parametrize(
    ("text", "trigger", "governors", "value", "precision"),
    [
        ("Peru's navy said Wednesday that Chile is sending ships.", "sending", ("said",), "2021-05-05", "day"),
        ("In March, the minister was killed in Lima by a bomb.", "killed", (), "2021-03", "month"),
        ("In 2017, Chile accused Peru of spying on its ports.", "accused", (), "2017", "year"),
        ("In August, Chile warned it would close the border.", "warned", (), "2020-08", "month"),
        ("Rebels attacked the garrison yesterday.", "attacked", (), "2021-05-06", "day"),
        ("The talks took place on March 3, 2019 in Quito.", "took", (), "2019-03-03", "day"),
        ("Troops arrived on March 3 to help the flood victims.", "help", (), "2021-03-03", "day"),
        ("Chile will hold talks with Peru on Monday.", "hold", (), "2021-05-10", "day"),
        ("Two years ago, the army seized the port of Arica.", "seized", (), "2019", "year"),
        ("Farmers are blocking the highway near Cusco.", "blocking", (), "2021-05-07", "day"),
    ],
)
def test_event_dates(nlp, text, trigger, governors, value, precision):
    got = _date(nlp, text, trigger, governors)
    assert (got.value, got.precision) == (value, precision), got
    assert got.how


def test_date_span_points_at_the_words(nlp):
    text = "In March, the minister was killed in Lima by a bomb."
    got = _date(nlp, text, "killed")
    assert got.span is not None and text[got.span.start : got.span.end] == "March"


def test_past_event_without_date_is_unknown(nlp):
    got = _date(nlp, "Police arrested twenty protesters in Valparaiso.", "arrested")
    assert got.value is None and got.precision == "unknown"
    assert "past event" in got.how


def test_reporting_date_not_used_for_past_event(nlp):
    got = _date(nlp, "Officials said Tuesday that rebels burned the depot.", "burned", ("said",))
    assert got.value is None


def test_date_of_nested_clause_is_not_taken(nlp):
    # "on Monday" belongs to "arrived", a clause nested under the trigger's object
    got = _date(nlp, "The mayor condemned the envoys who arrived on Monday.", "condemned")
    assert got.value is None


@pytest.mark.parametrize(
    ("expr", "tense", "value", "precision"),
    [
        ("Wednesday", "past", "2021-05-05", "day"),
        ("Friday", "past", "2021-05-07", "day"),
        ("Friday", "future", "2021-05-14", "day"),
        ("in January", "past", "2021-01", "month"),
        ("In October", "past", "2020-10", "month"),
        ("October", "future", "2021-10", "month"),
        ("last year", "past", "2020", "year"),
        ("in 2018", "past", "2018", "year"),
        ("on March 3", "past", "2021-03-03", "day"),
        ("June 3", "past", "2020-06-03", "day"),
        ("March 3, 2019", "past", "2019-03-03", "day"),
        ("3 March 2019", "past", "2019-03-03", "day"),
        ("2019-03-03", "past", "2019-03-03", "day"),
        ("yesterday", "past", "2021-05-06", "day"),
        ("last week", "past", "2021-04", "month"),
        ("last month", "past", "2021-04", "month"),
        ("early Tuesday morning", "past", "2021-05-04", "day"),
        ("three days ago", "past", "2021-05-04", "day"),
        ("February 2020", "past", "2020-02", "month"),
    ],
)
def test_resolve_expression(expr, tense, value, precision):
    got = resolve_expression(expr, PUBLISHED, tense)
    assert got is not None and (got.value, got.precision) == (value, precision)


@pytest.mark.parametrize("expr", ["three days", "decades", "the 1990s", "recent weeks"])
def test_durations_are_not_dates(expr):
    assert resolve_expression(expr, PUBLISHED, "past") is None


def test_tense(nlp):
    doc = nlp("The army will deploy troops, officials said, as protesters are marching.")
    assert tense_of(_token(doc, "deploy")) == "future"
    assert tense_of(_token(doc, "said")) == "past"
    assert tense_of(_token(doc, "marching")) == "present"


def test_date_events_stage_uses_attribution_cues(nlp):
    text = "The navy said Wednesday that Chile is sending ships."
    doc = nlp(text)
    article = Article(id="a1", text=text, published=PUBLISHED)
    start = text.index("sending")
    cue = text.index("said")
    ev = Event(
        id="e1", article_id="a1", type="MOBILIZE", actor=[], recipient=[],
        trigger=Span(start, start + 7, "sending"), sentence=Span(0, len(text), text),
        attribution=[Speaker(None, "the outlet", None, "outlet"), Speaker(None, "The navy", Span(cue, cue + 4, "said"))],
    )
    document = date_events(Document(article=article, doc=doc, events=[ev]))
    assert document.events[0].date.value == "2021-05-05"
    assert "reporting verb" in document.events[0].date.how
