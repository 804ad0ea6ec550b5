"""The outbox is the notifications app's now: habilitations forgets the model (notifications.0001
takes the table, habilitations_notification, as it is, with its rows) and drops the old link."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("habilitations", "0006_notification_piece_jointe"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[migrations.RemoveField(model_name="notification", name="document")],
        ),
    ]
