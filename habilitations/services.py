"""Writes of the professional area: a structure's people keep their fiche current."""

from django.db import transaction
from django.utils import timezone

from structures.models import CreneauDisponible, Structure

AVAILABILITY_FIELDS = ("places_disponibles", "disponible_a_partir_du")


@transaction.atomic
def update_fiche(*, structure: Structure, form, creneaux: list[str] | None = None, confirme: bool = False) -> Structure:
    """Save a pro form; places and availability carry the date they were last confirmed."""
    now = timezone.now()
    changed = set(form.changed_data)
    structure = form.save(commit=False)
    if "places_disponibles" in changed or confirme:
        structure.places_mises_a_jour_le = now
    old_creneaux = set(structure.creneaux_disponibles.values_list("jour", "demi_journee"))
    new_creneaux = None
    if creneaux is not None:
        new_creneaux = {(int(code.split("-")[0]), code.split("-")[1]) for code in creneaux}
    if changed & set(AVAILABILITY_FIELDS) or confirme or (new_creneaux is not None and new_creneaux != old_creneaux):
        structure.disponibilite_mise_a_jour_le = now
        structure.rappel_disponibilite_envoye_le = None
    structure.save()
    form.save_m2m()
    if new_creneaux is not None and new_creneaux != old_creneaux:
        structure.creneaux_disponibles.all().delete()
        CreneauDisponible.objects.bulk_create(
            [CreneauDisponible(structure=structure, jour=j, demi_journee=d) for j, d in sorted(new_creneaux)]
        )
    return structure
