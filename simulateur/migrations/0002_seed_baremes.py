from django.db import migrations


def seed(apps, schema_editor):
    from simulateur.seed import seed_psu as seed_baremes

    seed_baremes(apps.get_model("simulateur", "Bareme"), apps.get_model("simulateur", "TauxEffort"))


class Migration(migrations.Migration):
    dependencies = [("simulateur", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
