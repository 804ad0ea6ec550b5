from decimal import Decimal

from django.db import migrations


def reseed_cmg(apps, schema_editor):
    from simulateur.seed_cmg import seed_cmg

    Bareme = apps.get_model("simulateur", "Bareme")  # noqa: N806
    db = schema_editor.connection.alias  # the database being migrated (tests migrate two)
    # The first seed's CMG periods carried an unverified reference cost (11.25 € instead of 4.85 €):
    # replaced by the sourced ones. A period an administrator corrected since is kept.
    Bareme.objects.using(db).filter(dispositif="cmg_assmat", cout_horaire_reference=Decimal("11.25")).delete()
    seed_cmg(Bareme, apps.get_model("simulateur", "TauxEffort"), apps.get_model("simulateur", "SourceParametre"), using=db)


class Migration(migrations.Migration):
    dependencies = [("simulateur", "0003_cmg_sources")]

    operations = [migrations.RunPython(reseed_cmg, migrations.RunPython.noop)]
