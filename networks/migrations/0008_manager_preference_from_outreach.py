# The manager's e-mail language moved from outreach to networks (every app's mails read it): the
# rows stay (the table is renamed), and the content type moves along with its permissions.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="outreach", new="networks"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=old, model="managerpreference").exists():
        # A content type made for the new place before this ran holds nothing yet; the old one
        # carries the permissions given to groups, so it is the one that stays.
        ContentType.objects.filter(app_label=new, model="managerpreference").delete()
        ContentType.objects.filter(app_label=old, model="managerpreference").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="networks", new="outreach")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("networks", "0007_networks_alphabetical"),
        ("outreach", "0002_coordinator_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ManagerPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[("de", "German"), ("en", "English")],
                                default="de",
                                max_length=5,
                                verbose_name="language of e-mails",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="manager_preference",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "e-mail language",
                        "verbose_name_plural": "e-mail languages",
                        "db_table": "outreach_managerpreference",
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AlterModelTable(name="managerpreference", table=None),
    ]
