"""Widget, builder and the e-mail subscription pages: wiring only."""

import functools

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from events.filters import EventFilter
from netzwerktimer.caching import cached_public_page
from netzwerktimer.dates import event_when
from netzwerktimer.links import absolute_url
from outreach import services
from outreach.selectors import (
    NEWSLETTER_WEEKS,
    WIDGET_LAYOUTS,
    WIDGET_NUMBERS,
    WidgetOptions,
    newsletter_listing,
    newsletter_weeks,
    saved_filter_title,
    widget_listing,
)

# Widget routes may be framed by any site; all other pages keep frame-ancestors 'none' and DENY.
WIDGET_CSP = {"frame-ancestors": ["*"]}


def widget_route(view):
    """Framable, cookie-free and cached like the public pages, in the language the widget asks for.

    The headers are set outside the page cache, because the cache stores the view's response
    before the CSP and X-Frame-Options middleware see it.
    """
    # The page cache keeps the filter's parameters and these (netzwerktimer/caching.py); others are junk.
    view.canonical_query = EventFilter.canonicaliser(("number", "layout", "lang", "subscribe"))
    cached = cached_public_page(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        options = WidgetOptions.from_query(request.GET)
        with translation.override(options.language):
            response = cached(request, *args, **kwargs)
        response.xframe_options_exempt = True
        response._csp_replace = WIDGET_CSP
        response["Content-Language"] = options.language
        return response

    return require_safe(wrapper)


def _widget_context(request):
    options = WidgetOptions.from_query(request.GET)
    found, events = widget_listing(request.GET, number=options.number)
    filter_query = found.valid_query()
    list_url = absolute_url(reverse("events:list")) + (f"?{filter_query}" if filter_query else "")
    return options, found, events, list_url


def event_place(event):
    if event.format == "online":
        return _("Online")
    return ", ".join(part for part in (event.venue_name, event.city) if part)


@widget_route
def widget_page(request):
    options, found, events, list_url = _widget_context(request)
    return render(
        request,
        "outreach/widget.html",
        {
            "options": options,
            "events": [(event, absolute_url(event.get_absolute_url())) for event in events],
            "list_url": list_url,
            "subscribe_url": f"{list_url}#subscribe",
            "name": found.title(),
        },
    )


def widget_image(image):
    """A small JPEG for the detailed layout of widget.js (the embedding site's page shows it)."""
    if image is None or not image.renditions:
        return None
    rendition = image.rendition(480)
    return {
        "url": image.absolute_url(480),
        "alt": image.alt_text,
        "width": rendition["width"],
        "height": rendition["height"],
    }


@widget_route
def widget_data(request):
    """The widget's events as JSON for widget.js, texts already in the widget's language."""
    options, found, events, list_url = _widget_context(request)
    data = {
        "name": found.title(),
        "events": [
            {
                "title": event.title,
                "url": absolute_url(event.get_absolute_url()),
                "when": event_when(event),
                "place": event_place(event),
                "organisers": ", ".join(network.short_name for network in event.organisers),
                "status": event.status,
                "status_label": event.get_status_display() if event.status != "scheduled" else "",
                "image": widget_image(event.image),
            }
            for event in events
        ],
        "list_url": list_url,
        "subscribe_url": f"{list_url}#subscribe" if options.subscribe else None,
        "labels": {
            "empty": _("No upcoming events at the moment."),
            "subscribe": _("Subscribe to these events"),
            "more": _("All events on Netzwerk-Timer"),
            "new_tab": _("(opens in a new tab)"),
        },
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


class WidgetBuilderForm(forms.Form):
    number = forms.TypedChoiceField(
        label=gettext_lazy("Number of events"), choices=[(n, n) for n in WIDGET_NUMBERS], coerce=int, initial=5
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("Layout"),
        choices=list(zip(WIDGET_LAYOUTS, [gettext_lazy("Compact"), gettext_lazy("Detailed")], strict=True)),
        widget=forms.RadioSelect,
        initial="compact",
    )
    lang = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES, initial="de")
    subscribe = forms.BooleanField(label=gettext_lazy("Show a “subscribe” link"), required=False, initial=True)


@require_safe
def widget_builder(request):
    found = EventFilter(request.GET)
    filter_query = found.valid_query()
    options = WidgetOptions.from_query(request.GET)
    if "number" not in request.GET:
        options = WidgetOptions()
    form = WidgetBuilderForm(
        initial={
            "number": options.number,
            "layout": options.layout,
            "lang": options.language,
            "subscribe": options.subscribe,
        }
    )
    widget_query = QueryDict(filter_query, mutable=True)
    widget_query.update(options.as_query())
    widget_url = absolute_url(reverse("outreach:widget")) + "?" + widget_query.urlencode()
    script_url = absolute_url(settings.STATIC_URL + "js/widget.js")
    return render(
        request,
        "outreach/builder.html",
        {
            "form": form,
            "options": options,
            "filter_query": filter_query,
            "filter_fields": QueryDict(filter_query).lists(),
            "name": found.title(),
            "widget_url": widget_url,
            "script_url": script_url,
            "height": 120 + options.number * (110 if options.layout == "detailed" else 70),
        },
    )


class DigestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)


def _client(request):
    # The same client address as the admin's login lockout (django-axes), configured in one place.
    return get_client_ip_address(request) or ""


@require_http_methods(["GET", "HEAD", "POST"])
def digest_subscribe(request):
    query = request.POST if request.method == "POST" else request.GET
    found = EventFilter(query)
    filter_query = found.valid_query(drop=services.DIGEST_DROPPED_PARAMETERS)
    name = found.title(drop=services.DIGEST_DROPPED_PARAMETERS)
    form = DigestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_subscribe(email=form.cleaned_data["email"], query=query, client=_client(request))
        except ValidationError as error:
            if "email" in error.message_dict:
                form.add_error("email", _("Please enter a valid e-mail address."))
            else:
                form.add_error(None, _("This filter is too long for an e-mail subscription; please narrow it."))
        except services.RateLimited:
            form.add_error(None, _("Too many requests. Please try again in an hour."))
            status = 429
        except OSError:
            form.add_error(None, _("The confirmation e-mail could not be sent. Please try again later."))
            status = 503
        else:
            return render(request, "outreach/digest_requested.html", {"name": name})
    if request.method == "POST" and form.errors and status == 200:
        status = 400
    return render(
        request,
        "outreach/digest_subscribe.html",
        {
            "form": form,
            "name": name,
            "filter_fields": QueryDict(filter_query).lists(),
            "filter_query": filter_query,
            "unconfirmed_days": services.UNCONFIRMED_DAYS,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def digest_confirm(request, token):
    """GET shows a button, POST confirms: link scanners in mail programs only GET."""
    if request.method == "POST":
        row = services.digest_confirm(token=token)
    else:
        row = services.DigestSubscription.objects.filter(token=token).first()
    if row is None:
        return render(request, "outreach/digest_unknown.html", status=404)
    return render(
        request,
        "outreach/digest_confirm.html",
        {"row": row, "name": saved_filter_title(row.filter_query), "confirmed": row.confirmed_at is not None},
    )


@csrf_exempt  # RFC 8058 one-click: the mail program POSTs without a form; the token is the secret.
@require_http_methods(["GET", "HEAD", "POST"])
def digest_unsubscribe(request, token):
    if request.method == "POST":
        services.digest_unsubscribe(token=token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "outreach/digest_unsubscribed.html")
    row = services.DigestSubscription.objects.filter(token=token).first()
    if row is None:
        return render(request, "outreach/digest_unsubscribed.html")
    return render(
        request, "outreach/digest_unsubscribe.html", {"row": row, "name": saved_filter_title(row.filter_query)}
    )


# The e-mail-safe HTML block needs inline styles: allowed for that response alone, framed only by the portal.
NEWSLETTER_CSP = {"style-src": ["'unsafe-inline'"], "frame-ancestors": ["'self'"]}


def _newsletter_context(request):
    weeks = newsletter_weeks(request.GET)
    found, events = newsletter_listing(request.GET, weeks=weeks)
    filter_query = found.valid_query()
    list_url = settings.SITE_URL + reverse("events:list") + (f"?{filter_query}" if filter_query else "")
    return {
        "name": found.title(),
        "weeks": weeks,
        "filter_query": filter_query,
        "events": [(event, settings.SITE_URL + event.get_absolute_url()) for event in events],
        "list_url": list_url,
    }


def newsletter_output(template, content_type):
    def render_block(request):
        with translation.override("de"):
            response = render(request, template, _newsletter_context(request), content_type=content_type)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    render_block.canonical_query = EventFilter.canonicaliser(("weeks",))
    view = cached_public_page(render_block)

    @require_safe
    def wrapper(request):
        response = view(request)
        response._csp_replace = NEWSLETTER_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    return wrapper


newsletter_html = newsletter_output("outreach/newsletter_block.html", "text/html; charset=utf-8")
newsletter_text = newsletter_output("outreach/newsletter_block.txt", "text/plain; charset=utf-8")


@require_safe
def newsletter_builder(request):
    context = _newsletter_context(request)
    query = QueryDict(context["filter_query"], mutable=True)
    query["weeks"] = context["weeks"]
    with translation.override("de"):
        context.update(
            html_code=render_to_string("outreach/newsletter_block.html", context),
            text_code=render_to_string("outreach/newsletter_block.txt", context),
        )
    context.update(
        week_choices=NEWSLETTER_WEEKS,
        filter_fields=QueryDict(context["filter_query"]).lists(),
        html_url=absolute_url(reverse("outreach:newsletter_html")) + "?" + query.urlencode(),
        text_url=absolute_url(reverse("outreach:newsletter_text")) + "?" + query.urlencode(),
    )
    return render(request, "outreach/newsletter_builder.html", context)
