"""One BAN client (Base Adresse Nationale through geopy's BANFrance), with a short timeout.

Geocoding is a help, never a requirement: any failure returns None and the caller falls back
to the commune's point.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.gis.geos import Point
from geopy.exc import GeopyError
from geopy.geocoders import BANFrance

from .models import Commune

logger = logging.getLogger(__name__)
MIN_SCORE = 0.5


def _geocoder() -> BANFrance:
    url = urlsplit(settings.BAN_URL)
    return BANFrance(
        domain=url.netloc, scheme=url.scheme or "https", timeout=settings.GEOCODER_TIMEOUT,
        user_agent="monenfant",
    )


def geocode_address(adresse: str, commune: Commune) -> Point | None:
    """The point of an address within commune, or None (offline, unknown, elsewhere, unsure)."""
    adresse = (adresse or "").strip()
    if not adresse or not settings.GEOCODER_ENABLED:
        return None
    query = f"{adresse}, {commune.code_postal_principal} {commune.nom}"[:200]
    try:
        location = _geocoder().geocode(query, exactly_one=True)
    except GeopyError as error:
        logger.info("BAN indisponible (%s) : position de la commune utilisée", error.__class__.__name__)
        return None
    except Exception:  # a malformed answer must not break a search  # noqa: BLE001
        logger.exception("Réponse BAN illisible")
        return None
    if location is None:
        return None
    properties = location.raw.get("properties", {})
    codes = {commune.code_insee, *commune.arrondissements.values_list("code_insee", flat=True)}
    if properties.get("citycode") not in codes or float(properties.get("score", 0)) < MIN_SCORE:
        return None
    return Point(location.longitude, location.latitude, srid=4326)
