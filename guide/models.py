import re

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from simple_history.models import HistoricalRecords

from monenfant.validators import without_control_characters
from structures.enums import Rubrique
from structures.text import normalize

from .markdown import render


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PUBLIEE = "publiee", "Publiée"


# « Mis à jour le … » on a page is the day an editor last read it against its sources, set by hand: a typo
# fixed or an order changed is not a review. A change form posted without the field keeps the page's date
# (Django leaves a field that has a default untouched when it is missing from the data).
REVUE_AIDE = ("La date à laquelle vous avez relu la page et vérifié ses sources : la page l'affiche « Mis à jour le … ». "
              "Une correction de forme ne la change pas ; changez-la quand vous relisez le fond.")
REVUE_OBLIGATOIRE = "Indiquez la date à laquelle vous avez relu la page : elle est affichée sur la page publiée."
REVUE_FUTURE = "La date de relecture ne peut pas être dans le futur."


def erreurs_de_revue(revue_le, *, obligatoire: bool) -> dict[str, str]:
    """The review date's rules, for the guide's pages and the legal pages alike."""
    if revue_le is None:
        return {"revue_le": REVUE_OBLIGATOIRE} if obligatoire else {}
    if revue_le > timezone.localdate():
        return {"revue_le": REVUE_FUTURE}
    return {}


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
    revue_le = models.DateField("mis à jour le", null=True, blank=True, default=None, help_text=REVUE_AIDE)
    mis_a_jour_le = models.DateTimeField("dernière modification", auto_now=True)
    texte_normalise = models.TextField("texte normalisé", editable=False, default="")

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["texte_normalise"])

    class Meta:
        ordering = ["ordre", "titre"]
        verbose_name = "page du guide des parents"
        verbose_name_plural = "pages du guide des parents"
        constraints = [
            models.CheckConstraint(condition=~Q(statut=Statut.PUBLIEE) | Q(revue_le__isnull=False),
                                   name="pageguide_publiee_avec_date_de_revue", violation_error_message=REVUE_OBLIGATOIRE),
        ]

    def __str__(self):
        return self.titre

    def save(self, *args, **kwargs):
        self.rubriques = ",".join(self.liste_rubriques)
        self.texte_normalise = normalize(f"{self.titre} {self.chapo} {self.corps}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guide:page", args=[self.slug])

    def clean(self):
        errors = erreurs_de_revue(self.revue_le, obligatoire=self.statut == Statut.PUBLIEE)
        unknown = [c for c in self.liste_rubriques if c not in Rubrique.values]
        if unknown:
            errors["rubriques"] = f"Rubrique inconnue : {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)

    @property
    def liste_rubriques(self) -> list[str]:
        return [c.strip().upper() for c in self.rubriques.split(",") if c.strip()]

    @property
    def corps_html(self):
        return mark_safe(render(self.corps))  # noqa: S308 (sanitised by render)

    @property
    def sources_html(self):
        return mark_safe(render(self.sources))  # noqa: S308 (sanitised by render)


# The site's legal pages ----------------------------------------------------------------------

A_COMPLETER = "[à compléter par l'éditeur : {}]"
_A_COMPLETER_RE = re.compile(r"\[à compléter par l(?:'|’|&#x27;|&#39;)éditeur :[^\]]*\]")


def _marquer_a_completer(html: str) -> str:
    """A fact only the publisher knows is shown, until filled in, as a highlighted placeholder."""
    return _A_COMPLETER_RE.sub(lambda m: f'<mark class="mf-a-completer">{m.group(0)}</mark>', html)


class InformationsEditeur(models.Model):
    """What only the publisher knows (publisher, host, contacts): one row, filled in before going live.
    The legal pages' texts quote these fields by their {code}."""

    editeur = models.TextField("éditeur du site", default=A_COMPLETER.format(
        "nom de l'organisme éditeur, forme juridique, adresse du siège, téléphone"),
        help_text="Dans les textes : {editeur}.")
    directeur_publication = models.CharField("directeur ou directrice de la publication", max_length=300, default=A_COMPLETER.format(
        "nom et fonction du directeur ou de la directrice de la publication"),
        help_text="Dans les textes : {directeur_publication}.")
    hebergeur = models.TextField("hébergeur", default=A_COMPLETER.format("nom, adresse et téléphone de l'hébergeur"),
                                 help_text="Dans les textes : {hebergeur}.")
    contact_dpo = models.TextField("contact du délégué à la protection des données", default=A_COMPLETER.format(
        "adresse électronique et adresse postale du délégué à la protection des données"),
        help_text="Dans les textes : {contact_dpo}.")
    contact_accessibilite = models.TextField("contact pour l'accessibilité", default=A_COMPLETER.format(
        "adresse électronique ou formulaire pour signaler un défaut d'accessibilité"),
        help_text="Dans les textes : {contact_accessibilite}.")
    mis_a_jour_le = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    CODES = ["editeur", "directeur_publication", "hebergeur", "contact_dpo", "contact_accessibilite"]

    class Meta:
        verbose_name = "informations de l'éditeur"
        verbose_name_plural = "informations de l'éditeur"

    def __str__(self):
        return "Informations de l'éditeur"

    @classmethod
    def courantes(cls) -> "InformationsEditeur":
        return cls.objects.get_or_create(pk=1)[0]

    def a_completer(self) -> list[str]:
        """The fields still holding their placeholder."""
        return [str(self._meta.get_field(code).verbose_name) for code in self.CODES
                if _A_COMPLETER_RE.search(getattr(self, code))]


class TypePageLegale(models.TextChoices):
    MENTIONS_LEGALES = "mentions-legales", "Mentions légales"
    DONNEES_PERSONNELLES = "donnees-personnelles", "Données personnelles"
    ACCESSIBILITE = "accessibilite", "Accessibilité"


class PageLegale(models.Model):
    """Mentions légales, données personnelles, accessibilité: one row each, at a fixed address,
    written by the CNAF editors who write the guide."""

    type = models.CharField("page", max_length=30, choices=TypePageLegale.choices, unique=True)
    titre = models.CharField("titre", max_length=150)
    chapo = models.CharField("chapô", max_length=300, blank=True)
    corps = models.TextField("texte (Markdown)", help_text=(
        "Titres ##, listes -, liens [texte](adresse). Le HTML n'est pas interprété. Les informations de l'éditeur "
        "s'écrivent {editeur}, {directeur_publication}, {hebergeur}, {contact_dpo}, {contact_accessibilite}."))
    # Never empty (the pages are always public); blank so that a change form posted without it keeps it.
    revue_le = models.DateField("mis à jour le", blank=True, default=None, help_text=REVUE_AIDE)
    mis_a_jour_le = models.DateTimeField("dernière modification", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["type"]
        verbose_name = "page légale"
        verbose_name_plural = "pages légales (mentions, données personnelles, accessibilité)"

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse(f"pages:{self.type.replace('-', '_')}")

    @classmethod
    def courante(cls, type: str) -> "PageLegale":
        """The page at its fixed address: seeded by a migration, and again here if the row is missing
        (an emptied database): a legal page never answers 404. An edited text is never overwritten."""
        from .seed_pages_legales import PAGES_LEGALES, REVUE_PAGES_LEGALES

        return cls.objects.get_or_create(type=type, defaults={**PAGES_LEGALES[type], "revue_le": REVUE_PAGES_LEGALES})[0]

    def clean(self):
        if errors := erreurs_de_revue(self.revue_le, obligatoire=True):
            raise ValidationError(errors)

    def corps_html(self, editeur: InformationsEditeur):
        html = render(self.corps)
        for code in InformationsEditeur.CODES:
            valeur = escape(getattr(editeur, code)).replace("\n", "<br>")
            html = html.replace("{" + code + "}", valeur)
        return mark_safe(_marquer_a_completer(html))  # noqa: S308 (sanitised by render, the values escaped)
