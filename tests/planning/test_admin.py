import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from netzwerktimer.dates import BERLIN
from planning.models import DateHold, EventSeries
from planning.services import series_create
from tests.factories import DateHoldFactory, EventFactory, NetworkFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(month, day, hour):
    return datetime.datetime(2027, month, day, hour, tzinfo=BERLIN)


def series_form(network, **overrides):
    data = {
        "owner": network.pk,
        "title": "Stammtisch",
        "event_type": "",
        "description": "Forschung & Entwicklung\r\nZweite Zeile",
        "first_date": "01.01.2027",
        "start_time": "18:00",
        "end_time": "20:00",
        "frequency": "monthly_weekday",
        "interval": "1",
        "weekday": "1",
        "week_of_month": "2",
        "day_of_month": "",
        "until": "",
        "count": "6",
        "skip_dates": "",
        "format": "onsite",
        "venue_name": "",
        "street": "",
        "postcode": "",
        "city": "Jena",
        "region": "jena",
        "online_url": "",
        "topics": [],
        "contact_name": "",
        "contact_email": "",
        "registration_url": "",
        "is_free": "on",
        "fee_text": "",
        "language": "de",
        "audience": "",
    }
    data.update(overrides)
    return data


def two_date_series(network):
    series, _ = series_create(
        series=EventSeries(
            owner=network,
            title="Stammtisch",
            first_date=datetime.date(2027, 1, 7),
            start_time=datetime.time(18),
            end_time=datetime.time(20),
            count=2,
        )
    )
    return series


def test_admin_series_add_creates_drafts_and_says_how_many(manager_client, network):
    response = manager_client.post(reverse("admin:planning_eventseries_add"), series_form(network), follow=True)
    assert response.status_code == 200
    series = EventSeries.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == (
        "Termine: 6 angelegt, 0 geändert, 0 behalten, weil von Hand bearbeitet, 0 abgesagt, 0 Entwürfe gelöscht."
    )
    starts = [timezone.localtime(sd.event.starts_at) for sd in series.dates.select_related("event")]
    assert [s.strftime("%d.%m.%Y %H:%M") for s in starts] == [
        "12.01.2027 18:00",
        "09.02.2027 18:00",
        "09.03.2027 18:00",
        "13.04.2027 18:00",
        "11.05.2027 18:00",
        "08.06.2027 18:00",
    ]
    assert set(Event.objects.values_list("publication", flat=True)) == {Event.Publication.DRAFT}


def test_admin_series_change_page_lists_dates_with_links(manager_client, network):
    series = two_date_series(network)
    response = manager_client.get(reverse("admin:planning_eventseries_change", args=[series.pk]))
    html = response.content.decode()
    for sd in series.dates.all():
        assert reverse("admin:events_event_change", args=[sd.event_id]) in html
    assert "Do., 07.01.2027, 18:00–20:00 Uhr" in html
    assert "Entwurf" in html


def test_admin_series_bad_input_gives_messages_and_saves_nothing(manager_client, network):
    data = series_form(network, count="", until="", skip_dates="30.02.2027", end_time="17:00")
    response = manager_client.post(reverse("admin:planning_eventseries_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert sorted(errors) == ["end_time", "skip_dates", "until"]
    assert EventSeries.objects.count() == Event.objects.count() == 0


def test_admin_event_of_a_series_links_back_to_its_series_and_a_single_event_does_not(manager_client, network):
    series = two_date_series(network)
    series_url = reverse("admin:planning_eventseries_change", args=[series.pk])
    date_event = series.dates.first().event
    page = manager_client.get(reverse("admin:events_event_change", args=[date_event.pk])).content.decode()
    assert f'<a href="{series_url}">Zur Reihe</a>' in page
    single = EventFactory(owner=network)
    page = manager_client.get(reverse("admin:events_event_change", args=[single.pk])).content.decode()
    assert "Zur Reihe" not in page


def test_admin_series_edit_reports_kept_hand_edited_dates(manager_client, network):
    manager_client.post(reverse("admin:planning_eventseries_add"), series_form(network, count="3"))
    series = EventSeries.objects.get()
    edited = series.dates.first().event
    edited.title = "Stammtisch mit Gast"
    edited.save()
    url = reverse("admin:planning_eventseries_change", args=[series.pk])
    response = manager_client.post(url, series_form(network, count="3", title="Photonik-Stammtisch"), follow=True)
    assert [str(m) for m in response.context["messages"] if str(m).startswith("Termine")][-1] == (
        "Termine: 0 angelegt, 2 geändert, 1 behalten, weil von Hand bearbeitet, 0 abgesagt, 0 Entwürfe gelöscht."
    )
    assert sorted(Event.objects.values_list("title", flat=True)) == [
        "Photonik-Stammtisch",
        "Photonik-Stammtisch",
        "Stammtisch mit Gast",
    ]


def test_admin_series_delete_cancels_published_dates(manager_client, network):
    manager_client.post(reverse("admin:planning_eventseries_add"), series_form(network, count="2"))
    series = EventSeries.objects.get()
    published = series.dates.first().event_id
    Event.objects.filter(pk=published).update(publication=Event.Publication.PUBLISHED)
    url = reverse("admin:planning_eventseries_delete", args=[series.pk])
    manager_client.post(url, {"post": "yes"})
    assert list(Event.objects.values_list("pk", "status")) == [(published, Event.Status.CANCELLED)]


def test_admin_publish_series_action(manager_client, network):
    manager_client.post(reverse("admin:planning_eventseries_add"), series_form(network, count="2"))
    series = EventSeries.objects.get()
    manager_client.post(
        reverse("admin:planning_eventseries_changelist"),
        {"action": "publish_series", "_selected_action": [series.pk]},
    )
    assert set(Event.objects.values_list("publication", flat=True)) == {Event.Publication.PUBLISHED}


def test_admin_foreign_series_is_404_and_owner_cannot_be_foreign(manager_client, network, other_network):
    series, _ = series_create(
        series=EventSeries(
            owner=other_network, title="Fremd", first_date=datetime.date(2027, 1, 7), is_all_day=True, count=1
        )
    )
    assert manager_client.get(reverse("admin:planning_eventseries_change", args=[series.pk])).status_code == 302
    response = manager_client.post(reverse("admin:planning_eventseries_add"), series_form(other_network))
    assert "owner" in response.context["adminform"].form.errors
    assert EventSeries.objects.count() == 1


def hold_form(network, **overrides):
    data = {
        "network": network.pk,
        "title": "KI-Tag (Arbeitstitel)",
        "starts_at_0": "02.03.2027",
        "starts_at_1": "14:00",
        "ends_at_0": "02.03.2027",
        "ends_at_1": "17:00",
        "note": "Raum noch offen",
    }
    data.update(overrides)
    return data


def test_admin_hold_add_and_convert_to_draft(manager_client, manager, network):
    manager_client.post(reverse("admin:planning_datehold_add"), hold_form(network))
    hold = DateHold.objects.get()
    assert (hold.created_by, hold.starts_at, hold.ends_at) == (manager, at(3, 2, 14), at(3, 2, 17))
    response = manager_client.post(reverse("admin:planning_datehold_convert", args=[hold.pk]))
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_event_change", args=[event.pk])
    assert (event.title, event.owner, event.publication) == ("KI-Tag (Arbeitstitel)", network, Event.Publication.DRAFT)
    assert (event.starts_at, event.ends_at) == (at(3, 2, 14), at(3, 2, 17))
    hold.refresh_from_db()
    assert hold.converted_event == event
    manager_client.post(reverse("admin:planning_datehold_convert", args=[hold.pk]))
    assert Event.objects.count() == 1


def test_admin_hold_all_day_stored_with_exclusive_end(manager_client, network):
    data = hold_form(network, is_all_day="on", ends_at_0="03.03.2027", starts_at_1="00:00", ends_at_1="00:00")
    manager_client.post(reverse("admin:planning_datehold_add"), data)
    hold = DateHold.objects.get()
    assert (hold.starts_at, hold.ends_at) == (at(3, 2, 0), at(3, 4, 0))


def test_admin_hold_convert_action(manager_client, network):
    hold = DateHoldFactory(network=network, title="Sommerfest", starts_at=at(7, 1, 16), ends_at=at(7, 1, 22))
    manager_client.post(
        reverse("admin:planning_datehold_changelist"), {"action": "convert_holds", "_selected_action": [hold.pk]}
    )
    hold.refresh_from_db()
    assert hold.converted_event.title == "Sommerfest"


def test_admin_other_networks_hold_is_visible_but_not_editable(manager_client, other_network):
    hold = DateHoldFactory(network=other_network, title="Fremd", starts_at=at(3, 2, 9), ends_at=at(3, 2, 10))
    listing = manager_client.get(reverse("admin:planning_datehold_changelist"))
    assert "Fremd" in listing.content.decode()
    change_url = reverse("admin:planning_datehold_change", args=[hold.pk])
    page = manager_client.get(change_url)
    assert page.status_code == 200
    assert "Turn into draft" not in page.content.decode() and "In Entwurf umwandeln" not in page.content.decode()
    manager_client.post(change_url, hold_form(other_network, title="Gekapert"))
    assert manager_client.post(reverse("admin:planning_datehold_convert", args=[hold.pk])).status_code == 403
    manager_client.post(
        reverse("admin:planning_datehold_changelist"),
        {"action": "delete_selected", "_selected_action": [hold.pk], "post": "yes"},
    )
    hold.refresh_from_db()
    assert (hold.title, hold.converted_event) == ("Fremd", None)


def test_holds_never_appear_publicly(client, network):
    DateHoldFactory(
        network=network,
        title="Geheime Vormerkung",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=2, hours=2),
    )
    EventFactory(owner=network, title="Öffentlicher Termin")
    month = timezone.localdate() + datetime.timedelta(days=2)
    for url in [
        "/",
        "/calendar.ics",
        "/api/events/",
        "/feed.atom",
        "/?q=Geheime",
        f"/month/{month.year}/{month.month}/",
        f"/networks/{network.slug}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        body = body.replace("\u00ad".encode(), b"")  # the month grid's soft hyphens
        assert "Öffentlicher Termin".encode() in body or url == "/?q=Geheime", url
        assert b"Geheime Vormerkung" not in body, url


def test_clash_hints_view_needs_a_manager(client, other_network):
    url = reverse("planning:clash_hints")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403


def test_clash_hints_view_names_other_networks_event(manager_client, network, other_network):
    topic = TopicFactory(name="Photonik")
    event = EventFactory(title="Laserforum", owner=other_network, starts_at=at(3, 2, 14), ends_at=at(3, 2, 16))
    EventFactory(title="Frühstück", owner=other_network, starts_at=at(3, 2, 8), ends_at=at(3, 2, 9), topics=[topic])
    query = {
        "starts_at_0": "02.03.2027",
        "starts_at_1": "15:00",
        "ends_at_0": "02.03.2027",
        "ends_at_1": "17:00",
        "owner": network.pk,
        "topics": [topic.pk],
        "region": "gera",
    }
    response = manager_client.get(reverse("planning:clash_hints"), query)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{event.get_absolute_url()}">Laserforum</a>' in html
    assert "Zur gleichen Zeit: 1 Eintrag eines anderen Netzwerks" in html
    assert "gleiches Thema: Photonik" in html


def test_clash_hints_view_bad_input_is_a_hint_not_an_error(manager_client):
    response = manager_client.get(reverse("planning:clash_hints"), {"starts_at_0": "gestern", "topics": "x"})
    assert response.status_code == 200
    assert "Datum und Uhrzeit eingeben" in response.content.decode()


def test_event_change_page_shows_clash_hints_without_javascript(manager_client, network, other_network):
    EventFactory(title="Laserforum", owner=other_network, starts_at=at(3, 2, 14), ends_at=at(3, 2, 16))
    own = EventFactory(title="Eigener Termin", owner=network, starts_at=at(3, 2, 15), ends_at=at(3, 2, 17))
    html = manager_client.get(reverse("admin:events_event_change", args=[own.pk])).content.decode()
    assert 'id="clash-hints"' in html
    assert ">Laserforum</a>" in html
    assert "js/clash-hints.js" in html


def test_planning_month_shows_all_networks_in_german(manager_client, network, other_network):
    EventFactory(title="Laserforum", owner=other_network, starts_at=at(3, 2, 14), ends_at=at(3, 2, 16))
    DateHoldFactory(network=other_network, title="Vormerkung KI", starts_at=at(3, 9, 9), ends_at=at(3, 9, 10))
    response = manager_client.get(reverse("planning:month", args=[2027, 3]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Planungsmonat: März 2027" in html
    assert "Di, 2. März 2027" in html
    assert ">Laserforum</a>" in html and ">Vormerkung KI</a>" in html
    assert reverse("planning:month", args=[2027, 2]) in html and reverse("planning:month", args=[2027, 4]) in html
    assert "Februar 2027" in html and "April 2027" in html


def test_planning_month_bad_month_is_404_and_needs_manager(manager_client, client):
    assert manager_client.get("/admin/planning/monat/2027/13/").status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("planning:month", args=[2027, 3])).status_code == 403


def test_admin_index_links_the_planning_month(manager_client):
    html = manager_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:planning_planningmonth_changelist") in html
    response = manager_client.get(reverse("admin:planning_planningmonth_changelist"))
    assert response["Location"] == reverse("planning:month_current")
    today = timezone.localdate()
    assert manager_client.get(response["Location"])["Location"] == reverse(
        "planning:month", args=[today.year, today.month]
    )


def test_admin_series_change_page_marks_dates_deleted_by_hand(manager_client, network):
    series, _ = series_create(
        series=EventSeries(
            owner=network, title="Stammtisch", first_date=datetime.date(2027, 1, 7), is_all_day=True, count=2
        )
    )
    series.dates.first().event.delete()
    html = manager_client.get(reverse("admin:planning_eventseries_change", args=[series.pk])).content.decode()
    assert "Do., 07.01.2027" in html
    assert "Die Veranstaltung wurde von Hand gelöscht; die Serie legt sie nicht wieder an." in html


def test_clash_hints_view_query_budget(manager_client, network, django_assert_max_num_queries):
    for hour in range(8, 18):
        EventFactory(starts_at=at(3, 2, hour), ends_at=at(3, 2, hour + 1), topics=[TopicFactory()])
    DateHoldFactory(network=NetworkFactory(), title="Vormerkung", starts_at=at(3, 2, 15), ends_at=at(3, 2, 16))
    query = {"starts_at_0": "02.03.2027", "starts_at_1": "15:00", "ends_at_0": "02.03.2027", "ends_at_1": "17:00"}
    with django_assert_max_num_queries(9):
        response = manager_client.get(reverse("planning:clash_hints"), {**query, "owner": network.pk})
    assert response.content.decode().count('class="clash-hints__item') == 3


def test_admin_hold_add_from_planning_month_day_is_prefilled(manager_client):
    html = manager_client.get(reverse("admin:planning_datehold_add") + "?day=2027-03-02").content.decode()
    assert 'value="02.03.2027"' in html
    assert manager_client.get(reverse("admin:planning_datehold_add") + "?day=kaputt").status_code == 200


def test_admin_hold_change_page_shows_clash_hints(manager_client, network, other_network):
    EventFactory(title="Laserforum", owner=other_network, starts_at=at(3, 2, 14), ends_at=at(3, 2, 16))
    hold = DateHoldFactory(network=network, title="Eigene", starts_at=at(3, 2, 15), ends_at=at(3, 2, 17))
    html = manager_client.get(reverse("admin:planning_datehold_change", args=[hold.pk])).content.decode()
    assert ">Laserforum</a>" in html
    assert "js/clash-hints.js" in html


def test_holds_are_hidden_from_staff_without_a_network(client, network):
    hold = DateHoldFactory(network=network, title="Vormerkung", starts_at=at(3, 2, 9), ends_at=at(3, 2, 10))
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:planning_datehold_changelist")).status_code == 403
    assert client.get(reverse("admin:planning_datehold_change", args=[hold.pk])).status_code == 403
    assert "Vormerkung" not in client.get(reverse("admin:index")).content.decode()


def test_coordinator_edits_any_networks_hold(coordinator_client, network):
    hold = DateHoldFactory(network=network, title="Vormerkung", starts_at=at(3, 2, 9), ends_at=at(3, 2, 10))
    response = coordinator_client.post(reverse("admin:planning_datehold_convert", args=[hold.pk]))
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.converted_event.owner == network


def test_series_list_says_the_rule_in_words(manager_client, network):
    manager_client.post(reverse("admin:planning_eventseries_add"), series_form(network, week_of_month="1"))

    response = manager_client.get(reverse("admin:planning_eventseries_changelist"))

    assert '<td class="field-repeats">jeden ersten Dienstag im Monat</td>' in response.content.decode()


def test_series_rule_text_for_each_kind():
    def rule(**fields):
        return str(EventSeries(first_date=datetime.date(2027, 1, 5), **fields).rule_text)

    assert [
        rule(frequency="weekly", interval=1),
        rule(frequency="weekly", interval=2, weekday=0),
        rule(frequency="monthly_weekday", interval=1, week_of_month=-1),
        rule(frequency="monthly_day", interval=1),
    ] == [
        "jeden Dienstag",
        "alle 2 Wochen am Montag",
        "jeden letzten Dienstag im Monat",
        "jeden Monat am 5.",
    ]


def test_series_page_publishes_its_draft_dates_and_shows_them_in_house_style(manager_client, network):
    series = two_date_series(network)
    Event.objects.filter(series_date__series=series).update(city="Jena")
    url = reverse("admin:planning_eventseries_change", args=[series.pk])
    page = manager_client.get(url).content.decode()
    assert "Die 2 Entwurfstermine veröffentlichen" in page
    assert "Do., 07.01.2027, 18:00–20:00 Uhr" in page

    response = manager_client.post(reverse("admin:planning_eventseries_publish", args=[series.pk]))

    assert (response.status_code, response["Location"]) == (302, url)
    assert list(Event.objects.filter(series_date__series=series).values_list("publication", flat=True)) == [
        "published",
        "published",
    ]


def test_series_publish_of_another_network_is_404(client, network):
    series = two_date_series(NetworkFactory())
    manager = UserFactory()
    network.managers.add(manager)
    client.force_login(manager)

    response = client.post(reverse("admin:planning_eventseries_publish", args=[series.pk]))

    assert response.status_code == 404
