from django import template
from django.contrib.auth import get_user_model
from django.db.models import Q

from networks.models import COORDINATOR_PERMISSION

register = template.Library()


@register.simple_tag
def coordinator_contacts():
    """The coordinators a staff user without a network can ask: those with an e-mail address."""
    app_label, codename = COORDINATOR_PERMISSION.split(".")
    has_permission = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
    return list(
        get_user_model()
        .objects.filter(has_permission | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("is_superuser", "last_name", "username")[:3]
    )
