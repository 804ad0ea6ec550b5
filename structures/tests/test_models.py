"""Validation a CAF agent or a manager sees when a fiche is wrong."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from structures.enums import Rubrique
from structures.models import Horaire
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_postal_code_must_be_one_of_the_commune():
    structure = StructureFactory.build(commune=CommuneFactory(), code_postal="75001")
    assert errors_of(structure)["code_postal"] == ["Le code postal 75001 n'est pas celui du Puy-en-Velay (43000)."]


def test_point_outside_france_is_refused():
    structure = StructureFactory.build(commune=CommuneFactory(), point=Point(-0.12, 51.5, srid=4326))
    assert errors_of(structure)["point"] == ["La position est en dehors de la France (métropole et outre-mer)."]


def test_point_far_from_its_commune_is_refused():
    structure = StructureFactory.build(commune=CommuneFactory(), point=Point(2.35, 48.85, srid=4326))
    assert "vérifiez l'adresse ou la commune" in errors_of(structure)["point"][0]


def test_negative_places_are_refused_by_the_form_and_by_the_database():
    structure = StructureFactory.build(commune=CommuneFactory(), places_disponibles=-1)
    assert errors_of(structure)["places_disponibles"] == [
        "Le nombre de places disponibles ne peut pas être négatif."
    ]
    with pytest.raises(IntegrityError):
        structure.save()


def test_an_eaje_needs_its_type_and_only_an_eaje_has_one():
    assert "type_accueil" in errors_of(StructureFactory.build(commune=CommuneFactory(), rubrique=Rubrique.EAJE))
    relais = StructureFactory.build(commune=CommuneFactory(), rubrique=Rubrique.RPE, type_accueil="collectif")
    assert errors_of(relais)["type_accueil"] == ["Le type d'accueil ne concerne que les EAJE."]


def test_closing_before_opening_is_refused():
    horaire = Horaire(structure=StructureFactory(), jour=1, ouverture=datetime.time(18), fermeture=datetime.time(8))
    assert errors_of(horaire)["__all__"] == ["L'heure de fermeture doit être après l'heure d'ouverture."]


def test_ages_must_be_ordered():
    structure = StructureFactory.build(commune=CommuneFactory(), age_min_mois=36, age_max_mois=12)
    assert errors_of(structure)["__all__"] == ["L'âge minimum doit être inférieur ou égal à l'âge maximum."]


def test_a_valid_fiche_passes():
    StructureFactory.build(commune=CommuneFactory(), creche=True).full_clean(exclude=["commune"])
