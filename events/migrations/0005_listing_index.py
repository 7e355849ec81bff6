from django.db import migrations, models

# The topic and network filters join these tables by topic or network first; with
# (topic_id, event_id) PostgreSQL reads the matching event ids from the index alone.
THROUGH_INDEXES = [
    ("events_event_topics", "event_topics_topic_event_idx", "topic_id, event_id"),
    ("events_event_co_organisers", "event_coorg_network_event_idx", "network_id, event_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_fulltext_index"),
        ("importer", "0002_links_and_failure_kind"),
        ("networks", "0003_coordinator_group"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="event", name="event_pub_end_start_idx"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["publication", "ends_at", "starts_at"],
                include=("id", "owner", "format", "region", "event_type", "is_free", "updated_at", "revision"),
                name="event_listing_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(models.F("ends_at") - models.F("starts_at"), name="event_duration_idx"),
        ),
        *[
            migrations.RunSQL(f"CREATE INDEX {name} ON {table} ({columns})", f"DROP INDEX {name}")
            for table, name, columns in THROUGH_INDEXES
        ],
    ]
