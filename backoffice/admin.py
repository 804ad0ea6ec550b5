"""The back office at /administration/: Django's admin, for CAF and CNAF people only."""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from monenfant.params import check_pk


def territoire_model():
    """The model of a territory's units (settings.BACKOFFICE_TERRITOIRE): the kit names no app."""
    return apps.get_model(settings.BACKOFFICE_TERRITOIRE)


class AdministrationSite(admin.AdminSite):
    site_header = "monenfant — administration"
    site_title = "monenfant administration"
    index_title = "Gestion"

    # The sections as CAF agents know them, rather than one per Django app (the project's settings).
    @property
    def SECTIONS(self):  # noqa: N802 (the name it has always had)
        return settings.BACKOFFICE_SECTIONS

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label:
            return apps
        models = {m["object_name"]: m for app in apps for m in app["models"]}
        sections = []
        for name, object_names in self.SECTIONS:
            found = [models.pop(n) for n in object_names if n in models]
            if found:
                sections.append({"name": name, "app_label": found[0]["object_name"].lower(), "app_url": "",
                                 "has_module_perms": True, "models": found})
        if models:
            sections.append({"name": "Autres", "app_label": "autres", "app_url": "", "has_module_perms": True,
                             "models": list(models.values())})
        return sections

    def login(self, request, extra_context=None):
        # One door for everybody, with the second factor: the professional login page. A person
        # already logged in who may not come here (a structure manager) is refused, not sent round.
        if request.user.is_authenticated:
            raise PermissionDenied("Votre compte n'a pas accès à l'administration.")
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        # Whoever must give a second factor has given it in this session (OTPMiddleware's is_verified).
        if getattr(user, "needs_second_factor", True) and not getattr(user, "is_verified", lambda: False)():
            return False
        return getattr(user, "is_back_office", False)


def choices_in_territory(admin_site, request, db_field, field):
    """The choices of a relation field are the related objects this person may see, so that an id
    of another territory typed into a crafted POST is a form error (not only hidden from the
    autocomplete). The related model's own admin says what its territory is."""
    departements = request.user.departements_geres()
    if field is None or departements is None or not hasattr(field, "queryset"):
        return field
    related = db_field.remote_field.model
    if related is territoire_model():
        field.queryset = field.queryset.filter(pk__in=departements)
    elif isinstance(related_admin := admin_site._registry.get(related), ScopedAdminMixin):
        field.queryset = related_admin.scope(request, field.queryset)
    return field


class TerritoryChoicesMixin:
    """Relation fields of a form (an admin's or an inline's) choose within the person's territory."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return choices_in_territory(self.admin_site, request, db_field, field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return choices_in_territory(self.admin_site, request, db_field, field)


class ScopedAdminMixin(TerritoryChoicesMixin):
    """Lists and objects restricted to the territory of the person, and 404 outside it.

    `territory_lookup` names the département of an object, e.g. "commune__departement".
    """

    territory_lookup: str = ""

    def scope(self, request, queryset):
        departements = request.user.departements_geres()
        if departements is None:
            return queryset
        return queryset.filter(**{f"{self.territory_lookup}__in": departements})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        # Another territory's object does not exist for this person: a plain 404, no hint,
        # before any permission check could answer 403 and confirm that it exists.
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            check_pk(field, unquote(object_id))
        except (ValidationError, ValueError):
            raise Http404("Objet introuvable.") from None
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("Objet introuvable.")
        return obj

    def _in_scope_or_404(self, request, object_id):
        try:
            pk = check_pk(self.model._meta.pk, unquote(object_id))
        except (ValidationError, ValueError):
            raise Http404("Objet introuvable.") from None
        if not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404("Objet introuvable.")

    def history_view(self, request, object_id, extra_context=None):
        # Django's and django-simple-history's history pages load the object without get_queryset.
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Fiches are closed, not deleted: only the CNAF deletes (duplicates, mistakes).
        return request.user.is_active and request.user.is_cnaf


def departements_du_territoire(request):
    """The départements a person may choose in a dashboard: their CAF's, or all of them for the CNAF."""
    geres = request.user.departements_geres()
    choix = territoire_model().objects.order_by("pk")
    return choix if geres is None else choix.filter(pk__in=geres)


def departement_choisi(request, param: str = "departement") -> str:
    """The département asked for in a dashboard's query string: "" when none, 404 outside the territory."""
    code = request.GET.get(param, "").strip()
    if code and not departements_du_territoire(request).filter(pk=code).exists():
        raise Http404("Département introuvable.")
    return code


class ReadOnlyAdminMixin:
    """Lists to read; nothing is added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NamedFieldsMixin:
    """Fields drawn in a table row (a tabular inline, a list's editable column) have no label of their
    own, only a column heading: each control is named after its field for screen readers."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            widget = getattr(field.widget, "widget", field.widget)  # inside a RelatedFieldWidgetWrapper
            widget.attrs.setdefault("aria-label", str(field.label))
        return field


class InlinePermissionsMixin(NamedFieldsMixin, TerritoryChoicesMixin):
    """Inlines follow the back-office roles, not Django's per-model permissions, and offer choices of
    the person's territory only."""

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)


