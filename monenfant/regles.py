"""Rules of the whole service, one name each: read by every app, imports none of them."""

from dateutil.relativedelta import relativedelta

# Personal data (families' demandes, their emails, habilitation requests that never became a
# convention) are kept six months, then destroyed; the conventions tell the organismes so.
DUREE_CONSERVATION_MOIS = 6
DUREE_CONSERVATION = relativedelta(months=DUREE_CONSERVATION_MOIS)

# The connection control's counts per named person (habilitations.ActiviteMensuelle): the page shows
# the current month and the 11 before it; older months are deleted by the daily purge.
CONSERVATION_ACTIVITE_MOIS = 12
