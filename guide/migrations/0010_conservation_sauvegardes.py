from django.db import migrations


def conservation(apps, schema_editor):
    """The personal-data page names the backups (30 days), the servers' logs (14 days) and the connection
    control's counts (12 months) — where its text is still the seeded one."""
    from guide.seed_pages_legales import REMPLACEMENTS_DONNEES_PERSONNELLES

    PageLegale = apps.get_model("guide", "PageLegale")  # noqa: N806
    for page in PageLegale.objects.using(schema_editor.connection.alias).filter(type="donnees-personnelles"):
        corps = page.corps
        for old, new in REMPLACEMENTS_DONNEES_PERSONNELLES:
            corps = corps.replace(old, new)
        if corps != page.corps:
            page.corps = corps
            page.save(update_fields=["corps"])


class Migration(migrations.Migration):
    dependencies = [("guide", "0009_pages_jusqu_a_la_majorite")]

    operations = [migrations.RunPython(conservation, migrations.RunPython.noop)]
