from django.db import migrations


def seed(apps, schema_editor):
    from simulateur.seed import seed_psu as seed_baremes

    # The database being migrated: tests migrate two.
    seed_baremes(apps.get_model("simulateur", "Bareme"), apps.get_model("simulateur", "TauxEffort"),
                 using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("simulateur", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
