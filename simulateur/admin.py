from django.contrib import admin

from .models import Bareme, TauxEffort


def _is_cnaf(request) -> bool:
    return request.user.is_active and request.user.is_cnaf


def _is_back_office(request) -> bool:
    return request.user.is_active and request.user.is_staff


class TauxEffortInline(admin.TabularInline):
    model = TauxEffort
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A table row's controls have only a column heading: each is named for screen readers (RGAA
        # 11.1). monenfant.admin.NamedFieldsMixin does the same; the simulator imports nothing of the site.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            getattr(field.widget, "widget", field.widget).attrs.setdefault("aria-label", str(field.label))
        return field

    def has_view_permission(self, request, obj=None):
        return _is_back_office(request)

    def has_add_permission(self, request, obj=None):
        return _is_cnaf(request)

    def has_change_permission(self, request, obj=None):
        return _is_cnaf(request)

    def has_delete_permission(self, request, obj=None):
        return _is_cnaf(request)


@admin.register(Bareme)
class BaremeAdmin(admin.ModelAdmin):
    """The CNAF maintains the barèmes; CAF people read them."""

    list_display = ["__str__", "plancher", "plancher_estime", "plafond", "plafond_estime"]
    list_filter = ["dispositif"]
    inlines = [TauxEffortInline]
    save_as = True  # next year's period starts as a copy of this one

    def has_module_permission(self, request):
        return _is_back_office(request)

    def has_view_permission(self, request, obj=None):
        return _is_back_office(request)

    def has_add_permission(self, request):
        return _is_cnaf(request)

    def has_change_permission(self, request, obj=None):
        return _is_cnaf(request)

    def has_delete_permission(self, request, obj=None):
        return _is_cnaf(request)
