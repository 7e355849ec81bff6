from django.db import migrations

# The figures the initiative published for the weeks before the portal (see 0003_reference_data).
FIGURES = {
    "ccw-2020": {
        "published_events": 13,
        "published_participants": 500,
        "published_participants_qualifier": "more_than",
        "figures_source": "Rückblick der Cross-Cluster-Initiative Thüringen (cci-thueringen.de)",
    },
    "ccw-2021": {
        "published_events": 14,
        "published_participants": 800,
        "published_participants_qualifier": "about",
        "figures_source": "Rückblick der Cross-Cluster-Initiative Thüringen (cci-thueringen.de)",
    },
}


def load(apps, schema_editor):
    """Fill the figures only where the coordinator has entered none."""
    CrossClusterWeek = apps.get_model("events", "CrossClusterWeek")
    for slug, figures in FIGURES.items():
        CrossClusterWeek.objects.filter(
            slug=slug, published_events__isnull=True, published_participants__isnull=True
        ).update(**figures)


class Migration(migrations.Migration):
    dependencies = [("events", "0009_result_note_and_published_week_figures")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
