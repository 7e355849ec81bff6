from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from importer.models import FeedSource, ImportRun
from importer.services import source_import
from networks.models import Network


class Command(BaseCommand):
    help = (
        "Import one feed synchronously (the same code as the worker) and print the counts and warnings. "
        "A path is read from disk; a URL is fetched with all the importer's safety checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", help="http(s) address or path of an .ics file or an HTML page with JSON-LD")
        parser.add_argument("--network", required=True, help="slug of the network that owns the events")
        parser.add_argument("--kind", choices=[k for k, _ in FeedSource.Kind.choices], help="default: by extension")
        parser.add_argument("--name", help="name of the feed source (default: the location)")
        parser.add_argument("--force", action="store_true", help="ignore ETag, Last-Modified and the content hash")

    # An operator's tool: it reports in English, like the log, whatever the site's language.
    @no_translations
    def handle(self, *args, location, network, kind, name, force, **options):
        owner = Network.objects.filter(slug=network).first()
        if owner is None:
            raise CommandError(f"No network with the slug {network!r}.")
        body = None
        if location.startswith(("http://", "https://", "webcal://")):
            url = location
        else:
            path = Path(location).expanduser().resolve()
            if not path.is_file():
                raise CommandError(f"{path} is not a file (and not an http(s) address).")
            body = path.read_bytes()
            url = path.as_uri()
        if kind is None:
            kind = FeedSource.Kind.JSONLD if url.lower().endswith((".html", ".htm", ".json", ".jsonld")) else "ics"
        source, created = FeedSource.objects.get_or_create(
            network=owner,
            url=url,
            # A file source is not fetched on a schedule: the beat only takes active sources.
            defaults={"name": (name or location)[:200], "kind": kind, "is_active": body is None},
        )
        if not created and source.kind != kind:
            source.kind = kind
            source.save(update_fields=["kind"])
        run = source_import(source=source, body=body, force=force)
        self.print_run(run)
        if run.outcome == ImportRun.Outcome.FAILED:
            raise CommandError(f"Import failed: {run.message_text}")

    def print_run(self, run):
        self.stdout.write(f"{run.source} – {run.get_outcome_display()}")
        if run.message:
            self.stdout.write(run.message_text)
        self.stdout.write(
            f"created {run.created_count}, updated {run.updated_count}, unchanged {run.unchanged_count}, "
            f"cancelled {run.cancelled_count}, skipped {run.skipped_count}, linked {run.linked_count}"
        )
        for warning in run.warning_texts:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
