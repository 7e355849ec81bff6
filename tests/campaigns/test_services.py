import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.models import SessionCall, SessionCoHost, SessionProposal
from campaigns.selectors import proposal_clashes
from campaigns.services import (
    call_close,
    call_open,
    co_host_answer,
    programme_publish,
    proposal_accept,
    proposal_decline,
    proposal_move,
    proposal_save,
)
from events.models import Event
from netzwerktimer.dates import BERLIN
from tests.factories import ManagerPreferenceFactory, NetworkFactory, UserFactory, WeekFactory


def test_call_state_open_closed_published(campaign):
    call = campaign["call"]
    assert call.state == SessionCall.State.OPEN
    assert call.state_at(call.deadline) == SessionCall.State.CLOSED
    call.programme_published_at = timezone.now()
    # Publishing the programme no longer ends the call: open until the deadline, unless closed early.
    assert call.state_at(call.deadline - datetime.timedelta(days=1)) == SessionCall.State.OPEN
    assert call.state_at(call.deadline) == SessionCall.State.PUBLISHED
    call.closed_at = timezone.now()
    assert call.state_at(call.deadline - datetime.timedelta(days=1)) == SessionCall.State.PUBLISHED


def test_call_open_once_per_week(campaign):
    with pytest.raises(ValidationError) as error:
        call_open(week=campaign["week"], deadline=timezone.now(), by=campaign["coordinator"])
    assert list(error.value.message_dict) == ["week"]


def test_proposal_save_plans_on_first_preferred_day_and_asks_co_hosts(campaign, propose):
    week = campaign["week"]
    proposal = SessionProposal(
        call=campaign["call"],
        network=campaign["optik"],
        title="Laser",
        description="x",
        event_type=campaign["workshop"],
        preferred_days=[(week.starts_on + datetime.timedelta(days=2)).isoformat(), week.starts_on.isoformat()],
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        audience="companies",
    )
    proposal_save(
        proposal=proposal, topics=[campaign["ki"]], co_hosts=[campaign["zmi"], campaign["optik"]], by=campaign["anna"]
    )
    proposal.refresh_from_db()
    assert proposal.day == week.starts_on
    assert proposal.created_by == campaign["anna"]
    assert [(c.network.short_name, c.state) for c in proposal.co_hosts.all()] == [("ZMI", "requested")]
    assert list(proposal.topics.values_list("name", flat=True)) == ["Künstliche Intelligenz"]


def test_proposal_day_outside_week_refused(campaign):
    proposal = SessionProposal(
        call=campaign["call"],
        network=campaign["optik"],
        title="Zu spät",
        description="x",
        event_type=campaign["workshop"],
        preferred_days=[(campaign["week"].ends_on + datetime.timedelta(days=1)).isoformat()],
        start_time=datetime.time(10),
        end_time=datetime.time(9),
        audience="companies",
    )
    with pytest.raises(ValidationError) as error:
        proposal_save(proposal=proposal, topics=[], co_hosts=[], by=campaign["anna"])
    assert sorted(error.value.message_dict) == ["day", "end_time", "preferred_days"]
    assert SessionProposal.objects.count() == 0


def test_proposal_save_after_deadline_refused_for_manager_allowed_for_coordinator(campaign, propose):
    proposal = propose(title="Laser")
    SessionCall.objects.filter(pk=proposal.call_id).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    proposal = SessionProposal.objects.get(pk=proposal.pk)
    proposal.title = "Laser 2"
    with pytest.raises(PermissionDenied):
        proposal_save(proposal=proposal, topics=[], co_hosts=[], by=campaign["anna"])
    proposal_save(proposal=proposal, topics=[], co_hosts=[], by=campaign["coordinator"])
    assert SessionProposal.objects.get().title == "Laser 2"


def test_asked_co_host_managers_get_one_mail(campaign, propose, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(title="Laser", co_hosts=[campaign["zmi"]])
    with django_capture_on_commit_callbacks(execute=True):
        proposal_save(proposal=proposal, topics=[], co_hosts=[campaign["zmi"]], by=campaign["anna"])
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ben@zmi.example.org"], "Optik-Netz bittet Sie, „Laser“ mitzuveranstalten")
    ]
    assert (
        "Optik-Netz Jena e.V. schlägt die Sitzung „Laser“ für die Cross-Cluster-Woche Test vor" in mail.outbox[0].body
    )


def test_co_host_answer_only_by_the_asked_network(campaign, propose):
    proposal = propose(title="Laser", co_hosts=[campaign["zmi"]])
    co_host = proposal.co_hosts.get()
    with pytest.raises(PermissionDenied):
        co_host_answer(co_host=co_host, confirm=True, by=campaign["anna"])
    co_host_answer(co_host=co_host, confirm=True, by=campaign["ben"])
    co_host.refresh_from_db()
    assert (co_host.state, co_host.answered_by) == (SessionCoHost.State.CONFIRMED, campaign["ben"])


def test_accept_makes_a_draft_event_of_the_week(campaign, propose, django_capture_on_commit_callbacks):
    proposal = propose(title="Laser & Licht", topics=[campaign["photonik"]], co_hosts=[campaign["zmi"]], day=1)
    co_host_answer(co_host=proposal.co_hosts.get(), confirm=True, by=campaign["ben"])
    with django_capture_on_commit_callbacks(execute=True):
        event = proposal_accept(proposal=proposal)
    event.refresh_from_db()
    day = campaign["week"].starts_on + datetime.timedelta(days=1)
    assert event.publication == Event.Publication.DRAFT
    assert event.week == campaign["week"]
    assert event.owner == campaign["optik"]
    assert list(event.co_organisers.all()) == [campaign["zmi"]]
    assert event.title == "Laser & Licht"
    assert event.description == "<p>Erste Zeile.</p>\n\n<p>Zweiter Absatz &lt;b&gt;fett&lt;/b&gt;.</p>"
    assert event.starts_at == datetime.datetime.combine(day, datetime.time(10), tzinfo=BERLIN)
    assert event.ends_at == datetime.datetime.combine(day, datetime.time(12), tzinfo=BERLIN)
    assert (event.format, event.event_type, event.audience) == ("hybrid", campaign["workshop"], "Unternehmen und KMU")
    assert list(event.topics.all()) == [campaign["photonik"]]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.event) == (SessionProposal.Status.ACCEPTED, event)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["anna@optik-netz.example.org"], "Ihre Sitzung „Laser & Licht“ ist im Programm")
    ]
    assert "jetzt ein Veranstaltungsentwurf Ihres Netzwerks" in mail.outbox[0].body
    # Accepting twice changes nothing.
    assert proposal_accept(proposal=proposal) == event
    assert Event.objects.count() == 1


def test_unconfirmed_co_host_is_not_co_organiser(campaign, propose):
    proposal = propose(title="Laser", co_hosts=[campaign["zmi"]])
    event = proposal_accept(proposal=proposal)
    assert list(event.co_organisers.all()) == []


def test_decline_needs_a_message_and_mails_it(campaign, propose, django_capture_on_commit_callbacks):
    proposal = propose(title="Laser")
    with pytest.raises(ValidationError):
        proposal_decline(proposal=proposal, message="  ")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_decline(proposal=proposal, message="Leider schon zwei Laser-Themen.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_message) == ("declined", "Leider schon zwei Laser-Themen.")
    assert [m.subject for m in mail.outbox] == ["Ihre Sitzung „Laser“ ist nicht im Programm"]
    assert "Leider schon zwei Laser-Themen." in mail.outbox[0].body


def test_decline_after_accept_deletes_the_draft(campaign, propose):
    proposal = propose(title="Laser")
    proposal_accept(proposal=proposal)
    proposal_decline(proposal=proposal, message="Doch nicht.")
    assert Event.objects.count() == 0


def test_move_moves_the_draft_and_mails(campaign, propose, django_capture_on_commit_callbacks):
    proposal = propose(title="Laser", network=campaign["zmi"], by=campaign["ben"])
    event = proposal_accept(proposal=proposal)
    day = campaign["week"].starts_on + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_move(
            proposal=proposal,
            day=day,
            start_time=datetime.time(14),
            end_time=datetime.time(15, 30),
        )
    event.refresh_from_db()
    assert event.starts_at == datetime.datetime.combine(day, datetime.time(14), tzinfo=BERLIN)
    assert event.ends_at == datetime.datetime.combine(day, datetime.time(15, 30), tzinfo=BERLIN)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ben@zmi.example.org"], "Ihre Sitzung „Laser“ hat einen neuen Termin")
    ]
    assert "14:00–15:30" in mail.outbox[0].body


def test_move_outside_week_refused(campaign, propose):
    proposal = propose(title="Laser")
    with pytest.raises(ValidationError):
        proposal_move(
            proposal=proposal,
            day=campaign["week"].ends_on + datetime.timedelta(days=1),
            start_time=datetime.time(14),
            end_time=datetime.time(15),
        )


def test_clashes_need_overlap_and_audience_or_topic(campaign, propose):
    ki = campaign["ki"]
    a = propose(title="A", start=(10, 0), end=(12, 0), audience="companies")
    b = propose(title="B", start=(11, 0), end=(13, 0), audience="research", topics=[ki])
    c = propose(title="C", start=(11, 30), end=(12, 30), audience="companies", topics=[ki])
    propose(title="D", start=(12, 0), end=(13, 0), audience="companies", day=0)  # touches A only at 12:00
    propose(title="E", day=1, audience="companies")  # same slot, another day
    with translation.override("de"):
        clashes = proposal_clashes(list(SessionProposal.objects.prefetch_related("topics")))
    assert [(x.first.title, x.second.title, x.same_audience, x.shared_topics) for x in clashes] == [
        ("A", "C", "Unternehmen und KMU", []),
        ("B", "C", "", ["Künstliche Intelligenz"]),
        ("C", "D", "Unternehmen und KMU", []),
    ]
    proposal_decline(proposal=c, message="Nein.")
    assert proposal_clashes(list(SessionProposal.objects.prefetch_related("topics"))) == []
    assert (a.pk, b.pk) != (None, None)


def test_programme_publish_publishes_accepted_together(campaign, propose):
    first = propose(title="Eins")
    second = propose(title="Zwei", day=1)
    third = propose(title="Drei", day=2)
    with pytest.raises(ValidationError):
        programme_publish(call=campaign["call"])
    proposal_accept(proposal=first)
    proposal_accept(proposal=second)
    proposal_decline(proposal=third, message="Nein.")
    published = programme_publish(call=campaign["call"])
    assert [event.title for event in published] == ["Eins", "Zwei"]
    assert sorted(Event.objects.published().values_list("title", flat=True)) == ["Eins", "Zwei"]
    campaign["call"].refresh_from_db()
    # Before the deadline the call stays open for proposals (it used to end with the publication).
    assert (campaign["call"].state, campaign["call"].programme_published_at is not None) == (
        SessionCall.State.OPEN,
        True,
    )


def test_programme_publish_again_publishes_sessions_accepted_later(campaign, propose):
    first = propose(title="Eins")
    proposal_accept(proposal=first)
    programme_publish(call=campaign["call"])
    late = propose(title="Spät", by=campaign["coordinator"])
    proposal_accept(proposal=late)
    assert [e.title for e in programme_publish(call=campaign["call"])] == ["Spät"]
    assert sorted(Event.objects.published().values_list("title", flat=True)) == ["Eins", "Spät"]


def test_removed_co_host_cannot_confirm_its_old_request(campaign, propose):
    proposal = propose(title="Laser", co_hosts=[campaign["zmi"]])
    old_request = proposal.co_hosts.get()
    proposal_save(proposal=proposal, topics=[], co_hosts=[], by=campaign["anna"])

    with pytest.raises(PermissionDenied):
        co_host_answer(co_host=old_request, confirm=True, by=campaign["ben"])

    assert list(proposal.co_hosts.all()) == []


def test_removed_co_host_request_page_answer_is_404(campaign, propose, client):
    proposal = propose(title="Laser", co_hosts=[campaign["zmi"]])
    old_request = proposal.co_hosts.get()
    proposal_save(proposal=proposal, topics=[], co_hosts=[], by=campaign["anna"])
    client.force_login(campaign["ben"])

    response = client.post(reverse("admin:campaigns_sessioncohost_answer", args=[old_request.pk]), {"confirm": ""})

    assert response.status_code == 404


def test_re_added_co_host_is_asked_again_but_mailed_once_a_day(campaign, propose, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(title="Laser", co_hosts=[campaign["zmi"]])
    for co_hosts in ([], [campaign["zmi"]], [], [campaign["zmi"]]):
        with django_capture_on_commit_callbacks(execute=True):
            proposal_save(proposal=proposal, topics=[], co_hosts=co_hosts, by=campaign["anna"])

    assert [c.state for c in proposal.co_hosts.all()] == [SessionCoHost.State.REQUESTED]
    assert [m.to for m in mail.outbox] == [["ben@zmi.example.org"]]


def test_call_open_mails_each_manager_once_in_their_language(db, django_capture_on_commit_callbacks):
    optik = NetworkFactory(short_name="Optik-Mail", is_active=True)
    zmi = NetworkFactory(short_name="ZMI-Mail", is_active=True)
    anna = UserFactory(username="anna-mail", email="anna@optik.example")
    ben = UserFactory(username="ben-mail", email="ben@zmi.example")
    ManagerPreferenceFactory(user=ben, language="en")
    optik.managers.add(anna, ben)
    zmi.managers.add(ben)
    week = WeekFactory(title="Cross-Cluster-Woche Mail", title_en="Cross-Cluster Week Mail")

    with django_capture_on_commit_callbacks(execute=True):
        call = call_open(week=week, deadline=timezone.now() + datetime.timedelta(days=14), by=None)

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["anna@optik.example"], "Aufruf für Sitzungen: Cross-Cluster-Woche Mail"),
        (["ben@zmi.example"], "Call for sessions: Cross-Cluster Week Mail"),
    ]
    assert f"http://localhost:8000/admin/campaigns/sessionproposal/add/?call={call.pk}" in mail.outbox[0].body


def test_proposals_possible_after_programme_publish_until_closed(campaign, propose):
    programme_publish(call=campaign["call"])
    assert propose(title="Nach der Veröffentlichung").pk is not None

    call_close(call=campaign["call"])

    with pytest.raises(PermissionDenied):
        propose(title="Nach dem Schluss")
