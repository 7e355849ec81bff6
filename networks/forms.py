from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from networks.models import Network
from netzwerktimer.security import password_reset_allowed


class ManagerInviteForm(forms.Form):
    email = forms.EmailField(label=_("e-mail address"))
    networks = forms.ModelMultipleChoiceField(
        label=_("networks"),
        queryset=Network.objects.alphabetical(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The networks whose events and feeds the new manager maintains."),
    )

    def __init__(self, *args, networks=None, **kwargs):
        """networks: those the inviting user may hand on (a manager: their own; the coordinator: all)."""
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["networks"].queryset = networks.alphabetical()


def login_name(typed):
    """The stored username for what someone typed into the login: the username or the e-mail address in
    any letter case (invited managers are named by their address, and type it as they write it)."""
    users = get_user_model()._default_manager
    lookups = [{"username__iexact": typed}]
    if "@" in typed:
        lookups.append({"email__iexact": typed, "is_active": True, "is_staff": True})
    for lookup in lookups:
        names = list(users.filter(**lookup).values_list("username", flat=True)[:2])
        if len(names) == 1:
            return names[0]
    return typed


class StaffPasswordResetForm(PasswordResetForm):
    """Password reset for staff accounts, invited ones without a password yet included.

    The link in the e-mail is built from SITE_URL, never from the request's Host header, and
    each address and each client may ask only PASSWORD_RESET_PER_* times within the window.
    """

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = self.cleaned_data["email"]
        if self.request is not None and not password_reset_allowed(self.request, email):
            raise forms.ValidationError(
                _(
                    "Too many password reset requests for this address or from this connection. "
                    "Please check your mailbox (and the spam folder) or try again in an hour."
                ),
                code="throttled",
            )
        return email

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True, is_staff=True)
        return (user for user in users if user.email.lower() == email.lower())

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(**kwargs)


class StaffLoginForm(AdminAuthenticationForm):
    """The admin login, which says when a username is being slowed down after many failed attempts
    (netzwerktimer.security) instead of calling a correct password wrong. The username or the e-mail
    address is accepted in any letter case."""

    def clean_username(self):
        return login_name(self.cleaned_data["username"])

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_throttled", False):
                raise forms.ValidationError(
                    _(
                        "There have been many failed logins for this user name, and a wrong password was "
                        "entered from this connection too, so from here only one attempt every %(seconds)s "
                        "seconds is accepted. Please wait a moment and try again, or use “Forgotten your "
                        "login credentials?”."
                    ),
                    code="throttled",
                    params={"seconds": settings.LOGIN_THROTTLE_SECONDS},
                ) from None
            raise
