from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.demo import load_demo
from events.models import Event


class Command(BaseCommand):
    help = (
        "Fill an empty calendar with realistic demo events (dates relative to today). A calendar that has "
        "events already is left as it is (`make run` calls this on every start), unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load also when the calendar has events (earlier demo events are updated in place, keeping "
            "their ids), and also without DEBUG (never on production data).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo is for development; pass --force to run it without DEBUG.")
        if not force and Event.objects.exists():
            self.stdout.write("The calendar has events already; demo data left as it is (--force reloads it).")
            return
        created, updated = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo events: {created} created, {updated} updated."))
