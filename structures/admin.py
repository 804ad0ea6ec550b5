
from django import forms
from django.contrib import admin, messages
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
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

from . import confirmations, selectors, services
from .collecte import demarrage
from .collecte.correspondance import CorrespondanceInvalide
from .collecte.demarrage import lire_correspondance
from .collecte.rapport import ecrire_rapport
from .enums import ResultatLigne, Rubrique, StatutImport
from .geocoding import geocode_address
from .images import read_image
from .models import Caf, Commune, Horaire, ImportFiches, InitiativeLocale, Organisme, Structure, UsageDuSite

EN_COURS = (StatutImport.EN_ATTENTE, StatutImport.SIMULATION, StatutImport.EN_COURS)


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
    verbose_name_plural = "8. Jours et horaires d'ouverture au public"


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


class SourceFilter(admin.SimpleListFilter):
    title = "source (import)"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        sources = model_admin.get_queryset(request).exclude(source="").order_by("source").values_list("source", flat=True)
        return [("-", "Saisies ici (sans import)"), *[(s, s) for s in sources.distinct()]]

    def queryset(self, request, queryset):
        if self.value() == "-":
            return queryset.filter(source="")
        if self.value():
            return queryset.filter(source=self.value())
        return queryset


class ARevoirFilter(admin.SimpleListFilter):
    title = "à revoir"
    parameter_name = "a_revoir"

    def lookups(self, request, model_admin):
        return [("1", "Absentes du dernier import complet de leur source")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(absente_de_la_source_le__isnull=False, fermee_le__isnull=True)
        return queryset


class StructureAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The fiches' admin. Registered by the wiring (monenfant.apps) as linf.admin.StructureAdminWithGuichet,
    which adds the guichet column and actions (structures does not know linf)."""

    territory_lookup = "commune__departement"
    form = StructureForm
    list_display = ["nom", "rubrique", "commune", "places_disponibles", "places_mises_a_jour_le", "fermee_le"]
    list_filter = ["rubrique", "type_accueil", AvipFilter, ConsentementFilter, "fermee_le", "position_approximative",
                   ARevoirFilter, SourceFilter, "commune__departement"]
    readonly_fields = ["consentement_publication_le", "consentement_publication_version", "mam_confirmee_le", "source",
                       "identifiant_source", "absente_de_la_source_le", "informations_confirmees_le",
                       "importee_le", "vue_dans_source_le", "geocodage_score", "geocodage_type"]
    search_fields = ["nom", "commune__nom", "code_postal", "organisme__nom", "email"]
    autocomplete_fields = ["commune", "organisme", "communes_desservies", "mam"]
    list_select_related = ["commune"]
    inlines = [HoraireInline]
    history_list_display = ["places_disponibles", "fermee_le"]
    actions = ["confirmer_mam", "marquer_revues"]
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
        ("6. Publication", {"fields": ["consentement_publication_le", "consentement_publication_version", "mam",
                                       "mam_confirmee_le", "informations_confirmees_le"],
                            "description": "Un assistant maternel n'est publié qu'avec son consentement, donné ou retiré "
                                           "par lui dans son espace professionnel. Il déclare sa maison d'assistants "
                                           "maternels (MAM) dans son espace ; la CAF ou le gestionnaire de la MAM la "
                                           "confirme."}),
        ("7. Provenance", {"fields": ["siret", "source", "identifiant_source", "importee_le", "vue_dans_source_le",
                                      "absente_de_la_source_le", "position_approximative", "geocodage_score",
                                      "geocodage_type"],
                           "description": "Pour une fiche importée d'une liste de partenaire : d'où elle vient et quand "
                                          "la source l'a décrite pour la dernière fois."}),
    ]

    @admin.action(description="Confirmer la maison d'assistants maternels déclarée")
    def confirmer_mam(self, request, queryset):
        confirmes = 0
        for assistant in queryset.filter(rubrique=Rubrique.ASSMAT, mam__isnull=False, mam_confirmee_le__isnull=True) \
                .select_related("mam"):
            services.confirmer_assistant_mam(mam=assistant.mam, assistant=assistant, par=request.user)
            confirmes += 1
        self.message_user(request, f"{confirmes} assistant{'s' if confirmes > 1 else ''} maternel{'s' if confirmes > 1 else ''} "
                                   f"confirmé{'s' if confirmes > 1 else ''} dans leur MAM." if confirmes else
                          "Aucun assistant maternel sélectionné n'attendait de confirmation de sa MAM.")

    @admin.action(description="Marquer comme revues (fiches absentes de leur source)")
    def marquer_revues(self, request, queryset):
        revues = queryset.filter(absente_de_la_source_le__isnull=False).update(absente_de_la_source_le=None)
        self.message_user(request, f"{revues} fiche{'s' if revues > 1 else ''} marquée{'s' if revues > 1 else ''} comme "
                                   "revue" + ("s." if revues > 1 else "."))

    def changelist_view(self, request, extra_context=None):
        departements = request.user.departements_geres()
        extra = {"avip": selectors.avip_par_departement(departements), "avip_ouvert": request.GET.get("avip") == "1",
                 "assmat_sans_consentement": selectors.nombre_assmat_sans_consentement(departements),
                 "part_confirmee": confirmations.part_confirmee(departements)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def get_urls(self):
        return [
            path("confirmations/", self.admin_site.admin_view(self.confirmations_view),
                 name="structures_structure_confirmations"),
            *super().get_urls(),
        ]

    def confirmations_view(self, request):
        """How current the territory's fiches are: the share confirmed in the last three months, by département,
        and the least recently confirmed (structures.confirmations). A CAF sees its départements only; another
        département in the query string is a 404 (departement_choisi)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        departement = departement_choisi(request)
        geres = request.user.departements_geres()
        resultat = confirmations.confirmations({departement} if departement else geres)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": "Confirmation des fiches",
            "confirmations": resultat, "departement": departement, "departements": departements_du_territoire(request),
            "national": geres is None and not departement, "cnaf": geres is None,
            "limite": confirmations.PLUS_ANCIENNES,
        }
        return TemplateResponse(request, "admin/structures/structure/confirmations.html", context)

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

    @admin.action(description="Confirmer la maison d'assistants maternels déclarée")
    def confirmer_mam(self, request, queryset):
        confirmes = 0
        for assistant in queryset.filter(rubrique=Rubrique.ASSMAT, mam__isnull=False, mam_confirmee_le__isnull=True) \
                .select_related("mam"):
            services.confirmer_assistant_mam(mam=assistant.mam, assistant=assistant, par=request.user)
            confirmes += 1
        self.message_user(request, f"{confirmes} assistant{'s' if confirmes > 1 else ''} maternel{'s' if confirmes > 1 else ''} "
                                   f"confirmé{'s' if confirmes > 1 else ''} dans leur MAM." if confirmes else
                          "Aucun assistant maternel sélectionné n'attendait de confirmation de sa MAM.")

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


class ImportFichesForm(forms.Form):
    fichier = forms.FileField(
        label="Liste de structures",
        help_text="CSV (séparateur et encodage reconnus), Excel (XLSX), GeoJSON, ou un fichier data·inclusion (JSON). "
                  "50 Mo au plus.",
    )
    correspondance = forms.FileField(
        label="Fichier de correspondance (JSON)", required=False,
        help_text="Ce que signifie chaque colonne (voir le guide « Importer des fiches »). Inutile pour un fichier "
                  "data·inclusion.",
    )
    complet = forms.BooleanField(
        label="Ce fichier contient toutes les fiches de sa source", required=False,
        help_text="Les fiches de cette source qu'il ne contient plus seront signalées « à revoir » (jamais supprimées).",
    )

    def clean_correspondance(self):
        fichier = self.cleaned_data.get("correspondance")
        try:
            return lire_correspondance(fichier.read(1024 * 1024) if fichier else None)
        except CorrespondanceInvalide as error:
            raise ValidationError(error.erreurs) from None


@admin.register(ImportFiches)
class ImportFichesAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Imports of partners' lists: upload, simulation, confirmation, report (structures.collecte)."""

    territory_lookup = "departements"
    list_display = ["fichier_nom", "source", "statut", "lignes_total", "cree_par", "cree_le"]
    list_filter = ["statut", "source"]
    change_form_template = "admin/structures/importfiches/rapport.html"
    add_form_template = "admin/structures/importfiches/ajout.html"
    LIGNES_PAR_PAGE = 100

    def scope(self, request, queryset):
        departements = request.user.departements_geres()
        if departements is None:
            return queryset
        # A CAF's imports are those limited to its départements; the CNAF's (national) stay the CNAF's.
        return queryset.filter(departements__in=departements).distinct()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        urls = [
            path("<path:object_id>/confirmer/", self.admin_site.admin_view(self.confirmer_view), name="structures_importfiches_confirmer"),
            path("<path:object_id>/rapport.csv", self.admin_site.admin_view(self.rapport_view), name="structures_importfiches_rapport"),
            path("<path:object_id>/avancement.json", self.admin_site.admin_view(self.avancement_view),
                 name="structures_importfiches_avancement"),
        ]
        return urls + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        form = ImportFichesForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            fichier = form.cleaned_data["fichier"]
            try:
                import_fiches = demarrage.preparer_import(
                    fichier_nom=fichier.name, contenu=fichier.read(demarrage.TAILLE_MAX + 1),
                    correspondance=form.cleaned_data["correspondance"], par=request.user,
                    departements=request.user.departements_geres(), complet=form.cleaned_data["complet"],
                )
            except demarrage.ImportImpossible as error:
                form.add_error("fichier", str(error))
            else:
                demarrage.lancer(import_fiches, simulation=True)
                return redirect("admin:structures_importfiches_change", import_fiches.pk)
        context = {**self.admin_site.each_context(request), "title": "Importer des fiches", "form": form,
                   "opts": self.model._meta, "territoire": request.user.departements_geres(),
                   "media": self.media + form.media}
        return TemplateResponse(request, self.add_form_template, context, status=400 if form.errors else 200)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        import_fiches = self.get_object(request, object_id)
        lignes = import_fiches.lignes.select_related("structure")
        resultat = request.GET.get("resultat", "")
        if resultat in ResultatLigne.values:
            lignes = lignes.filter(resultat=resultat)
        page = Paginator(lignes, self.LIGNES_PAR_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request), "title": f"Import « {import_fiches.fichier_nom} »",
            "import_fiches": import_fiches, "page": page, "resultat": resultat, "opts": self.model._meta,
            "resultats": [(r.value, r.label, (import_fiches.resultats or {}).get(r.value, 0)) for r in ResultatLigne],
            "en_cours": import_fiches.statut in EN_COURS, "original": import_fiches,
        }
        return TemplateResponse(request, self.change_form_template, context)

    def confirmer_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        import_fiches = self.get_object(request, object_id)
        try:
            with transaction.atomic():
                demarrage.lancer(import_fiches, simulation=False)
        except demarrage.ImportImpossible as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Import lancé : les fiches sont enregistrées ligne après ligne.")
        return redirect("admin:structures_importfiches_change", import_fiches.pk)

    def rapport_view(self, request, object_id):
        import_fiches = self.get_object(request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rapport-import-{import_fiches.pk}.csv"'
        ecrire_rapport(import_fiches, response)
        return response

    def avancement_view(self, request, object_id):
        import_fiches = self.get_object(request, object_id)
        return JsonResponse({
            "statut": import_fiches.statut, "statut_libelle": import_fiches.get_statut_display(),
            "etape": import_fiches.get_etape_display(), "lignes_lues": import_fiches.lignes_lues,
            "lignes_total": import_fiches.lignes_total, "progression": import_fiches.progression,
            "en_cours": import_fiches.statut in EN_COURS,
        })
