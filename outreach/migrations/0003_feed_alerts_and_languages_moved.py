# FeedAlertState now belongs to importer, ManagerPreference to networks; their migrations took the
# tables over, so outreach only forgets the models.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_coordinator_permissions"),
        ("importer", "0006_feed_alert_state_from_outreach"),
        ("networks", "0008_manager_preference_from_outreach"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FeedAlertState"),
                migrations.DeleteModel(name="ManagerPreference"),
            ],
        ),
    ]
