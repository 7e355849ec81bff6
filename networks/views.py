from django.contrib.auth.views import PasswordResetView

from networks.forms import StaffPasswordResetForm


class StaffPasswordResetView(PasswordResetView):
    """ "Forgotten your login credentials?" with its limits (the form counts per address and client)."""

    form_class = StaffPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
