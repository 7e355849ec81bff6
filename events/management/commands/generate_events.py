"""Bulk-create realistic events for benchmarks and load tests: `generate_events 100000`."""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from events.models import Event, EventType, Region
from networks.models import Network, Topic

FORMATS = ["Fachforum", "Workshop", "Online-Seminar", "Netzwerktreffen", "Impulsvortrag", "Arbeitskreis", "Tagung"]
SUBJECTS = [
    "Künstliche Intelligenz in der Fertigung",
    "Wasserstoff für den Mittelstand",
    "Photonik trifft Medizintechnik",
    "Cybersicherheit für Produktionsanlagen",
    "CO2-Bilanz im Unternehmen",
    "Lieferkettengesetz in der Praxis",
    "Additive Fertigung in Serie",
    "Sensorik für die Landwirtschaft",
    "Fördermittel für Innovationsprojekte",
    "Quantentechnologien für die Industrie",
    "Smarte Textilien im Gesundheitswesen",
    "Kreislaufwirtschaft bei Kunststoffen",
    "Digitale Zwillinge im Maschinenbau",
    "Fachkräfte gewinnen und halten",
]
VENUES = [
    ("Technologie- und Gründerzentrum", "Jena", "07745", Region.JENA),
    ("COMCENTER Brühl", "Erfurt", "99084", Region.ERFURT),
    ("Zentrum für Mikro- und Nanotechnologien", "Ilmenau", "98693", Region.ILM_KREIS),
    ("Bauhaus-Universität", "Weimar", "99423", Region.WEIMAR),
    ("Congress Centrum", "Suhl", "98527", Region.SUHL),
    ("Industrie- und Handelskammer", "Gera", "07545", Region.GERA),
    ("Wartburg-Forum", "Eisenach", "99817", Region.WARTBURGKREIS),
    ("Innovationszentrum", "Nordhausen", "99734", Region.NORDHAUSEN),
]
DESCRIPTION = (
    "<p>{subject}: Praxisberichte aus Thüringer Unternehmen, kurze Impulse aus der Forschung "
    "und viel Zeit für den Austausch. Die Veranstaltung richtet sich an Geschäftsführung, "
    "Entwicklung und Produktion.</p>"
)
BATCH = 2000


class Command(BaseCommand):
    help = "Bulk-creates N published events spread over networks, topics, types, regions and dates."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--past-days", type=int, default=7 * 365, help="How far back the events go.")
        parser.add_argument("--future-days", type=int, default=3 * 365, help="How far ahead the events go.")
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, count, past_days, future_days, seed, **options):
        networks = list(Network.objects.active())
        topics = list(Topic.objects.all())
        types = list(EventType.objects.all())
        if not networks or not topics:
            raise CommandError("Networks and topics are needed first (run migrate: it loads the reference data).")
        rng = random.Random(seed)
        today = timezone.localdate()
        created = 0
        while created < count:
            size = min(BATCH, count - created)
            with transaction.atomic():
                events = Event.objects.bulk_create(
                    [self.build(rng, networks, types, today, past_days, future_days) for _ in range(size)]
                )
                Event.topics.through.objects.bulk_create(
                    [
                        Event.topics.through(event_id=event.pk, topic_id=topic.pk)
                        for event in events
                        for topic in rng.sample(topics, rng.randint(1, 3))
                    ]
                )
                Event.co_organisers.through.objects.bulk_create(
                    [
                        Event.co_organisers.through(event_id=event.pk, network_id=network.pk)
                        for event in events
                        if rng.random() < 0.15
                        for network in rng.sample(networks, 1)
                        if network.pk != event.owner_id
                    ]
                )
            created += size
            self.stdout.write(f"{created} / {count}")
        self.stdout.write(self.style.SUCCESS(f"Created {count} events."))

    def build(self, rng, networks, types, today, past_days, future_days):
        subject = rng.choice(SUBJECTS)
        kind = rng.choice(FORMATS)
        title = f"{kind}: {subject}"
        day = today + datetime.timedelta(days=rng.randint(-past_days, future_days))
        fmt = rng.choices(["onsite", "online", "hybrid"], weights=[5, 3, 2])[0]
        venue, city, postcode, region = rng.choice(VENUES)
        tz = timezone.get_current_timezone()
        if rng.random() < 0.05:
            starts_at = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
            ends_at = starts_at + datetime.timedelta(days=rng.randint(1, 3))
            is_all_day = True
        else:
            starts_at = datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 13, 14, 16]), 0), tzinfo=tz)
            ends_at = starts_at + datetime.timedelta(hours=rng.choice([1, 2, 3, 6]))
            is_all_day = False
        event = Event(
            title=title,
            slug=slugify(title)[:100],
            description=DESCRIPTION.format(subject=subject),
            starts_at=starts_at,
            ends_at=ends_at,
            is_all_day=is_all_day,
            format=fmt,
            venue_name="" if fmt == "online" else venue,
            city="" if fmt == "online" else city,
            postcode="" if fmt == "online" else postcode,
            region=Region.ONLINE if fmt == "online" else region,
            online_url="https://meet.example.org/nwt" if fmt != "onsite" else "",
            registration_url="https://anmeldung.example.org/",
            is_free=rng.random() < 0.7,
            status=rng.choices(["scheduled", "cancelled", "postponed"], weights=[94, 4, 2])[0],
            owner=rng.choice(networks),
            event_type=rng.choice(types) if types else None,
            publication=Event.Publication.PUBLISHED,
        )
        if not event.is_free:
            event.fee_text = "49 € zzgl. MwSt."
        event.fill_derived_fields()  # bulk_create skips Event.save()
        return event
