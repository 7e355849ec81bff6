import datetime

from django.core.management.base import BaseCommand, no_translations

from events.models import EventType
from importer import demo_feeds
from importer.models import FeedSource
from importer.services import source_import
from networks.models import Network


class Command(BaseCommand):
    help = "Create feed sources for the bundled demo feeds (dates relative to today) and import them."

    # An operator's tool: it reports in English, like the log, whatever the site's language.
    @no_translations
    def handle(self, *args, **options):
        default_types = {"thzm": "fachforum", "optonet": "fachforum", "medways": "fachforum", "theen": "workshop"}
        for file_name, slug, name, kind in demo_feeds.FEEDS:
            network = Network.objects.filter(slug=slug).first()
            if network is None:
                self.stdout.write(self.style.WARNING(f"network {slug!r} missing; {file_name} skipped"))
                continue
            source, _created = FeedSource.objects.get_or_create(
                network=network,
                url=demo_feeds.SCHEME + file_name,
                defaults={
                    "name": f"Demo: {name}",
                    "kind": kind,
                    "interval": datetime.timedelta(hours=6),
                    "default_event_type": EventType.objects.filter(slug=default_types.get(slug, "")).first(),
                },
            )
            if _created:
                source.default_topics.set(network.topics.all())
            run = source_import(source=source, force=True)
            self.stdout.write(
                f"{source}: {run.get_outcome_display()} – {run.message_text}"
                + (f" ({len(run.warnings)} warnings)" if run.warnings else "")
            )
