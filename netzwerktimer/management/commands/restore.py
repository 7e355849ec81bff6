from django.core.management.base import BaseCommand, CommandError

from netzwerktimer.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and uploaded files with a backup folder written by the backup command."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        if not options["yes"]:
            answer = input("This replaces ALL data with the backup. Type 'yes' to continue: ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            rows = backup_restore(folder=options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {sum(rows.values())} rows from {options['folder']}"))
