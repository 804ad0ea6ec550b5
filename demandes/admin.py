import datetime

from django.contrib import admin
from django.db.models import Sum
from django.utils import timezone

from monenfant.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from . import selectors
from .models import Demande, DemandeNonServie


@admin.register(Demande)
class DemandeSuiviAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Gestion des demandes d'information: statuses and dates per LINF, never the family's data."""

    territory_lookup = "linfs__commune__departement"
    change_list_template = "admin/demandes/demande/change_list.html"
    list_display = ["reference", "commune", "lieux", "statut", "cree_le", "traitee_le"]
    list_filter = ["statut"]
    search_fields = ["reference"]
    list_display_links = None  # no page with the family's data

    @admin.display(description="lieux d'information")
    def lieux(self, obj):
        return ", ".join(s.nom for s in obj.linfs.all())

    show_full_result_count = False  # one count of the territory's demandes is enough

    def scope(self, request, queryset):
        return selectors.demandes_du_territoire(queryset, request.user.departements_geres())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commune").prefetch_related("linfs")

    def has_view_permission(self, request, obj=None):
        return obj is None and self.admin_site.has_permission(request)

    def changelist_view(self, request, extra_context=None):
        departements = request.user.departements_geres()
        now = timezone.now()
        resume = selectors.suivi_par_linf(departements, now)
        non_servies = DemandeNonServie.objects.filter(mois__gte=(now - datetime.timedelta(days=365)).date().replace(day=1))
        if departements is not None:
            non_servies = non_servies.filter(commune__departement__in=departements)
        non_servies = (non_servies.values("commune__code_insee", "commune__nom", "commune__departement")
                       .annotate(familles=Sum("nombre")).order_by("-familles", "commune__nom")[:30])
        return super().changelist_view(request, {**(extra_context or {}), "resume": resume, "non_servies": non_servies,
                                                 "debut_suivi": selectors.debut_suivi(now)})
