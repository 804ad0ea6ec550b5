from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from monenfant.admin import InlinePermissionsMixin, ScopedAdminMixin

from .enums import Role
from .models import Affectation, User


class AffectationFormSet(forms.BaseInlineFormSet):
    """A person may only grant the roles of their own territory."""

    def clean(self):
        super().clean()
        user = self.request_user
        departements = user.departements_geres()
        kept = [f for f in self.forms if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]
        if departements is not None and not kept:
            # Without a role of this territory the person would vanish from the agent's lists.
            raise ValidationError("Attribuez au moins un rôle de votre territoire à cette personne.")
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            role, caf, structure = data.get("role"), data.get("caf"), data.get("structure")
            if departements is None:
                continue
            if role == Role.CNAF_ADMIN or (role == Role.CAF_ADMIN and not user.has_role(Role.CAF_ADMIN)):
                raise ValidationError("Ce rôle est attribué par la CNAF.")
            if role == Role.CAF_AGENT and not user.has_role(Role.CAF_ADMIN):
                raise ValidationError("Les agents d'une CAF sont gérés par l'administrateur de la CAF.")
            if caf is not None and caf.departement_id not in departements:
                raise ValidationError("Cette CAF n'est pas de votre territoire.")
            if structure is not None and structure.commune.departement_id not in departements:
                raise ValidationError("Cette structure n'est pas de votre territoire.")


class AffectationInline(InlinePermissionsMixin, admin.TabularInline):
    model = Affectation
    formset = AffectationFormSet
    extra = 1
    autocomplete_fields = ["structure", "caf"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset


class UserAddForm(forms.ModelForm):
    """No password here: the person sets it from an activation link (habilitation workflow)."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(ScopedAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    ordering = ["last_name", "first_name", "email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "affectations__role"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [AffectationInline]
    fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name", "is_active"]}),
        ("Sécurité", {"fields": ["doit_changer_mot_de_passe", "last_login", "date_joined"]}),
    ]
    add_form = UserAddForm
    add_fieldsets = [(None, {"fields": ["email", "first_name", "last_name"]})]
    readonly_fields = ["last_login", "date_joined"]

    def scope(self, request, queryset):
        departements = request.user.departements_geres()
        if departements is None:
            return queryset
        return queryset.filter(
            Q(affectations__caf__departement__in=departements)
            | Q(affectations__structure__commune__departement__in=departements)
        ).distinct()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A person is staff (may open /administration/) exactly when they hold a CAF or CNAF role.
        user = form.instance
        staff = user.affectations.filter(role__in=[Role.CNAF_ADMIN, Role.CAF_ADMIN, Role.CAF_AGENT]).exists()
        if user.is_staff != staff and not user.is_superuser:
            user.is_staff = staff
            user.save(update_fields=["is_staff"])


# Connection log (django-axes): logins, failures and lockouts of the people of one's territory.
class ConnexionLogScopeMixin:
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        departements = request.user.departements_geres()
        if departements is None:
            return queryset
        emails = User.objects.filter(
            Q(affectations__caf__departement__in=departements)
            | Q(affectations__structure__commune__departement__in=departements)
        ).values("email")
        return queryset.filter(username__in=emails)

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request) and (
            request.user.is_cnaf or request.user.has_role(Role.CAF_ADMIN)
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Unlocking an account is deleting its failed attempts: the CAF administrator may.
        return self.has_module_permission(request)


for _model, _admin in ((AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                       (AccessFailureLog, AccessFailureLogAdmin)):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (ConnexionLogScopeMixin, _admin), {}))
