"""The admin in German: a walk over every page a manager and the coordinator can open."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import django.contrib.admin
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import construct_change_message
from django.forms import modelform_factory
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

from events.models import Event
from importer.messages import message
from importer.models import ImportRun
from netzwerktimer.admin_labels import CHANGE_MESSAGE_LABELS
from tests import factories
from tests.factories import FeedSourceFactory, ImportLinkFactory, ImportRunFactory

# Words and phrases that appear only in Django's or our untranslated English.
ENGLISH_MARKERS = [
    "Choose",
    "Select ",
    "selecting them",
    "Add ",
    "Change ",
    "Delete",
    "Save",
    "History",
    "Home",
    "Django",
    "View site",
    "Log out",
    "Search",
    "Welcome",
    "Recent actions",
    "Changed ",
    "Added ",
    " and ",
    "Password",
    "Username",
    "Can add",
    "Can change",
    "Can view",
    "Can delete",
    "Starts at",
    "Title",
    "No imports yet",
    "Import run",
    "Feed source",
    "warnings",
    "created",
    "updated",
    "Yes",
    "Unknown",
    "Today",
    "Now",
    "None",
    "access attempt",
]
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script/style, labels of buttons, titles, placeholders."""

    def __init__(self):
        super().__init__()
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attrs = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_hits(html):
    text = visible_text(html)
    return [(marker, line) for line in text.splitlines() for marker in ENGLISH_MARKERS if marker in line]


@pytest.fixture
def admin_data(network, manager, coordinator):
    """One object of every kind a manager meets, and a change recorded through Django's own history."""
    topic = factories.TopicFactory()
    event_type = factories.EventTypeFactory()
    factories.WeekFactory()
    event = factories.EventFactory(owner=network, topics=[topic], event_type=event_type)
    source = FeedSourceFactory(network=network, name="Kalender", url="https://feeds.example.org/k.ics")
    run = ImportRunFactory(
        source=source,
        outcome=ImportRun.Outcome.SUCCESS,
        finished_at=timezone.now(),
        created_count=2,
        updated_count=1,
        message=message(
            "{created} created, {updated} updated, {unchanged} unchanged, {cancelled} cancelled, {skipped} skipped, "
            "{linked} linked.",
            created=2,
            updated=1,
            unchanged=0,
            cancelled=0,
            skipped=0,
            linked=0,
        ),
        warnings=[message("The file is not UTF-8; read as Windows-1252.")],
    )
    ImportLinkFactory(source=source, external_uid="uid-1", title="Gemeinsames Forum", event=event)
    factories.VenueFactory(network=network, name="Volkshaus Jena", step_free="partly", accessible_toilet=True)
    form_class = modelform_factory(Event, fields=["title", "starts_at"])
    form = form_class(
        data={"title": "Neuer Titel", "starts_at": (event.starts_at + datetime.timedelta(hours=1)).isoformat()},
        instance=event,
    )
    assert form.is_valid(), form.errors
    form.save()
    LogEntry.objects.log_actions(
        user_id=manager.pk,
        queryset=[event],
        action_flag=CHANGE,
        change_message=construct_change_message(form, [], False),
        single_object=True,
    )
    return {"event": event, "source": source, "run": run}


def admin_pages(user):
    """Every admin page the user may open: index, each app, each list, add, a change and a history page."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for app in admin.site.get_app_list(request):
        urls.append(reverse("admin:app_list", args=[app["app_label"]]))
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        if model_admin.has_view_permission(request):
            urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model_admin.get_queryset(request).first()
        if obj is not None and model_admin.has_view_permission(request, obj):
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
            if model_admin.has_delete_permission(request, obj):
                urls.append(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]))
    return urls


def walk(client, user):
    client.force_login(user)
    hits = {}
    pages = admin_pages(user)
    for url in pages:
        response = client.get(url, follow=True)  # the planning month's list entry redirects to the month
        assert response.status_code == 200, url
        found = english_hits(response.content.decode())
        if found:
            hits[url] = found
    return pages, hits


@pytest.mark.django_db
def test_admin_pages_of_a_manager_have_no_english(client, admin_data, manager):
    pages, hits = walk(client, manager)
    assert len(pages) >= 20
    assert hits == {}, "\n".join(f"{url}: {found}" for url, found in hits.items())


@pytest.mark.django_db
def test_admin_pages_of_the_coordinator_have_no_english(client, admin_data, coordinator):
    pages, hits = walk(client, coordinator)
    assert len(pages) >= 25
    assert hits == {}, "\n".join(f"{url}: {found}" for url, found in hits.items())


@pytest.mark.django_db
def test_admin_history_names_changed_fields_in_german(client, admin_data, manager):
    client.force_login(manager)
    event = admin_data["event"]
    response = client.get(reverse("admin:events_event_history", args=[event.pk]))
    text = visible_text(response.content.decode())
    assert "Titel und Beginn geändert." in text


SCRIPT_GETTEXT = re.compile(r"""(?<![np])gettext\(\s*(['"])(.+?)\1\s*\)""")
ADMIN_SCRIPTS = Path(django.contrib.admin.__file__).parent / "static" / "admin" / "js"


def test_admin_scripts_speak_german():
    """Every gettext() text of the admin's own scripts (the two-list picker among them) has German."""
    msgids = {
        match[1]
        for script in ADMIN_SCRIPTS.glob("*.js")
        if not script.name.endswith(".min.js")
        for match in SCRIPT_GETTEXT.findall(script.read_text())
    }
    assert 'Choose %s by selecting them and then select the "Choose" arrow button.' in msgids
    catalog = JavaScriptCatalog()
    with translation.override("de"):
        catalog.translation = DjangoTranslation(
            "de", domain="djangojs", localedirs=catalog.get_paths(["django.contrib.admin"])
        )
        german = catalog.get_catalog()
    assert sorted(msgid for msgid in msgids if not german.get(msgid)) == []


def model_field_labels():
    """The labels Django's admin history stores for our models' fields (capitalised, untranslated)."""
    with translation.override(None):
        return {
            str(capfirst(field.verbose_name))
            for app in ("networks", "events", "importer")
            for model in apps.get_app_config(app).get_models()
            for field in model._meta.get_fields()
            if (field.concrete or field.many_to_many) and not field.auto_created
        }


def test_admin_history_labels_cover_every_model_field():
    assert sorted(model_field_labels() - set(CHANGE_MESSAGE_LABELS)) == []


SAME_IN_GERMAN = {
    "ETag",
    "Last-Modified",
    "HTTP status",
    "ID",
    "Format",
    "Logo",
    "Motto",
    "Name",
    "Region",
    "Slug",
    "Status",
    "Website",
}


def test_admin_history_labels_are_translated():
    with translation.override("de"):
        untranslated = [label for label in CHANGE_MESSAGE_LABELS if gettext(label) == label]
    assert sorted(set(untranslated) - SAME_IN_GERMAN) == []


@pytest.mark.django_db
def test_admin_pages_of_a_superuser_have_no_english(client, admin_data):
    superuser = factories.UserFactory(username="root", is_superuser=True)
    pages, hits = walk(client, superuser)
    assert "/admin/auth/group/add/" in pages
    assert hits == {}, "\n".join(f"{url}: {found}" for url, found in hits.items())


def test_admin_login_offers_password_reset_in_managers_words(client):
    page = client.get("/admin/login/").content.decode()
    assert 'href="/admin/password_reset/">Passwort vergessen?</a>' in page


class DateTimeInputs(HTMLParser):
    """The admin's date and time inputs, with their own accessible name (aria-label or <label for>)."""

    def __init__(self):
        super().__init__()
        self.inputs, self.labelled = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        classes = (attrs.get("class") or "").split()
        if tag == "input" and {"vDateField", "vTimeField"} & set(classes):
            self.inputs.append((attrs.get("id"), attrs.get("aria-label")))

    def unnamed(self):
        return [id_ for id_, aria in self.inputs if not aria and id_ not in self.labelled]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["manager", "coordinator", "superuser"])
def test_admin_date_and_time_inputs_each_have_a_name_with_the_fields_label(client, admin_data, who, request):
    """A split date-time field is labelled as a whole; each of its two inputs needs its own name."""
    user = request.getfixturevalue(who) if who != "superuser" else factories.UserFactory(is_superuser=True)
    client.force_login(user)
    checked, unnamed = 0, {}
    for url in admin_pages(user):
        if not url.endswith(("/add/", "/change/")):
            continue
        parser = DateTimeInputs()
        parser.feed(client.get(url, follow=True).content.decode())
        checked += len(parser.inputs)
        if parser.unnamed():
            unnamed[url] = parser.unnamed()
    assert checked >= 4
    assert unnamed == {}
    event_page = client.get(reverse("admin:events_event_change", args=[admin_data["event"].pk])).content.decode()
    assert 'aria-label="Beginn – Datum"' in event_page and 'aria-label="Beginn – Zeit"' in event_page


@pytest.mark.django_db
def test_admin_forms_say_speichern_as_the_event_form_does(client, admin_data, coordinator):
    """Django's German says "Sichern"; one word for one action on every form."""
    client.force_login(coordinator)
    forms = [url for url in admin_pages(coordinator) if url.endswith(("/add/", "/change/"))]
    said = {url: client.get(url, follow=True).content.decode() for url in forms}
    assert [url for url, page in said.items() if "Sichern" in page] == []
    series = said[reverse("admin:planning_eventseries_add")]
    assert 'value="Speichern und weiter bearbeiten"' in series and 'value="Speichern"' in series


@pytest.mark.django_db
def test_superuser_index_names_the_login_protection_and_has_a_favicon(client):
    client.force_login(factories.UserFactory(username="root-axes", is_superuser=True))

    html = client.get(reverse("admin:index")).content.decode()

    assert ("Anmeldeschutz" in html, "Axes" in html, 'rel="icon" href="/static/img/favicon.svg"' in html) == (
        True,
        False,
        True,
    )
