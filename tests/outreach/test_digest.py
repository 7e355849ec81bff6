import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from outreach import tasks
from outreach.models import DigestSentEvent, DigestSubscription
from outreach.services import digest_subscribe, digests_purge, digests_send_weekly
from tests.factories import DigestSubscriptionFactory, EventFactory, TopicFactory
from tests.outreach.conftest import soon

pytestmark = pytest.mark.django_db

WEEKDAYS = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]
CONFIRM_LINK = re.compile(r"http://localhost:8000/email/confirm/([\w-]+)/")


def confirmed(email, filter_query="network=optik"):
    return DigestSubscriptionFactory(email=email, filter_query=filter_query, confirmed_at=timezone.now())


def html_of(message):
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return html


def test_subscribe_sends_one_confirmation_mail_with_the_confirm_link(client, mailoutbox, programme):
    response = client.post(reverse("outreach:digest_subscribe"), {"email": "anna@Beispiel.DE", "network": "optik"})
    assert response.status_code == 200
    assert "Bitte sehen Sie in Ihr Postfach" in response.content.decode()
    (mail,) = mailoutbox
    row = DigestSubscription.objects.get()
    assert (row.email, row.filter_query, row.confirmed_at) == ("anna@beispiel.de", "network=optik", None)
    assert mail.to == ["anna@beispiel.de"]
    assert mail.subject == "Bitte bestätigen: wöchentliche E-Mail „Netzwerk-Timer: Optik“"
    assert CONFIRM_LINK.search(mail.body).group(1) == row.token
    assert f'href="http://localhost:8000/email/confirm/{row.token}/"' in html_of(mail)


def test_subscribe_page_shows_the_privacy_text_and_keeps_the_filter(client, programme):
    response = client.get(reverse("outreach:digest_subscribe"), {"network": "optik", "page": "2", "from": "2030-01-01"})
    html = response.content.decode()
    assert '<input type="hidden" name="network" value="optik">' in html
    assert 'name="from"' not in html
    assert "Nicht bestätigte Adressen werden nach 7 Tagen gelöscht." in html


def test_confirm_link_asks_first_and_confirms_on_post(client, mailoutbox, programme):
    client.post(reverse("outreach:digest_subscribe"), {"email": "anna@example.org", "network": "optik"})
    token = CONFIRM_LINK.search(mailoutbox[0].body).group(1)
    url = reverse("outreach:digest_confirm", kwargs={"token": token})
    page = client.get(url)
    assert "Ja, bestätigen" in page.content.decode()
    assert DigestSubscription.objects.get().confirmed_at is None
    done = client.post(url)
    assert "Abo bestätigt" in done.content.decode()
    assert DigestSubscription.objects.get().confirmed_at is not None


def test_confirm_unknown_token_is_a_friendly_404(client):
    response = client.get(reverse("outreach:digest_confirm", kwargs={"token": "gibt-es-nicht"}))
    assert response.status_code == 404
    assert "Link nicht mehr gültig" in response.content.decode()


def test_subscribe_bad_address_is_refused_with_a_message(client, mailoutbox):
    response = client.post(reverse("outreach:digest_subscribe"), {"email": "keine-adresse", "network": "optik"})
    assert response.status_code == 400
    assert "Bitte gültige E-Mail-Adresse eingeben." in response.content.decode()
    assert (DigestSubscription.objects.count(), mailoutbox) == (0, [])


def test_subscribe_is_rate_limited_per_address(client, mailoutbox):
    url = reverse("outreach:digest_subscribe")
    statuses = [
        client.post(url, {"email": "anna@example.org", "topic": "", "q": str(i)}, REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert len(mailoutbox) == 3


def test_subscribe_is_rate_limited_per_client(client, mailoutbox):
    url = reverse("outreach:digest_subscribe")
    responses = [client.post(url, {"email": f"person{i}@example.org"}) for i in range(11)]
    assert [response.status_code for response in responses] == [200] * 10 + [429]
    assert "Zu viele Anfragen." in responses[-1].content.decode()
    assert len(mailoutbox) == 10


@pytest.mark.parametrize(
    "spellings",
    [
        ["name+x@Example.org", '"name"@example.org', "name@example.org", "NAME+news@EXAMPLE.ORG"],
        ["name@bücher.example", "name+x@BÜCHER.example", '"name"@xn--bcher-kva.example', "name@XN--BCHER-KVA.example"],
    ],
)
def test_subscribe_counts_every_spelling_of_one_mailbox_as_one(client, mailoutbox, spellings):
    url = reverse("outreach:digest_subscribe")
    statuses = [
        client.post(url, {"email": email, "q": str(i)}, REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i, email in enumerate(spellings)
    ]
    assert statuses == [200, 200, 200, 429]
    assert len(mailoutbox) == 3


def test_confirmation_mail_carries_no_search_text_the_requester_typed(client, mailoutbox, programme):
    typed = "Gewinn! Jetzt Konto prüfen: https://bank-login.example"
    client.post(reverse("outreach:digest_subscribe"), {"email": "opfer@example.org", "network": "optik", "q": typed})
    (mail,) = mailoutbox
    row = DigestSubscription.objects.get()
    assert row.filter_query == "network=optik&q=Gewinn%21+Jetzt+Konto+pr%C3%BCfen%3A+https%3A%2F%2Fbank-login.example"
    assert mail.subject == "Bitte bestätigen: wöchentliche E-Mail „Netzwerk-Timer: Optik · mit Suchwort“"
    for text in (mail.subject, mail.body, html_of(mail)):
        assert "Gewinn" not in text
        assert "bank-login" not in text
    assert mail.body.endswith("Die Veranstaltungen im Portal: http://localhost:8000/?network=optik\n\n")


def test_subscribe_again_when_confirmed_sends_no_mail(mailoutbox, optik):
    confirmed("anna@example.org", "network=optik")
    digest_subscribe(email="anna@example.org", query=QueryDict("network=optik"), client="127.0.0.1")
    assert (mailoutbox, DigestSubscription.objects.count()) == ([], 1)


def test_weekly_run_sends_one_mail_per_confirmed_subscription_with_its_events(mailoutbox, programme):
    confirmed("anna@example.org")
    confirmed("ben@example.org")
    confirmed("carla@example.org", "network=energie")
    DigestSubscriptionFactory(email="unbestaetigt@example.org", filter_query="network=optik")
    assert digests_send_weekly() == 3
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == ["anna@example.org", "ben@example.org", "carla@example.org"]
    anna = by_address["anna@example.org"]
    assert anna.subject == "Netzwerk-Timer: Optik: 2 neue Veranstaltungen"
    assert ("Laser-Tag" in anna.body, "Linsen-Forum" in anna.body, "Ferne Tagung" in anna.body) == (True, True, False)
    assert "Windkraft-Abend" not in anna.body
    start = timezone.localtime(programme["laser"].starts_at)
    assert f"{start:%d.%m.%Y}, 10:00–12:00 Uhr: Laser-Tag" in anna.body
    assert "\nNeu\n" in anna.body
    html = html_of(anna)
    assert f'<a href="http://localhost:8000{programme["laser"].get_absolute_url()}"' in html
    assert "Windkraft-Abend" in by_address["carla@example.org"].body


def test_weekly_mail_has_unsubscribe_headers_and_no_tracking(mailoutbox, programme):
    row = confirmed("anna@example.org")
    digests_send_weekly()
    (mail,) = mailoutbox
    url = f"http://localhost:8000/email/unsubscribe/{row.token}/"
    assert mail.extra_headers == {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    html = html_of(mail)
    assert "<img" not in html
    links = re.findall(r'href="([^"]+)"', html)
    assert all(link.startswith("http://localhost:8000/") for link in links), links
    assert url in links
    assert "https://localhost:8000/calendar.ics?network=optik" in mail.body or "calendar.ics?network=optik" in mail.body


def test_weekly_run_twice_sends_no_second_mail(mailoutbox, programme):
    confirmed("anna@example.org")
    now = timezone.now()
    assert digests_send_weekly(now=now) == 1
    assert digests_send_weekly(now=now + datetime.timedelta(minutes=5)) == 0
    tasks.send_weekly_digests()
    assert len(mailoutbox) == 1


def test_weekly_run_sends_nothing_when_nothing_is_new(mailoutbox, programme):
    confirmed("anna@example.org")
    digests_send_weekly()
    # Laser-Tag and Linsen-Forum were sent; Ferne Tagung (in 20 days) and Später are beyond 14 days.
    EventFactory(title="Später", owner=programme["laser"].owner, starts_at=soon(40), ends_at=soon(40, 12))
    assert digests_send_weekly(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


def test_weekly_run_next_week_sends_only_the_new_events(mailoutbox, programme):
    confirmed("anna@example.org")
    digests_send_weekly()
    next_week = timezone.now() + datetime.timedelta(days=7)
    assert digests_send_weekly(now=next_week) == 1
    second = mailoutbox[1]
    assert second.subject == "Netzwerk-Timer: Optik: 1 neue Veranstaltung"
    assert ("Ferne Tagung" in second.body, "Linsen-Forum" in second.body) == (True, False)


def test_cancelled_event_is_reported_once_as_cancelled(mailoutbox, programme):
    confirmed("anna@example.org")
    digests_send_weekly()
    laser = programme["laser"]
    laser.status = Event.Status.CANCELLED
    laser.save()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert digests_send_weekly(now=tomorrow) == 1
    report = mailoutbox[1]
    assert report.subject == "Netzwerk-Timer: Optik: Änderungen an Veranstaltungen"
    assert report.body.count("Laser-Tag") == 1
    assert "\nAbgesagt\n" in report.body
    assert digests_send_weekly(now=tomorrow + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 2


def test_moved_event_is_reported_once_with_its_new_time(mailoutbox, programme):
    confirmed("anna@example.org")
    digests_send_weekly()
    linsen = programme["linsen"]
    linsen.starts_at, linsen.ends_at = soon(8, 14), soon(8, 16)
    linsen.save()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert digests_send_weekly(now=tomorrow) == 1
    start = timezone.localtime(linsen.starts_at)
    assert f"jetzt {WEEKDAYS[start.weekday()]}, {start:%d.%m.%Y}, 14:00–16:00 Uhr: Linsen-Forum" in mailoutbox[1].body
    assert digests_send_weekly(now=tomorrow + datetime.timedelta(days=1)) == 0


def test_unsubscribe_by_the_link(client, mailoutbox, programme):
    row = confirmed("anna@example.org")
    digests_send_weekly()
    url = reverse("outreach:digest_unsubscribe", kwargs={"token": row.token})
    assert "an anna@example.org abbestellen?" in client.get(url).content.decode()
    assert DigestSubscription.objects.count() == 1
    response = client.post(url)
    assert "Abbestellt" in response.content.decode()
    assert (DigestSubscription.objects.count(), DigestSentEvent.objects.count()) == (0, 0)
    EventFactory(title="Neu danach", owner=programme["laser"].owner, starts_at=soon(5), ends_at=soon(5, 12))
    assert digests_send_weekly(now=timezone.now() + datetime.timedelta(days=7)) == 0


def test_unsubscribe_by_one_click_post_without_csrf(programme):
    row = confirmed("anna@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("outreach:digest_unsubscribe", kwargs={"token": row.token}), {"List-Unsubscribe": "One-Click"}
    )
    assert (response.status_code, response.content.decode()) == (200, "Abbestellt.")
    assert DigestSubscription.objects.count() == 0


def test_purge_forgets_unconfirmed_requests_after_seven_days(programme):
    old = DigestSubscriptionFactory(email="alt@example.org", filter_query="network=optik")
    fresh = DigestSubscriptionFactory(email="neu@example.org", filter_query="network=optik")
    kept = confirmed("bestaetigt@example.org")
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    DigestSubscription.objects.filter(pk__in=[old.pk, kept.pk]).update(requested_at=eight_days_ago)
    assert digests_purge() == 1
    assert sorted(DigestSubscription.objects.values_list("email", flat=True)) == [
        "bestaetigt@example.org",
        fresh.email,
    ]
    tasks.purge_unconfirmed()


def weekly_queries(count, filter_query):
    for i in range(count):
        confirmed(f"p{i}-{filter_query}@example.org", filter_query)
    with CaptureQueriesContext(connection) as queries:
        sent = digests_send_weekly()
    DigestSubscription.objects.all().delete()
    return sent, len(queries)


def test_weekly_run_queries_do_not_grow_with_the_subscriptions_of_a_filter(mailoutbox, programme):
    few = weekly_queries(2, "network=optik")
    many = weekly_queries(12, "network=optik")
    assert (few[0], many[0]) == (2, 12)
    assert many[1] == few[1]


def test_weekly_run_with_a_real_smtp_server(client, smtp_server, programme):
    response = client.post(reverse("outreach:digest_subscribe"), {"email": "anna@example.org", "network": "optik"})
    assert response.status_code == 200
    ((recipients, confirmation),) = smtp_server.messages
    assert recipients == ["anna@example.org"]
    token = CONFIRM_LINK.search(confirmation.get_body(("plain",)).get_content()).group(1)
    client.post(reverse("outreach:digest_confirm", kwargs={"token": token}))
    DigestSubscriptionFactory(email="nie@example.org", filter_query="network=optik")
    assert tasks.send_weekly_digests() == 1
    assert tasks.send_weekly_digests() == 0
    assert len(smtp_server.messages) == 2
    recipients, digest = smtp_server.messages[1]
    assert recipients == ["anna@example.org"]
    assert digest["Subject"] == "Netzwerk-Timer: Optik: 2 neue Veranstaltungen"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["List-Unsubscribe"].strip() == f"<http://localhost:8000/email/unsubscribe/{token}/>"
    assert "Laser-Tag" in digest.get_body(("plain",)).get_content()
    assert "Laser-Tag" in digest.get_body(("html",)).get_content()


def test_subscribe_to_a_filter_too_long_to_store_says_so(client, mailoutbox):
    topics = [TopicFactory(slug=f"{'sehr-langes-thema-' * 4}{i}") for i in range(30)]
    data = {"email": "anna@example.org", "topic": [topic.slug for topic in topics]}
    response = client.post(reverse("outreach:digest_subscribe"), data)
    assert response.status_code == 400
    assert "Dieser Filter ist für ein E-Mail-Abo zu lang" in response.content.decode()
    assert (DigestSubscription.objects.count(), mailoutbox) == (0, [])


def test_subscribe_while_the_mail_server_is_down_says_so(client, settings, optik):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    response = client.post(reverse("outreach:digest_subscribe"), {"email": "anna@example.org", "network": "optik"})
    assert response.status_code == 503
    assert "Die Bestätigungs-E-Mail konnte nicht gesendet werden." in response.content.decode()


def test_postponed_event_is_reported_once_as_moved(mailoutbox, programme):
    confirmed("anna@example.org")
    digests_send_weekly()
    laser = programme["laser"]
    laser.status = Event.Status.POSTPONED
    laser.save()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert digests_send_weekly(now=tomorrow) == 1
    assert "\nVerschoben\n\n- Verschoben, neuer Termin noch offen: Laser-Tag\n" in mailoutbox[1].body
    assert digests_send_weekly(now=tomorrow + datetime.timedelta(days=1)) == 0
