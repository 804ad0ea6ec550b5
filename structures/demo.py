"""A realistic, idempotent demo directory around Le Puy-en-Velay (43) and Pau (64).

Deterministic (a fixed seed), keyed on (rubrique, nom, commune): running it twice changes nothing.
"""

import datetime
import math
import random
from decimal import Decimal

from django.contrib.gis.geos import Point
from django.db import transaction

from . import geo
from .enums import Jour, Rubrique, TypeAccueil
from .models import (
    CONSENTEMENT_VERSION,
    Commune,
    CreneauTravaille,
    DemiJournee,
    Horaire,
    InitiativeLocale,
    Organisme,
    Structure,
)
from .services import condenser_semaines

SEED = 43064

TERRITOIRES = {
    "43": {
        "centre": "43157",
        "communes": ["43157", "43089", "43002", "43251", "43041", "43046", "43152", "43078", "43190",
                     "43268", "43137", "43040", "43084"],
        "rues": ["rue des Capucins", "boulevard Maréchal-Fayolle", "avenue de la Dentelle", "rue Pannessac",
                 "avenue Charles-Dupuy", "rue du Collège", "chemin de Fontaine", "place du Breuil",
                 "rue Chèvrerie", "avenue d'Aiguilhe", "rue de la Gazelle", "rue Saint-Jacques"],
        "intercommunalite": "Communauté d'agglomération du Puy-en-Velay",
        "pays": "du Velay",
    },
    "64": {
        "centre": "64445",
        "communes": ["64445", "64335", "64129", "64348", "64284", "64230", "64237", "64269", "64329",
                     "64132", "64373", "64102", "64422", "64430"],
        "rues": ["rue Serviez", "boulevard des Pyrénées", "avenue Jean-Mermoz", "rue Bernadotte",
                 "avenue du Général-Leclerc", "rue Carnot", "cours Bosquet", "rue Montpensier",
                 "avenue de Lons", "rue d'Étigny", "chemin de Ronde", "place de Verdun"],
        "intercommunalite": "Communauté d'agglomération Pau Béarn Pyrénées",
        "pays": "du Béarn",
    },
}

NOMS_EAJE = ["Les P'tits Loups", "Les Coccinelles", "Pomme d'Api", "Les Lutins", "Les Galipettes",
             "L'Île aux enfants", "Les Bout'chou", "Le Petit Prince", "Les Marmousets", "Les Oursons",
             "La Ribambelle", "Les Libellules"]
PRENOMS = ["Marie", "Nathalie", "Sandrine", "Isabelle", "Céline", "Sophie", "Aurélie", "Laetitia",
           "Christine", "Émilie", "Véronique", "Karine", "Julie", "Stéphanie", "Amandine", "Patricia"]
NOMS_FAMILLE = ["Martin", "Bernard", "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
                "Fontaine", "Rousseau", "Vincent", "Chevalier", "Laborde", "Etcheverry", "Lacoste", "Boyer"]

HORAIRES = {
    "creche": [(j, "07:30", "18:30") for j in range(1, 6)],
    "creche_samedi": [(j, "06:30", "20:00") for j in range(1, 6)] + [(Jour.SAMEDI, "08:00", "13:00")],
    "rpe": [(2, "09:00", "12:00"), (2, "13:30", "17:00"), (4, "09:00", "12:00"), (4, "13:30", "18:00"),
            (5, "09:00", "12:00")],
    "laep": [(3, "09:00", "11:30"), (Jour.SAMEDI, "09:30", "11:30")],
    "alsh": [(3, "07:30", "18:30")],
    "assmat": [(j, "07:00", "19:00") for j in range(1, 6)],
    "linf": [(j, "09:00", "12:00") for j in range(1, 6)] + [(j, "14:00", "17:00") for j in (1, 2, 4)],
}


def _near(rng: random.Random, point: Point, max_km: float = 1.5) -> Point:
    dlat = rng.uniform(-max_km, max_km) / geo.EARTH_KM_PER_DEGREE
    dlon = rng.uniform(-max_km, max_km) / (geo.EARTH_KM_PER_DEGREE * 0.71)
    return Point(round(point.x + dlon, 6), round(point.y + dlat, 6), srid=4326)


def _phone(rng: random.Random, departement: str, mobile: bool = False) -> str:
    # Real numbering zones: 04 71 in Haute-Loire, 05 59 in Pyrénées-Atlantiques.
    prefix = f"06 {rng.randint(10, 99)}" if mobile else {"43": "04 71", "64": "05 59"}[departement]
    return prefix + "".join(f" {rng.randint(10, 99)}" for _ in range(3))


def _avip(i: int, k: int, capacite: int, dep: str) -> dict:
    """The collective crèches of the first communes are labelled AVIP (20 % of their places or more)."""
    if (i + k) % 4 != 0 or i > 4:
        return {"avip_depuis": None, "avip_jusqu_au": None, "avip_places": None, "avip_partenaire": ""}
    partenaire = {"43": "France Travail Le Puy-en-Velay", "64": "France Travail Pau"}[dep]
    return {"avip_depuis": datetime.date(2024, 9, 1), "avip_jusqu_au": None,
            "avip_places": math.ceil(capacite * 0.25), "avip_partenaire": partenaire if i % 2 == 0 else "Mission locale"}


def _rng_de(nom: str, commune: Commune) -> random.Random:
    """A generator of its own for one fiche's later details (places by age, prices, confirmation): drawing them from
    the shared generator would change every fiche drawn after."""
    return random.Random(f"{SEED}-{nom}-{commune.code_insee}")


def _euros(rng: random.Random, de: float, a: float) -> Decimal:
    return Decimal(rng.randint(round(de * 100), round(a * 100))) / 100


def _confirmee_le(rng: random.Random, now: datetime.datetime) -> datetime.datetime | None:
    """Confirmed at some time in the last six months, or (one in five) never."""
    if rng.random() < 0.2:
        return None
    return now - datetime.timedelta(days=rng.randint(0, 182), hours=rng.randint(0, 9))


def _details_creche(structure: Structure, now: datetime.datetime) -> None:
    """Most crèches split their places by age group; a micro-crèche outside the PSU has an hourly price."""
    rng = _rng_de(structure.nom, structure.commune)
    details = {"informations_confirmees_le": _confirmee_le(rng, now), "places_bebes": None, "places_moyens": None,
               "places_grands": None, "tarif_horaire": None}
    if rng.random() < 0.75:
        places = structure.places_disponibles or 0
        bebes = rng.randint(0, places)
        moyens = rng.randint(0, places - bebes)
        details.update(places_bebes=bebes, places_moyens=moyens, places_grands=places - bebes - moyens)
    if structure.type_accueil == TypeAccueil.MICRO_CRECHE and not structure.financement_psu:
        details["tarif_horaire"] = _euros(rng, 8.5, 11)
    Structure.objects.filter(pk=structure.pk).update(**details)


def _details_assmat(structure: Structure, now: datetime.datetime) -> None:
    """An assistant maternel's net hourly salary, allowances and meal price (one in four: the parents bring the
    meals), and when they confirmed their fiche."""
    rng = _rng_de(structure.nom, structure.commune)
    Structure.objects.filter(pk=structure.pk).update(
        tarif_horaire=_euros(rng, 4, 5.5), indemnite_entretien=_euros(rng, 3.5, 4.5),
        prix_repas=None if rng.random() < 0.25 else _euros(rng, 3, 5),
        informations_confirmees_le=_confirmee_le(rng, now),
    )


def _upsert(*, rubrique, nom, commune, horaires, communes_desservies=(), **fields) -> Structure:
    structure, _ = Structure.objects.update_or_create(
        rubrique=rubrique, nom=nom, commune=commune, defaults=fields
    )
    if communes_desservies:
        structure.communes_desservies_a_enregistrer = list(communes_desservies)
    structure.full_clean()
    structure.horaires.all().delete()
    Horaire.objects.bulk_create(
        [Horaire(structure=structure, jour=j, ouverture=o, fermeture=f) for j, o, f in horaires]
    )
    condenser_semaines([structure.pk])
    if communes_desservies:
        structure.communes_desservies.set(communes_desservies)
    return structure


def _organismes(rng, dep: str, territoire: dict, centre: Commune):
    agglo, _ = Organisme.objects.get_or_create(
        nom=territoire["intercommunalite"],
        defaults={"adresse": f"1 {territoire['rues'][0]}", "commune": centre,
                  "telephone": _phone(rng, dep), "email": f"petite-enfance@agglo{dep}.example.fr"},
    )
    association, _ = Organisme.objects.get_or_create(
        nom=f"Association Familles {territoire['pays'][3:]}",
        defaults={"commune": centre, "email": f"contact@familles{dep}.example.fr"},
    )
    entreprise, _ = Organisme.objects.get_or_create(
        nom="Petits Pas Crèches SAS", defaults={"email": "contact@petitspas.example.fr"}
    )
    return agglo, association, entreprise


def _eajes(rng, now, dep, adresse, i, commune, centre, agglo, association, entreprise) -> int:
    count = 0
    for k in range(2 if commune == centre else 1):
        type_accueil = [TypeAccueil.COLLECTIF, TypeAccueil.MICRO_CRECHE, TypeAccueil.FAMILIAL,
                        TypeAccueil.PARENTAL][(i + k) % 4]
        prefix = {"collectif": "Multi-accueil", "micro_creche": "Micro-crèche",
                  "familial": "Crèche familiale", "parental": "Crèche parentale"}[type_accueil]
        rue, cp, point = adresse(commune)
        capacite = {"micro_creche": 12, "familial": 30, "parental": 16}.get(type_accueil, rng.choice([24, 40, 60]))
        atypique = (i + k) % 3 == 0
        creche = _upsert(
            rubrique=Rubrique.EAJE, nom=f"{prefix} {NOMS_EAJE[(i * 2 + k) % len(NOMS_EAJE)]}", commune=commune,
            type_accueil=type_accueil,
            # Every other micro-crèche is outside the PSU (PAJE): it sets its own hourly price.
            financement_psu=type_accueil != TypeAccueil.MICRO_CRECHE or (i // 4) % 2 == 1,
            organisme=entreprise if type_accueil == TypeAccueil.MICRO_CRECHE else (association if type_accueil == TypeAccueil.PARENTAL else agglo),
            adresse=rue, code_postal=cp, point=point, telephone=_phone(rng, dep),
            email=f"accueil{i}{k}@creches{dep}.example.fr",
            presentation=(
                f"{prefix} de {capacite} places à {commune.nom}, pour les enfants de 10 semaines à 4 ans. "
                "Une équipe d'auxiliaires de puériculture et d'éducateurs de jeunes enfants accueille "
                "votre enfant en accueil régulier ou occasionnel. Repas et couches fournis."
            ),
            age_min_mois=2, age_max_mois=48, capacite=capacite,
            accueil_handicap=(i + k) % 2 == 0, horaires_atypiques=atypique,
            places_disponibles=rng.choice([0, 0, 1, 2, 3, 5]), places_mises_a_jour_le=now,
            horaires=HORAIRES["creche_samedi" if atypique else "creche"],
            **_avip(i, k, capacite, dep),
        )
        _details_creche(creche, now)
        count += 1
    return count


def _assmats(rng, now, dep, adresse, commune, centre) -> int:
    count = 0
    for k in range(3 if commune == centre else 2):
        prenom, nom_famille = rng.choice(PRENOMS), rng.choice(NOMS_FAMILLE)
        rue, cp, point = adresse(commune)
        assistant = _upsert(
            rubrique=Rubrique.ASSMAT, nom=f"{prenom} {nom_famille}", commune=commune,
            adresse=rue, code_postal=cp, point=point, telephone=_phone(rng, dep, mobile=True),
            presentation=(
                f"Assistante maternelle agréée depuis {rng.randint(2005, 2022)}, j'accueille jusqu'à "
                f"{rng.choice([3, 4])} enfants dans une maison avec jardin. Activités d'éveil, sorties au relais."
            ),
            age_min_mois=0, age_max_mois=72, capacite=rng.choice([3, 4]),
            horaires_atypiques=k == 0, accueil_handicap=k == 1,
            places_disponibles=rng.choice([0, 1, 1, 2]), places_mises_a_jour_le=now,
            horaires=HORAIRES["assmat"],
            # Public only with consent: the third one of the central commune has not given it yet.
            consentement_publication_le=now if k < 2 else None,
            consentement_publication_version=CONSENTEMENT_VERSION if k < 2 else "",
        )
        # The half-days they work, as they declare them in /pro/: their hours, and Saturday morning for the one
        # with horaires atypiques (found by "Ouvert le samedi").
        travail = [(j, d) for j in range(1, 6) for d in DemiJournee] + ([(Jour.SAMEDI, DemiJournee.MATIN)] if k == 0 else [])
        _details_assmat(assistant, now)
        assistant.creneaux_travailles.all().delete()
        CreneauTravaille.objects.bulk_create(
            [CreneauTravaille(structure=assistant, jour=j, demi_journee=d) for j, d in travail])
        count += 1
    return count


def _relais_et_linf(rng, dep, territoire, adresse, centre, voisines, agglo) -> int:
    """The relais, and the same relais as an information place: two fiches."""
    rue, cp, point = adresse(centre)
    rpe_fields = dict(
        organisme=agglo, adresse=rue, code_postal=cp, point=point, telephone=_phone(rng, dep),
        email=f"relais@agglo{dep}.example.fr", site_web=f"https://www.agglo{dep}.example.fr/relais",
        communes_desservies=voisines,
    )
    _upsert(
        rubrique=Rubrique.RPE, nom=f"Relais petite enfance {territoire['pays']}", commune=centre,
        presentation=(
            "Le relais informe les parents sur les modes d'accueil, accompagne les assistants maternels "
            "et propose des ateliers d'éveil. Rendez-vous sur place ou par téléphone."
        ),
        horaires=HORAIRES["rpe"], **rpe_fields,
    )
    # The same relais is also an information place: a second fiche, rubrique LINF.
    _upsert(
        rubrique=Rubrique.LINF, nom=f"Point information familles {territoire['pays']}", commune=centre,
        presentation=(
            "Lieu d'information sur tous les modes d'accueil du territoire : crèches, assistants maternels, "
            "garde à domicile. Vous pouvez aussi nous écrire depuis ce site."
        ),
        horaires=HORAIRES["linf"], **rpe_fields,
    )
    return 2


def _laep_et_alsh(rng, now, dep, adresse, voisines, agglo, association) -> int:
    count = 0
    for k, commune in enumerate(voisines[:2]):
        rue, cp, point = adresse(commune)
        _upsert(
            rubrique=Rubrique.LAEP, nom=f"LAEP {['La Parenthèse', 'Les Petits Pas'][k]}", commune=commune,
            organisme=association, adresse=rue, code_postal=cp, point=point, telephone=_phone(rng, dep),
            presentation="Un lieu pour jouer et rencontrer d'autres parents, sans inscription, anonyme et gratuit.",
            age_min_mois=0, age_max_mois=72, horaires=HORAIRES["laep"],
        )
        rue, cp, point = adresse(commune)
        _upsert(
            rubrique=Rubrique.ALSH, nom=f"Accueil de loisirs {commune.nom}", commune=commune,
            organisme=agglo, adresse=rue, code_postal=cp, point=point, telephone=_phone(rng, dep),
            presentation="Le mercredi et pendant les vacances scolaires, pour les enfants de 3 à 11 ans.",
            age_min_mois=36, age_max_mois=143, capacite=80, places_disponibles=rng.choice([0, 4, 10]),
            places_mises_a_jour_le=now, horaires=HORAIRES["alsh"],
        )
        count += 2
    return count


def _initiatives() -> None:
    # One initiative of each demo CAF, shown beside search results and on the département page.
    for dep, titre, texte in (
        ("43", "Semaine de la petite enfance au Puy-en-Velay",
         "Ateliers d'éveil et rencontres avec les professionnels de l'accueil, dans les relais du Velay."),
        ("64", "Forum de l'accueil du jeune enfant à Pau",
         "Crèches, relais et assistants maternels répondent à vos questions, au Parvis de Pau."),
    ):
        InitiativeLocale.objects.update_or_create(
            departement_id=dep, titre=titre, defaults={"texte": texte, "debut": datetime.date(2026, 11, 1)},
        )


def _territoire(rng, now, dep: str, territoire: dict) -> int:
    communes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=territoire["communes"])}
    centre = communes[territoire["centre"]]
    voisines = [c for c in communes.values() if geo.haversine_km(c.point, centre.point) <= 15]
    agglo, association, entreprise = _organismes(rng, dep, territoire, centre)

    def adresse(commune):
        return f"{rng.randint(1, 60)} {rng.choice(territoire['rues'])}", commune.code_postal_principal, _near(rng, commune.point)

    count = 0
    for i, commune in enumerate(c for c in communes.values() if c in voisines or c == centre):
        count += _eajes(rng, now, dep, adresse, i, commune, centre, agglo, association, entreprise)
        count += _assmats(rng, now, dep, adresse, commune, centre)
    count += _relais_et_linf(rng, dep, territoire, adresse, centre, voisines, agglo)
    count += _laep_et_alsh(rng, now, dep, adresse, voisines, agglo, association)
    return count


@transaction.atomic
def build_demo() -> int:
    rng = random.Random(SEED)
    now = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    count = sum(_territoire(rng, now, dep, territoire) for dep, territoire in TERRITOIRES.items())
    _initiatives()
    return count
