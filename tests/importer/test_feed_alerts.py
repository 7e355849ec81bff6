import pytest

from importer import tasks
from importer.alerts import coordinator_summary_send
from importer.models import FeedAlertState
from importer.services import source_import
from networks.models import ManagerPreference
from tests.factories import CoordinatorFactory, FeedSourceFactory, ManagerPreferenceFactory, NetworkFactory, UserFactory
from tests.importer.feeds import simple_feed

pytestmark = pytest.mark.django_db

BROKEN = b"<html>Kein Kalender</html>"


@pytest.fixture
def optik(db):
    return NetworkFactory(short_name="Optik", slug="optik")


@pytest.fixture
def source(optik):
    return FeedSourceFactory(network=optik, name="Kalender", url="https://feeds.example.org/kalender.ics")


@pytest.fixture
def managers(optik):
    anna = UserFactory(username="anna", email="anna@optik.example")
    ben = UserFactory(username="ben", email="ben@optik.example")
    ManagerPreferenceFactory(user=ben, language="en")
    optik.managers.add(anna, ben)
    other = NetworkFactory()
    other.managers.add(UserFactory(username="fremd", email="fremd@andere.example"))
    return anna, ben


def test_two_failures_send_one_mail_to_each_manager_of_that_network_only(mailoutbox, source, managers):
    source_import(source=source, body=BROKEN)
    assert mailoutbox == []
    source_import(source=source, body=BROKEN)
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == ["anna@optik.example", "ben@optik.example"]
    assert by_address["anna@optik.example"].subject == "Feed „Kalender“ schlägt fehl"
    assert by_address["ben@optik.example"].subject == "Feed “Kalender” fails"
    assert "ist 2-mal in Folge fehlgeschlagen" in by_address["anna@optik.example"].body
    assert "failed 2 times in a row" in by_address["ben@optik.example"].body
    assert "Grund: Die Adresse lieferte eine HTML-Seite" in by_address["anna@optik.example"].body
    url = f"http://localhost:8000/admin/importer/feedsource/{source.pk}/change/"
    assert url in by_address["anna@optik.example"].body


def test_third_failure_sends_no_new_mail_and_recovery_sends_one(mailoutbox, source, managers):
    for _ in range(3):
        source_import(source=source, body=BROKEN)
    assert len(mailoutbox) == 2
    source_import(source=source, body=simple_feed(2))
    assert len(mailoutbox) == 4
    assert {mail.to[0]: mail.subject for mail in mailoutbox[2:]} == {
        "anna@optik.example": "Feed „Kalender“ funktioniert wieder",
        "ben@optik.example": "Feed “Kalender” works again",
    }
    source_import(source=source, body=simple_feed(2), force=True)
    assert len(mailoutbox) == 4
    assert FeedAlertState.objects.get(source=source).state == FeedAlertState.State.OK


def test_one_failure_then_success_sends_nothing(mailoutbox, source, managers):
    source_import(source=source, body=BROKEN)
    source_import(source=source, body=simple_feed(2))
    assert mailoutbox == []


def test_flag_for_review_sends_one_mail_with_the_reason(mailoutbox, source, managers):
    source_import(source=source, body=simple_feed(6))
    few = simple_feed(2)
    source_import(source=source, body=few, force=True)
    source_import(source=source, body=few, force=True)
    source_import(source=source, body=few, force=True)
    source.refresh_from_db()
    assert source.needs_review is True
    assert {mail.to[0]: mail.subject for mail in mailoutbox} == {
        "anna@optik.example": "Feed „Kalender“ muss geprüft werden",
        "ben@optik.example": "Feed “Kalender” needs your review",
    }
    english = next(mail for mail in mailoutbox if mail.to == ["ben@optik.example"])
    assert "would have cancelled 4 of 6 future events" in english.body


def test_coordinator_summary_lists_failing_sources(mailoutbox, source, managers):
    coordinator = CoordinatorFactory(username="koordination", email="koordination@ccit.example")
    working = FeedSourceFactory(network=source.network, name="Läuft", url="https://feeds.example.org/ok.ics")
    source_import(source=working, body=simple_feed(1))
    assert coordinator_summary_send() == 0
    source_import(source=source, body=BROKEN)
    mailoutbox.clear()
    assert tasks.send_coordinator_summary() == 1
    (mail,) = mailoutbox
    assert mail.to == [coordinator.email]
    assert mail.subject == "Wochenübersicht: 1 Feed-Quelle braucht Aufmerksamkeit"
    assert "Optik: Kalender · 1 Fehlschlag in Folge" in mail.body
    assert "Läuft" not in mail.body


def test_a_broken_mail_server_never_breaks_the_import(settings, source, managers):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens, the connection is refused
    settings.EMAIL_TIMEOUT = 2
    source_import(source=source, body=BROKEN)
    run = source_import(source=source, body=BROKEN)
    source.refresh_from_db()
    assert (run.outcome, source.consecutive_failures) == ("failed", 2)


@pytest.mark.django_db(transaction=True)
def test_moving_alert_states_and_mail_languages_keeps_rows_and_coordinator_permissions():
    from django.contrib.auth.models import Group, Permission
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("outreach", "0002_coordinator_permissions"), ("importer", "0005_links_with_own_events")]
    before.append(("networks", "0007_networks_alphabetical"))
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    user = apps.get_model("auth", "User").objects.create(username="ben", email="ben@optik.example")
    network = apps.get_model("networks", "Network").objects.create(name="Testnetz", short_name="TN", slug="tn")
    old_source = apps.get_model("importer", "FeedSource").objects.create(
        network=network, name="Alt", url="https://a.example/1.ics"
    )
    apps.get_model("outreach", "ManagerPreference").objects.create(user=user, language="en")
    apps.get_model("outreach", "FeedAlertState").objects.create(source=old_source, state="failing")
    # As outreach.0002 left them: the coordinators may see and change both models under outreach.
    # (Made here, since a test that emptied the database before this one leaves neither.)
    content_type = apps.get_model("contenttypes", "ContentType").objects
    permission = apps.get_model("auth", "Permission").objects
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Koordination")
    for model, action in (("feedalertstate", "view"), ("managerpreference", "change")):
        old_type, _ = content_type.get_or_create(app_label="outreach", model=model)
        granted, _ = permission.get_or_create(
            content_type=old_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
        )
        group.permissions.add(granted)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert ManagerPreference.objects.get(user_id=user.pk).language == "en"
    assert FeedAlertState.objects.get(source_id=old_source.pk).state == FeedAlertState.State.FAILING
    # The coordinators' group keeps its permissions on both models under their new apps.
    coordinators = Group.objects.get(name="Koordination")
    granted = set(coordinators.permissions.values_list("content_type__app_label", "codename"))
    assert {("importer", "view_feedalertstate"), ("networks", "change_managerpreference")} <= granted
    assert not Permission.objects.filter(content_type__app_label="outreach", codename__endswith="feedalertstate")
