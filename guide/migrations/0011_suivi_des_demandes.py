from django.db import migrations


def suivi_des_demandes(apps, schema_editor):
    """The personal-data page names the family's follow-up link, from which it may withdraw its demande (gone
    with it) — where its text is still the seeded one."""
    from guide.seed_pages_legales import REMPLACEMENTS_SUIVI_DEMANDE

    PageLegale = apps.get_model("guide", "PageLegale")  # noqa: N806
    for page in PageLegale.objects.using(schema_editor.connection.alias).filter(type="donnees-personnelles"):
        corps = page.corps
        for old, new in REMPLACEMENTS_SUIVI_DEMANDE:
            if new not in corps:  # the old text is the start of the new one: replaced once only
                corps = corps.replace(old, new)
        if corps != page.corps:
            page.corps = corps
            page.save(update_fields=["corps"])


class Migration(migrations.Migration):
    dependencies = [("guide", "0010_conservation_sauvegardes")]

    operations = [migrations.RunPython(suivi_des_demandes, migrations.RunPython.noop)]
