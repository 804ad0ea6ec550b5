"""Reads of the dashboards on demandes: the CAF follow-up, and the needs observed beside the offer.

Never a scan of demandes: StatistiqueDemande and DemandeNonServie are already aggregates, and the
offer is one GROUP BY over Structure. `departement` None gives the national view, one row per département;
the page reads it from the nightly rollup (national(), written by demandes.recapitulatif with these functions).
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Max, Prefetch, Q, Sum
from django.utils import timezone

from habilitations.delais import DELAI_MIN
from habilitations.enums import Role
from linf.selectors import delai_traitement
from monenfant import calendrier
from monenfant.regles import DUREE_CONSERVATION
from structures import selectors as structures_selectors
from structures.enums import Rubrique
from structures.models import Commune, Structure

from .enums import Besoin, Situation, StatutDemande, TrancheAge
from .models import Demande, DemandeNonServie, OffreDepartement, RecapitulatifBesoins, StatistiqueDemande, en_retard

SANS_SITUATION = "non_renseignee"
AIDE_RAYON_KM = 30
LONGUEUR_JETON = 43  # secrets.token_urlsafe(32)


def demande_suivie(jeton: str) -> Demande | None:
    """The demande of a family's follow-up link, with what its page shows (its LINF and their guichet, the
    person who opened it); None for any other token, without a query when it cannot be one."""
    if len(jeton) != LONGUEUR_JETON:
        return None
    linfs = Prefetch("linfs", queryset=Structure.objects.select_related("guichet").order_by("nom", "pk"))
    return Demande.objects.select_related("traitee_par").prefetch_related(linfs).filter(jeton_suivi=jeton).first()


def lieu_traitant(demande: Demande) -> Structure | None:
    """The LINF, among those that received the demande, of the person who opened it; None when it is not
    opened, or that person is no longer habilitated there."""
    if demande.traitee_par is None:
        return None
    habilitees = demande.traitee_par.structures_habilitees(Role.LINF)
    return next((linf for linf in demande.linfs.all() if linf.pk in habilitees), None)


def aide_proche(commune: Commune) -> list[Structure]:
    """Where a family nobody answers online can ask: the nearest relais and information places."""
    criteres = structures_selectors.Criteres(point=commune.point, rayon_km=AIDE_RAYON_KM,
                                             rubriques=[Rubrique.RPE, Rubrique.LINF])
    return list(structures_selectors.search_structures(criteres)[:6])
# The rubriques whose fiches say how many places are available now.
RUBRIQUES_AVEC_PLACES = (Rubrique.EAJE, Rubrique.ASSMAT, Rubrique.ALSH)


def periode_par_defaut(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 months, this one included: first days of the first and the last month."""
    return calendrier.decale(today, -11), calendrier.premier_jour(today)


def _territoire(queryset, departement: str | None, prefix: str, *fields):
    """Rows of one département (grouped by commune) or of the country (grouped by département)."""
    if departement is None:
        return queryset.values(*fields, cle=F(f"{prefix}departement"), libelle=F(f"{prefix}departement__nom"))
    return queryset.filter(**{f"{prefix}departement": departement}).values(
        *fields, cle=F(f"{prefix}code_insee"), libelle=F(f"{prefix}nom"))


def _mediane(compte: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    total = sum(compte.values())
    if not total:
        return None
    wanted, values, seen = {(total - 1) // 2, total // 2}, [], 0
    for value in sorted(compte):
        values += [value] * len({i for i in wanted if seen <= i < seen + compte[value]})
        seen += compte[value]
    return sum(values) / len(values)


def _zeros(row: dict) -> dict:
    """An empty Sum is None: 0 for the tables."""
    return {key: (value or 0) if key not in ("cle", "libelle") else value for key, value in row.items()}


def _delais(row: dict) -> dict:
    """The mean and median delay to "traitée" from the sum of the delays ("jours") and their histogram ("delais")."""
    jours, delais = row.pop("jours"), row.pop("delais")
    row["delai_moyen"] = round(jours / row["traitees"], 1) if row["traitees"] else None
    row["delai_median"] = _mediane(delais)
    return row


def demandes(departement: str | None, debut: datetime.date, fin: datetime.date, *, sommes: bool = False) -> list[dict]:
    """Demandes sent in the months [debut, fin], by commune (or département): care wanted, age band,
    atypical hours, disability, family situation, and the delay to "traitée" (mean and median, days).
    `sommes`: instead of the mean and median, "jours" (sum of the delays) and "delais" ({days: demandes}),
    which add up across months (the nightly rollup)."""
    # One row per demande: a demande sent to two LINF is one family's demande.
    stats = StatistiqueDemande.objects.filter(mois__gte=debut, mois__lte=fin, premier_lieu=True)
    traitee = Q(statut=StatutDemande.TRAITEE, delai_jours__isnull=False)
    sums = {"total": Sum("nombre"), "horaires_atypiques": Sum("nombre", filter=Q(horaires_atypiques=True)),
            "handicap": Sum("nombre", filter=Q(handicap=True)), "traitees": Sum("nombre", filter=traitee),
            "jours": Sum(F("delai_jours") * F("nombre"), filter=traitee)}
    sums |= {f"besoin_{b.value}": Sum("nombre", filter=Q(besoin=b.value)) for b in Besoin}
    sums |= {f"age_{t.name}": Sum("nombre", filter=Q(tranche_age=t.value)) for t in TrancheAge}
    sums |= {f"situation_{s.value}": Sum("nombre", filter=Q(situation=s.value)) for s in Situation}
    sums[f"situation_{SANS_SITUATION}"] = Sum("nombre", filter=Q(situation=""))
    rows = list(_territoire(stats, departement, "commune__").annotate(**sums).order_by("cle"))
    delais: dict[str, dict[int, int]] = defaultdict(dict)
    for row in _territoire(stats.filter(traitee), departement, "commune__", "delai_jours").annotate(
            n=Sum("nombre")).order_by("cle", "delai_jours"):
        delais[row["cle"]][row["delai_jours"]] = row["n"]
    result = [{**_zeros(row), "delais": delais[row["cle"]]} for row in rows]
    return result if sommes else [_delais(row) for row in result]


def non_servies(departement: str | None, debut: datetime.date, fin: datetime.date) -> list[dict]:
    """Families stopped at the first step because nobody serves their commune online, most first."""
    rows = DemandeNonServie.objects.filter(mois__gte=debut, mois__lte=fin)
    return list(_territoire(rows, departement, "commune__").annotate(familles=Sum("nombre"))
                .order_by("-familles", "libelle"))


def offre(departement: str | None, communes: list[str] | None = None) -> list[dict]:
    """Published fiches by rubrique, and the places available now, by commune (or département);
    `communes`: only those (the communes where families asked)."""
    structures = Structure.objects.published()
    if communes is not None:
        structures = structures.filter(commune__in=communes)
    sums = {f"fiches_{r.value}": Count("pk", filter=Q(rubrique=r.value)) for r in Rubrique}
    sums |= {f"places_{r.value}": Sum("places_disponibles", filter=Q(rubrique=r.value)) for r in RUBRIQUES_AVEC_PLACES}
    rows = _territoire(structures, departement, "commune__").annotate(**sums).order_by("cle")
    return [_zeros(row) for row in rows]


def national(debut: datetime.date, fin: datetime.date) -> dict:
    """The national view (one row per département) from the nightly rollup: the same rows as demandes(None, …),
    non_servies(None, …) and offre(None), read from about a hundred rows a month instead of the counts.
    "arrete_le": when the rollup last ran (None: never)."""
    sommes: dict[str, dict] = {}
    familles: dict[str, dict] = {}
    recaps = (RecapitulatifBesoins.objects.filter(mois__gte=debut, mois__lte=fin).order_by()
              .values_list("departement", "departement__nom", "demandes", "non_servies"))
    for code, nom, mois, non_servies_ in recaps:
        if mois is not None:
            row = sommes.setdefault(code, {"cle": code, "libelle": nom, "delais": defaultdict(int)})
            for key, value in mois.items():
                if key == "delais":
                    for jours, n in value.items():
                        row["delais"][int(jours)] += n
                else:
                    row[key] = row.get(key, 0) + value
        if non_servies_ is not None:
            familles.setdefault(code, {"cle": code, "libelle": nom, "familles": 0})["familles"] += non_servies_
    offres = list(OffreDepartement.objects.values_list("departement", "departement__nom", "offre", "calcule_le")
                  .order_by("departement"))
    arrete_le = max((calcule_le for *_, calcule_le in offres), default=None)
    if arrete_le is None:
        arrete_le = RecapitulatifBesoins.objects.aggregate(Max("calcule_le"))["calcule_le__max"]
    return {
        "demandes": [_delais({**row, "delais": dict(row["delais"])}) for _, row in sorted(sommes.items())],
        "non_servies": sorted(familles.values(), key=lambda r: (-r["familles"], r["libelle"])),
        "offre": [{"cle": code, "libelle": nom, **offre_} for code, nom, offre_, _ in offres],
        "arrete_le": arrete_le,
    }


def comparaison(demandes_: list[dict], non_servies_: list[dict], offre_: list[dict]) -> list[dict]:
    """Demand beside offer, per commune (or département), where demand runs furthest ahead of offer first.

    "Sans place en face": demandes for a crèche beyond the EAJE places available, plus demandes for an
    assistant maternel beyond theirs (each counted from 0).
    """
    lignes: dict[str, dict] = {}

    def ligne(row):
        return lignes.setdefault(row["cle"], {
            "cle": row["cle"], "libelle": row["libelle"], "demandes": 0, "demandes_creche": 0, "fiches_eaje": 0,
            "places_eaje": 0, "demandes_assmat": 0, "fiches_assmat": 0, "places_assmat": 0, "non_servies": 0})

    for row in demandes_:
        ligne(row).update(demandes=row["total"], demandes_creche=row[f"besoin_{Besoin.CRECHE}"],
                          demandes_assmat=row[f"besoin_{Besoin.ASSMAT}"])
    for row in non_servies_:
        ligne(row)["non_servies"] = row["familles"]
    for row in offre_:
        if row["cle"] in lignes:
            lignes[row["cle"]].update(fiches_eaje=row["fiches_EAJE"], places_eaje=row["places_EAJE"],
                                      fiches_assmat=row["fiches_ASSMAT"], places_assmat=row["places_ASSMAT"])
    for row in lignes.values():
        row["ecart_creche"] = row["demandes_creche"] - row["places_eaje"]
        row["ecart_assmat"] = row["demandes_assmat"] - row["places_assmat"]
        row["sans_place"] = max(row["ecart_creche"], 0) + max(row["ecart_assmat"], 0)
    return sorted(lignes.values(), key=lambda r: (-r["sans_place"], -r["non_servies"], -r["demandes"], r["libelle"]))


# The CAF follow-up ----------------------------------------------------------------------

def debut_suivi(now: datetime.datetime | None = None) -> datetime.date:
    """The follow-up counts the months a demande may still be alive in (six months, from the 1st)."""
    return (timezone.localdate(now) - DUREE_CONSERVATION).replace(day=1)


def suivi_par_linf(departements=None, now: datetime.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    linfs = Structure.objects.filter(rubrique=Rubrique.LINF).select_related("guichet").order_by("nom", "pk")
    if departements is not None:
        linfs = linfs.filter(commune__departement__in=departements)
    linfs = list(linfs)
    ids = [linf.pk for linf in linfs]
    stats = StatistiqueDemande.objects.filter(linf__in=ids, mois__gte=debut_suivi(now))
    counts: dict[tuple, int] = defaultdict(int)
    delais: dict[int, dict[int, int]] = defaultdict(dict)
    for r in stats.values("linf", "statut", "delai_jours").annotate(n=Sum("nombre")):  # one pass over the counts
        counts[(r["linf"], r["statut"])] += r["n"]
        if r["statut"] == StatutDemande.TRAITEE and r["delai_jours"] is not None:
            delais[r["linf"]][r["delai_jours"]] = r["n"]
    # Unopened demandes are few (a partial index keeps them): their dates tell which are overdue.
    # Only those older than the shortest possible delay can be overdue.
    nouvelles = Demande.objects.filter(statut=StatutDemande.NOUVELLE, linfs__in=ids,
                                       cree_le__lte=now - datetime.timedelta(days=DELAI_MIN + 1))
    if departements is not None:
        nouvelles = nouvelles.filter(commune__departement__in=departements)
    nouvelles = nouvelles.values_list("linfs", "cree_le")
    dates: dict[int, list] = {}
    for linf_id, cree_le in nouvelles:
        dates.setdefault(linf_id, []).append(cree_le)
    rows = []
    for linf in linfs:
        delai = delai_traitement(linf)
        rows.append({
            "linf": linf, "delai": delai,
            "nouvelles": counts.get((linf.pk, StatutDemande.NOUVELLE), 0),
            "traitees": counts.get((linf.pk, StatutDemande.TRAITEE), 0),
            "mediane": _round(_mediane(delais.get(linf.pk, {}))),
            "en_retard": sum(1 for c in dates.get(linf.pk, []) if en_retard(c, delai, now=now)),
        })
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def non_servies_des_12_mois(departements, now: datetime.datetime | None = None, *, limite: int = 30):
    """The communes whose families stopped for want of an information place, the last 12 months, most first."""
    now = now or timezone.now()
    return (DemandeNonServie.objects
            .filter(commune__departement__in=departements, mois__gte=calendrier.decale(timezone.localdate(now), -12))
            .values("commune__code_insee", "commune__nom", "commune__departement")
            .annotate(familles=Sum("nombre")).order_by("-familles", "commune__nom")[:limite])
