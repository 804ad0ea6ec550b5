from django.contrib import admin, messages
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from backoffice.admin import InlinePermissionsMixin, ScopedAdminMixin
from backoffice.exports import csv_response
from habilitations import modeles
from habilitations.enums import TypeModele
from structures.admin import StructureAdmin
from structures.enums import Rubrique

from . import graphique, selectors
from .models import ContratCafCnaf, ObjectifCouverture, TransitionContrat, TransitionGuichet
from .services import GuichetRefuse, close_guichet, open_guichet


class TransitionContratInline(InlinePermissionsMixin, admin.TabularInline):
    """The contract's log, read only: only the transitions write it."""

    model = TransitionContrat
    extra = 0
    can_delete = False
    fields = readonly_fields = ["le", "depuis", "vers", "par", "motif"]
    verbose_name_plural = "Historique des étapes"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContratCafCnaf)
class ContratCafCnafAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    territory_lookup = "departement"
    list_display = ["departement", "signe_le", "actif", "fin_le", "pdf"]
    list_filter = ["actif"]
    search_fields = ["departement__code", "departement__nom"]
    fields = ["departement", "signe_le", "actif", "fin_le", "commentaire", "rappel_fin_envoye_le", "termine_le", "pdf"]
    readonly_fields = ["pdf", "rappel_fin_envoye_le", "termine_le"]
    inlines = [TransitionContratInline]

    @admin.display(description="document")
    def pdf(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">Télécharger le contrat (PDF)</a>', reverse("admin:linf_contrat_pdf", args=[obj.pk]))

    def get_urls(self):
        return [
            path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="linf_contrat_pdf"),
        ] + super().get_urls()

    def pdf_view(self, request, pk):
        contrat = self.get_object(request, str(pk))  # scoped: 404 outside the territory
        ouverts = selectors.nombre_guichets_ouverts(contrat.departement_id)
        # The clauses are the current version of the contract's template (habilitations.modeles), named in the footer.
        pdf, _modele = modeles.rendre(
            TypeModele.CONTRAT, modeles.contrat_valeurs(caf=contrat.departement.caf, signe_le=contrat.signe_le),
            gabarit="linf/pdf/contrat.html", contexte={"contrat": contrat, "guichets_ouverts": ouverts})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="contrat-caf-cnaf-{contrat.departement_id}.pdf"'
        return response

    # The CNAF signs and manages the contracts; a CAF reads its own.
    def has_add_permission(self, request):
        return request.user.is_cnaf

    def has_change_permission(self, request, obj=None):
        return request.user.is_cnaf


def guichet_badge(structure) -> str:
    """Red/green, with words: never colour alone."""
    guichet = getattr(structure, "guichet", None)
    if guichet is not None and guichet.ouvert:
        return format_html('<strong class="mf-guichet-ouvert">● {}</strong>', "Oui — guichet ouvert")
    return format_html('<strong class="mf-guichet-ferme">● {}</strong>', "Non — guichet fermé")


def guichet_journal(structure) -> str:
    """The guichet's log (TransitionGuichet), read only: the guichet has no admin page of its own, so no inline."""
    guichet = getattr(structure, "guichet", None)
    etapes = list(TransitionGuichet.objects.filter(guichet=guichet).select_related("par")) if guichet is not None else []
    if not etapes:
        return "—"
    return format_html("<ul>{}</ul>", format_html_join(
        "", "<li>{} : {} → {}{}{}</li>",
        ((f"{timezone.localtime(e.le):%d/%m/%Y %H:%M}", e.get_depuis_display(), e.get_vers_display(),
          f", par {e.par}" if e.par else "", f" ({e.motif})" if e.motif else "") for e in etapes),
    ))


@admin.action(description="Ouvrir le guichet pour une demande en ligne")
def ouvrir_guichet(modeladmin, request, queryset):
    for structure in queryset:
        try:
            open_guichet(structure=structure, par=request.user)
            modeladmin.message_user(request, f"{structure.nom} : guichet ouvert.", messages.SUCCESS)
        except GuichetRefuse as error:
            modeladmin.message_user(request, str(error), messages.ERROR)


@admin.action(description="Fermer le guichet pour une demande en ligne")
def fermer_guichet(modeladmin, request, queryset):
    for structure in queryset:
        close_guichet(structure=structure, par=request.user)
    modeladmin.message_user(request, f"{queryset.count()} guichet(s) fermé(s).", messages.SUCCESS)



# The LINF fiches show whether they receive demandes online; the rules to open the guichet
# (validated habilitation, active contract, communes) live in linf.services.
class StructureAdminWithGuichet(StructureAdmin):
    list_display = [*StructureAdmin.list_display, "guichet_en_ligne"]
    list_select_related = [*StructureAdmin.list_select_related, "guichet"]
    actions = [*StructureAdmin.actions, ouvrir_guichet, fermer_guichet]

    @admin.display(description="Guichet pour une demande en ligne")
    def guichet_en_ligne(self, obj):
        return guichet_badge(obj) if obj.rubrique == Rubrique.LINF else "—"

    @admin.display(description="Historique du guichet")
    def guichet_historique(self, obj):
        return guichet_journal(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        linf = obj is not None and obj.rubrique == Rubrique.LINF
        return [*fields, "guichet_en_ligne", "guichet_historique"] if linf else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.rubrique == Rubrique.LINF:
            general = fieldsets[0]
            fieldsets[0] = (general[0], {**general[1], "fields": [*general[1]["fields"], "guichet_en_ligne",
                                                                  "guichet_historique"]})
        return fieldsets



@admin.register(ObjectifCouverture)
class CouvertureAdmin(SimpleHistoryAdmin):
    """Coverage of the territory by the online information service; the CNAF sets the target."""

    change_list_template = "admin/linf/objectifcouverture/change_list.html"
    fields = ["taux_cible"]

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/leaflet-fr.js", "js/admin-couverture.js"]

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_cnaf

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        extra = [path("carte.json", self.admin_site.admin_view(self.carte), name="linf_couverture_carte"),
                 path("instantanes.csv", self.admin_site.admin_view(self.instantanes_csv),
                      name="linf_couverture_instantanes_csv")]
        return extra + super().get_urls()

    def carte(self, request):
        """The map's data, for one département of the person's territory (404 outside it)."""
        departement = request.GET.get("departement", "")
        departements = request.user.departements_geres()
        if not departement or (departements is not None and departement not in departements):
            raise Http404("Département introuvable.")
        return JsonResponse({"departement": departement, "communes": selectors.carte_couverture(departement)})

    def instantanes_csv(self, request):
        """Every monthly snapshot of the territory (and France, for the CNAF)."""
        progression = selectors.progression(request.user.departements_geres())
        series = [*progression["departements"], *([progression["france"]] if progression["france"] else [])]
        rows = ([p["mois"].strftime("%Y-%m"), s["code"] or "France", s["nom"] if s["code"] else "", p["communes"], p["communes_couvertes"],
                 p["population_totale"], p["population_couverte"], p["part"]] for s in series for p in s["points"])
        return csv_response("couverture-par-mois.csv", [
            "Mois", "Département", "Nom", "Communes", "Communes couvertes", "Population", "Population couverte",
            "Part de la population couverte (%)"], rows)

    def _courbes(self, request, departements, objectif) -> list[dict]:
        """The progress charts: each département of a CAF; France, and the département asked for, to the CNAF."""
        progression = selectors.progression(departements)
        par_code = {s["code"]: s for s in progression["departements"]}
        if departements is None:
            choisi = request.GET.get("progression", "")
            series = [progression["france"]] + ([par_code[choisi]] if choisi in par_code else [])
        else:
            series = [par_code[code] for code in sorted(departements) if code in par_code]
        return [{**s, "courbe": graphique.courbe(s["points"], objectif.taux_cible)} for s in series if s["points"]]

    def changelist_view(self, request, extra_context=None):
        departements = request.user.departements_geres()
        lignes = selectors.couverture(departements)
        objectif = ObjectifCouverture.courant()
        extra = {
            "title": "Couverture du service d'information",
            "courbes": self._courbes(request, departements, objectif), "progression": request.GET.get("progression", ""),
            "objectif": objectif, "lignes": lignes, "peut_changer": self.has_change_permission(request),
            "national": selectors.total(lignes) if departements is None else None,
            "non_couvertes": selectors.communes_non_couvertes(departements),
        }
        # The admin's change list takes any unknown parameter for a filter: ours is read above, then dropped.
        request.GET = request.GET.copy()
        request.GET.pop("progression", None)
        return super().changelist_view(request, {**(extra_context or {}), **extra})
