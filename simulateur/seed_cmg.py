"""The CMG barèmes for an assistant maternel since the reform of 1 September 2025, each value with
the publication it comes from. Checked on 1 December 2026; what no official text we could read
gives is marked officiel=False with where it comes from, and the simulator says so to families.

The 2026 values follow art. D. 531-18 of the code de la sécurité sociale: the reference cost and the
hourly cap move like the SMIC between 1 January of the previous year and 1 January of the year
(11.88 € → 12.02 €), applied here from 1 April, the date family benefits are revalued.
"""

import datetime

D = datetime.date

DECRET = (
    "Décret n° 2025-515 du 30 mai 2025 relatif au complément de libre choix du mode de garde "
    "(code de la sécurité sociale, art. D. 531-17 et D. 531-18)",
    D(2025, 5, 30), "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000051714530",
)
CAF_FR = (
    "caf.fr, « Une aide à l'accueil de l'enfant mieux adaptée : tout savoir sur ce qui change » (tarif de "
    "référence de 4,85 € nets par heure ; exemple : 3 000 € de ressources, un enfant, 125 heures à 4,85 € nets, "
    "CMG d'environ 374 €)",
    None, "https://www.caf.fr/professionnels/presse/publications/une-aide-l-accueil-de-l-enfant-mieux-adaptee-pour-tout-savoir-sur-ce-qui-change",
)
CONVENTION = (
    "Convention collective nationale des particuliers employeurs et de l'emploi à domicile (IDCC 3239) : "
    "indemnité d'entretien d'au moins 90 % du minimum garanti pour une journée de 9 heures, jamais moins de 2,65 €",
    None, "",
)
HCFEA = (
    "Haut Conseil de la famille, de l'enfance et de l'âge, rapport sur l'accueil du jeune enfant (2021) : "
    "frais de repas déclarés de 3,47 € en moyenne",
    None, "",
)

PLANCHER_PSU = ("Plancher du CMG non lu dans un texte officiel : celui du barème des crèches (PSU) de la même "
                "année ({valeur}), que reprennent les sources consultées. Il ne change le calcul que sous ce revenu.")
PLAFOND = ("Plafond non lu dans le texte du décret : 8 500 €, plafond du barème des crèches depuis le 1er septembre "
           "2025, que donnent toutes les sources consultées.")
TAUX = ("Seul le taux d'une famille d'un enfant (0,0619 %) est confirmé, par l'exemple chiffré de caf.fr. Ceux des "
        "familles de 2 enfants et plus reprennent le barème des crèches collectives, comme les sources non "
        "officielles consultées.")
INDEXE = ("Non publié dans un texte que nous avons pu lire : {base} revalorisé comme le SMIC horaire entre le "
          "1er janvier 2025 (11,88 €) et le 1er janvier 2026 (12,02 €), comme le prévoit l'art. D. 531-18, soit "
          "{valeur}, appliqué à partir du 1er avril 2026.")
USUEL_ENTRETIEN = ("Montant usuel : le minimum conventionnel pour une journée de 9 heures ({valeur}). Le vôtre est "
                   "dans le contrat de travail.")
USUEL_REPAS = "Montant usuel, arrondi de la moyenne déclarée (3,47 €). Le vôtre est dans le contrat de travail."

# (first day, last day, floor, reference cost, hourly cap, maintenance allowance, 2026 indexed values?)
PERIODES = [
    (D(2025, 9, 1), D(2025, 12, 31), "801.00", "4.85", "8.00", "3.80", False),
    (D(2026, 1, 1), D(2026, 3, 31), "814.62", "4.85", "8.00", "3.83", False),
    (D(2026, 4, 1), D(2027, 3, 31), "814.62", "4.91", "8.09", "3.92", True),
]
PLAFOND_RESSOURCES = "8500.00"
REPAS = "3.50"
# (from n dependent children, rate in % per hour, confirmed by an official text)
TAUX_CMG = [(1, "0.0619", True), (2, "0.0516", False), (3, "0.0413", False), (4, "0.0310", False),
            (8, "0.0206", False)]


def euros(text: str) -> str:
    return text.replace(".", ",") + " €"


def seed_cmg(Bareme, TauxEffort, SourceParametre, using: str = "default"):  # noqa: N803 (historical models)
    for debut, fin, plancher, reference, plafond_horaire, entretien, indexe in PERIODES:
        bareme, created = Bareme.objects.using(using).get_or_create(
            dispositif="cmg_assmat", debut=debut,
            defaults={
                "fin": fin, "plancher": plancher, "plafond": PLAFOND_RESSOURCES, "plancher_estime": True,
                "plafond_estime": True, "cout_horaire_reference": reference, "plafond_horaire": plafond_horaire,
                "indemnite_entretien_usuelle": entretien, "repas_usuel": REPAS,
                "source": f"{DECRET[0]} ; {CAF_FR[0].split(' (')[0]}.",
            },
        )
        if not created:
            continue
        TauxEffort.objects.using(using).bulk_create([
            TauxEffort(bareme=bareme, tableau="cmg", enfants_min=n, taux=taux, estime=not confirme)
            for n, taux, confirme in TAUX_CMG
        ])

        def source(parametre, publication, *, officiel=True, remarque="", bareme=bareme):
            texte, publie_le, adresse = publication
            SourceParametre.objects.using(using).create(bareme=bareme, parametre=parametre, texte=texte, publie_le=publie_le,
                                           adresse=adresse, officiel=officiel, remarque=remarque)

        source("plancher", CAF_FR, officiel=False, remarque=PLANCHER_PSU.format(valeur=euros(plancher)))
        source("plafond", CAF_FR, officiel=False, remarque=PLAFOND)
        if indexe:
            source("cout_horaire_reference", DECRET, officiel=False,
                   remarque=INDEXE.format(base="4,85 €", valeur=euros(reference)))
            source("plafond_horaire", DECRET, officiel=False,
                   remarque=INDEXE.format(base="8,00 €", valeur=euros(plafond_horaire)))
        else:
            source("cout_horaire_reference", CAF_FR)
            source("plafond_horaire", DECRET)
        source("taux_effort", CAF_FR, remarque=TAUX)
        source("indemnite_entretien", CONVENTION, officiel=False, remarque=USUEL_ENTRETIEN.format(valeur=euros(entretien)))
        source("repas", HCFEA, officiel=False, remarque=USUEL_REPAS)
