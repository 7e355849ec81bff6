from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR_GROUP = "Koordination"


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so that the group can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["networks", "events", "importer"])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_reference_data"),
        ("events", "0002_initial"),
        ("importer", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
