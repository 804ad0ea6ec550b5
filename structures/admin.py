
from django import forms
from django.contrib import admin
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from backoffice.admin import (
    InlinePermissionsMixin,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    departement_choisi,
    departements_du_territoire,
)
from backoffice.exports import csv_response
from compteurs import evenements
from monenfant import calendrier

from . import selectors
from .geocoding import geocode_address
from .images import read_image
from .models import Caf, Commune, Horaire, InitiativeLocale, Organisme, Structure, UsageDuSite


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the reference geography comes from the import; here for searching."""

    territory_lookup = "departement"
    search_fields = ["nom", "nom_normalise", "code_insee", "codes_postaux"]
    list_display = ["nom", "code_insee", "codes_postaux", "departement", "population"]
    list_filter = ["departement"]

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete as the public site does: "le puy", "43000".
        if search_term:
            return self.scope(request, Commune.objects.matching(search_term)), False
        return queryset, False


class HoraireInline(InlinePermissionsMixin, admin.TabularInline):
    model = Horaire
    extra = 1
    # Numbered after the fieldsets: the admin shows inlines below them.
    verbose_name_plural = "7. Jours et horaires d'ouverture au public"


class StructureForm(forms.ModelForm):
    site_web = forms.URLField(label="Site internet", required=False, assume_scheme="https")
    latitude = forms.FloatField(
        label="Latitude", required=False,
        help_text="Laissez vide : l'adresse est géolocalisée (Base Adresse Nationale) à l'enregistrement.",
    )
    longitude = forms.FloatField(label="Longitude", required=False, help_text="Ou déplacez le point sur la carte.")

    class Meta:
        model = Structure
        exclude = ["point"]  # noqa: DJ006 (the fieldsets list the fields; the point comes from lat/lon)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.point:
            self.fields["latitude"].initial = round(self.instance.point.y, 6)
            self.fields["longitude"].initial = round(self.instance.point.x, 6)

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        commune = data.get("commune")
        if (lat is None) != (lon is None):
            self.add_error("latitude", "Indiquez la latitude et la longitude, ou aucune des deux.")
        elif lat is not None:
            self.instance.point = Point(lon, lat, srid=4326)
        elif commune is not None:
            # Same rule as search: the BAN when it answers, otherwise the commune's centre.
            self.instance.point = geocode_address(data.get("adresse", ""), commune) or commune.point
        if "communes_desservies" in data:
            # Structure.clean checks who serves communes, on the communes about to be saved.
            self.instance.communes_desservies_a_enregistrer = list(data["communes_desservies"])
        return data


class AvipFilter(admin.SimpleListFilter):
    title = "label AVIP"
    parameter_name = "avip"

    def lookups(self, request, model_admin):
        return [("1", "Labellisée aujourd'hui"), ("0", "Non labellisée")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.avip()
        if self.value() == "0":
            return queryset.exclude(pk__in=Structure.objects.avip().values("pk"))
        return queryset


class ConsentementFilter(admin.SimpleListFilter):
    title = "publication (assistants maternels)"
    parameter_name = "consentement"

    def lookups(self, request, model_admin):
        return [("0", "Sans consentement : non publiés")]

    def queryset(self, request, queryset):
        if self.value() == "0":
            return queryset.filter(pk__in=Structure.objects.assmat_sans_consentement().values("pk"))
        return queryset


class StructureAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The fiches' admin. Registered by the wiring (monenfant.apps) as linf.admin.StructureAdminWithGuichet,
    which adds the guichet column and actions (structures does not know linf)."""

    territory_lookup = "commune__departement"
    form = StructureForm
    list_display = ["nom", "rubrique", "commune", "places_disponibles", "places_mises_a_jour_le", "fermee_le"]
    list_filter = ["rubrique", "type_accueil", AvipFilter, ConsentementFilter, "fermee_le", "commune__departement"]
    readonly_fields = ["consentement_publication_le", "consentement_publication_version"]
    search_fields = ["nom", "commune__nom", "code_postal", "organisme__nom", "email"]
    autocomplete_fields = ["commune", "organisme", "communes_desservies"]
    list_select_related = ["commune"]
    inlines = [HoraireInline]
    history_list_display = ["places_disponibles", "fermee_le"]
    fieldsets = [
        ("1. Informations générales", {"fields": [
            "rubrique", "type_accueil", "financement_psu", "nom", "organisme", "telephone", "email", "site_web",
        ]}),
        ("2. Localisation", {"fields": [
            "adresse", "complement_adresse", "code_postal", "commune", "latitude", "longitude",
        ]}),
        ("3. Présentation", {"fields": [
            "presentation", "age_min_mois", "age_max_mois", "capacite", "accueil_handicap", "horaires_atypiques",
            "places_disponibles", "fermee_le",
        ]}),
        ("4. Communes desservies", {"fields": ["communes_desservies"],
                                    "description": "Pour les relais petite enfance et les lieux d'information."}),
        ("5. Label AVIP (à vocation d'insertion professionnelle)", {
            "fields": ["avip_depuis", "avip_jusqu_au", "avip_places", "avip_partenaire"],
            "description": "Crèches et assistants maternels labellisés : places réservées aux parents en recherche "
                           "d'emploi ou en formation (au moins 20 % des places d'une crèche).",
        }),
        ("6. Publication", {"fields": ["consentement_publication_le", "consentement_publication_version"],
                            "description": "Un assistant maternel n'est publié qu'avec son consentement, donné ou retiré "
                                           "par lui dans son espace professionnel."}),
    ]

    def changelist_view(self, request, extra_context=None):
        departements = request.user.departements_geres()
        extra = {"avip": selectors.avip_par_departement(departements), "avip_ouvert": request.GET.get("avip") == "1",
                 "assmat_sans_consentement": selectors.nombre_assmat_sans_consentement(departements)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/leaflet-fr.js", "js/admin-carte.js"]


@admin.register(Organisme)
class OrganismeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    # An organisme belongs to the territories of its seat and of its structures.
    territory_lookup = "structures__commune__departement"
    list_display = ["nom", "siret", "commune", "email"]
    search_fields = ["nom", "siret", "email"]
    autocomplete_fields = ["commune"]

    def scope(self, request, queryset):
        departements = request.user.departements_geres()
        if departements is None:
            return queryset
        return queryset.filter(
            Q(structures__commune__departement__in=departements) | Q(commune__departement__in=departements)
        ).distinct()


@admin.register(Caf)
class CafAdmin(ScopedAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    territory_lookup = "departement"
    list_display = ["nom", "departement", "email_habilitations", "page_caf_fr"]
    search_fields = ["nom", "departement__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_cnaf


class InitiativeForm(forms.ModelForm):
    fichier_image = forms.FileField(label="Image (facultative)", required=False,
                                    help_text="JPEG, PNG ou WebP, 1 Mo au plus.")
    retirer_image = forms.BooleanField(label="Retirer l'image", required=False)

    class Meta:
        model = InitiativeLocale
        fields = ["departement", "titre", "texte", "debut", "fin", "communes", "image_alt"]

    def clean(self):
        data = super().clean()
        upload = data.get("fichier_image")
        if upload:
            try:
                self.instance.image, self.instance.image_type = read_image(upload)
            except ValidationError as error:
                self.add_error("fichier_image", error)
        elif data.get("retirer_image"):
            self.instance.image, self.instance.image_type = None, ""
        if self.instance.image and not data.get("image_alt", "").strip():
            self.add_error("image_alt", "Décrivez l'image en quelques mots : les personnes aveugles l'entendront.")
        if "communes" in data:
            # InitiativeLocale.clean keeps the communes inside the département, on those about to be saved.
            self.instance.communes_a_enregistrer = list(data["communes"])
        return data


@admin.register(InitiativeLocale)
class InitiativeLocaleAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    territory_lookup = "departement"
    form = InitiativeForm
    list_display = ["titre", "departement", "debut", "fin"]
    list_filter = ["departement"]
    search_fields = ["titre", "texte"]
    autocomplete_fields = ["communes"]

    def has_delete_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)


@admin.register(UsageDuSite)
class UsageDuSiteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """How the site is used in a month: aggregates of the counters, for the person's territory."""

    template = "admin/structures/usagedusite/usage.html"

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def get_urls(self):
        # One page: no row of the counters is opened on its own.
        return [path("", self.admin_site.admin_view(self.changelist_view), name="structures_usagedusite_changelist")]

    def changelist_view(self, request, extra_context=None):
        departements = request.user.departements_geres()
        departement = departement_choisi(request)  # another territory does not exist here
        scope = {departement} if departement else departements
        today = timezone.localdate()
        mois = calendrier.lire_mois(request.GET.get("mois")) or calendrier.premier_jour(today)
        usage = selectors.usage_du_mois(mois, scope)
        export = request.GET.get("export")
        if export in self.EXPORTS:
            headers, rows = self.EXPORTS[export](usage)
            suffix = f"-{departement}" if departement else ""
            return csv_response(f"usage-{export}-{mois:%Y-%m}{suffix}.csv", headers, rows)
        choix = departements_du_territoire(request)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": "Usage du site",
            "usage": usage, "mois": mois, "mois_valeur": f"{mois:%Y-%m}", "departement": departement,
            "departements": choix, "national": departements is None and not departement,
            "evenements": [(e.code, e.libelle) for e in evenements.tous()], "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, self.template, context)

    EXPORTS = {
        "totaux": lambda u: (["Événement", "Nombre", "Périmètre"],
                             [[t["libelle"], t["total"], "France entière" if t["national"] else "territoire"]
                              for t in u.totaux]),
        "recherches": lambda u: (["Département", "Nom du département", "Rubrique", "Recherches"],
                                 [[r["departement"], r["departement_nom"], r["rubrique_libelle"], r["total"]]
                                  for r in u.recherches]),
        "fiches": lambda u: (["Identifiant", "Fiche", "Rubrique", "Commune", "Département", "Consultations"],
                             [[f["structure"], f["nom"], f["rubrique_libelle"], f["commune"], f["departement"],
                               f["total"]] for f in u.fiches]),
        "evolution": lambda u: (["Jour", *[e.libelle for e in evenements.tous()]],
                                [[f"{e['jour']:%d/%m/%Y}", *e["valeurs"]] for e in u.evolution]),
    }
