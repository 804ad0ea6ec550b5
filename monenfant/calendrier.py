"""Month arithmetic, one way for every app: months are their first day (a date), counted with
python-dateutil; "?mois=" parameters are "AAAA-MM"."""

import datetime

from dateutil.relativedelta import relativedelta


def premier_jour(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def decale(mois: datetime.date, n: int) -> datetime.date:
    """The first day of the month n months after (n < 0: before) the month of this day."""
    return premier_jour(mois) + relativedelta(months=n)


def mois_entre(debut: datetime.date, fin: datetime.date) -> list[datetime.date]:
    """Every month from debut's to fin's, both included, oldest first."""
    months, mois = [], premier_jour(debut)
    while mois <= fin:
        months.append(mois)
        mois = decale(mois, 1)
    return months


def derniers_mois(fin: datetime.date, n: int) -> list[datetime.date]:
    """The month of fin and the n - 1 before it, newest first."""
    return [decale(fin, -i) for i in range(n)]


def age_en_mois(naissance: datetime.date, at: datetime.date) -> int:
    """Whole months between the two dates, as an age is told ("11 mois" until the first birthday)."""
    delta = relativedelta(at, naissance)
    return delta.years * 12 + delta.months


def lire_mois(value: str | None) -> datetime.date | None:
    """"2026-11" → 1 November 2026; anything else → None (the caller chooses its default)."""
    try:
        return datetime.datetime.strptime((value or "").strip(), "%Y-%m").date()
    except ValueError:
        return None
