from django.db import migrations

# The expression must match what events.filters builds with
# SearchVector("search_text", config="german"), or PostgreSQL will not use it.
CREATE = (
    "CREATE INDEX IF NOT EXISTS event_search_german_idx ON events_event "
    "USING gin (to_tsvector('german'::regconfig, COALESCE((search_text)::text, '')))"
)
DROP = "DROP INDEX IF EXISTS event_search_german_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("events", "0003_reference_data")]
    operations = [migrations.RunPython(create_index, drop_index)]
