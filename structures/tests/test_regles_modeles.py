"""Rules the admin forms used to hold, now on the models: full_clean enforces them for every writer."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from structures.enums import Rubrique
from structures.models import InitiativeLocale
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_only_relays_and_information_places_serve_communes():
    le_puy = CommuneFactory(code_insee="43157")
    creche = StructureFactory(creche=True, commune=le_puy)
    creche.communes_desservies_a_enregistrer = [le_puy]
    with pytest.raises(ValidationError, match="Seuls les relais"):
        creche.full_clean()
    relais = StructureFactory(rubrique=Rubrique.RPE, commune=le_puy)
    relais.communes_desservies.set([le_puy])
    relais.full_clean()
    relais.rubrique = Rubrique.LAEP  # the saved communes are checked too
    with pytest.raises(ValidationError, match="Seuls les relais"):
        relais.full_clean()


def test_an_information_place_serves_at_least_one_commune():
    le_puy = CommuneFactory(code_insee="43157")
    linf = StructureFactory(rubrique=Rubrique.LINF, commune=le_puy)
    with pytest.raises(ValidationError, match="au moins une commune"):
        linf.full_clean()
    linf.communes_desservies_a_enregistrer = [le_puy]
    linf.full_clean()


def test_an_initiative_names_communes_of_its_departement_only():
    le_puy, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="64445")
    initiative = InitiativeLocale.objects.create(departement=le_puy.departement, titre="Forum", texte="Forum",
                                                 debut=datetime.date(2026, 11, 1))
    initiative.communes.set([le_puy, pau])
    with pytest.raises(ValidationError, match="hors du département : Pau"):
        initiative.full_clean()
    initiative.communes_a_enregistrer = [le_puy]
    initiative.full_clean()
