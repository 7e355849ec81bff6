# Feed alerts moved from outreach into the importer: the model keeps its rows (the table is renamed),
# and its content type moves along, so that permissions and admin log entries stay attached.

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="outreach", new="importer"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=old, model="feedalertstate").exists():
        # A content type made for the new place before this ran holds nothing yet; the old one
        # carries the permissions given to groups, so it is the one that stays.
        ContentType.objects.filter(app_label=new, model="feedalertstate").delete()
        ContentType.objects.filter(app_label=old, model="feedalertstate").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="importer", new="outreach")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("importer", "0005_links_with_own_events"),
        ("outreach", "0002_coordinator_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FeedAlertState",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[("ok", "Working"), ("failing", "Failing"), ("review", "Flagged for review")],
                                default="ok",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        ("changed_at", models.DateTimeField(auto_now=True, verbose_name="changed")),
                        (
                            "source",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="alert_state",
                                to="importer.feedsource",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "feed alert state",
                        "verbose_name_plural": "feed alert states",
                        "db_table": "outreach_feedalertstate",
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AlterModelTable(name="feedalertstate", table=None),
    ]
