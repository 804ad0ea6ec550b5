from django.db import migrations

from guide.seed import PAGES, SOURCES_COMMUNES


def seed(apps, schema_editor):
    # The database being migrated (tests migrate two; a test calling the function passes None).
    DB = schema_editor.connection.alias if schema_editor else "default"  # noqa: N806
    from structures.text import normalize

    PageGuide = apps.get_model("guide", "PageGuide")
    for page in PAGES:
        fields = {"sources": SOURCES_COMMUNES, "statut": "publiee", **page}
        fields["texte_normalise"] = normalize(f"{fields['titre']} {fields['chapo']} {fields['corps']}")
        PageGuide.objects.using(DB).get_or_create(slug=page["slug"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
