"""Reading the usage counters in a test, on either mode: buffered counts are flushed first, as beat would."""

from django.db.models import Sum

from compteurs import usage
from structures.models import CompteurUsage


def counted(evenement, **lookup) -> int:
    usage.flush()
    return CompteurUsage.objects.filter(evenement=evenement, **lookup).aggregate(n=Sum("nombre"))["n"] or 0
