from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from networks.models import ManagerInvitation


def manager_invite(*, email, networks, by):
    """Make `email` a manager of `networks` in one step and send the link to set a password.

    A new account is a staff user without a usable password, named by its e-mail address; an
    existing account with that address is reused. The link is Django's password reset link.
    """
    email = get_user_model().objects.normalize_email(email).lower()
    with transaction.atomic():
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            user = get_user_model()(username=email, email=email, is_staff=True)
            user.set_unusable_password()
            user.full_clean()
            user.save()
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        for network in networks:
            network.managers.add(user)
        record = ManagerInvitation.objects.create(email=email, user=user, invited_by=by)
        record.networks.set(networks)
    _send_invitation(user=user, networks=networks, by=by)
    return user


def _send_invitation(*, user, networks, by):
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        # In words ("OptoNet und ZMI", as managers call their networks), never the objects: the mail is plain text.
        "network_names": get_text_list([network.short_name for network in networks], _("and")),
        "by": by,
        "link": settings.SITE_URL + path,
        "login_url": settings.SITE_URL + reverse("admin:login"),
    }
    subject = " ".join(render_to_string("registration/invitation_subject.txt", context).split())
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
