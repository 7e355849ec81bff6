from django.utils.translation import gettext_lazy as _

from networks.models import Network


class Report(Network):
    """The report page's entry in the admin's app list (a proxy, no table)."""

    class Meta:
        proxy = True
        verbose_name = _("report")
        verbose_name_plural = _("reports")
