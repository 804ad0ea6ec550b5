"""Connection control: each person's monthly activity, counted as events happen.

Dashboards read these counts and never scan logs or demandes. Other apps call `record` (demandes:
opened, exported); logins and failures come from django.contrib.auth's signals.
"""

import datetime

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils import timezone

from compteurs import counters
from monenfant import calendrier

from .models import ActiviteMensuelle, User, axes_username

CONNEXIONS = "connexions"
ECHECS = "echecs"
DEMANDES_OUVERTES = "demandes_ouvertes"
DEMANDES_EXPORTEES = "demandes_exportees"
FIELDS = (CONNEXIONS, ECHECS, DEMANDES_OUVERTES, DEMANDES_EXPORTEES)


def mois_de(moment: datetime.datetime | None = None) -> datetime.date:
    """The month of a moment, as its first day, in the local time of the users (Europe/Paris)."""
    return calendrier.premier_jour(timezone.localdate(moment))


def record(user, field: str, n: int = 1) -> None:
    """Add n to one count of this person for the current month (an upsert safe under concurrency)."""
    if field not in FIELDS:
        raise ValueError(f"Compteur inconnu : {field}")
    if user is None or user.pk is None or n <= 0:
        return
    counters.add(ActiviteMensuelle, {"user_id": user.pk, "mois": mois_de()}, n, field)


def _count_login(sender, request, user, **kwargs):
    record(user, CONNEXIONS)


def _count_failure(sender, credentials, request=None, **kwargs):
    # The address typed names the person (any case); an unknown address counts for nobody.
    email = axes_username(request, credentials)
    if not email:
        return
    user = User.objects.filter(email=email).first()
    if user is not None:
        record(user, ECHECS)


def connect():
    """Wired by HabilitationsConfig.ready: each login and failed login counts in the month's activity."""
    user_logged_in.connect(_count_login, dispatch_uid="activite_connexion")
    user_login_failed.connect(_count_failure, dispatch_uid="activite_echec")
