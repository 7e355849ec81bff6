from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR_GROUP = "Koordination"


def grant_coordinators(apps, schema_editor):
    # As in networks.0003: permissions exist only after all migrations unless created here.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="outreach"))


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("networks", "0003_coordinator_group"),
    ]
    operations = [migrations.RunPython(grant_coordinators, migrations.RunPython.noop)]
