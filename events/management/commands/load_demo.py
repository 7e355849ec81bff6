from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.demo import load_demo


class Command(BaseCommand):
    help = "Fill the calendar with realistic demo events (dates relative to today). Replaces earlier demo events."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even without DEBUG (never on production data).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo is for development; pass --force to run it without DEBUG.")
        created = load_demo()
        self.stdout.write(self.style.SUCCESS(f"{created} demo events loaded."))
