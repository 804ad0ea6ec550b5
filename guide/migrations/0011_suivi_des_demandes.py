from django.db import migrations


def suivi_des_demandes(apps, schema_editor):
    """The personal-data page names the family's follow-up link, from which it may withdraw its demande (gone
    with it) — where its text is still the seeded one."""
    from guide.seed_pages_legales import REMPLACEMENTS_SUIVI_DEMANDE, remplacer_le_texte_d_origine

    remplacer_le_texte_d_origine(apps, schema_editor, REMPLACEMENTS_SUIVI_DEMANDE)


class Migration(migrations.Migration):
    dependencies = [("guide", "0010_conservation_sauvegardes")]

    operations = [migrations.RunPython(suivi_des_demandes, migrations.RunPython.noop)]
