from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = _("Feed import")

    def ready(self):
        from importer import content_lines, dateutil_guard

        content_lines.install()
        dateutil_guard.install()
