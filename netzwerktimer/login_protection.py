from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesAppConfig):
    """django-axes under a name the coordinator understands: its app had no name and showed as "AXES"."""

    verbose_name = _("Login protection")
