from django.db import models


class EvenementUsage(models.TextChoices):
    """What the usage counters count of the guide (compteurs). Codes are stored: never change them."""

    PAGE_GUIDE_LUE = "page_guide_lue", "Page du guide lue"
