"""Demandes typed before the forms refused control characters: cleaned, so that an export never meets one."""

import re

from django.db import migrations
from django.db.models import Q

CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # as monenfant.validators, frozen here
# The databases search without NUL (PostgreSQL text cannot hold one, nor its regex name it).
SEARCH = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"
FIELDS = ["numero_allocataire", "jours_horaires", "prenom", "nom", "email", "telephone", "moment_prefere", "message"]


def clean(apps, schema_editor):
    # The database being migrated (tests migrate two; a test calling the function passes None).
    DB = schema_editor.connection.alias if schema_editor else "default"  # noqa: N806
    Demande = apps.get_model("demandes", "Demande")
    pattern = re.compile(CONTROL)
    touched = Q()
    for name in FIELDS:
        touched |= Q(**{f"{name}__regex": SEARCH})
    for demande in Demande.objects.using(DB).filter(touched).only("pk", *FIELDS).iterator():
        Demande.objects.using(DB).filter(pk=demande.pk).update(**{name: pattern.sub("", getattr(demande, name)) for name in FIELDS})


class Migration(migrations.Migration):
    dependencies = [("demandes", "0010_recapitulatif_besoins")]
    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
