import datetime

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from backoffice.admin import InlinePermissionsMixin, ScopedAdminMixin

from . import conventions, services, two_factor
from .admin_controle import ControleConnexionsAdmin
from .admin_modeles import ModeleDocumentAdmin
from .enums import PartiePreavis, Role
from .forms import PersonneForm
from .models import Affectation, ControleConnexions, ModeleDocument, User
from .workflow import DemandeHabilitation, PersonneHabilitee, TransitionHabilitation

AvenantPersonnesFormSet = forms.formset_factory(PersonneForm, extra=2, max_num=20)


class AffectationFormSet(forms.BaseInlineFormSet):
    """The rules of who grants which role are habilitations.services.check_grant's; the form shows them."""

    LINF_PAR_HABILITATION = services.LINF_PAR_HABILITATION

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
            if not data:
                continue
            touched = form.has_changed() or data.get("DELETE")
            # Only named persons of a signed convention read the families' demandes: not a back-office edit.
            if touched and Role.LINF in (data.get("role"), form.initial.get("role")):
                raise ValidationError(self.LINF_PAR_HABILITATION)
            if data.get("DELETE") or departements is None:
                continue
            services.check_rank(by=user, role=data.get("role"))
            if touched:
                services.check_territory(by=user, caf=data.get("caf"), structure=data.get("structure"))


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
        ("Sécurité", {"fields": ["doit_changer_mot_de_passe", "compte_active", "second_facteur", "last_login",
                                 "date_joined"]}),
    ]
    add_form = UserAddForm
    add_fieldsets = [(None, {"fields": ["email", "first_name", "last_name"]})]
    readonly_fields = ["compte_active", "second_facteur", "last_login", "date_joined"]

    @admin.display(description="compte activé (mot de passe choisi par la personne)", boolean=True)
    def compte_active(self, obj):
        return obj.has_usable_password()

    @admin.display(description="double authentification")
    def second_facteur(self, obj):
        if not obj.needs_second_factor:
            return "non demandée pour ce compte"
        return "activée" if two_factor.is_enrolled(obj) else "à activer à la prochaine connexion"

    def delete_queryset(self, request, queryset):
        if len(self._acted_on(request, queryset)) != queryset.count():
            raise PermissionDenied("Vous ne pouvez pas supprimer une personne de votre rang ou d'un rang supérieur.")
        super().delete_queryset(request, queryset)

    actions = ["envoyer_lien_activation", "reinitialiser_second_facteur"]

    def scope(self, request, queryset):
        departements = request.user.departements_geres()
        if departements is None:
            return queryset
        return queryset.filter(pk__in=User.objects.of_departements(departements).values("pk"))

    # Who acts on whom: a lower rank only (User.may_act_on); a higher or equal one is read, not changed.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or request.user.may_act_on(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or request.user.may_act_on(obj))

    def get_readonly_fields(self, request, obj=None):
        # Changing the address would send the next reset link to whoever typed it: it is the person's.
        return [*self.readonly_fields, "email"] if obj is not None else self.readonly_fields

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied("Personne ne choisit le mot de passe d'un autre : la personne le choisit elle-même "
                               "par son lien d'activation ou « Mot de passe oublié ».")

    def _acted_on(self, request, queryset):
        return [u for u in queryset if request.user.may_act_on(u)]

    @admin.action(description="Envoyer un lien d'activation (comptes sans mot de passe)")
    def envoyer_lien_activation(self, request, queryset):
        people = [u for u in self._acted_on(request, queryset) if not u.has_usable_password() and u.is_active]
        for user in people:
            services.send_account_activation(user=user, par=request.user)
        self.message_user(request, f"Lien d'activation envoyé à {len(people)} personne(s).", messages.SUCCESS)

    @admin.action(description="Réinitialiser la double authentification (téléphone perdu)")
    def reinitialiser_second_facteur(self, request, queryset):
        people = self._acted_on(request, queryset)
        for user in people:
            two_factor.reset(user)
        self.message_user(request, f"Double authentification réinitialisée pour {len(people)} personne(s) : "
                                   "elles associeront une application à leur prochaine connexion.", messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.sync_staff()  # also done by habilitations.signals at each role saved or deleted
        if not change:
            services.send_account_activation(user=user, par=request.user)


# Connection log (django-axes): logins, failures and lockouts of the people of one's territory.
class ConnexionLogScopeMixin:
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        departements = request.user.departements_geres()
        if departements is None:
            return queryset
        emails = User.objects.of_departements(departements).values("email")
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


def replace_library_admins(site) -> None:
    """Called by the wiring (monenfant.apps) once every admin module is loaded: the libraries' own pages
    give way to ours. The second factor's keys and recovery codes are nobody's to read in the back office;
    the connection logs (django-axes) are read for one's territory only."""
    for model in (TOTPDevice, StaticDevice):
        if site.is_registered(model):
            site.unregister(model)
    for model, model_admin in ((AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin),
                               (AccessFailureLog, AccessFailureLogAdmin)):
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, type(model_admin.__name__, (ConnexionLogScopeMixin, model_admin), {}))


class PersonneHabiliteeInline(InlinePermissionsMixin, admin.TabularInline):
    model = PersonneHabilitee
    extra = 0
    can_delete = False
    fields = ["prenom", "nom", "email", "fonction", "ajoutee_le", "retiree_le", "compte_active"]
    readonly_fields = fields
    verbose_name_plural = "Personnes habilitées (changements par avenant)"

    @admin.display(description="compte activé", boolean=True)
    def compte_active(self, obj):
        return bool(obj.user_id and obj.user.has_usable_password())

    def has_add_permission(self, request, obj=None):
        return False


class TransitionInline(InlinePermissionsMixin, admin.TabularInline):
    model = TransitionHabilitation
    extra = 0
    can_delete = False
    fields = readonly_fields = ["le", "depuis", "vers", "par", "commentaire"]
    verbose_name_plural = "Historique des étapes"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DemandeHabilitation)
class DemandeHabilitationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Gestion des habilitations: oldest first, with how long each request has been waiting."""

    territory_lookup = "caf__departement"
    change_form_template = "admin/habilitations/demandehabilitation/change_form.html"
    list_display = ["reference", "organisme_nom", "caf", "statut", "attente", "cree_le", "fin_le"]
    list_filter = ["statut", ("fin_le", admin.EmptyFieldListFilter)]
    search_fields = ["reference", "organisme_nom", "demandeur_email", "personnes__email"]
    ordering = ["cree_le"]
    inlines = [PersonneHabiliteeInline, TransitionInline]
    fields = ["reference", "statut", "caf", "organisme_nom", "organisme_siret", "organisme_adresse", "demandeur_nom",
              "demandeur_email", "demandeur_telephone", "structures", "communes", "delai_recuperation_jours",
              "cree_le", "convention_envoyee_le", "decidee_le", "decidee_par", "motif_refus",
              "preavis_le", "preavis_par", "preavis_motif", "fin_le", "rappel_fin_envoye_le", "terminee_le", "motif_fin"]
    readonly_fields = fields

    @admin.display(description="en attente depuis", ordering="cree_le")
    def attente(self, obj):
        return f"{obj.jours_d_attente} jour(s)"

    def has_add_permission(self, request):
        return False  # requests come from /pro/habilitation/

    def get_urls(self):
        urls = super().get_urls()
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/convention/", view(self.convention_view), name="habilitations_demande_convention"),
            path("<int:pk>/valider/", view(self.valider_view), name="habilitations_demande_valider"),
            path("<int:pk>/refuser/", view(self.refuser_view), name="habilitations_demande_refuser"),
            path("<int:pk>/avenant/", view(self.avenant_view), name="habilitations_demande_avenant"),
            path("<int:pk>/avenants/<int:avenant_id>/signe/", view(self.avenant_signe_view),
                 name="habilitations_demande_avenant_signe"),
            path("<int:pk>/avenants/<int:avenant_id>/annuler/", view(self.avenant_annuler_view),
                 name="habilitations_demande_avenant_annuler"),
            path("<int:pk>/preavis/", view(self.preavis_view), name="habilitations_demande_preavis"),
            path("<int:pk>/preavis/annuler/", view(self.annuler_preavis_view), name="habilitations_demande_annuler_preavis"),
            path("<int:pk>/documents/<int:document_id>/", view(self.document_view), name="habilitations_demande_document"),
        ] + urls

    def _demande(self, request, pk):
        return self.get_object(request, str(pk))  # scoped: 404 outside the territory

    def _run(self, request, pk, action, success):
        demande = self._demande(request, pk)
        if request.method != "POST":
            return redirect("admin:habilitations_demandehabilitation_change", pk)
        try:
            action(demande)
            if success:
                self.message_user(request, success, messages.SUCCESS)
        except TransitionNotAllowed:
            self.message_user(
                request, f"Impossible : la demande est « {demande.get_statut_display()} ».", messages.ERROR
            )
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
        return redirect("admin:habilitations_demandehabilitation_change", pk)

    def convention_view(self, request, pk):
        return self._run(request, pk, lambda d: services.send_convention(demande=d, par=request.user),
                         "Convention générée et envoyée au demandeur.")

    def valider_view(self, request, pk):
        return self._run(request, pk, lambda d: services.validate(demande=d, par=request.user),
                         "Habilitation validée : les personnes reçoivent leur lien d'activation.")

    def refuser_view(self, request, pk):
        return self._run(request, pk, lambda d: services.refuse(demande=d, par=request.user, motif=request.POST.get("motif", "")),
                         "Demande refusée : le demandeur reçoit le motif.")

    def preavis_view(self, request, pk):
        def record(demande):
            try:
                le = datetime.date.fromisoformat(request.POST.get("preavis_le", ""))
            except ValueError:
                raise ValueError("Indiquez la date de réception du préavis (jj/mm/aaaa).") from None
            demande = conventions.record_notice(demande=demande, par=request.user, le=le,
                                                partie=request.POST.get("preavis_par", ""),
                                                motif=request.POST.get("preavis_motif", ""))
            self.message_user(request, f"Préavis enregistré : la convention prend fin le {demande.fin_le:%d/%m/%Y}.",
                              messages.SUCCESS)

        return self._run(request, pk, record, None)

    def annuler_preavis_view(self, request, pk):
        return self._run(request, pk, lambda d: conventions.cancel_notice(demande=d, par=request.user),
                         "Préavis annulé : la convention continue.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        demande = self.get_object(request, object_id)
        extra = {"calendrier": conventions.calendrier(demande) if demande else None,
                 "parties": PartiePreavis.choices, "aujourd_hui": timezone.localdate()}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def document_view(self, request, pk, document_id):
        demande = self._demande(request, pk)
        document = get_object_or_404(demande.documents, pk=document_id)
        response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document.nom_fichier}"'
        return response

    def _avenant_action(self, request, pk, avenant_id, action, success):
        # The avenant must belong to this request, itself within the agent's territory.
        avenant = get_object_or_404(self._demande(request, pk).avenants, pk=avenant_id)
        return self._run(request, pk, lambda _d: action(avenant), success)

    def avenant_signe_view(self, request, pk, avenant_id):
        return self._avenant_action(request, pk, avenant_id,
                                    lambda a: services.record_signed_avenant(avenant=a, par=request.user),
                                    "Avenant signé reçu : il prend effet, les personnes ajoutées reçoivent leur lien d'activation.")

    def avenant_annuler_view(self, request, pk, avenant_id):
        return self._avenant_action(request, pk, avenant_id,
                                    lambda a: services.cancel_avenant(avenant=a, par=request.user,
                                                                      motif=request.POST.get("motif", "")),
                                    "Avenant annulé : les personnes qu'il ajoutait ne sont pas habilitées.")

    def avenant_view(self, request, pk):
        demande = self._demande(request, pk)
        actives = demande.personnes.filter(retiree_le__isnull=True)
        ajouts = AvenantPersonnesFormSet(request.POST or None, prefix="ajouts")
        retraits = request.POST.getlist("retraits")
        if request.method == "POST" and ajouts.is_valid():
            added = [f.cleaned_data for f in ajouts.forms if f.cleaned_data]
            try:
                # The service refuses a person already habilitated or named twice.
                services.make_avenant(demande=demande, par=request.user, ajouts=added,
                                      retraits=list(actives.filter(pk__in=retraits)))
                self.message_user(request, "Avenant généré et envoyé. Les personnes retirées n'ont plus accès ; celles "
                                  "ajoutées seront habilitées quand vous enregistrerez le retour de l'avenant signé.",
                                  messages.SUCCESS)
                return redirect("admin:habilitations_demandehabilitation_change", pk)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
        return TemplateResponse(request, "admin/habilitations/demandehabilitation/avenant.html", {
            **self.admin_site.each_context(request), "demande": demande, "actives": actives, "ajouts": ajouts,
            "opts": self.model._meta, "title": f"Avenant — {demande.reference}",
        })


# The connection control page, in its own module.
admin.site.register(ControleConnexions, ControleConnexionsAdmin)

# The documents' templates (convention, avenant, CAF–CNAF contract), in their own module.
admin.site.register(ModeleDocument, ModeleDocumentAdmin)
