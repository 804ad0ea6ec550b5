import datetime
import statistics

from django.contrib import admin
from django.db.models import Count, Q, Sum
from django.utils import timezone

from linf.selectors import delai_traitement
from monenfant.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from structures.models import Structure

from .enums import StatutDemande
from .models import Demande, DemandeNonServie, en_retard


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

    def get_queryset(self, request):
        return super().get_queryset(request).distinct().select_related("commune").prefetch_related("linfs")

    def has_view_permission(self, request, obj=None):
        return obj is None and self.admin_site.has_permission(request)

    def changelist_view(self, request, extra_context=None):
        departements = request.user.departements_geres()
        linfs = Structure.objects.filter(rubrique="LINF").select_related("guichet")
        if departements is not None:
            linfs = linfs.filter(commune__departement__in=departements)
        now = timezone.now()
        resume = []
        for linf in linfs.annotate(
            nouvelles=Count("demandes_information", filter=Q(demandes_information__statut=StatutDemande.NOUVELLE)),
            traitees=Count("demandes_information", filter=Q(demandes_information__statut=StatutDemande.TRAITEE)),
        ).order_by("nom"):
            delai = delai_traitement(linf)
            dates = linf.demandes_information.values_list("cree_le", "traitee_le")
            delays = [(t - c).total_seconds() / 86400 for c, t in dates if t]
            overdue = sum(1 for c, t in dates if t is None and en_retard(c, delai, now=now))
            resume.append({"linf": linf, "nouvelles": linf.nouvelles, "traitees": linf.traitees, "delai": delai,
                           "mediane": round(statistics.median(delays), 1) if delays else None, "en_retard": overdue})
        non_servies = DemandeNonServie.objects.filter(mois__gte=(now - datetime.timedelta(days=365)).date().replace(day=1))
        if departements is not None:
            non_servies = non_servies.filter(commune__departement__in=departements)
        non_servies = (non_servies.values("commune__code_insee", "commune__nom", "commune__departement")
                       .annotate(familles=Sum("nombre")).order_by("-familles", "commune__nom")[:30])
        return super().changelist_view(request, {**(extra_context or {}), "resume": resume, "non_servies": non_servies})
