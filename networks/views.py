from django.contrib.auth.views import PasswordResetView
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import DetailView, ListView

from events.filters import EventFilter
from events.sanitize import html_to_text
from events.selectors import events_public
from events.share import page_share
from networks.forms import StaffPasswordResetForm
from networks.models import Network

NETWORK_EVENTS_SHOWN = 20


class NetworkListView(ListView):
    """The directory: members of the Cross-Cluster-Initiative first, then by short name whatever its case."""

    template_name = "networks/network_list.html"
    context_object_name = "networks"

    def get_queryset(self):
        return Network.objects.active().order_by("-is_ccit_member", Lower("short_name")).prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["share"] = page_share(self.request, gettext("Network directory"))
        return context


class NetworkDetailView(DetailView):
    template_name = "networks/network_detail.html"
    context_object_name = "network"

    def get_queryset(self):
        return Network.objects.active().prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upcoming = events_public().not_ended_before(timezone.now()).organised_by([self.object])
        context.update(
            events=upcoming[:NETWORK_EVENTS_SHOWN],
            event_count=upcoming.count(),
            ics_query=f"network={self.object.slug}",
            calendar_name=EventFilter.title_of({"network": [self.object]}),
            share=page_share(self.request, self.object.name, html_to_text(self.object.description)),
        )
        return context


class StaffPasswordResetView(PasswordResetView):
    """ "Forgotten your login credentials?" with its limits (the form counts per address and client)."""

    form_class = StaffPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
