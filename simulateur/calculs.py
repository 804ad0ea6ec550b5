"""What a family pays: PSU crèche participation, CMG for an assistant maternel, tax credit.

Decimals only, rounded half-up to the cent where the rules say so. Every figure comes with the
sentence that explains it, in French.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .enums import Dispositif, Tableau, TypeAccueil
from .formats import CENT, arrondi, euros, nombre, pourcent  # noqa: F401 (the simulator's vocabulary)
from .models import Bareme

DEBUT_BAREMES = datetime.date(2019, 1, 1)
MICRO_CRECHE_COLLECTIF_DEPUIS = datetime.date(2019, 9, 1)
CMG_REFORME = datetime.date(2025, 9, 1)
MAX_HEURES_SEMAINE = 60
MAX_ENFANTS = 20
MAX_SALAIRE_HORAIRE = 30
MAX_INDEMNITE_ENTRETIEN = 50
MAX_PRIX_REPAS = 30
MAX_REPAS_PAR_JOUR = 4


class SimulationError(ValueError):
    """A parameter a family or a partner got wrong; the message is shown as is."""

    def __init__(self, message: str, champ: str | None = None):
        super().__init__(message)
        self.champ = champ


@dataclass
class Besoin:
    """The same need for every mode d'accueil compared."""

    date: datetime.date
    ressources_mensuelles: Decimal
    enfants_a_charge: int
    enfants_aeeh: int = 0
    heures_par_semaine: Decimal = Decimal(40)
    semaines_par_an: Decimal = Decimal(47)
    mois_factures: int = 12
    jours_par_semaine: int = 5

    def __post_init__(self):
        if self.date < DEBUT_BAREMES:
            raise SimulationError("Le simulateur couvre les barèmes depuis le 1er janvier 2019.", "date")
        if self.ressources_mensuelles < 0:
            raise SimulationError("Les ressources ne peuvent pas être négatives.", "ressources_mensuelles")
        if not 1 <= self.enfants_a_charge <= MAX_ENFANTS:
            raise SimulationError(
                f"Le nombre d'enfants à charge doit être compris entre 1 et {MAX_ENFANTS}.", "enfants_a_charge"
            )
        if not 0 <= self.enfants_aeeh <= self.enfants_a_charge:
            raise SimulationError(
                "Le nombre d'enfants bénéficiaires de l'AEEH est compris entre 0 et le nombre d'enfants à charge.",
                "enfants_aeeh",
            )
        if not 0 < self.heures_par_semaine <= MAX_HEURES_SEMAINE:
            raise SimulationError(
                f"Le nombre d'heures par semaine doit être supérieur à 0 et d'au plus {MAX_HEURES_SEMAINE}.",
                "heures_par_semaine",
            )
        if not 1 <= self.semaines_par_an <= 52:
            raise SimulationError("Le nombre de semaines par an doit être compris entre 1 et 52.", "semaines_par_an")
        if not 1 <= self.mois_factures <= 12:
            raise SimulationError("Le nombre de mois facturés doit être compris entre 1 et 12.", "mois_factures")
        if not 1 <= self.jours_par_semaine <= 7:
            raise SimulationError("Le nombre de jours d'accueil par semaine doit être compris entre 1 et 7.",
                                  "jours_par_semaine")

    @property
    def heures_mensuelles(self) -> Decimal:
        return self.heures_par_semaine * self.semaines_par_an / self.mois_factures

    @property
    def jours_mensuels(self) -> Decimal:
        return self.jours_par_semaine * self.semaines_par_an / self.mois_factures

    @property
    def rang(self) -> int:
        # Each child with the AEEH counts as one more child (the next band), even if it is not
        # the child in care; past the last band the rate stays the last one.
        return self.enfants_a_charge + self.enfants_aeeh


@dataclass
class Ressources:
    declarees: Decimal
    retenues: Decimal
    raison: str


@dataclass
class ResultatCreche:
    bareme: Bareme
    ressources: Ressources
    tableau: str
    taux_effort: Decimal
    taux_estime: bool
    tarif_horaire: Decimal
    heures_mensuelles: Decimal
    participation_mensuelle: Decimal
    explications: list[str] = field(default_factory=list)


@dataclass
class FraisAssmat:
    """What parents pay an assistant maternel: the net salary, and besides it the maintenance allowance
    (per day of care) and the meals they do not bring (per meal). None: the barème's usual value."""

    salaire_horaire: Decimal
    indemnite_entretien: Decimal | None = None
    prix_repas: Decimal | None = None
    repas_par_jour: int = 1

    def __post_init__(self):
        if not Decimal(0) < self.salaire_horaire <= MAX_SALAIRE_HORAIRE:
            raise SimulationError(
                f"Le salaire horaire net doit être supérieur à 0 € et d'au plus {MAX_SALAIRE_HORAIRE} €.",
                "salaire_horaire",
            )
        if self.indemnite_entretien is not None and not 0 <= self.indemnite_entretien <= MAX_INDEMNITE_ENTRETIEN:
            raise SimulationError(
                f"L'indemnité d'entretien est comprise entre 0 et {MAX_INDEMNITE_ENTRETIEN} € par jour.",
                "indemnite_entretien",
            )
        if self.prix_repas is not None and not 0 <= self.prix_repas <= MAX_PRIX_REPAS:
            raise SimulationError(f"Le prix d'un repas est compris entre 0 et {MAX_PRIX_REPAS} €.", "prix_repas")
        if not 0 <= self.repas_par_jour <= MAX_REPAS_PAR_JOUR:
            raise SimulationError(
                f"Le nombre de repas par jour est compris entre 0 et {MAX_REPAS_PAR_JOUR}.", "repas_par_jour"
            )


@dataclass
class ResultatAssmat:
    bareme: Bareme
    ressources: Ressources
    taux_effort: Decimal
    heures_mensuelles: Decimal
    jours_mensuels: Decimal
    indemnite_entretien: Decimal
    prix_repas: Decimal
    salaire_mensuel: Decimal
    entretien_mensuel: Decimal
    repas_mensuels: Decimal
    cout_mensuel: Decimal
    cout_pris_en_compte: Decimal
    cmg: Decimal
    reste_a_charge: Decimal
    valeurs_a_confirmer: list = field(default_factory=list)
    explications: list[str] = field(default_factory=list)


@dataclass
class CreditImpot:
    annee_revenus: int
    depense_annuelle: Decimal
    plafond: Decimal
    credit: Decimal
    cout_mensuel_apres: Decimal
    explications: list[str] = field(default_factory=list)


def bareme_en_vigueur(date: datetime.date, dispositif: str) -> Bareme:
    bareme = Bareme.objects.en_vigueur(date, dispositif).prefetch_related("taux", "sources").first()
    if bareme is None:
        if dispositif == Dispositif.CMG_ASSMAT and date < CMG_REFORME:
            raise SimulationError(
                "Le calcul du CMG au coût réel s'applique depuis le 1er septembre 2025.", "date"
            )
        raise SimulationError(f"Aucun barème n'est encore publié pour le {date:%d/%m/%Y}.", "date")
    return bareme


def ressources_retenues(bareme: Bareme, declarees: Decimal) -> Ressources:
    if declarees < bareme.plancher:
        raison = (
            f"Vos ressources ({euros(declarees)}) sont sous le plancher du barème : "
            f"le plancher de {euros(bareme.plancher)} est retenu."
        )
        return Ressources(declarees, bareme.plancher, raison)
    if declarees > bareme.plafond:
        raison = (
            f"Vos ressources ({euros(declarees)}) dépassent le plafond du barème : "
            f"le plafond de {euros(bareme.plafond)} est retenu."
        )
        return Ressources(declarees, bareme.plafond, raison)
    return Ressources(declarees, declarees, f"Vos ressources de {euros(declarees)} par mois sont retenues.")


def tableau_pour(type_accueil: str, date: datetime.date) -> str:
    if type_accueil == TypeAccueil.COLLECTIF:
        return Tableau.COLLECTIF
    if type_accueil in (TypeAccueil.FAMILIAL, TypeAccueil.PARENTAL):
        return Tableau.FAMILIAL
    if type_accueil == TypeAccueil.MICRO_CRECHE:
        return Tableau.COLLECTIF if date >= MICRO_CRECHE_COLLECTIF_DEPUIS else Tableau.FAMILIAL
    raise SimulationError(
        "Type d'accueil inconnu : choisissez collectif, familial, parental ou micro_creche.", "type_accueil"
    )


def _phrase_rang(besoin: Besoin) -> str:
    enfants = f"{besoin.enfants_a_charge} enfant{'s' if besoin.enfants_a_charge > 1 else ''} à charge"
    if besoin.enfants_aeeh:
        return (
            f"{enfants}, dont {besoin.enfants_aeeh} bénéficiaire{'s' if besoin.enfants_aeeh > 1 else ''} de l'AEEH : "
            f"le taux d'une famille de {besoin.rang} enfants s'applique"
        )
    return enfants


def simuler_creche(besoin: Besoin, type_accueil: str, *, bareme: Bareme | None = None) -> ResultatCreche:
    """`bareme`: the one in force on besoin.date when the caller already read it (a page of results)."""
    tableau = tableau_pour(type_accueil, besoin.date)
    bareme = bareme or bareme_en_vigueur(besoin.date, Dispositif.PSU)
    ressources = ressources_retenues(bareme, besoin.ressources_mensuelles)
    taux = bareme.taux_pour(tableau, besoin.rang)
    tarif = arrondi(ressources.retenues * taux.taux / 100)
    heures = besoin.heures_mensuelles
    participation = arrondi(tarif * heures)
    explications = [
        ressources.raison,
        f"{_phrase_rang(besoin)} ; {Tableau(tableau).label.lower()} : taux d'effort de {pourcent(taux.taux)} par heure.",
        f"{pourcent(taux.taux)} × {euros(ressources.retenues)} = {euros(tarif)} de l'heure.",
        f"{nombre(besoin.heures_par_semaine)} h par semaine × {nombre(besoin.semaines_par_an)} semaines "
        f"÷ {besoin.mois_factures} mois = {nombre(heures)} h par mois.",
        f"{euros(tarif)} × {nombre(heures)} h = {euros(participation)} par mois.",
    ]
    return ResultatCreche(
        bareme=bareme, ressources=ressources, tableau=tableau, taux_effort=taux.taux, taux_estime=taux.estime,
        tarif_horaire=tarif, heures_mensuelles=heures, participation_mensuelle=participation, explications=explications,
    )


def simuler_assmat(besoin: Besoin, frais: FraisAssmat, *, bareme: Bareme | None = None) -> ResultatAssmat:
    """CMG of an assistant maternel paid directly, as reformed on 1 September 2025 (art. D. 531-18 of
    the code de la sécurité sociale): the cost counted is the salary plus the maintenance allowance
    and the meals, capped per hour; CMG = cost × (1 − resources × taux d'effort ÷ reference cost)."""
    bareme = bareme or bareme_en_vigueur(besoin.date, Dispositif.CMG_ASSMAT)
    ressources = ressources_retenues(bareme, besoin.ressources_mensuelles)
    taux = bareme.taux_pour(Tableau.CMG, besoin.rang)
    entretien = frais.indemnite_entretien if frais.indemnite_entretien is not None else bareme.indemnite_entretien_usuelle or 0
    prix_repas = frais.prix_repas if frais.prix_repas is not None else bareme.repas_usuel or 0
    heures, jours = besoin.heures_mensuelles, besoin.jours_mensuels
    salaire = arrondi(frais.salaire_horaire * heures)
    entretien_mensuel = arrondi(entretien * jours)
    repas_mensuels = arrondi(prix_repas * frais.repas_par_jour * jours)
    cout = salaire + entretien_mensuel + repas_mensuels
    pris_en_compte = min(cout, arrondi(bareme.plafond_horaire * heures))
    # The family's share, computed in one product then divided, keeps the published example exact.
    part_famille = pris_en_compte * ressources.retenues * taux.taux / 100 / bareme.cout_horaire_reference
    cmg = max(Decimal(0), arrondi(pris_en_compte - part_famille))
    reste = cout - cmg
    explications = [
        ressources.raison,
        f"{nombre(besoin.heures_par_semaine)} h par semaine × {nombre(besoin.semaines_par_an)} semaines "
        f"÷ {besoin.mois_factures} mois = {nombre(heures)} h par mois, sur {nombre(jours)} jours.",
        f"Salaire net : {euros(frais.salaire_horaire)} × {nombre(heures)} h = {euros(salaire)} par mois.",
        f"Indemnité d'entretien : {euros(entretien)} par jour × {nombre(jours)} jours = {euros(entretien_mensuel)} "
        "par mois.",
        f"Repas : {euros(prix_repas)} × {frais.repas_par_jour} par jour × {nombre(jours)} jours = "
        f"{euros(repas_mensuels)} par mois.",
        f"Coût pour vous : {euros(salaire)} + {euros(entretien_mensuel)} + {euros(repas_mensuels)} = "
        f"{euros(cout)} par mois.",
    ]
    if pris_en_compte < cout:
        explications.append(
            f"Le CMG prend en compte au plus {euros(bareme.plafond_horaire)} par heure d'accueil, indemnités et "
            f"repas compris : {euros(pris_en_compte)} par mois ; le dépassement reste à votre charge."
        )
    explications += [
        f"{_phrase_rang(besoin)} : taux d'effort de {pourcent(taux.taux)}.",
        f"CMG = {euros(pris_en_compte)} × (1 − {euros(ressources.retenues)} × {pourcent(taux.taux)} "
        f"÷ {euros(bareme.cout_horaire_reference)}) = {euros(cmg)} par mois.",
        f"{euros(cout)} − {euros(cmg)} = {euros(reste)} restent à votre charge par mois ; les cotisations "
        "sociales de l'assistant maternel sont prises en charge en plus par le CMG.",
    ]
    return ResultatAssmat(
        bareme=bareme, ressources=ressources, taux_effort=taux.taux, heures_mensuelles=heures, jours_mensuels=jours,
        indemnite_entretien=entretien, prix_repas=prix_repas, salaire_mensuel=salaire,
        entretien_mensuel=entretien_mensuel, repas_mensuels=repas_mensuels, cout_mensuel=cout,
        cout_pris_en_compte=pris_en_compte, cmg=cmg, reste_a_charge=reste,
        valeurs_a_confirmer=bareme.valeurs_a_confirmer(taux), explications=explications,
    )


def plafond_credit_impot(annee_revenus: int) -> Decimal:
    # 2,300 € per child up to income year 2021, 3,500 € since (loi de finances pour 2023).
    return Decimal(2300) if annee_revenus <= 2021 else Decimal(3500)


def credit_impot(
    *, cout_mensuel: Decimal, mois_payes: int, annee_revenus: int, residence_alternee: bool = False
) -> CreditImpot:
    """Crédit d'impôt frais de garde: 50 % of what is paid net of aids, child under 6 on 1 January."""
    depense = cout_mensuel * mois_payes
    plafond = plafond_credit_impot(annee_revenus)
    if residence_alternee:
        plafond = plafond / 2
    credit = arrondi(min(depense, plafond) / 2)
    apres = arrondi((depense - credit) / mois_payes)
    explications = [
        f"{euros(cout_mensuel)} × {mois_payes} mois = {euros(depense)} payés dans l'année.",
        f"Crédit d'impôt : 50 % de {euros(min(depense, plafond))} (dépenses retenues dans la limite de "
        f"{euros(plafond)} par enfant{', divisée par deux en résidence alternée' if residence_alternee else ''}) "
        f"= {euros(credit)}.",
        f"Soit {euros(apres)} par mois après crédit d'impôt.",
    ]
    return CreditImpot(
        annee_revenus=annee_revenus, depense_annuelle=depense, plafond=plafond, credit=credit,
        cout_mensuel_apres=apres, explications=explications,
    )
