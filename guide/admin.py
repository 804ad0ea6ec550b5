from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PageGuide


@admin.register(PageGuide)
class PageGuideAdmin(SimpleHistoryAdmin):
    """CNAF editors write and publish; CAF agents may read."""

    list_display = ["titre", "statut", "ordre", "mis_a_jour_le"]
    list_filter = ["statut"]
    list_editable = ["ordre"]
    search_fields = ["titre", "chapo", "corps"]
    prepopulated_fields = {"slug": ["titre"]}
    fields = ["titre", "slug", "chapo", "corps", "sources", "rubriques", "ordre", "statut"]

    def _is_editor(self, request) -> bool:
        return request.user.is_active and request.user.is_cnaf

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request):
        return self._is_editor(request)

    def has_change_permission(self, request, obj=None):
        return self._is_editor(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_editor(request)
