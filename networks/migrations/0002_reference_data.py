from django.db import migrations

from networks.reference_data import NETWORKS, TOPICS


def load(apps, schema_editor):
    Topic = apps.get_model("networks", "Topic")
    Network = apps.get_model("networks", "Network")
    for name, slug in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    for short_name, name, slug, kind, website, member, topics, description in NETWORKS:
        network, _ = Network.objects.get_or_create(
            slug=slug,
            defaults={
                "short_name": short_name,
                "name": name,
                "kind": kind,
                "website": website,
                "is_ccit_member": member,
                "description": description,
            },
        )
        network.topics.add(*Topic.objects.filter(slug__in=topics))


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
