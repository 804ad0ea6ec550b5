"""A family's need (the child's age, the start date, the days and hours of care) and how well each fiche fits it.

The search ranks by fit in the database: each fiche's week is kept condensed in three integers
(services.condenser_semaines) so that the fit is plain arithmetic on its row, on both backends. The words
beside a result ("mardi : ferme à 18 h") are written for the few fiches shown, from their real rows.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from monenfant.francais import date_longue, pluriel

from .enums import Jour, Rubrique
from .models import DELAI_DISPONIBILITE_OBSOLETE, DemiJournee

# Where the search page keeps a family's need, as typed (never in a URL): the alerts read it there too.
SESSION_BESOIN = "recherche_besoin"
# The condensed week: 7 bits a day (a quarter of an hour, 0 to 96), Monday in the lowest bits.
BITS_PAR_JOUR = 7
FERME = 127  # an opening quarter no need reaches: the day is closed
MIDI = datetime.time(12, 0)

# Age groups of a crèche's places (places_bebes, places_moyens, places_grands), in months.
TRANCHES = (("places_bebes", 0, 17, "bébés"), ("places_moyens", 18, 30, "moyens"), ("places_grands", 31, 999, "grands"))
AGE_MAX_MOIS = 216
ENFANTS_MAX = 20
RESSOURCES_MAX = Decimal(1_000_000)
JOURS_PAR_NOM = {j.label.lower(): j.value for j in Jour}
# Rubriques where a child is kept: the others (relays, LAEP, information places…) have no place to offer.
RUBRIQUES_D_ACCUEIL = (Rubrique.EAJE, Rubrique.MAM, Rubrique.ASSMAT)


class BesoinInvalide(ValueError):
    """A need a family typed wrong; the message is shown as is, `champ` names the field."""

    def __init__(self, message: str, champ: str):
        super().__init__(message)
        self.champ = champ


def minutes(heure: datetime.time) -> int:
    """Minutes since midnight."""
    return heure.hour * 60 + heure.minute


def duree(debut: datetime.time, fin: datetime.time) -> int:
    """Minutes from debut to fin, the same day."""
    return minutes(fin) - minutes(debut)


def quart(heure: datetime.time, *, vers_le_haut: bool = False) -> int:
    """The quarter of an hour (0 to 96) of a time; rounded up when asked (an opening at 7 h 50 counts from 8 h)."""
    return -(-minutes(heure) // 15) if vers_le_haut else minutes(heure) // 15


def bit_demi_journee(jour: int, apres_midi: bool) -> int:
    return 1 << ((jour - 1) * 2 + int(apres_midi))


def mois_entre(debut: datetime.date, fin: datetime.date) -> int:
    """Whole months from debut to fin (negative before it)."""
    mois = (fin.year - debut.year) * 12 + fin.month - debut.month
    if fin.day < debut.day:
        mois -= 1
    return mois


@dataclass(frozen=True)
class Besoin:
    """What a family needs. `naissance` is the birth date, or the expected one; without it, `age_mois` is the
    child's age today. Resources and children are optional: without them no cost is computed."""

    debut: datetime.date
    jours: tuple[int, ...]
    heure_debut: datetime.time
    heure_fin: datetime.time
    naissance: datetime.date | None = None
    age_mois: int | None = None
    ressources_mensuelles: Decimal | None = None
    enfants_a_charge: int | None = None

    def __post_init__(self):
        if self.naissance is None and self.age_mois is None:
            raise BesoinInvalide("Indiquez l'âge de l'enfant ou sa date de naissance (ou prévue).", "naissance")
        if self.naissance is not None and self.naissance > self.debut:
            raise BesoinInvalide("L'accueil commence avant la naissance : vérifiez les deux dates.", "debut")
        if not self.jours:
            raise BesoinInvalide("Cochez au moins un jour d'accueil.", "jours")
        if self.heure_fin <= self.heure_debut:
            raise BesoinInvalide("L'heure de fin doit être après l'heure de début.", "heure_fin")
        if (self.ressources_mensuelles is None) != (self.enfants_a_charge is None):
            champ = "enfants_a_charge" if self.enfants_a_charge is None else "ressources_mensuelles"
            raise BesoinInvalide("Pour estimer le coût, indiquez vos ressources et le nombre d'enfants à charge.", champ)

    @property
    def age_au_debut(self) -> int:
        """The child's age in months on the first day of care."""
        if self.naissance is not None:
            return max(0, mois_entre(self.naissance, self.debut))
        return self.age_mois + max(0, mois_entre(timezone.localdate(), self.debut))

    @property
    def tranche(self) -> tuple[str, int, int, str]:
        age = self.age_au_debut
        return next(t for t in TRANCHES if t[1] <= age <= t[2])

    @property
    def heures_par_jour(self) -> Decimal:
        return Decimal(duree(self.heure_debut, self.heure_fin)) / 60

    @property
    def heures_par_semaine(self) -> Decimal:
        return self.heures_par_jour * len(self.jours)

    @property
    def avec_cout(self) -> bool:
        return self.ressources_mensuelles is not None

    @property
    def demis_du_jour(self) -> tuple[bool, ...]:
        """The half-days of each day the need takes, as `apres_midi` flags: (False,) a morning, (False, True) both."""
        return tuple(apres_midi for apres_midi, voulu in ((False, self.heure_debut < MIDI), (True, self.heure_fin > MIDI))
                     if voulu)

    @property
    def demi_journees(self) -> int:
        """The half-days the need takes, as the mask of Structure.demi_journees_disponibles."""
        masque = 0
        for jour in self.jours:
            for apres_midi in self.demis_du_jour:
                masque |= bit_demi_journee(jour, apres_midi)
        return masque

    @property
    def jours_en_clair(self) -> str:
        return jours_en_clair(list(self.jours))

    @property
    def en_clair(self) -> str:
        """"Enfant de 4 mois le 1er mars 2027, du lundi au vendredi, de 8 h à 18 h"."""
        age = self.age_au_debut
        age_texte = f"{age} mois" if age < 24 else f"{age // 12} an{pluriel(age // 12)}"
        return (f"Enfant de {age_texte} le {date_longue(self.debut)}, {self.jours_en_clair}, "
                f"de {heure_en_clair(self.heure_debut)} à {heure_en_clair(self.heure_fin)}")

    def en_parametres(self) -> dict[str, str]:
        """The need as the search's parameters (links to the next page, the API)."""
        params = {"debut": self.debut.isoformat(), "jours": ",".join(str(j) for j in self.jours),
                  "heure_debut": self.heure_debut.strftime("%H:%M"), "heure_fin": self.heure_fin.strftime("%H:%M")}
        if self.naissance is not None:
            params["naissance"] = self.naissance.isoformat()
        else:
            params["age_enfant"] = str(self.age_mois)
        if self.avec_cout:
            params["ressources"] = str(self.ressources_mensuelles)
            params["enfants"] = str(self.enfants_a_charge)
        return params


def heure_en_clair(heure: datetime.time) -> str:
    """"8 h", "18 h 30"."""
    return f"{heure.hour} h" if not heure.minute else f"{heure.hour} h {heure.minute:02d}"


CHAMPS = ("naissance", "age_enfant", "debut", "jours", "heure_debut", "heure_fin", "ressources", "enfants")


def _date(params, nom: str, libelle: str) -> datetime.date | None:
    brut = str(params.get(nom, "") or "").strip()
    if not brut:
        return None
    try:
        valeur = datetime.date.fromisoformat(brut)
    except ValueError:
        try:
            valeur = datetime.datetime.strptime(brut, "%d/%m/%Y").date()
        except ValueError:
            raise BesoinInvalide(f"{libelle} : saisissez une date comme 01/03/2027.", nom) from None
    if not datetime.date(1990, 1, 1) <= valeur <= datetime.date(2100, 12, 31):
        raise BesoinInvalide(f"{libelle} : cette date n'est pas plausible.", nom)
    return valeur


def _heure(params, nom: str, libelle: str) -> datetime.time | None:
    brut = str(params.get(nom, "") or "").strip().lower().replace("h", ":").replace(" ", "")
    if not brut:
        return None
    if brut.endswith(":"):
        brut += "00"
    try:
        heures, _, minutes = brut.partition(":")
        return datetime.time(int(heures), int(minutes or 0))
    except (ValueError, OverflowError):  # "25:00", "x", or digits beyond any integer of C
        raise BesoinInvalide(f"{libelle} : saisissez une heure comme 8:00 ou 18:30.", nom) from None


def _entier(params, nom: str, libelle: str, maximum: int) -> int | None:
    brut = str(params.get(nom, "") or "").strip()
    if not brut:
        return None
    try:
        valeur = int(brut)
    except ValueError:
        raise BesoinInvalide(f"{libelle} : saisissez un nombre entier.", nom) from None
    if not 0 <= valeur <= maximum:
        raise BesoinInvalide(f"{libelle} : saisissez un nombre entre 0 et {maximum}.", nom)
    return valeur


def _jours(params) -> tuple[int, ...]:
    valeurs = params.getlist("jours") if hasattr(params, "getlist") else [params.get("jours", "")]
    jours = set()
    for morceau in ",".join(str(v) for v in valeurs).split(","):
        morceau = morceau.strip().lower()
        if not morceau:
            continue
        jour = JOURS_PAR_NOM.get(morceau) or (int(morceau) if morceau.isdigit() else None)
        if jour not in Jour.values:
            raise BesoinInvalide(f"Jour inconnu : « {morceau[:12]} ». Indiquez lundi… dimanche ou 1 à 7.", "jours")
        jours.add(jour)
    return tuple(sorted(jours))


def est_donne(params) -> bool:
    """Whether the request states a need at all (one of its fields is filled)."""
    return any(str(params.get(nom, "") or "").strip() for nom in CHAMPS)


def besoin_depuis(params) -> Besoin | None:
    """The need of a request's parameters (the search page's form, the API), None when it states none; a
    mistake raises BesoinInvalide with its French message."""
    if not est_donne(params):
        return None
    naissance = _date(params, "naissance", "Date de naissance")
    age = _entier(params, "age_enfant", "Âge de l'enfant", AGE_MAX_MOIS)
    debut = _date(params, "debut", "Début de l'accueil")
    if debut is None:
        raise BesoinInvalide("Indiquez la date de début de l'accueil.", "debut")
    heure_debut = _heure(params, "heure_debut", "Heure d'arrivée")
    heure_fin = _heure(params, "heure_fin", "Heure de départ")
    if heure_debut is None or heure_fin is None:
        raise BesoinInvalide("Indiquez les heures d'arrivée et de départ de l'enfant.",
                             "heure_debut" if heure_debut is None else "heure_fin")
    brut = str(params.get("ressources", "") or "").strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    ressources = None
    if brut:
        try:
            ressources = Decimal(brut)
        except InvalidOperation:
            raise BesoinInvalide("Ressources : saisissez un montant en euros par mois, comme 3000.", "ressources") from None
        if not ressources.is_finite() or not 0 <= ressources <= RESSOURCES_MAX:
            raise BesoinInvalide("Ressources : saisissez un montant en euros par mois, comme 3000.", "ressources")
    enfants = _entier(params, "enfants", "Nombre d'enfants à charge", ENFANTS_MAX)
    if enfants == 0:
        raise BesoinInvalide("Nombre d'enfants à charge : au moins 1 (l'enfant accueilli).", "enfants")
    return Besoin(debut=debut, jours=_jours(params), heure_debut=heure_debut, heure_fin=heure_fin,
                  naissance=naissance, age_mois=age, ressources_mensuelles=ressources, enfants_a_charge=enfants)


# The need as the search page keeps it in the session: its fields as typed.
SAISIE_MAX = 40


class Saisie(dict):
    """Typed fields read as request parameters (besoin_depuis reads `jours` with getlist)."""

    def getlist(self, nom):
        return [self.get(nom, "")]


def saisie_de_la_session(session) -> dict | None:
    saisi = session.get(SESSION_BESOIN)
    return saisi if isinstance(saisi, dict) else None


def besoin_de_la_saisie(saisi: dict | None) -> Besoin | None:
    """The need kept as typed (the session's, an alert's); None when there is none, or when it no longer holds."""
    if not saisi:
        return None
    try:
        return besoin_depuis(Saisie({nom: str(saisi.get(nom, ""))[:SAISIE_MAX] for nom in CHAMPS}))
    except BesoinInvalide:
        return None


# The fit, in the database -----------------------------------------------------------------------------------


def _du_jour(champ: str, jour: int):
    return F(champ).bitrightshift(BITS_PAR_JOUR * (jour - 1)).bitand(FERME)


def _un_si(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def condition_age(besoin: Besoin) -> Q:
    age = besoin.age_au_debut
    return (Q(age_min_mois__isnull=True) | Q(age_min_mois__lte=age)) & (Q(age_max_mois__isnull=True) | Q(age_max_mois__gte=age))


def condition_horaires(besoin: Besoin) -> Q:
    """Open the whole time every day asked, on the annotations of annoter_adequation (one slot of the day
    covers it: a crèche closed at lunch does not keep a child all day)."""
    debut, fin = quart(besoin.heure_debut), quart(besoin.heure_fin, vers_le_haut=True)
    ouvert = Q()
    for jour in besoin.jours:
        ouvert &= Q(**{f"_ouv_{jour}__lte": debut}) & Q(**{f"_ferm_{jour}__gte": fin})
    return ouvert


def fraicheur_limite() -> datetime.datetime:
    """An availability declared before this is no longer shown as current."""
    return timezone.now() - DELAI_DISPONIBILITE_OBSOLETE


def condition_place(besoin: Besoin) -> Q:
    """A place on the first day, declared recently enough: for a crèche that gives its places by age group, in the
    child's group; otherwise any place."""
    limite = fraicheur_limite()
    fraiche = Q(places_mises_a_jour_le__gte=limite) | Q(disponibilite_mise_a_jour_le__gte=limite)
    a_temps = Q(disponible_a_partir_du__isnull=True) | Q(disponible_a_partir_du__lte=besoin.debut)
    champ = besoin.tranche[0]
    par_tranche = Q(**{f"{champ}__isnull": False}) & Q(**{f"{champ}__gt": 0})
    generale = Q(**{f"{champ}__isnull": True}) & Q(places_disponibles__gt=0)
    return fraiche & a_temps & (par_tranche | generale)


def annoter_adequation(qs, besoin: Besoin):
    """Each fiche with `adequation`: 0 to 3, one for the age, one for the days and hours, one for a place; a
    fiche where no child is kept scores 0."""
    jours = {}
    for jour in besoin.jours:
        jours[f"_ouv_{jour}"] = _du_jour("ouvertures_condensees", jour)
        jours[f"_ferm_{jour}"] = _du_jour("fermetures_condensees", jour)
    masque = besoin.demi_journees
    qs = qs.annotate(**jours, _demi=F("demi_journees_disponibles").bitand(masque))
    accueil = Q(rubrique__in=RUBRIQUES_D_ACCUEIL)
    horaires = (Q(rubrique=Rubrique.ASSMAT) & Q(_demi=masque)) | (~Q(rubrique=Rubrique.ASSMAT) & condition_horaires(besoin))
    return qs.annotate(adequation=_un_si(accueil & condition_age(besoin)) + _un_si(accueil & horaires)
                       + _un_si(accueil & condition_place(besoin)))


# The fit in words, for the fiches shown ---------------------------------------------------------------------


@dataclass(frozen=True)
class Constat:
    convient: bool
    texte: str


def jours_en_clair(jours: list[int]) -> str:
    """"du lundi au vendredi", "mardi", "lundi, mardi et jeudi"."""
    if jours == [1, 2, 3, 4, 5]:
        return "du lundi au vendredi"
    noms = [Jour(j).label.lower() for j in jours]
    return noms[0] if len(noms) == 1 else f"{', '.join(noms[:-1])} et {noms[-1]}"


def _constat_age(fiche, besoin: Besoin) -> Constat:
    age = besoin.age_au_debut
    if fiche.age_min_mois is not None and age < fiche.age_min_mois:
        return Constat(False, f"accueille à partir de {fiche.age_min_mois} mois")
    if fiche.age_max_mois is not None and age > fiche.age_max_mois:
        return Constat(False, f"accueille jusqu'à {fiche.age_max_mois} mois")
    return Constat(True, f"accueille un enfant de {age} mois")


def _ecart_du_jour(creneaux, besoin: Besoin) -> str | None:
    """What keeps the day's opening from covering the need: None when one slot covers it."""
    if not creneaux:
        return "fermé"
    if any(o <= besoin.heure_debut and f >= besoin.heure_fin for o, f in creneaux):
        return None
    plus_long = max(creneaux, key=lambda c: duree(*c))
    ecarts = []
    if plus_long[0] > besoin.heure_debut:
        ecarts.append(f"ouvre à {heure_en_clair(plus_long[0])}")
    if plus_long[1] < besoin.heure_fin:
        ecarts.append(f"ferme à {heure_en_clair(plus_long[1])}")
    return " et ".join(ecarts) or "fermé à midi"


def _constats_horaires(horaires, besoin: Besoin) -> list[Constat]:
    if not horaires:
        return [Constat(False, "horaires non précisés")]
    par_jour: dict[int, list] = {}
    for h in horaires:
        par_jour.setdefault(h.jour, []).append((h.ouverture, h.fermeture))
    ecarts: dict[str, list[int]] = {}
    for jour in besoin.jours:
        ecart = _ecart_du_jour(par_jour.get(jour, []), besoin)
        if ecart:
            ecarts.setdefault(ecart, []).append(jour)
    if not ecarts:
        return [Constat(True, "ouvert aux heures demandées")]
    return [Constat(False, f"{jours_en_clair(jours)} : {ecart}") for ecart, jours in ecarts.items()]


def _constats_demi_journees(creneaux, besoin: Besoin) -> list[Constat]:
    libres = {(c.jour, c.demi_journee == DemiJournee.APRES_MIDI) for c in creneaux}
    if not libres:
        return [Constat(False, "demi-journées disponibles non précisées")]
    manquants: dict[str, list[int]] = {}
    for jour in besoin.jours:
        demis = besoin.demis_du_jour
        absents = [d for d in demis if (jour, d) not in libres]
        if absents:
            texte = "pas de place" if len(absents) == len(demis) else (
                "pas de place l'après-midi" if absents[0] else "pas de place le matin")
            manquants.setdefault(texte, []).append(jour)
    if not manquants:
        return [Constat(True, "place les demi-journées demandées")]
    return [Constat(False, f"{jours_en_clair(jours)} : {texte}") for texte, jours in manquants.items()]


def _constat_place(fiche, besoin: Besoin) -> Constat:
    champ, _, _, libelle = besoin.tranche
    par_tranche = getattr(fiche, champ, None) if fiche.rubrique == Rubrique.EAJE else None
    places = par_tranche if par_tranche is not None else fiche.places_disponibles
    maj = max((d for d in (fiche.places_mises_a_jour_le, fiche.disponibilite_mise_a_jour_le) if d), default=None)
    if not places:
        return Constat(False, f"pas de place déclarée pour les {libelle}" if par_tranche is not None
                       else "pas de place déclarée")
    if maj is None or maj < fraicheur_limite():
        quand = f" le {date_longue(maj)}" if maj else ""
        return Constat(False, f"places à confirmer (déclarées{quand})")
    a_partir = fiche.disponible_a_partir_du
    if a_partir and a_partir > besoin.debut:
        return Constat(False, f"place dès le {date_longue(a_partir)}, après le début souhaité")
    if a_partir and a_partir > timezone.localdate():
        return Constat(True, f"place dès le {date_longue(a_partir)}")
    pour = f" pour les {libelle}" if par_tranche is not None else ""
    return Constat(True, f"{places} place{pluriel(places)} disponible{pluriel(places)}{pour}")


def constats(fiche, besoin: Besoin) -> list[Constat]:
    """What fits and what does not, in words, for one fiche (its horaires and creneaux_disponibles prefetched)."""
    if fiche.rubrique not in RUBRIQUES_D_ACCUEIL:
        return []
    semaine = (_constats_demi_journees(fiche.creneaux_disponibles.all(), besoin) if fiche.rubrique == Rubrique.ASSMAT
               else _constats_horaires(list(fiche.horaires.all()), besoin))
    return [_constat_age(fiche, besoin), *semaine, _constat_place(fiche, besoin)]
