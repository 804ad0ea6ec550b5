from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import get_format, localize
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from backoffice.admin import ReadOnlyAdminMixin, ScopedAdminMixin, departement_choisi, departements_du_territoire
from backoffice.exports import csv_response
from monenfant import calendrier, francais
from structures.enums import Rubrique

from . import selectors
from .enums import Besoin, Situation, TrancheAge
from .models import BesoinsOffre, Demande


class DepartementSuiviFilter(admin.SimpleListFilter):
    """One département of the territory: the CNAF reads the follow-up département by département."""

    title = "département"
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        return [(d.code, f"{d.code} — {d.nom}") for d in departements_du_territoire(request)]

    def queryset(self, request, queryset):
        return queryset.filter(commune__departement=self.value()) if self.value() else queryset


class SansLieuFilter(admin.SimpleListFilter):
    """The demandes whose LINF stopped answering online: moved to another, or the family told."""

    title = "lieu d'information arrêté"
    parameter_name = "sans_lieu"

    def lookups(self, request, model_admin):
        return [("transmise", "transmises à un autre lieu"), ("prevenue", "familles prévenues (non lues en ligne)")]

    def queryset(self, request, queryset):
        if self.value() == "transmise":
            return queryset.filter(reorientee_le__isnull=False)
        if self.value() == "prevenue":
            return queryset.filter(famille_prevenue_le__isnull=False)
        return queryset


@admin.register(Demande)
class DemandeSuiviAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Gestion des demandes d'information: statuses and dates per LINF, never the family's data."""

    # A demande belongs to the territory of the family's commune (its LINF serve communes of their CAF).
    territory_lookup = "commune__departement"
    change_list_template = "admin/demandes/demande/change_list.html"
    list_display = ["reference", "commune", "lieux", "statut", "cree_le", "traitee_le", "lieu_arrete"]
    list_filter = ["statut", SansLieuFilter, DepartementSuiviFilter]
    search_fields = ["reference"]
    list_display_links = None  # no page with the family's data

    @admin.display(description="lieux d'information")
    def lieux(self, obj):
        return ", ".join(s.nom for s in obj.linfs.all())

    @admin.display(description="lieu d'information arrêté")
    def lieu_arrete(self, obj):
        faits = [f"transmise le {francais.date_longue(obj.reorientee_le)}" if obj.reorientee_le else "",
                 f"famille prévenue le {francais.date_longue(obj.famille_prevenue_le)}" if obj.famille_prevenue_le else ""]
        return " ; ".join(filter(None, faits)) or "—"

    show_full_result_count = False  # one count of the territory's demandes is enough

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("commune").prefetch_related("linfs")
        # The country's list would count a million rows for nothing: the CNAF picks a département, or
        # searches a reference.
        if request.user.departements_geres() is None and not (request.GET.get("departement") or request.GET.get("q")):
            return queryset.none()
        return queryset

    def has_view_permission(self, request, obj=None):
        return obj is None and self.admin_site.has_permission(request)

    def changelist_view(self, request, extra_context=None):
        choisi = departement_choisi(request)
        departements = {choisi} if choisi else request.user.departements_geres()
        now = timezone.now()
        extra = {"debut_suivi": selectors.debut_suivi(now), "resume": None, "non_servies": None}
        # The country has thousands of LINF: the CNAF reads them one département at a time.
        if departements is not None:
            extra.update(resume=selectors.suivi_par_linf(departements, now),
                         non_servies=selectors.non_servies_des_12_mois(departements, now))
        return super().changelist_view(request, {**(extra_context or {}), **extra})


# The columns of each table of "Besoins et offre": (header, key), shared by the page and its CSV.
COLONNES_DEMANDES = [
    ("Demandes", "total"),
    *[(label, f"besoin_{value}") for value, label in (
        (Besoin.CRECHE, "Crèche"), (Besoin.ASSMAT, "Assistant maternel"),
        (Besoin.GARDE_DOMICILE, "Garde à domicile"), (Besoin.INDECIS, "Ne sait pas encore"))],
    *[(f"Enfant : {t.label.lower()}", f"age_{t.name}") for t in TrancheAge],
    ("Horaires atypiques", "horaires_atypiques"), ("Enfant en situation de handicap", "handicap"),
    *[(f"Famille : {s.label.lower()}", f"situation_{s.value}") for s in Situation],
    ("Famille : situation non renseignée", f"situation_{selectors.SANS_SITUATION}"),
    ("Traitées", "traitees"), ("Délai moyen avant traitement (jours)", "delai_moyen"),
    ("Délai médian avant traitement (jours)", "delai_median"),
]
COLONNES_NON_SERVIES = [("Familles arrêtées faute de lieu d'information", "familles")]
RUBRIQUES_COURTES = {Rubrique.EAJE: "EAJE", Rubrique.RPE: "relais petite enfance", Rubrique.LAEP: "LAEP",
                     Rubrique.ALSH: "accueil de loisirs", Rubrique.ASSMAT: "assistant maternel",
                     Rubrique.LINF: "lieu d'information", Rubrique.MAM: "MAM"}  # headers short enough for a table
COLONNES_OFFRE = [
    *[(f"Fiches {RUBRIQUES_COURTES[r]}", f"fiches_{r.value}") for r in Rubrique],
    *[(f"Places disponibles {RUBRIQUES_COURTES[r]}", f"places_{r.value}") for r in selectors.RUBRIQUES_AVEC_PLACES],
]
COLONNES_COMPARAISON = [
    ("Demandes", "demandes"), ("Demandes de crèche", "demandes_creche"), ("Fiches EAJE", "fiches_eaje"),
    ("Places disponibles EAJE", "places_eaje"), ("Demandes d'assistant maternel", "demandes_assmat"),
    ("Fiches assistant maternel", "fiches_assmat"), ("Places disponibles assistant maternel", "places_assmat"),
    ("Familles arrêtées faute de lieu d'information", "non_servies"), ("Demandes sans place en face", "sans_place"),
]
VIDE = "Aucune donnée pour cette période."
TABLEAUX = {  # export code: (title, columns)
    "demandes": ("Demandes d'information", COLONNES_DEMANDES),
    "non-servies": ("Familles arrêtées faute de lieu d'information", COLONNES_NON_SERVIES),
    "offre": ("Offre : fiches publiées et places disponibles aujourd'hui", COLONNES_OFFRE),
    "comparaison": ("Demande et offre", COLONNES_COMPARAISON),
}


def _cellules(values) -> str:
    """The cells of a row as HTML, a dash for no value: a national table has thousands of cells, formatted
    here rather than by a template node and a localize() each (counts and delays: str() with the decimal
    separator is what localize() gives without thousands separators)."""
    if settings.USE_THOUSAND_SEPARATOR:
        return format_html_join("", "<td>{}</td>", (("—" if v is None else localize(v),) for v in values))
    sep = get_format("DECIMAL_SEPARATOR")

    def cell(v):
        if v is None:
            return "—"
        if isinstance(v, int | float):
            return str(v).replace(".", sep)
        return escape(localize(v))

    return mark_safe("".join(f"<td>{cell(v)}</td>" for v in values))  # noqa: S308 (numbers, or escaped)


@admin.register(BesoinsOffre)
class BesoinsOffreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Besoins et offre: the needs families expressed beside the offer of the same communes, from aggregates."""

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return obj is None and self.admin_site.has_permission(request)

    def _departement(self, request) -> tuple[str | None, list]:
        """The département asked for (404 outside the territory), and the choices."""
        code, choix = departement_choisi(request), list(departements_du_territoire(request))
        # A CAF opens on its own département; the CNAF on the country, by département.
        if not code and request.user.departements_geres() is not None and choix:
            code = choix[0].code
        return code or None, choix

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        departement, choix = self._departement(request)
        debut, fin = selectors.periode_par_defaut(timezone.localdate())
        debut, fin = calendrier.lire_mois(request.GET.get("debut")) or debut, calendrier.lire_mois(request.GET.get("fin")) or fin
        if debut > fin:
            debut, fin = fin, debut
        arrete_le = None
        if departement is None:  # the country: the nightly rollup, not a grouping of every count
            national = selectors.national(debut, fin)
            demandes, non_servies, offre = national["demandes"], national["non_servies"], national["offre"]
            arrete_le = national["arrete_le"]
        else:
            demandes = selectors.demandes(departement, debut, fin)
            non_servies = selectors.non_servies(departement, debut, fin)
            offre = selectors.offre(departement, sorted({r["cle"] for r in [*demandes, *non_servies]}))
        lignes = {"demandes": demandes, "non-servies": non_servies, "offre": offre,
                  "comparaison": selectors.comparaison(demandes, non_servies, offre)}
        lieu = "Département" if departement is None else "Commune"
        export = request.GET.get("export")
        if export in TABLEAUX:
            colonnes = TABLEAUX[export][1]
            nom = f"besoins-{export}-{departement or 'france'}-{debut:%Y-%m}-{fin:%Y-%m}.csv"
            return csv_response(nom, ["Code", lieu, *[h for h, _ in colonnes]],
                                ([r["cle"], r["libelle"], *[r[k] for _, k in colonnes]] for r in lignes[export]))
        query = {"debut": f"{debut:%Y-%m}", "fin": f"{fin:%Y-%m}", **({"departement": departement} if departement else {})}
        tableaux = [{"code": code, "titre": titre, "entetes": [h for h, _ in colonnes],
                     "lignes": [(r["cle"], r["libelle"], _cellules(r[k] for _, k in colonnes)) for r in lignes[code]],
                     "csv": "?" + urlencode({**query, "export": code}),
                     "vide": "Aucune demande sur cette période : pas d'offre à mettre en regard." if code == "offre" else VIDE}
                    for code, (titre, colonnes) in TABLEAUX.items()]
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": "Besoins et offre",
            "departement": departement, "choix": choix, "national": request.user.departements_geres() is None,
            "debut": debut, "fin": fin, "lieu": lieu, "tableaux": tableaux, "arrete_le": arrete_le,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/demandes/besoinsoffre/besoins.html", context)
