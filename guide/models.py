import re

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe
from simple_history.models import HistoricalRecords

from monenfant.validators import without_control_characters
from structures.enums import Rubrique
from structures.text import normalize

from .markdown import render


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PUBLIEE = "publiee", "Publiée"


class PageQuerySet(models.QuerySet):
    def publiees(self):
        return self.filter(statut=Statut.PUBLIEE)

    def recherche(self, text: str):
        """Pages matching every word: French stemming on PostgreSQL, plain words elsewhere."""
        text = without_control_characters(text or "")  # PostgreSQL refuses a NUL in a query
        words = [w for w in re.split(r"\W+", normalize(text)) if len(w) > 2][:10]
        if not words:
            return self.none()
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = (SearchVector("titre", weight="A", config="french") + SearchVector("chapo", weight="B", config="french")
                      + SearchVector("corps", weight="C", config="french"))
            query = SearchQuery(text[:200], config="french")  # every word, stemmed
            return (self.annotate(document=vector, rang=SearchRank(vector, query)).filter(document=query)
                    .order_by("-rang", "ordre"))
        condition = Q()
        for word in words:
            # A simpler match on SpatiaLite: each word, or its stem without a plural s, in the text.
            condition &= Q(texte_normalise__contains=word.removesuffix("s"))
        return self.filter(condition).order_by("ordre")


class PageGuide(models.Model):
    """A page of the parents' guide, written and published by CNAF editors."""

    titre = models.CharField("titre", max_length=150)
    slug = models.SlugField("adresse", max_length=80, unique=True, help_text="La fin de l'adresse : /guide/<adresse>/")
    chapo = models.CharField("chapô", max_length=300, help_text="Une ou deux phrases qui résument la page.")
    corps = models.TextField("texte (Markdown)", help_text="Titres ##, listes -, liens [texte](adresse). Le HTML n'est pas interprété.")
    sources = models.TextField("sources (Markdown)", help_text="Une source par ligne, avec son lien.")
    statut = models.CharField("statut", max_length=10, choices=Statut.choices, default=Statut.BROUILLON)
    ordre = models.PositiveSmallIntegerField("ordre dans le menu", default=10)
    rubriques = models.CharField("rubriques expliquées", max_length=60, blank=True,
                                 help_text=f"Codes séparés par des virgules : {', '.join(Rubrique.values)}. Les fiches de ces rubriques renvoient ici.")
    mis_a_jour_le = models.DateTimeField("mis à jour le", auto_now=True)
    texte_normalise = models.TextField(editable=False, default="")

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["texte_normalise"])

    class Meta:
        ordering = ["ordre", "titre"]
        verbose_name = "page du guide des parents"
        verbose_name_plural = "pages du guide des parents"

    def __str__(self):
        return self.titre

    def save(self, *args, **kwargs):
        self.rubriques = ",".join(self.liste_rubriques)
        self.texte_normalise = normalize(f"{self.titre} {self.chapo} {self.corps}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guide:page", args=[self.slug])

    def clean(self):
        unknown = [c for c in self.liste_rubriques if c not in Rubrique.values]
        if unknown:
            raise ValidationError({"rubriques": f"Rubrique inconnue : {', '.join(unknown)}."})

    @property
    def liste_rubriques(self) -> list[str]:
        return [c.strip().upper() for c in self.rubriques.split(",") if c.strip()]

    @property
    def corps_html(self):
        return mark_safe(render(self.corps))  # noqa: S308 (sanitised by render)

    @property
    def sources_html(self):
        return mark_safe(render(self.sources))  # noqa: S308 (sanitised by render)
