from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from monenfant.admin import ScopedAdminMixin

from .models import ContratCafCnaf


@admin.register(ContratCafCnaf)
class ContratCafCnafAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    territory_lookup = "departement"
    list_display = ["departement", "signe_le", "actif"]
    list_filter = ["actif"]
    search_fields = ["departement__code", "departement__nom"]

    # The CNAF signs and manages the contracts; a CAF reads its own.
    def has_add_permission(self, request):
        return request.user.is_cnaf

    def has_change_permission(self, request, obj=None):
        return request.user.is_cnaf
