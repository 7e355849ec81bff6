import datetime

from django.db import migrations

EVENT_TYPES = [
    ("Tagung", "tagung"),
    ("Online-Seminar", "online-seminar"),
    ("Workshop", "workshop"),
    ("Fachforum", "fachforum"),
    ("Netzwerktreffen", "netzwerktreffen"),
    ("Impulsvortrag", "impulsvortrag"),
    ("Methodenworkshop", "methodenworkshop"),
    ("Auftaktveranstaltung", "auftaktveranstaltung"),
    ("Netzwerkforum", "netzwerkforum"),
    ("Arbeitskreis", "arbeitskreis"),
    ("Messe", "messe"),
]

WEEKS = [
    {
        "slug": "ccw-2020",
        "title": "Cross-Cluster-Woche 2020",
        "motto": "Virtuell vernetzen – regional kooperieren",
        "starts_on": datetime.date(2020, 9, 16),
        "ends_on": datetime.date(2020, 9, 25),
        "description": (
            "Online-Auftakt am 16.09.2020, 9:30–11:30 Uhr. 13 Veranstaltungen mit mehr als 500 "
            "Teilnehmenden zu Sensorlösungen, Digitalisierung und KI, Energiewende, "
            "Quantentechnologien, regionaler Wertschöpfung und Infektionsdiagnostik."
        ),
    },
    {
        "slug": "ccw-2021",
        "title": "Cross-Cluster-Wochen 2021",
        "motto": "Nachhaltig produzieren, digital vernetzen",
        "starts_on": datetime.date(2021, 9, 1),
        "ends_on": datetime.date(2021, 10, 31),
        "description": (
            "Herbst 2021 (genaue Termine nicht überliefert): 14 Veranstaltungen mit rund 800 "
            "Teilnehmenden, in Präsenz und online, zu nachhaltiger Produktion, neuen Werkstoffen, "
            "Energiewende, Ressourceneffizienz, Vor-Ort-Analytik, Infektionstherapie und Digitalisierung."
        ),
    },
    {
        "slug": "ccw-2022",
        "title": "Cross-Cluster-Woche 2022",
        "motto": "",
        "starts_on": datetime.date(2022, 9, 7),
        "ends_on": datetime.date(2022, 9, 16),
        "description": "Beginn am 07.09.2022; das Enddatum ist nicht überliefert.",
    },
    {
        "slug": "ccw-2024",
        "title": "Cross-Cluster-Woche 2024",
        "motto": "Cross-Clustern von der Idee zum Markterfolg",
        "starts_on": datetime.date(2024, 10, 14),
        "ends_on": datetime.date(2024, 10, 18),
        "description": (
            "Auftakt am 14.10.2024 im COMCENTER Erfurt. Themen: CO2-Fußabdruck, industrielle "
            "Bioökonomie, Cybersicherheit und Lieferkettengesetz."
        ),
    },
]


def load(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    CrossClusterWeek = apps.get_model("events", "CrossClusterWeek")
    for name, slug in EVENT_TYPES:
        EventType.objects.get_or_create(slug=slug, defaults={"name": name})
    for week in WEEKS:
        CrossClusterWeek.objects.get_or_create(slug=week["slug"], defaults=week)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
