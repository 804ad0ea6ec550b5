"""What a place would cost a family, beside each search result: the simulator's rules applied to the fiche's prices.

The simulator stays alone (it knows no fiche) and the directory knows no barème: this module, to their right,
composes them. The search page calls it through structures.selectors.couts_des_fiches (plugged by
monenfant/apps.py).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from simulateur import calculs
from simulateur.enums import Dispositif
from simulateur.enums import TypeAccueil as TypeSimulateur
from simulateur.formats import euros, nombre
from structures.besoin import Besoin
from structures.enums import Rubrique, TypeAccueil

# The simulator's barème tables by the directory's kinds of crèche (collective by default).
TYPE_POUR_LE_BAREME = {
    TypeAccueil.FAMILIAL: TypeSimulateur.FAMILIAL,
    TypeAccueil.PARENTAL: TypeSimulateur.PARENTAL,
    TypeAccueil.MICRO_CRECHE: TypeSimulateur.MICRO_CRECHE,
}
MOIS_PAYES = 12
SANS_RESSOURCES = "Indiquez vos ressources et le nombre d'enfants à charge pour voir le coût estimé."


def en_euros_ronds(montant: Decimal) -> str:
    """"1 234 €": an estimate to the euro (the explanation keeps the cents)."""
    return f"{nombre(montant.quantize(Decimal(1), rounding=ROUND_HALF_UP), 0)} €"


@dataclass
class Cout:
    """`mensuel`: what the family would pay a month after aids and the tax credit, None when it cannot be
    computed (`texte` then says why); `explications`: the simulator's sentences."""

    mensuel: Decimal | None
    texte: str
    explications: list[str] = field(default_factory=list)


def date_du_bareme(besoin: Besoin):
    """The barème of the start when it has begun; before it, today's (the next one is not published yet)."""
    return min(besoin.debut, timezone.localdate())


def _besoin_du_simulateur(besoin: Besoin) -> calculs.Besoin:
    return calculs.Besoin(
        date=date_du_bareme(besoin), ressources_mensuelles=besoin.ressources_mensuelles,
        enfants_a_charge=besoin.enfants_a_charge, heures_par_semaine=besoin.heures_par_semaine,
        jours_par_semaine=len(besoin.jours),
    )


def _apres_credit(cout_mensuel: Decimal, besoin: Besoin, explications: list[str]) -> Cout:
    credit = calculs.credit_impot(cout_mensuel=cout_mensuel, mois_payes=MOIS_PAYES, annee_revenus=besoin.debut.year)
    mensuel = credit.cout_mensuel_apres
    return Cout(mensuel, f"≈ {en_euros_ronds(mensuel)}/mois après aides",
                [*explications, *credit.explications])


class _Baremes:
    """The barèmes of the need's date, read once for a page of results."""

    def __init__(self, date):
        self.date, self._lus = date, {}

    def __getitem__(self, dispositif):
        if dispositif not in self._lus:
            self._lus[dispositif] = calculs.bareme_en_vigueur(self.date, dispositif)
        return self._lus[dispositif]


def _cout_creche_psu(fiche, besoin: Besoin, baremes: _Baremes) -> Cout:
    type_accueil = TYPE_POUR_LE_BAREME.get(fiche.type_accueil, TypeSimulateur.COLLECTIF)
    resultat = calculs.simuler_creche(_besoin_du_simulateur(besoin), type_accueil, bareme=baremes[Dispositif.PSU])
    return _apres_credit(resultat.participation_mensuelle, besoin, resultat.explications)


def _cout_assmat(fiche, besoin: Besoin, baremes: _Baremes) -> Cout:
    if not fiche.tarif_horaire:
        return Cout(None, "Coût non estimé : cet assistant maternel n'a pas indiqué son tarif.")
    frais = calculs.FraisAssmat(
        salaire_horaire=fiche.tarif_horaire, indemnite_entretien=fiche.indemnite_entretien,
        prix_repas=fiche.prix_repas, repas_par_jour=0 if fiche.prix_repas is None else 1,
    )
    resultat = calculs.simuler_assmat(_besoin_du_simulateur(besoin), frais, bareme=baremes[Dispositif.CMG_ASSMAT])
    return _apres_credit(resultat.reste_a_charge, besoin, resultat.explications)


def _cout_micro_creche_paje(fiche, besoin: Besoin) -> Cout:
    """A micro-crèche outside the PSU: its price. The CMG « structure » it opens depends on amounts the simulator
    does not hold yet: said, not guessed."""
    if not fiche.tarif_horaire:
        return Cout(None, "Coût non estimé : cette micro-crèche n'a pas indiqué son tarif.")
    heures = _besoin_du_simulateur(besoin).heures_mensuelles
    prix = (fiche.tarif_horaire * heures).quantize(Decimal("0.01"))
    return Cout(None, f"{en_euros_ronds(prix)}/mois avant le CMG « structure »", [
        f"{euros(fiche.tarif_horaire)} de l'heure × {heures.quantize(Decimal('0.01'))} h par mois = {euros(prix)}.",
        "Le complément de libre choix du mode de garde « structure » de la CAF prend en charge une partie de ce "
        "prix (au plus 85 %), selon vos ressources et l'âge de l'enfant : son montant n'est pas encore calculé ici.",
    ])


def cout(fiche, besoin: Besoin, baremes: _Baremes | None = None) -> Cout | None:
    """The monthly cost of this fiche for this need; None where no child is kept (a relay, a LAEP…)."""
    if fiche.rubrique not in (Rubrique.EAJE, Rubrique.ASSMAT):
        return None
    if not besoin.avec_cout:
        return Cout(None, SANS_RESSOURCES)
    baremes = baremes or _Baremes(date_du_bareme(besoin))
    try:
        if fiche.rubrique == Rubrique.ASSMAT:
            return _cout_assmat(fiche, besoin, baremes)
        if fiche.financement_psu:
            return _cout_creche_psu(fiche, besoin, baremes)
        if fiche.type_accueil == TypeAccueil.MICRO_CRECHE:
            return _cout_micro_creche_paje(fiche, besoin)
    except calculs.SimulationError as error:
        return Cout(None, f"Coût non estimé : {error}")
    return Cout(None, "Coût non estimé : demandez le tarif à la structure.")


def couts_des_fiches(fiches, besoin: Besoin) -> dict[int, Cout]:
    """The cost of each fiche of a page of results, by id (the barèmes read once)."""
    baremes = _Baremes(date_du_bareme(besoin))
    return {fiche.pk: c for fiche in fiches if (c := cout(fiche, besoin, baremes)) is not None}
