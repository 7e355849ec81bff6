from django.core.management.base import BaseCommand, CommandError

from netzwerktimer.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a new folder below --dir (default: backups/)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups")

    def handle(self, *args, **options):
        try:
            folder = backup_create(target_dir=options["dir"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
