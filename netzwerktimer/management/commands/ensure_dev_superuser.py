import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create (or reset) the development superuser and print its credentials. Refuses to run without DEBUG."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_superuser only runs with DEBUG=1; use createsuperuser in production.")
        password = os.environ.get("DEV_ADMIN_PASSWORD", "netzwerk-timer")
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"email": "admin@localhost", "is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Development superuser: {USERNAME} / {password}"))
