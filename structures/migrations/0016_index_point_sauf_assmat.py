"""PostGIS: a GiST index on the point of every fiche but the assistants maternels (one fiche in five).

A search for crèches walks the index in distance order (KNN, selectors.search_structures) and reads
each fiche to test its rubrique: in a dense area the general index made it read some 25 assistants
maternels for each crèche. `rubrique = 'EAJE'` implies `rubrique <> 'ASSMAT'`, so the planner takes
this one for any other rubrique. SpatiaLite has no such index (its search reads the R*Tree).
"""

from django.db import migrations

NOM = "structure_point_sauf_assmat"


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NOM} ON structures_structure USING gist (point) WHERE rubrique <> 'ASSMAT'")


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NOM}")


class Migration(migrations.Migration):
    dependencies = [("structures", "0015_creneaux_travailles")]

    operations = [migrations.RunPython(creer, supprimer, elidable=True)]
