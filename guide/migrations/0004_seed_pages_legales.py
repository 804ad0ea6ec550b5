from django.db import migrations

from guide.seed_pages_legales import PAGES_LEGALES


def seed(apps, schema_editor):
    """The three legal pages and the publisher's row, once: an edited text is never overwritten."""
    # The database being migrated (tests migrate two; a test calling the function passes None).
    DB = schema_editor.connection.alias if schema_editor else "default"  # noqa: N806
    PageLegale = apps.get_model("guide", "PageLegale")
    for type_, fields in PAGES_LEGALES.items():
        PageLegale.objects.using(DB).get_or_create(type=type_, defaults=fields)
    apps.get_model("guide", "InformationsEditeur").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("guide", "0003_pages_legales")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
