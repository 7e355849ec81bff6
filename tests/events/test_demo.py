import datetime
import io

import pytest
from django.conf import settings as settings_module
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from events.models import CrossClusterWeek, Event
from tests.factories import EventFactory


@pytest.mark.django_db
def test_load_demo_fills_a_living_calendar_and_reruns_without_duplicates(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = Event.objects.count()
    call_command("load_demo")
    assert Event.objects.count() == first
    today = timezone.localdate()
    week = CrossClusterWeek.objects.get(slug=f"ccw-{today.year}")
    assert week.starts_on <= today <= week.ends_on
    upcoming = Event.objects.published().upcoming()
    assert upcoming.values("owner").distinct().count() >= 10
    assert upcoming.filter(co_organisers__isnull=False).exists()
    assert upcoming.filter(format="online").exists() and upcoming.filter(format="hybrid").exists()
    assert upcoming.filter(status="cancelled").exists()
    assert upcoming.filter(is_all_day=True).exists()
    assert any(e.is_multi_day for e in upcoming.filter(is_all_day=True))
    assert week.events.count() >= 3
    assert Event.objects.past().filter(participants_count__isnull=False).exists()


@pytest.mark.django_db
def test_load_demo_brings_the_2020_week_with_its_published_figures(settings):
    settings.DEBUG = True
    CrossClusterWeek.objects.filter(slug="ccw-2020").delete()
    call_command("load_demo", stdout=io.StringIO())

    week = CrossClusterWeek.objects.get(slug="ccw-2020")
    assert (week.starts_on, week.ends_on, week.motto) == (
        datetime.date(2020, 9, 16),
        datetime.date(2020, 9, 25),
        "Virtuell vernetzen – regional kooperieren",
    )
    assert (week.published_events, week.published_participants, week.published_participants_qualifier) == (
        13,
        500,
        "more_than",
    )
    assert week.events.count() == 0


@pytest.mark.django_db
def test_load_demo_keeps_published_figures_a_coordinator_entered(settings):
    settings.DEBUG = True
    CrossClusterWeek.objects.filter(slug="ccw-2020").update(
        published_events=12, published_participants=None, published_participants_qualifier=""
    )
    call_command("load_demo", "--force", stdout=io.StringIO())

    week = CrossClusterWeek.objects.get(slug="ccw-2020")
    assert (week.published_events, week.published_participants) == (12, None)


def make_run_steps():
    """The manage.py commands `make run` runs before it starts the server, read from the Makefile."""
    makefile = (settings_module.BASE_DIR / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    return [line.split("manage.py", 1)[1].split() for line in recipe.splitlines() if "manage.py" in line]


def run_make_run_steps():
    for name, *args in make_run_steps():
        call_command(name, *args, stdout=io.StringIO())


@pytest.mark.django_db
def test_make_run_twice_keeps_event_ids_and_the_admin_password(settings):
    settings.DEBUG = True
    steps = [step[0] for step in make_run_steps()]
    assert steps == ["migrate", "load_demo", "import_demo_feeds", "ensure_dev_superuser"]
    run_make_run_steps()
    events = dict(Event.objects.values_list("pk", "title"))
    assert len(events) > 20
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("netzwerk-timer")
    admin.set_password("mein-eigenes-passwort")
    admin.save()

    run_make_run_steps()

    assert dict(Event.objects.values_list("pk", "title")) == events
    admin.refresh_from_db()
    assert admin.check_password("mein-eigenes-passwort")


@pytest.mark.django_db
def test_load_demo_leaves_a_calendar_with_events_alone(settings):
    settings.DEBUG = True
    EventFactory(title="Eigene Veranstaltung")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert list(Event.objects.values_list("title", flat=True)) == ["Eigene Veranstaltung"]
    assert "left as it is" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_force_updates_demo_events_in_place(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    ids = dict(Event.objects.values_list("title", "pk"))
    moved = Event.objects.get(title="Photonik-Tag Jena")
    moved.city = "Weimar"
    moved.save()
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert dict(Event.objects.values_list("title", "pk")) == ids
    assert Event.objects.get(title="Photonik-Tag Jena").city == "Jena"
    assert f"0 created, {len(ids)} updated" in out.getvalue()


@pytest.mark.django_db
def test_ensure_dev_superuser_creates_the_admin_once(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_dev_superuser", stdout=out)
    admin = get_user_model().objects.get(username="admin")
    assert (admin.is_staff, admin.is_superuser, admin.check_password("netzwerk-timer")) == (True, True, True)
    assert out.getvalue() == "Development superuser: admin / netzwerk-timer\n"
    out = io.StringIO()
    call_command("ensure_dev_superuser", stdout=out)
    assert out.getvalue() == "Development superuser: admin (exists; password unchanged)\n"
    assert get_user_model().objects.get(username="admin").password == admin.password


@pytest.mark.django_db
def test_load_demo_week_has_an_english_title(settings):
    settings.DEBUG = True
    year = timezone.localdate().year
    CrossClusterWeek.objects.create(
        title=f"Cross-Cluster-Woche {year}",
        slug=f"ccw-{year}",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )

    call_command("load_demo")

    assert CrossClusterWeek.objects.get(slug=f"ccw-{year}").title_en == f"Cross-Cluster Week {year}"
