"""Realistic demo events so that a new installation shows a living portal.

Dates are relative to today. Demo events are marked by their contact address and
matched by title on every run: a re-run updates them in place (their ids, and so
bookmarks and the UIDs in subscribed calendars, stay) and never duplicates them.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from events.accessibility import FIELDS
from events.models import CrossClusterWeek, Event, EventType, Region
from networks.models import Network, Topic
from netzwerktimer.dates import local_datetime

DEMO_CONTACT = "demo@netzwerk-timer.de"


@dataclass
class DemoEvent:
    title: str
    owner: str
    type: str
    topics: list
    day: int  # days from today
    start: str = "10:00"
    hours: float = 2
    format: str = "onsite"
    venue: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    region: str = ""
    co_organisers: list = field(default_factory=list)
    all_day_days: int = 0  # >0: an all-day event over that many days
    status: str = "scheduled"
    fee: str = ""
    in_week: bool = False
    participants: int | None = None
    description: str = ""
    access: dict = field(default_factory=dict)  # accessibility details (events.accessibility.FIELDS)


ERFURT = {
    "venue": "COMCENTER Brühl",
    "street": "Mainzerhofstraße 10",
    "postcode": "99084",
    "city": "Erfurt",
    "region": "erfurt",
}
JENA = {
    "venue": "Technologie- und Innovationspark Jena",
    "street": "Hans-Knöll-Straße 6",
    "postcode": "07745",
    "city": "Jena",
    "region": "jena",
}
ILMENAU = {
    "venue": "Humboldtbau der TU Ilmenau",
    "street": "Gustav-Kirchhoff-Platz 1",
    "postcode": "98693",
    "city": "Ilmenau",
    "region": "ilm-kreis",
}

EVENTS = [
    DemoEvent(
        "KI in der Fertigung: Vom Pilotprojekt zur Serie",
        "mittelstand-digital-ilmenau",
        "online-seminar",
        ["ki", "digitalisierung"],
        2,
        "14:00",
        1.5,
        "online",
        description="<p>Praxisberichte aus Thüringer KMU: Wie Bilderkennung und Predictive Maintenance "
        "den Sprung aus dem Pilotprojekt schaffen.</p>",
        access={"live_captions": True},
    ),
    DemoEvent(
        "Netzwerktreffen Optik und Photonik",
        "optonet",
        "netzwerktreffen",
        ["optik-photonik"],
        4,
        "16:00",
        3,
        **JENA,
        description="<p>Austausch der Mitglieder mit Kurzvorträgen und Laborführung.</p>",
        access={"step_free": "yes", "accessible_toilet": True},
    ),
    DemoEvent(
        "Cybersicherheit für den Mittelstand",
        "itnet",
        "workshop",
        ["cybersicherheit", "informationstechnik"],
        6,
        "09:00",
        6,
        "hybrid",
        co_organisers=["mittelstand-digital-ilmenau"],
        **ERFURT,
        fee="95 € zzgl. MwSt.",
        description="<p>Angriffe erkennen, Notfallpläne aufstellen, NIS-2 verstehen. "
        "<strong>Mit Übungen am eigenen Laptop.</strong></p>",
        access={
            "step_free": "partly",
            "induction_loop": True,
            "live_captions": True,
            "accessibility_note": "Rampe am Seiteneingang",
        },
    ),
    DemoEvent(
        "Wasserstoff in Thüringen – Stand und Perspektiven",
        "theen",
        "fachforum",
        ["energiewende", "erneuerbare-energien"],
        9,
        "13:00",
        4,
        co_organisers=["thega"],
        **ERFURT,
    ),
    DemoEvent(
        "Medizintechnik-Zulassung nach MDR: Sprechstunde",
        "medways",
        "online-seminar",
        ["medizintechnik"],
        11,
        "10:00",
        1,
        "online",
    ),
    DemoEvent(
        "Kunststoff-Recycling: Rezyklate in technischen Bauteilen",
        "polymermat",
        "tagung",
        ["kunststoffe", "ressourceneffizienz", "nachhaltige-produktion"],
        15,
        all_day_days=2,
        venue="Thüringisches Institut für Textil- und Kunststoff-Forschung",
        street="Breitscheidstraße 97",
        postcode="07407",
        city="Rudolstadt",
        region="saalfeld-rudolstadt",
        fee="290 € (Mitglieder 190 €)",
    ),
    DemoEvent(
        "Smarte Textilien für Arbeitsschutz", "smarttex", "impulsvortrag", ["smart-textiles"], 17, "15:00", 1, "online"
    ),
    DemoEvent(
        "Logistik 4.0: Digitale Lieferketten",
        "lnt",
        "workshop",
        ["logistik", "lieferkettengesetz"],
        19,
        "09:30",
        5,
        venue="Güterverkehrszentrum Erfurt",
        street="Am Rasthof 4",
        postcode="99098",
        city="Erfurt",
        region="erfurt",
    ),
    DemoEvent(
        "Sensorik-Stammtisch Ilmenau",
        "elmug",
        "netzwerktreffen",
        ["sensorik", "elektronik-messtechnik"],
        22,
        "17:30",
        2.5,
        **ILMENAU,
    ),
    DemoEvent(
        "Infektionsdiagnostik am Point of Care",
        "infectognostics",
        "fachforum",
        ["infektionsdiagnostik", "vor-ort-analytik"],
        25,
        "09:00",
        7,
        "hybrid",
        co_organisers=["medways", "bioinstrumente-jena"],
        **JENA,
    ),
    DemoEvent(
        "Additive Fertigung im Maschinenbau",
        "thzm",
        "workshop",
        ["maschinenbau", "neue-werkstoffe"],
        29,
        "10:00",
        5,
        co_organisers=["thzat"],
        **ILMENAU,
        status="postponed",
    ),
    DemoEvent(
        "Fördermittel-Sprechtag Innovation",
        "thcm",
        "online-seminar",
        ["regionale-wertschoepfung"],
        33,
        "11:00",
        1.5,
        "online",
    ),
    DemoEvent(
        "Automotive-Zulieferer im Wandel",
        "automotive-thueringen",
        "tagung",
        ["automotive", "digitalisierung"],
        38,
        "09:00",
        8,
        venue="Messe Erfurt",
        street="Gothaer Straße 34",
        postcode="99094",
        city="Erfurt",
        region="erfurt",
        fee="150 €",
    ),
    DemoEvent(
        "CO2-Bilanz für KMU – Methodenworkshop",
        "thega",
        "methodenworkshop",
        ["co2-fussabdruck", "ressourceneffizienz"],
        42,
        "09:00",
        4,
        "online",
    ),
    DemoEvent(
        "Quantentechnologien: Anwendungen für die Industrie",
        "optonet",
        "fachforum",
        ["quantentechnologien", "optik-photonik"],
        47,
        "13:00",
        5,
        co_organisers=["spectronet"],
        **JENA,
    ),
    DemoEvent(
        "Thüringer Maschinenbautag",
        "thzm",
        "tagung",
        ["maschinenbau"],
        55,
        all_day_days=1,
        venue="Stadthalle Gotha",
        street="Goldbacher Straße 35",
        postcode="99867",
        city="Gotha",
        region="gotha",
        fee="120 €",
    ),
    DemoEvent(
        "Bioökonomie: Reststoffe als Rohstoffe",
        "ernaehrungsnetzwerk",
        "impulsvortrag",
        ["biooekonomie", "nachhaltige-produktion"],
        61,
        "14:00",
        2,
        "hybrid",
        city="Nordhausen",
        region="nordhausen",
        venue="Hochschule Nordhausen",
        street="Weinberghof 4",
        postcode="99734",
    ),
    DemoEvent(
        "Arbeitskreis Digitale Medizintechnik",
        "medways",
        "arbeitskreis",
        ["medizintechnik", "digitalisierung"],
        68,
        "15:00",
        2,
        **JENA,
    ),
    DemoEvent(
        "Energieeffizienz in der Produktion",
        "theen",
        "workshop",
        ["ressourceneffizienz", "energiewende"],
        75,
        "09:00",
        6,
        city="Suhl",
        region="suhl",
        venue="CCS Congress Centrum Suhl",
        street="Friedrich-König-Straße 7",
        postcode="98527",
    ),
    DemoEvent(
        "Messe-Gemeinschaftsstand Thüringen auf der Hannover Messe",
        "thcm",
        "messe",
        ["maschinenbau", "automotive"],
        120,
        all_day_days=5,
        venue="Messegelände Hannover",
        city="Hannover",
        postcode="30521",
        region="ausserhalb",
    ),
    DemoEvent(
        "Abgesagt wegen Terminkonflikt: Netzwerkforum Elektronik",
        "elmug",
        "netzwerkforum",
        ["elektronik-messtechnik"],
        36,
        "10:00",
        3,
        city="Weimar",
        region="weimar",
        status="cancelled",
    ),
    # The current Cross-Cluster week.
    DemoEvent(
        "Auftakt der Cross-Cluster-Woche",
        "thzm",
        "auftaktveranstaltung",
        ["regionale-wertschoepfung"],
        0,
        "09:30",
        2,
        "hybrid",
        in_week=True,
        co_organisers=["thcm", "optonet", "medways", "theen"],
        **ERFURT,
    ),
    DemoEvent(
        "Cross-Cluster: Sensorik trifft Medizintechnik",
        "medways",
        "workshop",
        ["sensorik", "medizintechnik"],
        1,
        "13:00",
        3,
        in_week=True,
        co_organisers=["elmug"],
        **JENA,
    ),
    DemoEvent(
        "Cross-Cluster: KI-Sprechstunde für Einsteiger",
        "mittelstand-digital-ilmenau",
        "online-seminar",
        ["ki"],
        2,
        "10:00",
        1.5,
        "online",
        in_week=True,
    ),
    DemoEvent(
        "Cross-Cluster: Lieferkettengesetz praktisch umsetzen",
        "lnt",
        "fachforum",
        ["lieferkettengesetz", "logistik"],
        3,
        "14:00",
        2,
        "online",
        in_week=True,
        co_organisers=["thcm"],
    ),
    # Past events for the archive.
    DemoEvent(
        "Frühjahrstreffen der Netzwerkmanager",
        "thcm",
        "netzwerktreffen",
        ["regionale-wertschoepfung"],
        -40,
        "10:00",
        3,
        participants=42,
        **ERFURT,
    ),
    DemoEvent(
        "Photonik-Tag Jena", "optonet", "tagung", ["optik-photonik"], -20, all_day_days=1, participants=180, **JENA
    ),
]


def _aware(day, hhmm):
    hour, minute = (int(part) for part in hhmm.split(":"))
    return local_datetime(day, datetime.time(hour, minute))


# The first week, from before the portal: only the figures the initiative published then.
WEEK_2020 = {
    "title": "Cross-Cluster-Woche 2020",
    "title_en": "Cross-Cluster Week 2020",
    "motto": "Virtuell vernetzen – regional kooperieren",
    "starts_on": datetime.date(2020, 9, 16),
    "ends_on": datetime.date(2020, 9, 25),
    "description": "Online-Auftakt am 16.09.2020, 9:30–11:30 Uhr. Themen: Sensorlösungen, Digitalisierung und KI, "
    "Energiewende, Quantentechnologien, regionale Wertschöpfung und Infektionsdiagnostik.",
}
WEEK_2020_FIGURES = {
    "published_events": 13,
    "published_participants": 500,
    "published_participants_qualifier": CrossClusterWeek.Qualifier.MORE_THAN,
    "figures_source": "Rückblick der Cross-Cluster-Initiative Thüringen (cci-thueringen.de)",
}


def load_week_2020():
    """The 2020 week with its published figures; figures a coordinator has entered stay."""
    week, created = CrossClusterWeek.objects.get_or_create(slug="ccw-2020", defaults={**WEEK_2020, **WEEK_2020_FIGURES})
    if not created and not week.has_published_figures:
        for name, value in WEEK_2020_FIGURES.items():
            setattr(week, name, value)
        week.save(update_fields=list(WEEK_2020_FIGURES))
    return week


@transaction.atomic
def load_demo(today=None):
    """Create or update the demo events; return (created, updated)."""
    today = today or timezone.localdate()
    load_week_2020()
    week, _ = CrossClusterWeek.objects.get_or_create(
        slug=f"ccw-{today.year}",
        defaults={
            "title": f"Cross-Cluster-Woche {today.year}",
            "title_en": f"Cross-Cluster Week {today.year}",
            "motto": "Gemeinsam transformieren – Thüringer Netzwerke verbinden",
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=4),
            "description": "Eine Woche gemeinsamer Veranstaltungen der Thüringer Netzwerke und Cluster.",
        },
    )
    if not week.title_en:  # a demo week made before it had an English title
        week.title_en = f"Cross-Cluster Week {today.year}"
        week.save(update_fields=["title_en"])
    networks = {n.slug: n for n in Network.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    types = {t.slug: t for t in EventType.objects.all()}
    earlier = {event.title: event for event in Event.objects.filter(contact_email=DEMO_CONTACT, source__isnull=True)}
    wanted = {demo.title for demo in EVENTS if demo.owner in networks}
    Event.objects.filter(pk__in=[event.pk for title, event in earlier.items() if title not in wanted]).delete()

    created = updated = 0
    for demo in EVENTS:
        if demo.owner not in networks:
            continue
        day = (week.starts_on if demo.in_week else today) + datetime.timedelta(days=demo.day)
        if demo.all_day_days:
            starts_at = _aware(day, "00:00")
            ends_at = _aware(day + datetime.timedelta(days=demo.all_day_days), "00:00")
        else:
            starts_at = _aware(day, demo.start)
            ends_at = starts_at + datetime.timedelta(hours=demo.hours)
        online = demo.format in ("online", "hybrid")
        event = earlier.get(demo.title) or Event(title=demo.title)
        is_new = event.pk is None
        for name, value in {
            "description": demo.description
            or f"<p>{demo.title}: Vorträge, Praxisbeispiele und Zeit für den Austausch zwischen Unternehmen, "
            "Forschung und Netzwerken.</p>",
            "starts_at": starts_at,
            "ends_at": ends_at,
            "is_all_day": bool(demo.all_day_days),
            "format": demo.format,
            "venue_name": demo.venue,
            "street": demo.street,
            "postcode": demo.postcode,
            "city": demo.city,
            "region": Region.for_format(demo.format, demo.region),
            "online_url": "https://meet.example.org/netzwerk-timer-demo" if online else "",
            "registration_url": "https://www.cci-thueringen.de/anmeldung",
            "is_free": not demo.fee,
            "fee_text": demo.fee,
            "status": demo.status,
            "publication": Event.Publication.PUBLISHED,
            "owner": networks[demo.owner],
            "event_type": types.get(demo.type),
            "week": week if demo.in_week else None,
            "contact_name": "Geschäftsstelle",
            "contact_email": DEMO_CONTACT,
            "participants_count": demo.participants,
            "audience": "Unternehmen, Forschungseinrichtungen und Netzwerkpartner",
            **{name: demo.access.get(name, Event._meta.get_field(name).get_default()) for name in FIELDS},
        }.items():
            setattr(event, name, value)
        event.save()
        event.topics.set([topics[s] for s in demo.topics if s in topics])
        event.co_organisers.set([networks[s] for s in demo.co_organisers if s in networks])
        created += is_new
        updated += not is_new
    return created, updated
