import datetime
import math

import factory
from django.contrib.gis.geos import Point

from structures.enums import Jour, Rubrique, TypeAccueil
from structures.geo import EARTH_KM_PER_DEGREE
from structures.imports import page_caf_fr
from structures.models import Caf, Commune, Departement, Horaire, Organisme, Structure
from structures.text import normalize


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = "43"
    nom = "Haute-Loire"
    type_liaison = 3

    caf = factory.RelatedFactory(
        "structures.tests.factories.CafFactory", factory_related_name="departement",
    )


class CafFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caf
        django_get_or_create = ("departement",)

    nom = factory.LazyAttribute(lambda o: f"Caf {o.departement.nom_avec_liaison}")
    email_habilitations = factory.LazyAttribute(lambda o: f"habilitations.caf{o.departement.code}@example.fr")
    page_caf_fr = factory.LazyAttribute(lambda o: page_caf_fr(o.departement))


# Real communes around Le Puy-en-Velay, with their real points (from the 2022 file).
COMMUNES = {
    "43157": ("Le Puy-en-Velay", "43000", 18540, 3.89535229067, 45.0276366659),
    "43089": ("Espaly-Saint-Marcel", "43000", 3500, 3.86529, 45.04803),
    "43041": ("Brives-Charensac", "43700", 4200, 3.92583, 45.04653),
    "43268": ("Yssingeaux", "43200", 7000, 4.12352, 45.14203),
    "43040": ("Brioude", "43100", 6700, 3.40116, 45.29383),
    "64445": ("Pau", "64000", 76000, -0.35084, 43.30189),
}


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code_insee",)

    code_insee = "43157"
    nom = factory.LazyAttribute(lambda o: COMMUNES.get(o.code_insee, ("Commune",))[0])
    nom_normalise = factory.LazyAttribute(lambda o: normalize(o.nom))
    departement = factory.SubFactory(DepartementFactory, code=factory.LazyAttribute(lambda o: o.factory_parent.code_insee[:2]))
    codes_postaux = factory.LazyAttribute(lambda o: COMMUNES.get(o.code_insee, ("", "00000"))[1])
    population = factory.LazyAttribute(lambda o: COMMUNES.get(o.code_insee, ("", "", 100))[2])
    point = factory.LazyAttribute(
        lambda o: Point(*COMMUNES.get(o.code_insee, ("", "", 0, 3.9, 45.0))[3:], srid=4326)
    )


class OrganismeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisme

    nom = factory.Sequence(lambda n: f"Organisme {n}")


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        skip_postgeneration_save = True

    class Params:
        creche = factory.Trait(rubrique=Rubrique.EAJE, type_accueil=TypeAccueil.COLLECTIF, financement_psu=True)
        complete = factory.Trait(places_disponibles=0)
        ouverte_le_samedi = factory.Trait(
            samedi=factory.RelatedFactory(
                "structures.tests.factories.HoraireFactory", factory_related_name="structure", jour=Jour.SAMEDI
            )
        )
        fermee = factory.Trait(fermee_le=datetime.date(2026, 1, 1))
        avip = factory.Trait(
            rubrique=Rubrique.EAJE, type_accueil=TypeAccueil.COLLECTIF, financement_psu=True, capacite=40,
            avip_depuis=datetime.date(2024, 9, 1), avip_places=10, avip_partenaire="France Travail",
        )

    rubrique = Rubrique.ASSMAT
    nom = factory.Sequence(lambda n: f"Structure {n}")
    commune = factory.SubFactory(CommuneFactory)
    code_postal = factory.LazyAttribute(lambda o: o.commune.code_postal_principal)
    adresse = "1 place du Breuil"
    point = factory.LazyAttribute(lambda o: o.commune.point)
    places_disponibles = 2
    # An assistant maternel is public only with consent: the factory's ones have given it.
    consentement_publication_le = factory.Maybe(
        factory.LazyAttribute(lambda o: o.rubrique == Rubrique.ASSMAT),
        yes_declaration=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), no_declaration=None,
    )
    consentement_publication_version = factory.Maybe(
        factory.LazyAttribute(lambda o: o.rubrique == Rubrique.ASSMAT), yes_declaration="2026-11", no_declaration="",
    )


class HoraireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Horaire

    structure = factory.SubFactory(StructureFactory)
    jour = Jour.LUNDI
    ouverture = datetime.time(8, 0)
    fermeture = datetime.time(18, 0)


def point_at_km(origin: Point, km_east: float, km_north: float = 0.0) -> Point:
    """A point at a given offset from origin, for distances a test can reason about."""
    return Point(
        origin.x + km_east / (EARTH_KM_PER_DEGREE * math.cos(math.radians(origin.y))),
        origin.y + km_north / EARTH_KM_PER_DEGREE,
        srid=4326,
    )
