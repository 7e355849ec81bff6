"""The report page in the admin and its downloads: the coordinator over all networks, a manager over its own."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from networks.models import user_is_coordinator
from networks.permissions import networks_for_user, user_manages_any_network
from reports.charts import bar_chart
from reports.exports import report_csv as build_csv
from reports.exports import report_xlsx as build_xlsx
from reports.forms import ReportPeriodForm
from reports.selectors import report_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def user_may_see_reports(user):
    return user_is_coordinator(user) or user_manages_any_network(user)


def _figures(request, form):
    if not user_may_see_reports(request.user):
        raise PermissionDenied
    if not form.is_valid():
        return None
    return report_figures(
        networks=networks_for_user(request.user),
        everything=user_is_coordinator(request.user),
        period=form.period_value(),
    )


def report(request):
    form = ReportPeriodForm(request.GET)
    figures = _figures(request, form)
    sections = []
    if figures is not None:
        sections = [{"table": table, "chart": bar_chart(table)} for table in figures.tables]
    context = {
        **admin.site.each_context(request),
        "title": _("Reports"),
        "form": form,
        "figures": figures,
        "sections": sections,
        "query": request.GET.urlencode() if not form.bound_from_defaults else f"period=year&year={form.data['year']}",
    }
    return render(request, "admin/reports/report.html", context, status=200 if figures is not None else 400)


def _download(request, *, extension, content_type, build):
    form = ReportPeriodForm(request.GET)
    figures = _figures(request, form)
    if figures is None:
        return HttpResponseBadRequest(_("Please choose a valid period for the report."), content_type="text/plain")
    response = HttpResponse(build(figures), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bericht-{figures.period.file_slug}.{extension}"'
    return response


def report_csv(request):
    return _download(request, extension="csv", content_type="text/csv; charset=utf-8", build=build_csv)


def report_xlsx(request):
    return _download(request, extension="xlsx", content_type=XLSX, build=build_xlsx)
