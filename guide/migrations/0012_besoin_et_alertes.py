from django.db import migrations


def besoin_et_alertes(apps, schema_editor):
    """The personal-data page says what becomes of the need a family states on the search page and of the alerts
    it saves — where its text is still the seeded one."""
    from guide.seed_pages_legales import REMPLACEMENTS_BESOIN_ET_ALERTES

    PageLegale = apps.get_model("guide", "PageLegale")  # noqa: N806
    for page in PageLegale.objects.using(schema_editor.connection.alias).filter(type="donnees-personnelles"):
        corps = page.corps
        for old, new in REMPLACEMENTS_BESOIN_ET_ALERTES:
            if new not in corps:  # the old text is the start of the new one: replaced once only
                corps = corps.replace(old, new)
        if corps != page.corps:
            page.corps = corps
            page.save(update_fields=["corps"])


class Migration(migrations.Migration):
    dependencies = [("guide", "0011_suivi_des_demandes")]

    operations = [migrations.RunPython(besoin_et_alertes, migrations.RunPython.noop)]
