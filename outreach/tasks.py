"""Celery tasks: thin shells around outreach.services, safe to run twice."""

from celery import shared_task

from outreach import services


@shared_task(name="outreach.send_weekly_digests", soft_time_limit=50 * 60, time_limit=55 * 60)
def send_weekly_digests():
    return services.digests_send_weekly()


@shared_task(name="outreach.purge_unconfirmed", soft_time_limit=5 * 60, time_limit=6 * 60)
def purge_unconfirmed():
    return services.digests_purge()
