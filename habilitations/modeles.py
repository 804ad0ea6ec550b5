"""The texts of the convention, the avenant and the CAF–CNAF contract: versioned templates a CNAF administrator
writes in the back office, and the PDFs made from them.

A template is Markdown (raw HTML is never interpreted, then an allowlist sanitiser keeps plain tags) with
`{name}` placeholders from a fixed list per type (VARIABLES). The placeholders are replaced after the
Markdown is rendered, by values escaped here (or tables built here from escaped values): nothing the
author or the requester typed is ever executed, and a value is never read as Markdown or as a placeholder.

A version, once written, is never changed: a new text is a new version (1, 2, … per type), and each PDF
names the version it was made from (in its footer; a stored Document also points at it).
"""

import re
from collections.abc import Iterable, Mapping

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from monenfant.francais import date_longue
from monenfant.regles import DUREE_CONSERVATION_MOIS
from notifications.pdf import render_pdf

from .enums import TypeModele

GABARIT = "habilitations/pdf/modele.html"

# Every placeholder a type's text may use, with what it becomes (shown to the author in the back office).
COMMUNES = {"date": "date du document", "caf": "nom de la CAF", "departement": "code et nom du département"}
VARIABLES: dict[str, dict[str, str]] = {
    TypeModele.CONVENTION: {
        **COMMUNES, "organisme": "nom de l'organisme", "siret": "SIRET de l'organisme",
        "adresse": "adresse de l'organisme", "representant": "nom du demandeur, qui représente l'organisme",
        "reference": "référence de la convention", "lieux": "lieux d'information et leur commune",
        "delai": "délai pour récupérer les demandes (« 7 jours »)",
        "duree_conservation": "durée de conservation des données (« 6 mois »)",
        "communes": "tableau des communes (seul dans son paragraphe)",
        "personnes": "tableau des personnes habilitées (seul dans son paragraphe)",
    },
    TypeModele.AVENANT: {
        **COMMUNES, "organisme": "nom de l'organisme", "reference": "référence de la convention",
        "numero": "numéro de l'avenant",
        "ajoutees": "tableau des personnes ajoutées (seul dans son paragraphe)",
        "retirees": "tableau des personnes retirées (seul dans son paragraphe)",
    },
    TypeModele.CONTRAT: {
        **COMMUNES, "signe_le": "date de signature du contrat",
        "duree_conservation": "durée de conservation des données (« 6 mois »)",
    },
}
# Without them the document says nothing of what it is about.
OBLIGATOIRES = {
    TypeModele.CONVENTION: {"communes", "personnes"},
    TypeModele.AVENANT: {"ajoutees", "retirees"},
    TypeModele.CONTRAT: set(),
}
# How each document looks around its text: title and who signs.
MISE_EN_PAGE = {
    TypeModele.CONVENTION: {"titre": "Convention d'engagement de service et d'habilitation informatique",
                            "signataires": ("Pour le lieu d'information", "Pour la CAF")},
    TypeModele.AVENANT: {"titre": "Avenant n° {numero} à la convention d'engagement de service et d'habilitation "
                                  "informatique", "signataires": ("Pour le lieu d'information", "Pour la CAF")},
    TypeModele.CONTRAT: {"titre": "Contrat CAF–CNAF — service en ligne de demande d'information sur les modes "
                                  "d'accueil", "signataires": ("Pour la CNAF", "Pour la CAF")},
}

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# One pass: a placeholder alone in its paragraph (a table takes the paragraph's place), or anywhere else.
_SUBSTITUTION = re.compile(r"<p>\{(?P<bloc>[a-z_]+)\}</p>|\{(?P<nom>[a-z_]+)\}")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "hr",
        "table", "thead", "tbody", "tr", "th", "td"}


def markdown(texte: str) -> str:
    """The author's text as sanitised HTML, placeholders left as they are."""
    return nh3.clean(_markdown.render(texte or ""), tags=TAGS, attributes={})


def substituer(html: str, valeurs: Mapping[str, object]) -> SafeString:
    """Each known {name} replaced by its value, escaped unless built here as safe HTML; unknown ones stay."""

    def remplacer(match):
        nom = match.group("bloc") or match.group("nom")
        if nom not in valeurs:
            return match.group(0)
        valeur = conditional_escape(valeurs[nom])
        if match.group("bloc") and not isinstance(valeurs[nom], SafeString):
            return f"<p>{valeur}</p>"
        return valeur

    return mark_safe(_SUBSTITUTION.sub(remplacer, html))  # noqa: S308 (sanitised by markdown, the values escaped)


def verifier(type: str, texte: str) -> None:
    """Raise ValidationError for a placeholder this type does not know, or one it needs and lacks."""
    utilises = set(PLACEHOLDER.findall(texte or ""))
    erreurs = []
    if inconnus := utilises - set(VARIABLES[type]):
        erreurs.append("Variables inconnues pour ce document : " + ", ".join(f"{{{n}}}" for n in sorted(inconnus))
                       + ". Possibles : " + ", ".join(f"{{{n}}}" for n in VARIABLES[type]) + ".")
    if manquants := OBLIGATOIRES[type] - utilises:
        erreurs.append("Variables obligatoires absentes : " + ", ".join(f"{{{n}}}" for n in sorted(manquants)) + ".")
    if erreurs:
        raise ValidationError({"texte": erreurs})


class ModeleDocumentQuerySet(models.QuerySet):
    def du_type(self, type: str):
        return self.filter(type=type).order_by("-version")


class ModeleDocument(models.Model):
    """One version of the text of a type of document. Written once, never changed (save refuses)."""

    type = models.CharField("document", max_length=12, choices=TypeModele.choices)
    version = models.PositiveSmallIntegerField("version", editable=False)
    texte = models.TextField("texte", help_text=(
        "Markdown : titres ##, listes -, **gras**. Le HTML n'est pas interprété. Les variables s'écrivent entre "
        "accolades, par exemple {organisme} ; un tableau ({personnes}, {communes}, {ajoutees}, {retirees}) "
        "s'écrit seul dans son paragraphe."))
    commentaire = models.TextField("ce qui change dans cette version", blank=True)
    cree_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="créée par", editable=False)

    objects = ModeleDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["type", "-version"]
        verbose_name = "modèle de document"
        verbose_name_plural = "modèles des conventions, avenants et contrats"
        constraints = [models.UniqueConstraint(fields=["type", "version"], name="modele_document_version_unique")]

    def __str__(self):
        nom = self.get_type_display()
        return f"Modèle {'d’' if nom[0] in 'aeiouéè' else 'de '}{nom} version {self.version} du {date_longue(self.cree_le)}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Une version de modèle ne se modifie pas : écrivez-en une nouvelle.")
        super().save(*args, **kwargs)

    def clean(self):
        if self.type:
            verifier(self.type, self.texte)

    def rendre(self, valeurs: Mapping[str, object]) -> SafeString:
        return substituer(markdown(self.texte), valeurs)

    @classmethod
    def courant(cls, type: str) -> "ModeleDocument":
        """The latest version; version 1 of the guide's text if the table has none of this type (an emptied
        database: the migration seeds it otherwise)."""
        from .modeles_textes import COMMENTAIRE, TEXTES

        return cls.objects.du_type(type).first() or cls.objects.get_or_create(
            type=type, version=1, defaults={"texte": TEXTES[type], "commentaire": COMMENTAIRE})[0]


@transaction.atomic
def nouvelle_version(*, type: str, texte: str, commentaire: str = "", par=None) -> ModeleDocument:
    """Write the next version of a type's text (the unique constraint settles two authors at the same instant)."""
    verifier(type, texte)
    derniere = ModeleDocument.objects.select_for_update().du_type(type).first()
    return ModeleDocument.objects.create(type=type, version=(derniere.version if derniere else 0) + 1, texte=texte,
                                         commentaire=commentaire, cree_par=par)


def rendre(type: str, valeurs: Mapping[str, object], *, gabarit: str = GABARIT,
           contexte: Mapping[str, object] | None = None) -> tuple[bytes, ModeleDocument]:
    """The PDF of a document from the current version of its type's text, and that version."""
    modele = ModeleDocument.courant(type)
    valeurs = {"date": date_longue(timezone.localdate()), **valeurs}
    mise_en_page = MISE_EN_PAGE[type]
    pdf = render_pdf(gabarit, {
        **(contexte or {}), "modele": modele, "corps": modele.rendre(valeurs),
        "titre": mise_en_page["titre"].format(numero=valeurs.get("numero", "")),
        "signataires": mise_en_page["signataires"],
    })
    return pdf, modele


# The values of each type's placeholders -------------------------------------------------------------------

def _champ(personne, nom: str) -> str:
    """A person is a PersonneHabilitee or, for an avenant not yet signed, the dict the agent typed."""
    return personne[nom] if isinstance(personne, Mapping) else getattr(personne, nom)


def tableau_personnes(personnes: Iterable) -> SafeString:
    personnes = list(personnes)
    if not personnes:
        return format_html("<p>{}</p>", "Aucune.")
    lignes = format_html_join("", "<tr><td>{} {}</td><td>{}</td><td>{}</td></tr>", (
        (_champ(p, "prenom"), _champ(p, "nom"), _champ(p, "fonction"), _champ(p, "email")) for p in personnes))
    return format_html("<table><thead><tr><th>Prénom et nom</th><th>Fonction</th><th>Courriel</th></tr></thead>"
                       "<tbody>{}</tbody></table>", lignes)


def tableau_communes(communes: Iterable) -> SafeString:
    lignes = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", ((c.code_insee, c.nom) for c in communes))
    return format_html("<table><thead><tr><th>Code INSEE</th><th>Commune</th></tr></thead><tbody>{}</tbody></table>",
                       lignes)


def _departement(caf) -> str:
    departement = caf.departement
    return f"{departement.code} — {departement.nom}"


def _duree_conservation() -> str:
    return f"{DUREE_CONSERVATION_MOIS} mois"


def convention_pdf(*, demande, personnes, **_context) -> dict:
    """The fields of the convention's Document: its PDF and the template's version."""
    pdf, modele = rendre(TypeModele.CONVENTION, {
        "caf": demande.caf.nom, "departement": _departement(demande.caf), "organisme": demande.organisme_nom,
        "siret": demande.organisme_siret or "non communiqué", "adresse": demande.organisme_adresse,
        "representant": demande.demandeur_nom, "reference": demande.reference,
        "lieux": ", ".join(f"{s.nom} ({s.commune.nom})" for s in demande.structures.select_related("commune")),
        "delai": f"{demande.delai_recuperation_jours} jours", "duree_conservation": _duree_conservation(),
        "communes": tableau_communes(demande.communes.order_by("nom")), "personnes": tableau_personnes(personnes),
    }, contexte={"demande": demande, "titre_document": f"Convention {demande.reference}"})
    return {"pdf": pdf, "modele": modele}


def avenant_pdf(*, demande, numero, ajoutees, retirees, **_context) -> dict:
    """The fields of an avenant's Document: its PDF and the template's version."""
    pdf, modele = rendre(TypeModele.AVENANT, {
        "caf": demande.caf.nom, "departement": _departement(demande.caf), "organisme": demande.organisme_nom,
        "reference": demande.reference, "numero": numero,
        "ajoutees": tableau_personnes(ajoutees), "retirees": tableau_personnes(retirees),
    }, contexte={"demande": demande, "titre_document": f"Avenant {numero} — {demande.reference}"})
    return {"pdf": pdf, "modele": modele}


def contrat_valeurs(*, caf, signe_le) -> dict:
    """The CAF–CNAF contract's placeholders (linf renders the contract with its own page around them)."""
    return {"caf": caf.nom, "departement": _departement(caf), "duree_conservation": _duree_conservation(),
            "signe_le": date_longue(signe_le) if signe_le else "date à compléter"}
