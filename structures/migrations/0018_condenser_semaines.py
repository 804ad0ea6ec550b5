"""Condense the week of every fiche that has opening hours or half-days with a place (besoin's ranking)."""

from django.db import migrations

from monenfant.migrations_ops import par_lots


def condenser(apps, schema_editor):
    from structures.services import semaine_condensee  # a pure function of the rows' values

    alias = schema_editor.connection.alias
    Structure = apps.get_model("structures", "Structure")
    Horaire = apps.get_model("structures", "Horaire")
    CreneauDisponible = apps.get_model("structures", "CreneauDisponible")

    def traiter(lot):
        ids = list(lot.values_list("pk", flat=True))
        horaires, creneaux = {}, {}
        for pk, *valeurs in Horaire.objects.using(alias).filter(structure__in=ids).values_list(
                "structure", "jour", "ouverture", "fermeture"):
            horaires.setdefault(pk, []).append(tuple(valeurs))
        for pk, *valeurs in CreneauDisponible.objects.using(alias).filter(structure__in=ids).values_list(
                "structure", "jour", "demi_journee"):
            creneaux.setdefault(pk, []).append(tuple(valeurs))
        fiches = []
        for pk in set(horaires) | set(creneaux):
            ouvertures, fermetures, demi = semaine_condensee(horaires.get(pk, []), creneaux.get(pk, []))
            fiches.append(Structure(pk=pk, ouvertures_condensees=ouvertures, fermetures_condensees=fermetures,
                                    demi_journees_disponibles=demi))
        Structure.objects.using(alias).bulk_update(
            fiches, ["ouvertures_condensees", "fermetures_condensees", "demi_journees_disponibles"], batch_size=500)
        return len(fiches)

    par_lots(Structure.objects.using(alias).all(), traiter, taille=2000)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("structures", "0017_besoin_des_familles")]

    operations = [migrations.RunPython(condenser, migrations.RunPython.noop)]
