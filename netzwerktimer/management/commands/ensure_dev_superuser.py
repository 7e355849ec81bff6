import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Create the development superuser and print its credentials; an existing one is left as it is "
        "(its password too, so that `make run` logs nobody out). Refuses to run without DEBUG."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_superuser only runs with DEBUG=1; use createsuperuser in production.")
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(f"Development superuser: {USERNAME} (exists; password unchanged)")
            return
        password = os.environ.get("DEV_ADMIN_PASSWORD", "netzwerk-timer")
        User.objects.create_superuser(username=USERNAME, email="admin@localhost", password=password)
        self.stdout.write(self.style.SUCCESS(f"Development superuser: {USERNAME} / {password}"))
