"""One-step onboarding: the coordinator invites, the invitee sets a password from the e-mail and lands on its events."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from networks.models import ManagerInvitation
from tests import factories
from tests.netzwerktimer.test_admin_german import english_hits, visible_text

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^/\s]+(/admin/reset/[^\s]+/)")


def invite(client, **data):
    return client.post(reverse("admin:networks_network_invite"), data)


def test_invite_creates_a_staff_manager_without_password_and_mails_the_link(
    coordinator_client, coordinator, network, other_network, mailoutbox
):
    response = invite(coordinator_client, email="Neu@Netzwerk.example", networks=[network.pk, other_network.pk])
    assert response.status_code == 302
    user = get_user_model().objects.get(email="neu@netzwerk.example")
    assert (user.username, user.is_staff, user.has_usable_password()) == ("neu@netzwerk.example", True, False)
    assert set(user.managed_networks.all()) == {network, other_network}
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["neu@netzwerk.example"]
    assert mail.subject == "Ihr Zugang zum Netzwerk-Timer"
    assert network.short_name in mail.body
    assert LINK.search(mail.body)


def test_invite_link_sets_the_password_and_leads_to_the_networks_events(
    client, coordinator_client, network, other_network, mailoutbox
):
    own = factories.EventFactory(owner=network, title="Eigenes Forum")
    factories.EventFactory(owner=other_network, title="Fremdes Forum")
    invite(coordinator_client, email="neu@netzwerk.example", networks=[network.pk])
    coordinator_client.logout()
    path = LINK.search(mailoutbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert english_hits(form_page.content.decode()) == []
    set_password = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Thüringen-2026-Netz", "new_password2": "Thüringen-2026-Netz"},
    )
    assert set_password.status_code == 302
    login = client.post(set_password.url, {"username": "neu@netzwerk.example", "password": "Thüringen-2026-Netz"})
    assert login.url == reverse("admin:events_event_changelist")
    events = client.get(login.url)
    assert own.title in events.content.decode()
    assert "Fremdes Forum" not in events.content.decode()
    # The link works once.
    assert client.get(path, follow=True).context["validlink"] is False


def test_manager_invites_a_colleague_to_own_network_and_the_coordinator_sees_who(
    manager_client, manager, network, mailoutbox
):
    response = invite(manager_client, email="Kollegin@Netzwerk.example", networks=[network.pk])

    colleague = get_user_model().objects.get(email="kollegin@netzwerk.example")
    record = ManagerInvitation.objects.get()
    assert response.status_code == 302
    assert list(colleague.managed_networks.all()) == [network]
    assert (record.user, record.invited_by, list(record.networks.all())) == (colleague, manager, [network])
    assert [mail.to for mail in mailoutbox] == [["kollegin@netzwerk.example"]]


def test_manager_cannot_invite_to_another_network(manager_client, other_network, mailoutbox):
    response = invite(manager_client, email="x@example.org", networks=[other_network.pk])

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["networks"]
    assert (mailoutbox, get_user_model().objects.filter(email="x@example.org").exists()) == ([], False)


def test_staff_user_without_network_cannot_invite(client, mailoutbox):
    client.force_login(factories.UserFactory(username="ohne-netz", is_staff=True))

    assert client.get(reverse("admin:networks_network_invite")).status_code == 403


def test_coordinator_reads_who_invited_whom(manager_client, manager, network, coordinator):
    invite(manager_client, email="kollegin@netzwerk.example", networks=[network.pk])
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)

    response = coordinator_client.get(reverse("admin:networks_managerinvitation_changelist"))

    rows = [(r.email, r.invited_by) for r in response.context["cl"].result_list]
    assert rows == [("kollegin@netzwerk.example", manager)]


def test_invitation_mail_names_the_networks_in_words(coordinator_client, mailoutbox):
    first = factories.NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Test")
    second = factories.NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI-Test")

    invite(coordinator_client, email="neu@netzwerk.example", networks=[first.pk, second.pk])

    body = " ".join(mailoutbox[0].body.split())
    assert (
        "Sie wurden eingeladen, im Netzwerk-Timer die Veranstaltungen von Optik-Test und ZMI-Test zu pflegen." in body
    )
    assert "QuerySet" not in body


def test_login_accepts_the_email_address_in_another_letter_case(client):
    factories.UserFactory(username="neu@netzwerk.example", email="neu@netzwerk.example")
    factories.UserFactory(username="anna", email="anna@optik.example")

    for typed in ("Neu@Netzwerk.Example", "ANNA@optik.example", "Anna"):
        response = client.post(
            reverse("admin:login"), {"username": typed, "password": "correct-horse-battery", "next": "/admin/"}
        )
        assert (typed, response.status_code, response.get("Location")) == (typed, 302, reverse("admin:index"))
        client.logout()


def test_setting_the_password_says_so_on_the_login(client, coordinator_client, network, mailoutbox):
    invite(coordinator_client, email="neu@netzwerk.example", networks=[network.pk])
    coordinator_client.logout()
    form_page = client.get(LINK.search(mailoutbox[0].body).group(1), follow=True)

    login_page = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Thüringen-2026-Netz", "new_password2": "Thüringen-2026-Netz"},
        follow=True,
    )

    assert [str(m) for m in login_page.context["messages"]] == [
        "Ihr Passwort ist gesetzt. Bitte melden Sie sich jetzt damit an."
    ]


def test_invite_refuses_a_bad_address_in_german(coordinator_client, network, mailoutbox):
    response = invite(coordinator_client, email="kein-name", networks=[network.pk])
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Bitte gültige E-Mail-Adresse eingeben."]
    assert english_hits(response.content.decode()) == []
    assert mailoutbox == []


def test_invite_page_has_no_english(coordinator_client):
    response = coordinator_client.get(reverse("admin:networks_network_invite"))
    assert english_hits(response.content.decode()) == []
    assert "Manager einladen" in coordinator_client.get(reverse("admin:networks_network_changelist")).content.decode()


def test_managers_picker_lists_staff_users_only(coordinator_client, network):
    staff = factories.UserFactory(username="mitarbeiterin", is_staff=True)
    factories.UserFactory(username="firmenkunde", is_staff=False)
    response = coordinator_client.get(reverse("admin:networks_network_change", args=[network.pk]))
    choices = list(response.context["adminform"].form.fields["managers"].queryset)
    assert staff in choices
    assert "firmenkunde" not in [user.username for user in choices]


def test_staff_user_without_network_sees_whom_to_ask(client, coordinator):
    coordinator.email = "koordination@cci-thueringen.example"
    coordinator.save()
    client.force_login(factories.UserFactory(username="ohne-netz", is_staff=True))
    text = visible_text(client.get(reverse("admin:index")).content.decode())
    assert "Noch kein Netzwerk zugeordnet" in text
    assert "koordination@cci-thueringen.example" in text


def test_login_page_offers_the_password_reset(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert f'href="{reverse("admin_password_reset")}"' in html
    assert "Passwort vergessen?" in html


def test_password_reset_reaches_an_invited_manager_but_not_other_accounts(client, mailoutbox):
    invited = factories.UserFactory(username="eingeladen", email="eingeladen@example.org", is_staff=True)
    invited.set_unusable_password()
    invited.save()
    factories.UserFactory(username="kunde", email="kunde@example.org", is_staff=False)
    page = client.get(reverse("admin_password_reset"))
    assert english_hits(page.content.decode()) == []
    for email in ("eingeladen@example.org", "kunde@example.org"):
        response = client.post(reverse("admin_password_reset"), {"email": email})
        assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["eingeladen@example.org"]]
    assert english_hits(client.get(response.url).content.decode()) == []
