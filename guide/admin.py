from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from backoffice.admin import NamedFieldsMixin

from .models import InformationsEditeur, PageGuide, PageLegale


class EditeursCnafMixin:
    """CNAF editors write; CAF agents may read."""

    def _is_editor(self, request) -> bool:
        return request.user.is_active and request.user.is_cnaf

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)  # listed on the back office's home, not only reached by URL

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._is_editor(request)


@admin.register(PageGuide)
class PageGuideAdmin(EditeursCnafMixin, NamedFieldsMixin, SimpleHistoryAdmin):
    """CNAF editors write and publish; CAF agents may read."""

    list_display = ["titre", "statut", "ordre", "revue_le", "mis_a_jour_le"]
    list_filter = ["statut"]
    list_editable = ["ordre"]
    search_fields = ["titre", "chapo", "corps"]
    prepopulated_fields = {"slug": ["titre"]}
    fields = ["titre", "slug", "chapo", "corps", "sources", "rubriques", "ordre", "statut", "revue_le"]

    def get_changeform_initial_data(self, request):
        """A new page is being written, hence read, today: the editor changes the date if not."""
        return {"revue_le": timezone.localdate(), **super().get_changeform_initial_data(request)}

    def has_add_permission(self, request):
        return self._is_editor(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_editor(request)


@admin.register(PageLegale)
class PageLegaleAdmin(EditeursCnafMixin, SimpleHistoryAdmin):
    """The three legal pages exist once each, at fixed addresses: edited, never added nor deleted."""

    list_display = ["titre", "adresse", "revue_le", "mis_a_jour_le"]
    fields = ["titre", "chapo", "corps", "revue_le"]
    readonly_fields = ["adresse"]

    @admin.display(description="adresse")
    def adresse(self, obj):
        return obj.get_absolute_url()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InformationsEditeur)
class InformationsEditeurAdmin(EditeursCnafMixin, SimpleHistoryAdmin):
    """One row: the publisher's facts the legal pages quote. Placeholders read « [à compléter par l'éditeur : …] »."""

    list_display = ["__str__", "reste_a_completer", "mis_a_jour_le"]
    fields = ["editeur", "directeur_publication", "hebergeur", "contact_dpo", "contact_accessibilite"]

    @admin.display(description="reste à compléter")
    def reste_a_completer(self, obj):
        return ", ".join(obj.a_completer()) or "rien"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
