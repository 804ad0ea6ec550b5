from django.db import migrations

from guide.seed import seed_pages


def seed(apps, schema_editor):
    """The guide's pages, once: `seed_pages` creates those not there yet, with the fields the model has here."""
    # The database being migrated (tests migrate two; a test calling the function passes None).
    DB = schema_editor.connection.alias if schema_editor else "default"  # noqa: N806
    seed_pages(apps, DB)


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
