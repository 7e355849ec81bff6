"""The accessibility filter (`access`): canonical query, AND, refused values, title and chips, and the
same events on the list, the month, the calendar, the API and the widget."""

import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from events.filters import EventFilter, canonical_query
from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Four upcoming events with different details, and one without any."""
    return {
        "both": EventFactory(title="Rampe und WC", step_free="yes", accessible_toilet=True),
        "step_free": EventFactory(title="Nur stufenlos", step_free="yes"),
        "partly": EventFactory(title="Teilweise stufenlos", step_free="partly", accessible_toilet=True),
        "loop": EventFactory(title="Mit Höranlage", induction_loop=True, sign_language=True),
        "none": EventFactory(title="Ohne Angaben"),
    }


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def found(query):
    return EventFilter(QueryDict(query), queryset=Event.objects.published())


def chips(content):
    return re.findall(r'<a class="chip" href="([^"]*)"[^>]*><span class="chip__label">([^<]*)</span>', content)


def test_access_canonical_query_sorts_and_deduplicates_the_codes():
    query = QueryDict("access=wc&q=&access=stufenlos&access=wc&access=")
    assert canonical_query(query) == "access=stufenlos&access=wc"


def test_access_equivalent_addresses_share_one_canonical_query():
    assert found("access=wc&access=stufenlos").canonical == found("access=stufenlos&access=wc&access=wc").canonical


def test_access_one_feature_selects_the_events_that_offer_it(places):
    assert titles(found("access=stufenlos").qs) == ["Nur stufenlos", "Rampe und WC"]
    assert titles(found("access=wc").qs) == ["Rampe und WC", "Teilweise stufenlos"]


def test_access_features_combine_with_and(places):
    assert titles(found("access=stufenlos&access=wc").qs) == ["Rampe und WC"]
    assert titles(found("access=hoerschleife&access=dgs").qs) == ["Mit Höranlage"]
    assert titles(found("access=hoerschleife&access=wc").qs) == []


def test_access_partly_step_free_is_not_step_free(places):
    assert "Teilweise stufenlos" not in titles(found("access=stufenlos").qs)


def test_access_unknown_value_is_refused_with_the_filters_message(places):
    refused = found("access=rollstuhl&access=wc")
    assert refused.is_valid() is False
    assert refused.invalid == ["access"]
    assert [str(message) for message in refused.form.errors["access"]] == ["Unbekannter Wert „rollstuhl“."]


def test_access_too_many_values_are_refused():
    refused = found("&".join(["access=wc"] * 31))
    assert refused.is_valid() is False
    assert [str(message) for message in refused.form.errors["access"]] == ["Zu viele Werte: höchstens 30."]


def test_access_unfiltered_is_not_filtered():
    assert found("access=").is_filtered() is False
    assert found("access=wc").is_filtered() is True


def test_access_title_names_the_features_in_german_joined_with_and():
    assert found("access=wc&access=stufenlos").title() == (
        "Netzwerk-Timer: Barrierefreiheit: Stufenloser Zugang und Barrierefreies WC"
    )


def test_access_title_follows_the_other_filters_parts():
    assert found("access=dgs&free=1").title() == (
        "Netzwerk-Timer: kostenfrei · Barrierefreiheit: Gebärdensprachdolmetschung (DGS)"
    )


def test_list_access_chips_read_like_the_others_and_each_remove_one_value(client, places):
    content = client.get("/?access=wc&access=stufenlos&free=1").content.decode()
    assert chips(content) == [
        ("/?access=stufenlos&amp;access=wc", "kostenfrei"),
        ("/?access=wc&amp;free=1", "Barrierefreiheit: Stufenloser Zugang"),
        ("/?access=stufenlos&amp;free=1", "Barrierefreiheit: Barrierefreies WC"),
    ]


def test_list_access_chips_in_english(client, places):
    content = client.get("/?access=hoerschleife&language=en").content.decode()
    assert chips(content) == [("/", "Accessibility: Induction loop")]


def test_list_filter_form_offers_the_features_as_labelled_checkboxes(client, places):
    content = client.get("/?access=wc").content.decode()
    group = re.search(r'<details class="filter-group" id="group-access" open>(.*?)</details>', content, re.S).group(1)
    assert "<summary>Barrierefreiheit" in group
    assert '<legend class="visually-hidden">Barrierefreiheit</legend>' in group
    labels = re.findall(
        r'<input type="checkbox" name="access" value="([^"]+)" id="([^"]+)"( checked)?><span>([^<]+)', group
    )
    assert [(value, checked, label) for value, _id, checked, label in labels] == [
        ("wc", " checked", "Barrierefreies WC"),
        ("dgs", "", "Gebärdensprachdolmetschung (DGS)"),
        ("hoerschleife", "", "Induktive Höranlage"),
        ("leichte-sprache", "", "Leichte Sprache"),
        ("untertitel", "", "Live-Untertitel"),
        ("stufenlos", "", "Stufenloser Zugang"),
    ]
    for _value, checkbox_id, _checked, _label in labels:
        assert f'<label class="check" for="{checkbox_id}">' in group


def test_list_access_unknown_value_gives_the_page_with_the_message(client, places):
    response = client.get("/?access=rollstuhl")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<li><a href="#id_access">Barrierefreiheit</a>: Unbekannter Wert „rollstuhl“.</li>' in content


def test_api_access_unknown_value_is_a_400_with_the_reason(client, places):
    response = client.get("/api/events/?access=rollstuhl")
    assert response.status_code == 400
    assert response.json() == {"errors": {"access": ["Unbekannter Wert „rollstuhl“."]}}


def test_calendar_access_unknown_value_is_an_empty_calendar(client, places):
    response = client.get("/calendar.ics?access=rollstuhl")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" not in body


def uids_of_calendar(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return sorted(int(uid) for uid in re.findall(rb"UID:event-(\d+)@", body))


@pytest.mark.parametrize("query", ["access=stufenlos", "access=wc&access=stufenlos", "access=wc", "access=dgs"])
def test_access_same_events_on_list_calendar_api_and_widget(client, places, query):
    expected = sorted(found(query).qs.values_list("pk", flat=True))
    assert expected, query

    listing = client.get(f"/?{query}").content.decode()
    on_list = sorted({int(pk) for pk in re.findall(r'href="/events/(\d+)/', listing)})
    on_calendar = uids_of_calendar(client.get(f"/calendar.ics?{query}"))
    on_api = sorted(event["id"] for event in client.get(f"/api/events/?{query}&page_size=200").json()["results"])
    widget = client.get(f"{reverse('outreach:widget_data')}?{query}&number=50").json()["events"]
    on_widget = sorted(int(re.search(r"/events/(\d+)/", event["url"]).group(1)) for event in widget)
    assert on_list == on_calendar == on_api == on_widget == expected


def test_month_access_shows_only_the_matching_events(client, places):
    day = timezone.localtime(places["both"].starts_at)
    content = client.get(f"/month/{day.year}/{day.month:02d}/?access=stufenlos&access=wc").content.decode()
    assert "Rampe und WC" in content
    for other in ("Nur stufenlos", "Teilweise stufenlos", "Mit Höranlage", "Ohne Angaben"):
        assert other not in content


def test_access_filter_adds_no_query_to_the_calendar(client, places, django_assert_max_num_queries, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    settings.FEEDS_STAMP_SECONDS = 0
    cache.clear()
    # The stamp, the names, the event rows with their kept blocks, the topics of the events
    # without one and the upsert of their blocks, as without the filter.
    with django_assert_max_num_queries(5):
        response = client.get("/calendar.ics?access=stufenlos")
    assert uids_of_calendar(response) == sorted([places["both"].pk, places["step_free"].pk])
