"""A filtered page shows its filter: chips, <title>, <h1>, the open panel, the dates in the fields."""

import re

import pytest

from events.templatetags.calendar_tags import sort_key
from networks.models import Network, Topic
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filters():
    """The reference networks and topics (from the data migration) and one event."""
    thzm = Network.objects.get(slug="thzm")
    digital = Topic.objects.get(slug="digitalisierung")
    EventFactory(owner=thzm, topics=[digital])
    return thzm, digital


def chips(content):
    return re.findall(r'<a class="chip" href="([^"]*)"[^>]*><span class="chip__label">([^<]*)</span>', content)


def test_list_filtered_shows_chips_that_each_remove_one_value(client, filters):
    content = client.get("/?network=thzm&topic=digitalisierung&from=31.12.2026&page=2").content.decode()
    assert chips(content) == [
        # The page cache hands the view the canonical query (parameters sorted).
        ("/?from=31.12.2026&amp;topic=digitalisierung", "ThZM"),
        ("/?from=31.12.2026&amp;network=thzm", "Digitalisierung"),
        ("/?network=thzm&amp;topic=digitalisierung", "ab 31.12.2026"),
    ]


def test_list_filtered_names_the_filter_in_title_and_heading(client, filters):
    content = client.get("/?network=thzm&topic=digitalisierung").content.decode()
    assert "<title>ThZM · Digitalisierung – Kommende Veranstaltungen – Netzwerk-Timer Thüringen</title>" in content
    assert (
        '<h1 id="page-heading" data-swap>Kommende Veranstaltungen<span class="page-head__filter">: '
        "ThZM · Digitalisierung</span></h1>"
    ) in content
    assert "data-filter-panel data-active>" in content


def test_list_unfiltered_has_no_chips_and_the_plain_title(client, filters):
    content = client.get("/").content.decode()
    assert chips(content) == []
    assert "<title>Kommende Veranstaltungen – Netzwerk-Timer Thüringen</title>" in content
    assert "data-active" not in content


def test_list_invalid_values_get_no_chip(client, filters):
    content = client.get("/?network=thzm&topic=gibt-es-nicht").content.decode()
    assert chips(content) == [("/", "ThZM")]


def test_month_filtered_names_the_filter(client, filters):
    content = client.get("/month/2030/11/?free=1&format=online").content.decode()
    assert [label for _, label in chips(content)] == ["Online", "kostenfrei"]
    assert "<title>Online · kostenfrei – November 2030 – Netzwerk-Timer Thüringen</title>" in content


def network_labels(content):
    group = content.split('id="group-network"', 1)[1].split("</fieldset>", 1)[0]
    return re.findall(r"<span>([^<]*)</span>", group)


def test_list_networks_case_insensitive_and_ticked_first(client, filters):
    labels = network_labels(client.get("/").content.decode())
    assert labels == sorted(labels, key=sort_key)
    assert labels.index("at") < labels.index("medways") < labels.index("ThZM")
    assert labels.index("Ernährungsnetzwerk") < labels.index("ITnet")
    ticked = network_labels(client.get("/?network=thzm&network=automotive-thueringen").content.decode())
    assert ticked[:2] == ["at", "ThZM"]
    assert ticked[2:] == [label for label in labels if label not in ("at", "ThZM")]


@pytest.mark.parametrize("value", ["31.12.2026", "2026-12-31", "31.12.26", " 31.12.2026 "])
def test_list_from_date_german_or_iso_is_written_back_as_iso(client, filters, value):
    content = client.get("/", {"from": value}).content.decode()
    assert 'type="date" name="from" value="2026-12-31"' in content
    assert 'id="error-from" data-swap></p>' in content


def test_list_from_date_accepted_in_german_also_in_english(client, filters):
    client.cookies["django_language"] = "en"
    content = client.get("/?from=31.12.2026").content.decode()
    assert 'type="date" name="from" value="2026-12-31"' in content
    assert ">from 12/31/2026</span>" in content


def test_list_from_date_garbage_is_reported(client, filters):
    content = client.get("/?from=31.13.2026").content.decode()
    assert 'id="error-from" data-swap>Bitte ein gültiges Datum eingeben.</p>' in content
    assert chips(content) == []


def test_list_submit_button_counts_the_results(client, filters):
    content = client.get("/?network=thzm").content.decode()
    assert 'id="filter-submit" data-swap data-results-jump>1 Veranstaltung anzeigen</button>' in content


def test_list_topics_in_english_where_the_coordinator_named_them(client, filters):
    client.cookies["django_language"] = "en"
    content = client.get("/?topic=digitalisierung").content.decode()
    assert [label for _, label in chips(content)] == ["Digitalisation"]
    assert "<title>Digitalisation – Upcoming events – Netzwerk-Timer Thüringen</title>" in content
    assert "<li>Digitalisation</li>" in content  # the event card's tags
    group = content.split('id="group-topic"', 1)[1].split("</fieldset>", 1)[0]
    assert re.findall(r"<span>([^<]*)</span>", group)[:2] == ["Digitalisation", "Artificial intelligence"]


def test_list_topics_in_german_by_default(client, filters):
    content = client.get("/?topic=digitalisierung").content.decode()
    assert [label for _, label in chips(content)] == ["Digitalisierung"]
    assert "<li>Digitalisierung</li>" in content
