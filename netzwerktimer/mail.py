"""E-mails built from a pair of templates (plain text and HTML) in the reader's language: no tracking, no redirects."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def templated_message(*, to, subject, template, context, headers=None, language="de"):
    """The message of `template`.txt and `template`.html (e.g. "importer/mail/feed_alert"), rendered in `language`."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        subject = str(subject)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message
