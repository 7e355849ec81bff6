import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from PIL import Image as PillowImage

from campaigns.models import SessionCall, SessionCoHost
from events.models import CoOrganiserInvitation, CrossClusterWeek, Event, EventType
from images.models import Image
from images.services import image_create, image_prepare
from importer.models import FeedSource, ImportLink, ImportRun
from networks.models import ManagerPreference, Network, Topic
from outreach.models import DigestSubscription
from planning.models import DateHold
from venues.models import Venue


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")
    is_staff = True


class CoordinatorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def coordinator_group(self, create, extracted, **kwargs):
        if create:
            # Made by a data migration; browser tests (transactional) may have flushed it: made again alike.
            group, made = Group.objects.get_or_create(name="Koordination")
            if made:
                group.permissions.set(
                    Permission.objects.filter(content_type__app_label__in=["networks", "events", "importer"])
                )
            self.groups.add(group)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class EventTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventType

    name = factory.Sequence(lambda n: f"Format {n}")
    slug = factory.Sequence(lambda n: f"format-{n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Testnetzwerk {n} e.V.")
    short_name = factory.Sequence(lambda n: f"TN{n}")
    slug = factory.Sequence(lambda n: f"testnetzwerk-{n}")
    is_ccit_member = True


class WeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossClusterWeek

    title = factory.Sequence(lambda n: f"Cross-Cluster-Woche {2030 + n}")
    slug = factory.Sequence(lambda n: f"ccw-{2030 + n}")
    motto = "Gemeinsam wachsen"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda w: w.starts_on + datetime.timedelta(days=4))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Fachforum Digitalisierung {n}")
    description = "<p>Vorträge und Austausch für Unternehmen.</p>"
    starts_at = factory.LazyFunction(
        lambda: (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=2))
    owner = factory.SubFactory(NetworkFactory)
    venue_name = "Technologie- und Gründerzentrum"
    city = "Jena"
    postcode = "07745"
    region = "jena"
    publication = Event.Publication.PUBLISHED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def co_organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_organisers.set(extracted)


def picture_bytes(size=(1600, 900), image_format="JPEG", color=(30, 90, 160), **save_options):
    """An image made here with Pillow: a plain field with a lighter square, so renditions differ in size."""
    picture = PillowImage.new("RGB", size, color)
    picture.paste((240, 200, 40), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **save_options)
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A stored image, made the way the forms make one (prepared, re-encoded, in storage)."""

    class Meta:
        model = Image

    alt_text = "Teilnehmende an Stehtischen im Foyer"
    credit = "Foto: Maria Muster"

    @classmethod
    def _create(cls, model_class, *, alt_text, credit, size=(1600, 900), source_url="", **kwargs):
        prepared = image_prepare(picture_bytes(size))
        return image_create(prepared=prepared, alt_text=alt_text, credit=credit, source_url=source_url)


# -- events: invitations --


class CoOrganiserInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoOrganiserInvitation

    event = factory.SubFactory(EventFactory)
    network = factory.SubFactory(NetworkFactory)


# -- networks --


class ManagerPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagerPreference

    user = factory.SubFactory(UserFactory)


# -- planning --


class DateHoldFactory(factory.django.DjangoModelFactory):
    """A network holds a date: by default a morning three days from now."""

    class Meta:
        model = DateHold

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Vormerkung {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda hold: hold.starts_at + datetime.timedelta(hours=3))


# -- campaigns --


class SessionCallFactory(factory.django.DjangoModelFactory):
    """A call for sessions for a week, open for another week."""

    class Meta:
        model = SessionCall

    week = factory.SubFactory(WeekFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class SessionCoHostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionCoHost

    network = factory.SubFactory(NetworkFactory)


# -- importer --


class FeedSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedSource

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Kalender {n}")
    url = factory.Sequence(lambda n: f"https://netzwerk-{n}.example.org/kalender.ics")


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    source = factory.SubFactory(FeedSourceFactory)


class ImportLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportLink

    source = factory.SubFactory(FeedSourceFactory)
    external_uid = factory.Sequence(lambda n: f"uid-{n}@example.org")


# -- outreach --


class DigestSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSubscription

    email = factory.Sequence(lambda n: f"leser{n}@example.org")


# -- venues --


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Technologie- und Gründerzentrum {n}")
    street = "Moritz-von-Rohr-Straße 1a"
    postcode = "07745"
    city = "Jena"
    region = "jena"
