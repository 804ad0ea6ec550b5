"""Back office "Contrôle des connexions": how each habilitated person of the territory uses their access."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from backoffice.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from backoffice.exports import csv_response

from . import selectors

CSV_HEADER = ["Nom", "Prénom", "Courriel", "Lieu(x) d'information", "Dernière connexion", "Mois",
              "Connexions", "Échecs de connexion", "Demandes ouvertes", "Demandes exportées"]
CSV_DETAIL_HEADER = ["Mois", "Connexions", "Échecs de connexion", "Demandes ouvertes", "Demandes exportées"]


def nom_du_mois(mois) -> str:
    return date_format(mois, "F Y")


def _moment(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


class MoisFilter(admin.SimpleListFilter):
    """The month whose figures are shown: one of the last 12, the current one by default (never "all")."""

    title = "mois"
    parameter_name = "mois"

    def lookups(self, request, model_admin):
        return [(f"{mois:%Y-%m}", nom_du_mois(mois)) for mois in selectors.derniers_mois()]

    def value(self):
        return f"{selectors.mois_choisi(super().value()):%Y-%m}"

    def choices(self, changelist):
        value = self.value()  # once: each reading works out the last 12 months again
        for lookup, title in self.lookup_choices:
            yield {"selected": value == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        return selectors.with_activite(queryset, selectors.mois_choisi(super().value()))


class ControleConnexionsAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/habilitations/controleconnexions/change_list.html"
    list_display = ["personne", "lieux_information", "derniere_connexion", "connexions", "echecs",
                    "demandes_ouvertes", "demandes_exportees", "detail"]
    list_display_links = None
    list_filter = [MoisFilter]
    search_fields = ["email", "first_name", "last_name"]
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    actions = None
    # The list counts people ("12 personnes habilitées"), under the title "Contrôle des connexions".
    ligne_comptee = ("personne habilitée", "personnes habilitées")

    def scope(self, request, queryset):
        return selectors.personnes(request.user.departements_geres(), queryset=queryset)

    @admin.display(description="personne", ordering="last_name")
    def personne(self, obj):
        return format_html("{}<br><small>{}</small>", obj.get_full_name() or obj.email, obj.email)

    @admin.display(description="lieu(x) d'information")
    def lieux_information(self, obj):
        return ", ".join(getattr(obj, "lieux_controle", [])) or "—"

    @admin.display(description="dernière connexion", ordering="last_login")
    def derniere_connexion(self, obj):
        return _moment(obj.last_login) or "jamais"

    @admin.display(description="connexions", ordering="nb_connexions")
    def connexions(self, obj):
        return obj.nb_connexions

    @admin.display(description="échecs de connexion", ordering="nb_echecs")
    def echecs(self, obj):
        return obj.nb_echecs

    @admin.display(description="demandes ouvertes", ordering="nb_demandes_ouvertes")
    def demandes_ouvertes(self, obj):
        return obj.nb_demandes_ouvertes

    @admin.display(description="demandes exportées", ordering="nb_demandes_exportees")
    def demandes_exportees(self, obj):
        return obj.nb_demandes_exportees

    @admin.display(description="sur 12 mois")
    def detail(self, obj):
        url = reverse("admin:habilitations_controleconnexions_change", args=[obj.pk])
        return format_html('<a href="{}">Détail<span class="visually-hidden"> pour {}</span></a>', url, obj.email)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export.csv", view(self.csv_view), name="habilitations_controle_csv"),
            path("<int:pk>/export.csv", view(self.detail_csv_view), name="habilitations_controle_detail_csv"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        mois = selectors.mois_choisi(request.GET.get("mois"))
        extra = {"title": "Contrôle des connexions", "mois": mois, "nom_du_mois": nom_du_mois(mois),
                 "export_url": f"{reverse('admin:habilitations_controle_csv')}?mois={mois:%Y-%m}"}
        response = super().changelist_view(request, {**(extra_context or {}), **extra})
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # The LINF of the page's persons in two queries, rather than two per row.
            page = list(changelist.result_list)
            found = selectors.lieux([u.pk for u in page], request.user.departements_geres())
            for user in page:
                user.lieux_controle = found.get(user.pk, [])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Read only: the person's 12 months (404 outside the territory)."""
        personne = self.get_object(request, unquote(object_id))
        departements = request.user.departements_geres()
        return TemplateResponse(request, "admin/habilitations/controleconnexions/detail.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "personne": personne,
            "title": f"Activité de {personne.get_full_name() or personne.email} sur 12 mois",
            "lieux": selectors.lieux([personne.pk], departements).get(personne.pk, []),
            "lignes": selectors.activite_sur_12_mois(personne),
            "export_url": reverse("admin:habilitations_controle_detail_csv", args=[personne.pk]),
        })

    def csv_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        mois = selectors.mois_choisi(request.GET.get("mois"))
        lignes, found = selectors.lignes_du_mois(request.user.departements_geres(), mois)
        counts = [f"nb_{field}" for field in selectors.FIELDS]
        rows = (
            [u["last_name"], u["first_name"], u["email"], ", ".join(found.get(u["pk"], [])), _moment(u["last_login"]),
             f"{mois:%m/%Y}", *(u[c] for c in counts)]
            for u in lignes
        )
        return csv_response(f"controle-connexions-{mois:%Y-%m}.csv", CSV_HEADER, rows)

    def detail_csv_view(self, request, pk):
        personne = self.get_object(request, str(pk))  # scoped: 404 outside the territory
        rows = ([f"{ligne['mois']:%m/%Y}", ligne["connexions"], ligne["echecs"], ligne["demandes_ouvertes"],
                 ligne["demandes_exportees"]] for ligne in selectors.activite_sur_12_mois(personne))
        return csv_response(f"controle-connexions-{personne.pk}-12-mois.csv", CSV_DETAIL_HEADER,
                            rows)
