from django.db import migrations

from guide.seed_pages_legales import seed_pages_legales


def seed(apps, schema_editor):
    """The three legal pages and the publisher's row, once: an edited text is never overwritten."""
    # The database being migrated (tests migrate two; a test calling the function passes None).
    DB = schema_editor.connection.alias if schema_editor else "default"  # noqa: N806
    seed_pages_legales(apps, DB)


class Migration(migrations.Migration):
    dependencies = [("guide", "0003_pages_legales")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
