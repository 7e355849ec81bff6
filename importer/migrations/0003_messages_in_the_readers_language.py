"""Run messages and review reasons become importer messages (JSON) that are translated when shown.

A text column cannot be cast to JSON in place (PostgreSQL refuses text that is not JSON), so each
field is copied into a new JSON column, where existing text stays as it was written.
"""

from django.db import migrations, models


def copy_text(apps, schema_editor):
    FeedSource = apps.get_model("importer", "FeedSource")
    ImportRun = apps.get_model("importer", "ImportRun")
    for source in FeedSource.objects.exclude(review_reason="").only("review_reason"):
        FeedSource.objects.filter(pk=source.pk).update(review_reason_json=source.review_reason)
    for run in ImportRun.objects.exclude(message="").only("message").iterator():
        ImportRun.objects.filter(pk=run.pk).update(message_json=run.message)


def copy_back(apps, schema_editor):
    FeedSource = apps.get_model("importer", "FeedSource")
    ImportRun = apps.get_model("importer", "ImportRun")
    from importer.messages import in_english

    for source in FeedSource.objects.only("review_reason_json"):
        FeedSource.objects.filter(pk=source.pk).update(review_reason=in_english(source.review_reason_json))
    for run in ImportRun.objects.only("message_json").iterator():
        ImportRun.objects.filter(pk=run.pk).update(message=in_english(run.message_json))


class Migration(migrations.Migration):
    dependencies = [("importer", "0002_links_and_failure_kind")]

    operations = [
        migrations.AddField(
            model_name="feedsource",
            name="review_reason_json",
            field=models.JSONField(blank=True, default=str, editable=False, verbose_name="review reason"),
        ),
        migrations.AddField(
            model_name="importrun",
            name="message_json",
            field=models.JSONField(blank=True, default=str, verbose_name="message"),
        ),
        migrations.RunPython(copy_text, copy_back),
        migrations.RemoveField(model_name="feedsource", name="review_reason"),
        migrations.RemoveField(model_name="importrun", name="message"),
        migrations.RenameField(model_name="feedsource", old_name="review_reason_json", new_name="review_reason"),
        migrations.RenameField(model_name="importrun", old_name="message_json", new_name="message"),
    ]
