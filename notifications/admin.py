"""The outbox in the back office: what is waiting and what failed, with the relay's reason, for the CNAF and
for each CAF its own département's emails. Never an email's body (family data, personal links)."""

import logging

from django.contrib import admin, messages
from django.db.models import Q

from backoffice.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from monenfant import francais

from .models import Notification
from .tasks import send_notification

logger = logging.getLogger(__name__)


def masquer(adresse: str) -> str:
    """"s…@example.fr": enough to recognise an address a relay refused, not to read who wrote."""
    local, _, domaine = adresse.strip().partition("@")
    return f"{local[:1]}…@{domaine}" if domaine else "…"


class EtatFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("attente", "en attente"), ("echec", "en échec"), ("envoye", "envoyés")]

    def queryset(self, request, queryset):
        return {
            "attente": queryset.filter(envoyee_le__isnull=True, echec_le__isnull=True),
            "echec": queryset.filter(envoyee_le__isnull=True, echec_le__isnull=False),
            "envoye": queryset.filter(envoyee_le__isnull=False),
        }.get(self.value(), queryset)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    territory_lookup = "territoire"
    list_display = ["sujet", "a_qui", "etat", "cree_le_", "tentatives", "derniere_erreur"]
    list_filter = [EtatFilter]
    search_fields = ["sujet"]
    list_display_links = None  # no page: the body may hold a family's data or a personal link
    actions = ["renvoyer"]
    show_full_result_count = False

    def get_queryset(self, request):
        # What needs someone's eyes first: failures, then what waits, newest first.
        return super().get_queryset(request).defer("corps", "piece_jointe").order_by("envoyee_le", "-echec_le", "-cree_le")

    def has_view_permission(self, request, obj=None):
        return obj is None and self.admin_site.has_permission(request)

    @admin.display(description="destinataires")
    def a_qui(self, obj):
        return ", ".join(masquer(a) for a in obj.destinataires.split(","))

    @admin.display(description="créé le", ordering="cree_le")
    def cree_le_(self, obj):
        return francais.date_longue(obj.cree_le, heure=True)

    @admin.display(description="état")
    def etat(self, obj):
        if obj.envoyee_le:
            return f"envoyé le {francais.date_longue(obj.envoyee_le, heure=True)}"
        if obj.echec_le:
            return f"en échec depuis le {francais.date_longue(obj.echec_le, heure=True)}"
        return "en attente"

    @admin.action(description="Renvoyer les courriels en échec sélectionnés")
    def renvoyer(self, request, queryset):
        # Only failed ones: a waiting email has its own retries, a sent one never goes twice.
        ids = list(queryset.filter(Q(envoyee_le__isnull=True) & Q(echec_le__isnull=False)).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(echec_le=None, envoi_commence_le=None)
        for pk in ids:
            try:
                send_notification.delay(pk)
            except Exception:  # noqa: BLE001 (broker or relay down: the row waits, flush_outbox sends it)
                logger.warning("Courriel %s remis en attente : envoi reporté", pk, exc_info=True)
        self.message_user(request, f"{len(ids)} courriel(s) remis en file d'envoi.", messages.SUCCESS)
