import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from events.models import CrossClusterWeek, Event, EventType
from networks.models import Network, Topic


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
