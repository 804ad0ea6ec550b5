"""Alerts when a place opens: made, confirmed, stopped, sent and destroyed here."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from compteurs import usage
from monenfant.regles import DUREE_CONSERVATION
from notifications.models import Notification
from notifications.services import notify
from structures import besoin as besoins
from structures.selectors import Criteres, search_structures

from .enums import EvenementUsage
from .models import Alerte, PlaceSignalee

logger = logging.getLogger(__name__)

# At most one email a day for an alert, listing at most this many places.
INTERVALLE_ENTRE_ALERTES = datetime.timedelta(days=1)
PLACES_PAR_COURRIEL = 5
# An address never confirmed is forgotten after this.
DELAI_CONFIRMATION = datetime.timedelta(days=7)
OBJET = "alerte:"


def _lien(nom: str, alerte: Alerte) -> str:
    return settings.SITE_URL + reverse(f"familles:{nom}", args=[alerte.jeton])


def creer_alerte(*, email: str, besoin: besoins.Besoin, commune, rayon_km: float, rubriques: list[str]) -> Alerte:
    """A need saved, not active yet: the address receives a link to confirm it (double opt-in)."""
    parametres = {k: v for k, v in besoin.en_parametres().items() if k not in ("ressources", "enfants")}
    alerte = Alerte.objects.create(email=email, besoin=parametres, commune=commune, rayon_km=rayon_km,
                                   rubriques=",".join(rubriques))
    notify(to=[email], sujet="Confirmez votre alerte de place sur monenfant", template="familles/emails/confirmer.txt",
           context={"besoin": besoin, "commune": commune, "rayon_km": rayon_km,
                    "lien_confirmer": _lien("confirmer", alerte), "lien_arreter": _lien("arreter", alerte)},
           objet=f"{OBJET}{alerte.pk}", secret=True)
    return alerte


def confirmer(alerte: Alerte) -> Alerte:
    if alerte.confirmee_le is None:
        alerte.confirmee_le = timezone.now()
        alerte.save(update_fields=["confirmee_le"])
        usage.count(EvenementUsage.ALERTE_CREEE, departement=alerte.commune.departement_id)
    return alerte


@transaction.atomic
def arreter(alerte: Alerte) -> None:
    """Stopped by its family: the alert, the places it named and its emails are destroyed at once."""
    Notification.objects.filter(objet=f"{OBJET}{alerte.pk}").delete()
    alerte.delete()


def besoin_de(alerte: Alerte) -> besoins.Besoin | None:
    return besoins.besoin_de_la_saisie(alerte.besoin)


def places_a_signaler(alerte: Alerte, besoin: besoins.Besoin | None) -> list:
    """The fiches that fit the alert's need (besoin_de) entirely (besoins.annoter_adequation: 3, which only a fiche
    that keeps children reaches), whose places were declared since the alert was confirmed (a manager raised them,
    an assistant maternel set an availability), and that this alert never named; nearest first."""
    if besoin is None or alerte.confirmee_le is None:
        return []
    criteres = Criteres(point=alerte.commune.point, rayon_km=alerte.rayon_km, besoin=besoin,
                        rubriques=[r for r in alerte.rubriques.split(",") if r] or list(besoins.RUBRIQUES_D_ACCUEIL))
    depuis = alerte.confirmee_le
    qs = (search_structures(criteres).filter(adequation=3)
          .exclude(pk__in=PlaceSignalee.objects.filter(alerte=alerte).values("structure")))
    qs = qs.filter(Q(places_mises_a_jour_le__gte=depuis) | Q(disponibilite_mise_a_jour_le__gte=depuis))
    return list(qs.order_by("distance_km", "pk")[:PLACES_PAR_COURRIEL])


def _envoyee_il_y_a_moins_d_un_jour(alerte: Alerte, now: datetime.datetime) -> bool:
    return alerte.derniere_alerte_le is not None and alerte.derniere_alerte_le > now - INTERVALLE_ENTRE_ALERTES


def envoyer_alerte(alerte: Alerte, *, now: datetime.datetime | None = None) -> int:
    """One email for the places that opened for this alert, at most once a day; returns the places named."""
    now = now or timezone.now()
    if _envoyee_il_y_a_moins_d_un_jour(alerte, now):
        return 0
    besoin = besoin_de(alerte)
    places = places_a_signaler(alerte, besoin)
    if not places:
        return 0
    with transaction.atomic():
        # Read again under the lock: another worker may have sent it since.
        verrou = Alerte.objects.select_for_update().filter(pk=alerte.pk).first()
        if verrou is None or _envoyee_il_y_a_moins_d_un_jour(verrou, now):
            return 0
        PlaceSignalee.objects.bulk_create([PlaceSignalee(alerte=alerte, structure=s) for s in places],
                                          ignore_conflicts=True)
        Alerte.objects.filter(pk=alerte.pk).update(derniere_alerte_le=now)
        notify(to=[alerte.email], sujet="Une place qui vous convient s'est libérée",
               template="familles/emails/places.txt",
               context={"places": [(s, settings.SITE_URL + s.get_absolute_url()) for s in places],
                        "besoin": besoin, "commune": alerte.commune, "lien_arreter": _lien("arreter", alerte)},
               objet=f"{OBJET}{alerte.pk}", territoire=alerte.commune.departement_id, secret=True)
    usage.count(EvenementUsage.ALERTE_ENVOYEE, departement=alerte.commune.departement_id)
    return len(places)


def envoyer_les_alertes(*, now: datetime.datetime | None = None) -> int:
    """The periodic task: every confirmed alert not sent in the last day. Returns the emails queued."""
    now = now or timezone.now()
    envoyees = 0
    alertes = (Alerte.objects.filter(confirmee_le__isnull=False).select_related("commune")
               .exclude(derniere_alerte_le__gt=now - INTERVALLE_ENTRE_ALERTES).order_by("pk"))
    for alerte in alertes.iterator(chunk_size=500):
        try:
            envoyees += envoyer_alerte(alerte, now=now) > 0
        except Exception:  # noqa: BLE001 (one alert's failure never stops the others')
            logger.exception("Alerte %s non envoyée", alerte.pk)
    return envoyees


def purger(*, now: datetime.datetime | None = None) -> int:
    """Alerts made six months ago, and those never confirmed within a week, destroyed with their emails."""
    now = now or timezone.now()
    perimees = Alerte.objects.filter(cree_le__lt=now - DUREE_CONSERVATION) | Alerte.objects.filter(
        confirmee_le__isnull=True, cree_le__lt=now - DELAI_CONFIRMATION)
    ids = list(perimees.values_list("pk", flat=True))
    Notification.objects.filter(objet__in=[f"{OBJET}{pk}" for pk in ids]).delete()
    return Alerte.objects.filter(pk__in=ids).delete()[1].get("familles.Alerte", 0)
