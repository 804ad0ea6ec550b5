from django import forms
from django.contrib import admin

from .models import Bareme, SourceParametre, TauxEffort


def _is_cnaf(request) -> bool:
    return request.user.is_active and request.user.is_cnaf


def _is_back_office(request) -> bool:
    # The user model's rule (CNAF or CAF roles); the simulator imports no other app.
    return getattr(request.user, "is_back_office", False)


class CnafEditsInline:
    def has_view_permission(self, request, obj=None):
        return _is_back_office(request)

    def has_add_permission(self, request, obj=None):
        return _is_cnaf(request)

    def has_change_permission(self, request, obj=None):
        return _is_cnaf(request)

    def has_delete_permission(self, request, obj=None):
        return _is_cnaf(request)


class SourceParametreForm(forms.ModelForm):
    adresse = forms.URLField(label="Adresse", required=False, assume_scheme="https")

    class Meta:
        model = SourceParametre
        fields = ["parametre", "texte", "publie_le", "adresse", "officiel", "remarque"]


class SourceParametreInline(CnafEditsInline, admin.StackedInline):
    """Where each value comes from: the simulator names to families every value without an official text."""

    model = SourceParametre
    form = SourceParametreForm
    extra = 0


class TauxEffortInline(CnafEditsInline, admin.TabularInline):
    model = TauxEffort
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A table row's controls have only a column heading: each is named for screen readers (RGAA 11.1).
        # Its hint goes into that name: a table cell has no hint of its own for aria-describedby to point at.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            nom = f"{field.label} ({field.help_text})" if field.help_text else str(field.label)
            getattr(field.widget, "widget", field.widget).attrs.setdefault("aria-label", nom)
            field.help_text = ""
        return field


@admin.register(Bareme)
class BaremeAdmin(admin.ModelAdmin):
    """The CNAF maintains the barèmes; CAF people read them."""

    list_display = ["__str__", "plancher", "plancher_estime", "plafond", "plafond_estime"]
    list_filter = ["dispositif"]
    inlines = [TauxEffortInline, SourceParametreInline]
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
