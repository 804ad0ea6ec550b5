"""The barèmes known when the project started, as the migration seeds them.

Values marked estime=True were not found published: derived or recalled. A CNAF administrator
corrects them, and adds the next periods, in /administration/. The CMG barèmes, with the source of
each value, are in simulateur/seed_cmg.py.
"""

import datetime

D = datetime.date
SOURCE_2019 = "Circulaire Cnaf n° 2019-005 du 5 juin 2019 : barème national des participations familiales 2019-2022."
SOURCE_ANNUEL = "Cnaf, plancher et plafond des participations familiales publiés pour la période."
COLLECTIF_2022 = ("0.0619", "0.0516", "0.0413", "0.0310", "0.0206")
# (début, fin, plancher, plancher estimé, plafond, plafond estimé, taux collectif 1/2/3/4-7/8+)
PSU = [
    (D(2019, 1, 1), D(2019, 8, 31), "687.30", False, "4874.62", False, ("0.0600", "0.0500", "0.0400", "0.0300", "0.0200")),
    (D(2019, 9, 1), D(2019, 12, 31), "705.27", False, "5300.00", False, ("0.0605", "0.0504", "0.0403", "0.0302", "0.0202")),
    (D(2020, 1, 1), D(2020, 12, 31), "705.27", False, "5600.00", False, ("0.0610", "0.0508", "0.0406", "0.0305", "0.0203")),
    (D(2021, 1, 1), D(2021, 12, 31), "711.62", True, "5800.00", True, ("0.0615", "0.0512", "0.0410", "0.0307", "0.0205")),
    (D(2022, 1, 1), D(2022, 12, 31), "712.33", False, "6000.00", False, COLLECTIF_2022),
    (D(2023, 1, 1), D(2023, 12, 31), "754.16", False, "6000.00", False, COLLECTIF_2022),
    (D(2024, 1, 1), D(2024, 8, 31), "765.77", False, "6000.00", False, COLLECTIF_2022),
    (D(2024, 9, 1), D(2024, 12, 31), "765.77", False, "7000.00", False, COLLECTIF_2022),
    (D(2025, 1, 1), D(2025, 8, 31), "801.00", True, "7000.00", False, COLLECTIF_2022),
    (D(2025, 9, 1), D(2025, 12, 31), "801.00", True, "8500.00", False, COLLECTIF_2022),
    (D(2026, 1, 1), D(2026, 12, 31), "814.62", False, "8500.00", False, COLLECTIF_2022),
]
COLLECTIF_BANDES = (1, 2, 3, 4, 8)
FAMILIAL_BANDES = (1, 2, 3, 6)
FAMILIAL_AVANT_SEPTEMBRE_2019 = ("0.0500", "0.0400", "0.0300", "0.0200")

def familial_rates(debut: datetime.date, collectif: tuple[str, ...]) -> tuple[str, ...]:
    """Familial and parental: one band lower than collectif (the collectif rate of the next band)."""
    if debut < D(2019, 9, 1):
        return FAMILIAL_AVANT_SEPTEMBRE_2019
    return collectif[1:]


def seed_psu(Bareme, TauxEffort, using: str = "default"):  # noqa: N803 (historical models passed by the migration)
    for debut, fin, plancher, plancher_estime, plafond, plafond_estime, collectif in PSU:
        bareme, created = Bareme.objects.using(using).get_or_create(
            dispositif="psu", debut=debut,
            defaults={"fin": fin, "plancher": plancher, "plafond": plafond, "plancher_estime": plancher_estime,
                      "plafond_estime": plafond_estime, "source": SOURCE_2019 if debut.year < 2023 else SOURCE_ANNUEL},
        )
        if not created:
            continue
        rows = [TauxEffort(bareme=bareme, tableau="collectif", enfants_min=n, taux=t) for n, t in zip(COLLECTIF_BANDES, collectif, strict=True)]
        rows += [
            TauxEffort(bareme=bareme, tableau="familial", enfants_min=n, taux=t)
            for n, t in zip(FAMILIAL_BANDES, familial_rates(debut, collectif), strict=True)
        ]
        TauxEffort.objects.using(using).bulk_create(rows)
