from django.db import migrations


def besoin_et_alertes(apps, schema_editor):
    """The personal-data page says what becomes of the need a family states on the search page and of the alerts
    it saves — where its text is still the seeded one."""
    from guide.seed_pages_legales import REMPLACEMENTS_BESOIN_ET_ALERTES, remplacer_le_texte_d_origine

    remplacer_le_texte_d_origine(apps, schema_editor, REMPLACEMENTS_BESOIN_ET_ALERTES)


class Migration(migrations.Migration):
    dependencies = [("guide", "0011_suivi_des_demandes")]

    operations = [migrations.RunPython(besoin_et_alertes, migrations.RunPython.noop)]
