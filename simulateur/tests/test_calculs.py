"""Each rule of the CNAF barème at its boundaries, checked against the table of the issue."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from monenfant.tests.horloge import JOUR_DES_TESTS
from simulateur.calculs import Besoin, FraisAssmat, SimulationError, credit_impot, simuler_assmat, simuler_creche

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]
D = datetime.date

# The table as published (issue 3), independent from the seed: (first day, last day, plancher, plafond, collectif rates)
C2022 = ("0.0619", "0.0516", "0.0413", "0.0310", "0.0206")
TABLE = [
    (D(2019, 1, 1), D(2019, 8, 31), "687.30", "4874.62", ("0.0600", "0.0500", "0.0400", "0.0300", "0.0200")),
    (D(2019, 9, 1), D(2019, 12, 31), "705.27", "5300", ("0.0605", "0.0504", "0.0403", "0.0302", "0.0202")),
    (D(2020, 1, 1), D(2020, 12, 31), "705.27", "5600", ("0.0610", "0.0508", "0.0406", "0.0305", "0.0203")),
    (D(2021, 1, 1), D(2021, 12, 31), "711.62", "5800", ("0.0615", "0.0512", "0.0410", "0.0307", "0.0205")),
    (D(2022, 1, 1), D(2022, 12, 31), "712.33", "6000", C2022),
    (D(2023, 1, 1), D(2023, 12, 31), "754.16", "6000", C2022),
    (D(2024, 1, 1), D(2024, 8, 31), "765.77", "6000", C2022),
    (D(2024, 9, 1), D(2024, 12, 31), "765.77", "7000", C2022),
    (D(2025, 1, 1), D(2025, 8, 31), "801.00", "7000", C2022),
    (D(2025, 9, 1), D(2025, 12, 31), "801.00", "8500", C2022),
    (D(2026, 1, 1), D(2026, 12, 31), "814.62", "8500", C2022),
]
COLLECTIF_ENFANTS = (1, 2, 3, 4, 8)


def besoin(date, ressources="3000", enfants=1, aeeh=0, heures="40", semaines="47", mois=12):
    return Besoin(
        date=date, ressources_mensuelles=Decimal(ressources), enfants_a_charge=enfants, enfants_aeeh=aeeh,
        heures_par_semaine=Decimal(heures), semaines_par_an=Decimal(semaines), mois_factures=mois,
    )


@pytest.mark.parametrize("debut, fin, plancher, plafond, rates", TABLE)
@pytest.mark.parametrize("day", ["first", "last"])
def test_each_period_applies_from_its_first_to_its_last_day(debut, fin, plancher, plafond, rates, day):
    date = debut if day == "first" else fin
    for enfants, rate in zip(COLLECTIF_ENFANTS, rates, strict=True):
        result = simuler_creche(besoin(date, enfants=enfants), "collectif")
        assert result.taux_effort == Decimal(rate), (date, enfants)
        assert result.tarif_horaire == (Decimal(3000) * Decimal(rate) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    low = simuler_creche(besoin(date, ressources="0"), "collectif")
    assert low.ressources.retenues == Decimal(plancher)
    high = simuler_creche(besoin(date, ressources="100000"), "collectif")
    assert high.ressources.retenues == Decimal(plafond)


def test_collectif_bands_4_to_7_and_8_plus():
    date = D(2026, 3, 1)
    assert [simuler_creche(besoin(date, enfants=n), "collectif").taux_effort for n in (4, 7, 8, 12)] == [
        Decimal("0.0310"), Decimal("0.0310"), Decimal("0.0206"), Decimal("0.0206")
    ]


def test_resources_at_the_plancher_and_plafond_exactly_are_kept():
    date = D(2026, 3, 1)
    at_plancher = simuler_creche(besoin(date, ressources="814.62"), "collectif")
    assert at_plancher.ressources.retenues == Decimal("814.62")
    assert "sont retenues" in at_plancher.ressources.raison
    just_below = simuler_creche(besoin(date, ressources="814.61"), "collectif")
    assert "sous le plancher" in just_below.ressources.raison
    assert simuler_creche(besoin(date, ressources="8500"), "collectif").ressources.retenues == Decimal(8500)
    above = simuler_creche(besoin(date, ressources="8500.01"), "collectif")
    assert above.ressources.retenues == Decimal(8500) and "dépassent le plafond" in above.ressources.raison


@pytest.mark.parametrize(
    "date, rates",
    [
        (D(2019, 8, 31), ("0.05", "0.04", "0.03", "0.02")),
        (D(2019, 9, 1), ("0.0504", "0.0403", "0.0302", "0.0202")),
        (D(2022, 1, 1), ("0.0516", "0.0413", "0.0310", "0.0206")),
        (D(2026, 12, 31), ("0.0516", "0.0413", "0.0310", "0.0206")),
    ],
)
@pytest.mark.parametrize("type_accueil", ["familial", "parental"])
def test_familial_and_parental_bands_1_2_3to5_6plus(date, rates, type_accueil):
    for enfants, rate in zip((1, 2, 3, 5, 6, 9), (*rates[:3], rates[2], rates[3], rates[3]), strict=True):
        assert simuler_creche(besoin(date, enfants=enfants), type_accueil).taux_effort == Decimal(rate)


def test_micro_creche_uses_the_familial_table_until_august_2019_then_collectif():
    assert simuler_creche(besoin(D(2019, 8, 31)), "micro_creche").taux_effort == Decimal("0.05")
    assert simuler_creche(besoin(D(2019, 9, 1)), "micro_creche").taux_effort == Decimal("0.0605")


@pytest.mark.parametrize(
    "enfants, aeeh, expected",
    [(1, 1, "0.0516"), (2, 1, "0.0413"), (3, 1, "0.0310"), (4, 1, "0.0310"), (7, 1, "0.0206"),
     (8, 1, "0.0206"), (2, 2, "0.0310"), (1, 0, "0.0619")],
)
def test_each_aeeh_child_moves_one_band_down_and_the_last_band_stays(enfants, aeeh, expected):
    assert simuler_creche(besoin(D(2026, 3, 1), enfants=enfants, aeeh=aeeh), "collectif").taux_effort == Decimal(expected)


def test_mensualisation_and_rounding_half_up_with_the_explanation():
    # 0.0516 % x 2 950 = 1.5222 -> 1.52 ; 40 h x 47 / 12 = 156.666... h ; 1.52 x 156.666... = 238.1333 -> 238.13
    result = simuler_creche(besoin(D(2026, 3, 1), ressources="2950", enfants=2), "collectif")
    assert result.tarif_horaire == Decimal("1.52")
    assert result.participation_mensuelle == Decimal("238.13")
    assert "0,0516 % × 2\u202f950,00 € = 1,52 € de l'heure." in result.explications


def test_half_a_cent_rounds_up():
    # 0.0619 % x 2 585 = 1.600115 -> 1.60 ; 0.0500 % x 2 490 = 1.245 -> 1.25 (half-up, not banker's)
    assert simuler_creche(besoin(D(2019, 3, 1), ressources="2490", enfants=2), "collectif").tarif_horaire == Decimal("1.25")
    # 1.25 x 2 h x 2 weeks / 1 month = 5.00 ; 1.25 x 0.5 h = 0.625 -> 0.63
    assert simuler_creche(
        besoin(D(2019, 3, 1), ressources="2490", enfants=2, heures="0.5", semaines="1", mois=1), "collectif"
    ).participation_mensuelle == Decimal("0.63")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"ressources": "-1"}, "négatives"),
        ({"enfants": 0}, "entre 1 et"),
        ({"heures": "80"}, "supérieur à 0 et d'au plus 60"),
        ({"date": D(2018, 12, 31)}, "depuis le 1er janvier 2019"),
        ({"aeeh": 3, "enfants": 2}, "AEEH"),
        ({"mois": 13}, "mois facturés"),
    ],
)
def test_bad_needs_are_refused_with_a_french_message(kwargs, message):
    with pytest.raises(SimulationError, match=message):
        besoin(**{"date": D(2026, 3, 1), **kwargs})


def test_a_date_without_published_bareme_is_explained():
    with pytest.raises(SimulationError, match="Aucun barème n'est encore publié pour le 01/01/2027"):
        simuler_creche(besoin(D(2027, 1, 1)), "collectif")


def test_unknown_type_is_refused():
    with pytest.raises(SimulationError, match="Type d'accueil inconnu"):
        simuler_creche(besoin(D(2026, 3, 1)), "halte-garderie")


def test_cmg_formula_starts_in_september_2025():
    with pytest.raises(SimulationError, match="1er septembre 2025"):
        simuler_assmat(besoin(D(2025, 8, 31)), FraisAssmat(Decimal("4.50")))


@pytest.mark.parametrize(
    "annee, mensuel, alternee, credit",
    [
        (2026, "238.13", False, "1428.78"),  # 2 857.56 / 2
        (2026, "600.00", False, "1750.00"),  # 7 200 capped at 3 500, halved
        (2021, "600.00", False, "1150.00"),  # 2 300 cap up to income year 2021
        (2022, "600.00", False, "1750.00"),
        (2026, "600.00", True, "875.00"),  # alternating residence: cap halved
    ],
)
def test_tax_credit(annee, mensuel, alternee, credit):
    result = credit_impot(cout_mensuel=Decimal(mensuel), mois_payes=12, annee_revenus=annee, residence_alternee=alternee)
    assert result.credit == Decimal(credit)
    assert result.cout_mensuel_apres == ((Decimal(mensuel) * 12 - Decimal(credit)) / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
