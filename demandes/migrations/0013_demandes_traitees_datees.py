"""Before the constraint "traitée ⟺ traitée_le": a traitée demande without its date takes its sending date;
a nouvelle demande with a date of treatment was treated (the date says so)."""

from django.db import migrations
from django.db.models import F


def dater(apps, schema_editor):
    Demande = apps.get_model("demandes", "Demande")
    db = schema_editor.connection.alias
    Demande.objects.using(db).filter(statut="traitee", traitee_le__isnull=True).update(traitee_le=F("cree_le"))
    Demande.objects.using(db).filter(statut="nouvelle", traitee_le__isnull=False).update(statut="traitee")


class Migration(migrations.Migration):

    dependencies = [
        ('demandes', '0012_alter_accesdemande_le_alter_accesdemande_user_and_more'),
    ]

    operations = [migrations.RunPython(dater, migrations.RunPython.noop)]
