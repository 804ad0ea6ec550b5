"""The back-office page of the documents' templates (habilitations.modeles): the CNAF writes new versions,
everyone in the back office reads them; no version is ever changed or deleted."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from backoffice.admin import NamedFieldsMixin

from . import modeles
from .enums import TypeModele
from .modeles import MISE_EN_PAGE, OBLIGATOIRES, VARIABLES, ModeleDocument


class ModeleDocumentAdmin(NamedFieldsMixin, admin.ModelAdmin):
    list_display = ["type", "version", "cree_le", "cree_par", "commentaire", "en_vigueur"]
    list_filter = ["type"]
    ordering = ["type", "-version"]
    fields = ["type", "texte", "commentaire"]
    readonly_fields = ["version", "cree_le", "cree_par", "en_vigueur", "apercu", "bouton_nouvelle_version"]

    def _is_cnaf(self, request) -> bool:
        return request.user.is_active and request.user.is_cnaf

    # Read by the whole back office; a new version is the CNAF's; nothing is changed nor deleted.
    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request):
        return self.admin_site.has_permission(request) and self._is_cnaf(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["type", "variables", "texte", "commentaire"]
        bouton = ["bouton_nouvelle_version"] if self.has_add_permission(request) else []
        return ["type", "version", "cree_le", "cree_par", "en_vigueur", "commentaire", *bouton, "apercu", "texte"]

    def get_readonly_fields(self, request, obj=None):
        return ["variables"] if obj is None else self.readonly_fields

    def get_changeform_initial_data(self, request):
        """A new version starts from the text of the one it was asked from (?depuis=<id>), else from the
        current version of the type asked for (?type=convention): the author edits, never retypes."""
        initial = super().get_changeform_initial_data(request)
        pk = request.GET.get("depuis", "")
        depuis = ModeleDocument.objects.filter(pk=pk).first() if pk.isdigit() else None
        if depuis is None and initial.get("type") in TypeModele.values:
            depuis = ModeleDocument.courant(initial["type"])
        if depuis is not None:
            initial.update(type=depuis.type, texte=depuis.texte)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            # The placeholders are checked against the chosen type (modeles.verifier) by the model's clean().
            form.base_fields["commentaire"].required = True
        return form

    def save_model(self, request, obj, form, change):
        # Numbered under a lock: the version the form's object would have had is not trusted.
        saved = modeles.nouvelle_version(type=obj.type, texte=obj.texte, commentaire=obj.commentaire, par=request.user)
        obj.pk, obj.version, obj.cree_le, obj.cree_par = saved.pk, saved.version, saved.cree_le, saved.cree_par
        obj._state.adding = False

    @admin.display(description="en vigueur", boolean=True)
    def en_vigueur(self, obj):
        return obj.pk == ModeleDocument.objects.du_type(obj.type).values_list("pk", flat=True).first()

    @admin.display(description="variables possibles")
    def variables(self, obj):
        url = reverse("admin:habilitations_modeledocument_add")
        return format_html_join("", '<p><strong>{}</strong> (<a href="{}?type={}">partir du texte en vigueur</a>) : {}</p>', (
            (label, url, type, ", ".join(f"{{{nom}}} ({description})" + (" — obligatoire" if nom in OBLIGATOIRES[type] else "")
                                         for nom, description in VARIABLES[type].items()))
            for type, label in TypeModele.choices))

    @admin.display(description="aperçu (variables non remplacées)")
    def apercu(self, obj):
        return format_html('<div class="modele-apercu"><p><strong>{}</strong></p>{}</div>', MISE_EN_PAGE[obj.type]["titre"],
                           obj.rendre({}))

    @admin.display(description="nouvelle version")
    def bouton_nouvelle_version(self, obj):
        url = reverse("admin:habilitations_modeledocument_add")
        return format_html('<a class="button" href="{}?depuis={}">Écrire une nouvelle version à partir de celle-ci</a>'
                           '<p class="help">Les documents déjà faits gardent la version dont ils sont issus.</p>',
                           url, obj.pk)
