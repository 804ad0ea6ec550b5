"""Rules of the whole service, one name each: read by every app, imports none of them."""

from dateutil.relativedelta import relativedelta

# Personal data (families' demandes, their emails, habilitation requests that never became a
# convention) are kept six months, then destroyed; the conventions tell the organismes so.
DUREE_CONSERVATION_MOIS = 6
DUREE_CONSERVATION = relativedelta(months=DUREE_CONSERVATION_MOIS)
