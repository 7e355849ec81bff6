import datetime
import re

from django.urls import reverse
from django.utils import timezone

from campaigns.models import SessionCall, SessionProposal
from campaigns.selectors import planning_grid
from campaigns.services import proposal_accept
from tests.factories import NetworkFactory, WeekFactory


def _grid(client, campaign):
    client.force_login(campaign["coordinator"])
    return client.get(reverse("campaigns:planning", args=[campaign["call"].pk]))


def test_grid_shows_clashes_in_words(client, campaign, propose):
    propose(title="Laser im Mittelstand", topics=[campaign["photonik"]])
    propose(title="KI-Sprechstunde", network=campaign["zmi"], by=campaign["ben"], start=(11, 0), end=(13, 0))
    response = _grid(client, campaign)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 Überschneidung" in html
    assert html.count('class="campaign-clash"') == 1
    assert "„Laser im Mittelstand“ (Optik-Netz) und „KI-Sprechstunde“ (ZMI) überschneiden sich" in html
    assert "gleiche Zielgruppe (Unternehmen und KMU)" in html


def test_grid_query_count_does_not_grow_with_proposals(client, campaign, propose, django_assert_max_num_queries):
    networks = [NetworkFactory() for _ in range(3)]
    propose(title="Eins", topics=[campaign["ki"]], co_hosts=[campaign["zmi"]])
    client.force_login(campaign["coordinator"])
    url = reverse("campaigns:planning", args=[campaign["call"].pk])
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for index in range(12):
        proposal = propose(
            title=f"Sitzung {index}",
            day=index % 5,
            start=(9 + index % 8, 0),
            end=(10 + index % 8, 0),
            topics=[campaign["ki"], campaign["photonik"]],
            co_hosts=networks[: index % 3 + 1],
        )
        if index % 4 == 0:
            proposal_accept(proposal=proposal)
    with django_assert_max_num_queries(10) as many:
        response = client.get(url)
    assert response.content.decode().count('class="campaign-card ') == 13
    # The app list asks once whether the user manages a network (networks.permissions), not once a model.
    assert len(many.captured_queries) == len(few.captured_queries)


def test_planning_grid_selector_reads_in_three_queries(campaign, propose, django_assert_num_queries):
    for index in range(6):
        propose(title=f"Sitzung {index}", day=index % 5, topics=[campaign["ki"]], co_hosts=[campaign["zmi"]])
    call = SessionCall.objects.select_related("week").get()
    with django_assert_num_queries(3):
        grid = planning_grid(call)
        cards = [p for _slot, cells in grid.rows for cell in cells for p in cell.proposals]
        names = [(p.network.short_name, [t.name for t in p.topics.all()], p.confirmed_co_hosts) for p in cards]
    assert len(names) == 6
    assert len(grid.clashes) == 1


def test_grid_and_decisions_only_for_the_coordinator(client, campaign, propose):
    proposal = propose(title="Eins")
    client.force_login(campaign["anna"])
    assert client.get(reverse("campaigns:planning", args=[campaign["call"].pk])).status_code == 403
    assert client.post(reverse("campaigns:accept", args=[proposal.pk])).status_code == 403
    assert client.post(reverse("campaigns:publish", args=[campaign["call"].pk])).status_code == 403
    assert SessionProposal.objects.get().status == "proposed"


def test_decline_without_message_keeps_the_form(client, campaign, propose):
    proposal = propose(title="Eins")
    client.force_login(campaign["coordinator"])
    response = client.post(reverse("campaigns:decide", args=[proposal.pk]), {"decline": "", "decline-message": ""})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert SessionProposal.objects.get().status == "proposed"


def test_move_with_bad_time_is_a_clear_error(client, campaign, propose):
    proposal = propose(title="Eins")
    client.force_login(campaign["coordinator"])
    response = client.post(
        reverse("campaigns:decide", args=[proposal.pk]),
        {
            "move": "",
            "move-day": campaign["week"].starts_on.isoformat(),
            "move-start_time": "14:00",
            "move-end_time": "13:00",
        },
    )
    assert response.status_code == 400
    assert "Die Sitzung muss nach ihrem Beginn enden." in response.content.decode()


def test_manager_after_deadline_sees_read_only_with_message(client, campaign, propose):
    proposal = propose(title="Eins")
    SessionCall.objects.update(deadline=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(campaign["anna"])
    url = reverse("admin:campaigns_sessionproposal_change", args=[proposal.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die Frist für Vorschläge ist abgelaufen" in html
    assert 'name="title"' not in html
    assert client.get(reverse("admin:campaigns_sessionproposal_add")).status_code == 403


def test_manager_sending_after_the_deadline_gets_the_form_back(client, campaign, propose):
    proposal = propose(title="Eins")
    client.force_login(campaign["anna"])
    url = reverse("admin:campaigns_sessionproposal_change", args=[proposal.pk])
    SessionCall.objects.update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    data = {
        "network": campaign["optik"].pk,
        "title": "Eins, verbessert",
        "description": "Neu geschrieben.",
        "event_type": campaign["workshop"].pk,
        "format": "online",
        "preferred_days": [campaign["week"].starts_on.isoformat()],
        "start_time": "10:00",
        "end_time": "12:00",
        "audience": "companies",
        "_save": "",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die Frist für Vorschläge ist am" in html
    assert "Ihre Eingaben wurden nicht gespeichert" in html
    assert 'value="Eins, verbessert"' in html
    assert SessionProposal.objects.get().title == "Eins"
    response = client.post(reverse("admin:campaigns_sessionproposal_add"), {**data, "call": campaign["call"].pk})
    assert response.status_code == 200
    assert "Ihre Eingaben wurden nicht gespeichert" in response.content.decode()
    assert SessionProposal.objects.count() == 1


def test_manager_cannot_open_another_networks_proposal(client, campaign, propose):
    other = propose(title="Fremd", network=campaign["zmi"], by=campaign["ben"])
    client.force_login(campaign["anna"])
    assert client.get(reverse("admin:campaigns_sessionproposal_change", args=[other.pk])).status_code == 404
    changelist = client.get(reverse("admin:campaigns_sessionproposal_changelist")).content.decode()
    assert "Fremd" not in changelist


def test_proposal_add_form_lists_the_weeks_days(client, campaign):
    client.force_login(campaign["anna"])
    html = client.get(reverse("admin:campaigns_sessionproposal_add")).content.decode()
    values = re.findall(r'name="preferred_days" value="([\d-]+)"', html)
    week = campaign["week"]
    assert values == [(week.starts_on + datetime.timedelta(days=n)).isoformat() for n in range(5)]


def test_call_deadline_must_be_before_the_week(client, campaign):
    week = WeekFactory(title="Spätere Woche", slug="spaetere-woche")
    client.force_login(campaign["coordinator"])
    response = client.post(
        reverse("admin:campaigns_sessioncall_add"),
        {"week": week.pk, "deadline_0": week.starts_on.strftime("%d.%m.%Y"), "deadline_1": "09:00", "introduction": ""},
    )
    assert response.status_code == 200
    assert "Die Frist muss vor dem Beginn der Woche liegen." in response.content.decode()
    assert SessionCall.objects.count() == 1


def test_manager_cannot_open_a_call(client, campaign):
    client.force_login(campaign["anna"])
    assert client.get(reverse("admin:campaigns_sessioncall_add")).status_code == 403
    changelist = client.get(reverse("admin:campaigns_sessioncall_changelist")).content.decode()
    assert "Sitzung vorschlagen" in changelist


def test_proposal_list_query_count_does_not_grow(client, campaign, propose, django_assert_max_num_queries):
    propose(title="Eins", co_hosts=[campaign["zmi"]])
    client.force_login(campaign["anna"])
    url = reverse("admin:campaigns_sessionproposal_changelist")
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for index in range(8):
        propose(title=f"Sitzung {index}", day=index % 5, co_hosts=[campaign["zmi"]])
    with django_assert_max_num_queries(15) as many:
        html = client.get(url).content.decode()
    assert html.count("ZMI (angefragt)") == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def _proposal_form(campaign, **fields):
    """Optik-Netz's proposal for the campaign's first day, as the add form posts it."""
    return {
        "call": campaign["call"].pk,
        "network": campaign["optik"].pk,
        "event_type": campaign["workshop"].pk,
        "format": "hybrid",
        "preferred_days": [campaign["week"].starts_on.isoformat()],
        "start_time": "10:00",
        "end_time": "12:00",
        "audience": "companies",
        "_save": "",
        **fields,
    }


def test_manager_proposal_keeps_two_lines_and_a_pasted_link_without_crlf_or_controls(client, campaign):
    client.force_login(campaign["anna"])
    data = _proposal_form(
        campaign,
        title="F&E-Werkstatt\x0b Photonik",
        description="Zweite Runde der F&E-Werkstatt.\r\nAnmeldung: https://optonet-jena.de/termine?x=1&y=2\x0c",
    )
    response = client.post(reverse("admin:campaigns_sessionproposal_add"), data)
    assert response.status_code == 302
    proposal = SessionProposal.objects.get()
    assert (proposal.title, proposal.description) == (
        "F&E-Werkstatt Photonik",
        "Zweite Runde der F&E-Werkstatt.\nAnmeldung: https://optonet-jena.de/termine?x=1&y=2",
    )


def test_proposal_description_of_2000_characters_in_paragraphs_fits_as_the_browser_sends_it(client, campaign):
    """A textarea sends each line end as CRLF; the limit counts the text as stored, with LF."""
    client.force_login(campaign["anna"])
    paragraph = "x" * 399
    description = "\r\n".join([paragraph] * 5)  # 1,999 characters with LF, 2,003 as sent
    data = _proposal_form(campaign, title="Lange Beschreibung", description=description + "y", format="online")
    response = client.post(reverse("admin:campaigns_sessionproposal_add"), data)
    assert response.status_code == 302
    assert len(SessionProposal.objects.get().description) == 2000

    data["title"], data["description"] = "Zu lang", description + "yz"
    response = client.post(reverse("admin:campaigns_sessionproposal_add"), data)
    assert response.status_code == 200
    assert "höchstens 2000 Zeichen" in response.content.decode()
    assert SessionProposal.objects.count() == 1


def test_decline_message_reaches_the_mail_with_lf_and_without_controls(
    client, campaign, propose, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = propose(title="Eins")
    mailoutbox.clear()
    client.force_login(campaign["coordinator"])
    message = "Leider passt es nicht.\r\nVielleicht im Frühjahr?\x0b"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:decide", args=[proposal.pk]), {"decline": "", "decline-message": message}
        )
    assert response.status_code == 302
    assert "Leider passt es nicht.\nVielleicht im Frühjahr?\n" in mailoutbox[0].body
    assert "\r" not in mailoutbox[0].body and "\x0b" not in mailoutbox[0].body


def test_publish_before_deadline_asks_first_and_leaves_the_call_open(client, campaign, propose):
    proposal = propose(title="Eins")
    client.force_login(campaign["coordinator"])
    client.post(reverse("campaigns:accept", args=[proposal.pk]))
    url = reverse("campaigns:publish", args=[campaign["call"].pk])

    asked = client.post(url)
    proposal.refresh_from_db()
    assert (asked.status_code, proposal.event.publication) == (200, "draft")
    assert "Der Aufruf bleibt offen" in asked.content.decode()

    published = client.post(url, {"confirmed": "yes"})
    proposal.event.refresh_from_db()
    campaign["call"].refresh_from_db()
    assert (published.status_code, proposal.event.publication) == (302, "published")
    assert (campaign["call"].is_open, campaign["call"].closed_at) == (True, None)


def test_coordinator_closes_the_call_early(client, campaign):
    client.force_login(campaign["coordinator"])

    response = client.post(reverse("campaigns:close", args=[campaign["call"].pk]))

    campaign["call"].refresh_from_db()
    assert (response.status_code, campaign["call"].is_open) == (302, False)


def test_manager_cannot_close_the_call(client, campaign):
    client.force_login(campaign["anna"])

    assert client.post(reverse("campaigns:close", args=[campaign["call"].pk])).status_code == 403
