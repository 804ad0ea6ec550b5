import datetime
import math

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from compteurs import evenements

from . import geo
from .enums import EtapeImport, Jour, ResultatLigne, Rubrique, StatutImport, TypeAccueil
from .text import de_commune, normalize

MSG_PLACES_NEGATIVES = "Le nombre de places disponibles ne peut pas être négatif."
MSG_CAPACITE_NEGATIVE = "La capacité ne peut pas être négative."
MSG_AGES = "L'âge minimum doit être inférieur ou égal à l'âge maximum."
MSG_HORAIRE = "L'heure de fermeture doit être après l'heure d'ouverture."
DELAI_DISPONIBILITE_OBSOLETE = datetime.timedelta(days=90)
# AVIP (label CNAF, 2016): at least 20 % of a crèche's places kept for parents in insertion.
AVIP_PART_MIN = 20
AVIP_RUBRIQUES = (Rubrique.EAJE, Rubrique.ASSMAT)
# What an assistant maternel agrees to; a new wording gets a new version (the consent keeps its own).
CONSENTEMENT_VERSION = "2026-11"
CONSENTEMENT_TEXTE = (
    "J'accepte que ma fiche (nom, commune, adresse, téléphone, âges accueillis, places et disponibilités) "
    "soit publiée sur monenfant, dans la recherche, l'API publique et sa page, pour que les familles me "
    "trouvent. Je peux retirer ce consentement à tout moment depuis mon espace : ma fiche disparaît alors "
    "aussitôt du site public."
)

code_postal_validator = RegexValidator(r"^\d{5}$", "Un code postal compte cinq chiffres.")
siret_validator = RegexValidator(r"^\d{14}$", "Un SIRET compte 14 chiffres.")
telephone_validator = RegexValidator(
    r"^(\+33 ?|0)[1-9]( ?\d{2}){4}$|^\+?[\d ]{8,20}$",
    "Saisissez un numéro de téléphone valide, par exemple 04 71 00 00 00.",
)


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    # INSEE "type de liaison": how the name is preceded ("de la Haute-Loire", "des Landes"…).
    type_liaison = models.PositiveSmallIntegerField(default=0)
    # The commune where the département's searches start (its page, its rubriques): set by the import.
    chef_lieu = models.ForeignKey(
        "Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="chef-lieu",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self):
        return f"{self.code} – {self.nom}"

    @property
    def nom_avec_liaison(self) -> str:
        prefix = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'"}
        return prefix.get(self.type_liaison, "de ") + self.nom


class Caf(models.Model):
    """One CAF per département (the CSS for Mayotte)."""

    departement = models.OneToOneField(Departement, on_delete=models.PROTECT, related_name="caf", verbose_name="département")
    nom = models.CharField("nom", max_length=150)
    email_habilitations = models.EmailField(
        "boîte aux lettres des habilitations",
        help_text="La boîte partagée où la CAF reçoit les demandes d'habilitation.",
    )
    page_caf_fr = models.URLField(
        "page sur caf.fr", blank=True,
        help_text="La page de la CAF sur caf.fr (contacts, accueils, rendez-vous), proposée aux familles "
                  "qu'aucun lieu d'information ne renseigne en ligne. L'import la déduit du nom du département "
                  "et ne remplace jamais une adresse saisie ici.",
    )

    class Meta:
        ordering = ["departement"]
        verbose_name = "CAF"
        verbose_name_plural = "CAF"

    def __str__(self):
        return self.nom


class CommuneQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Communes whose name starts with (then contains) text, or whose postal code starts with it."""
        text = (text or "").strip()
        if text.isdigit():
            return self.filter(codes_postaux__contains=text[:5]).filter(
                Q(codes_postaux__startswith=text) | Q(codes_postaux__contains=f" {text}")
            ).order_by("-population", "code_insee")
        needle = normalize(text)
        if not needle:
            return self.none()
        return self.filter(nom_normalise__contains=needle).order_by(
            models.Case(
                models.When(nom_normalise__startswith=needle, then=0), default=1
            ),
            "-population",
            "code_insee",
        )


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    nom_normalise = models.CharField("nom normalisé", max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes", verbose_name="département")
    # Space-separated, so that "contains" finds a code on both backends without a join.
    codes_postaux = models.CharField("codes postaux", max_length=200, blank=True)
    population = models.PositiveIntegerField("population", default=0)
    point = models.PointField("point", srid=4326, geography=True, null=True)
    # Paris, Lyon, Marseille: an arrondissement municipal points to its commune.
    commune_parente = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="arrondissements"
    )
    # How far the commune reaches from its point, where that is more than geo.MAX_KM_FROM_COMMUNE
    # (Guyane): twice the distance to the nearest other commune's point, computed by import_geographie.
    etendue_km = models.FloatField("étendue (km)", null=True, blank=True, editable=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["nom", "code_insee"]
        verbose_name = "commune"

    def __str__(self):
        codes = self.liste_codes_postaux
        return f"{self.nom} ({codes[0] if len(codes) == 1 else self.departement_id})"

    @property
    def liste_codes_postaux(self) -> list[str]:
        return self.codes_postaux.split()

    @property
    def code_postal_principal(self) -> str:
        codes = self.liste_codes_postaux
        return codes[0] if codes else ""

    @property
    def distance_max_km(self) -> float:
        """How far from its point a place of this commune may lie."""
        return max(geo.MAX_KM_FROM_COMMUNE, self.etendue_km or 0)

    def accepte_code_postal(self, code: str) -> bool:
        """One of its postal codes, or one of the same area: a CEDEX code (a firm's or an administration's
        own) or a neighbouring commune's, as real addresses carry them. The area is the first two digits
        (three overseas)."""
        codes = self.liste_codes_postaux
        if not codes or code in codes:
            return True
        width = 3 if code.startswith("97") else 2
        return any(code[:width] == c[:width] for c in codes)


class CodeInseeAncien(models.Model):
    """The INSEE code of a commune that merged into another: lists made before the merger still carry it."""

    code_insee = models.CharField("ancien code INSEE", max_length=5, primary_key=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="anciens_codes")

    class Meta:
        verbose_name = "ancien code INSEE"
        verbose_name_plural = "anciens codes INSEE"

    def __str__(self):
        return f"{self.code_insee} → {self.commune.nom}"


class Organisme(models.Model):
    """The gestionnaire of one or several structures (a commune, an association, a company…)."""

    nom = models.CharField("nom", max_length=200)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[siret_validator]
    )
    adresse = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    telephone = models.CharField("téléphone", max_length=20, blank=True, validators=[telephone_validator])
    email = models.EmailField("courriel", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["nom"]
        verbose_name = "organisme gestionnaire"
        verbose_name_plural = "organismes gestionnaires"

    def __str__(self):
        return self.nom


def avip_le(on: datetime.date) -> Q:
    """Labelled AVIP on that day: from its start, until its end when it has one."""
    return Q(avip_depuis__lte=on) & (Q(avip_jusqu_au__isnull=True) | Q(avip_jusqu_au__gte=on))


def place_disponible_le(on: datetime.date) -> Q:
    """Has a place on that day: declares places, and none of them is announced for a later day.
    "Places disponibles maintenant" in search and the API is this rule on today (Structure.a_une_place_maintenant
    reads it for one fiche). How old the declaration is does not change it: the fiche says when it may be outdated."""
    return Q(places_disponibles__gt=0) & (Q(disponible_a_partir_du__isnull=True) | Q(disponible_a_partir_du__lte=on))


def ouvert_le(jour: int) -> Q:
    """Open on that day of the week: opening hours that day, or, for an assistant maternel, a half-day they declare
    working that day (/pro/; only they declare some). The search's "Ouvert le samedi" is this rule on Saturday
    (Structure.jours_ouverts reads it for one fiche)."""
    return (Q(pk__in=Horaire.objects.filter(jour=jour).values("structure"))
            | Q(pk__in=CreneauTravaille.objects.filter(jour=jour).values("structure")))


class StructureQuerySet(models.QuerySet):
    def published(self):
        """Fiches shown to the public: not closed, and an assistant maternel only with their consent."""
        return self.filter(fermee_le__isnull=True).exclude(
            rubrique=Rubrique.ASSMAT, consentement_publication_le__isnull=True
        )

    def assistants_de_la_mam(self, mam):
        """The assistants maternels a MAM lists: confirmed as working there, and public (they consented)."""
        return self.published().filter(rubrique=Rubrique.ASSMAT, mam=mam, mam_confirmee_le__isnull=False)

    def assmat_sans_consentement(self):
        return self.filter(rubrique=Rubrique.ASSMAT, fermee_le__isnull=True, consentement_publication_le__isnull=True)

    def avip(self, on: datetime.date | None = None):
        """Labelled AVIP on that day (today by default): the label has a start and may have an end."""
        return self.filter(avip_le(on or timezone.localdate()))

    def avec_avip(self, on: datetime.date):
        """Each fiche with `avip`: labelled on that day (the same rule, for a listing of all fiches)."""
        # Case, not the bare condition: a fiche without a label compares NULL, which must read "no".
        return self.annotate(avip=models.Case(models.When(avip_le(on), then=True), default=False,
                                              output_field=models.BooleanField()))

    def avec_place(self, on: datetime.date | None = None):
        """With a place on that day (today by default): place_disponible_le."""
        return self.filter(place_disponible_le(on or timezone.localdate()))

    def ouverts_le(self, jour: int):
        """Open on that day of the week: ouvert_le."""
        return self.filter(ouvert_le(jour))

    def with_fiche_relations(self):
        return self.select_related("commune", "organisme").prefetch_related("horaires")


class Structure(models.Model):
    """One fiche of the directory. A RPE that is also an information place has a second fiche (LINF)."""

    rubrique = models.CharField("rubrique", max_length=6, choices=Rubrique.choices, db_index=True)
    type_accueil = models.CharField(
        "type d'accueil", max_length=20, choices=TypeAccueil.choices, blank=True,
        help_text="Pour les EAJE seulement.",
    )
    financement_psu = models.BooleanField(
        "financé par la PSU", default=False,
        help_text="Prestation de service unique : le tarif suit le barème national de la CNAF.",
    )
    nom = models.CharField("nom", max_length=200)
    organisme = models.ForeignKey(
        Organisme, on_delete=models.PROTECT, null=True, blank=True, related_name="structures",
        verbose_name="organisme gestionnaire",
    )
    adresse = models.CharField("adresse", max_length=255)
    complement_adresse = models.CharField("complément d'adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, validators=[code_postal_validator])
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="structures")
    # The commune's département, kept by save(): the API walks a département by id on one index
    # (departement, id), where a join through the communes reads and sorts all of them for each page.
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+", null=True,
                                    editable=False, db_index=False, verbose_name="département")
    point = models.PointField("position", srid=4326, geography=True, spatial_index=True)
    # Copies of the point's coordinates as plain floats, kept by save(): distances are computed
    # on them with the same arithmetic on both backends (see selectors.great_circle_km).
    lon = models.FloatField("longitude", editable=False)
    lat = models.FloatField("latitude", editable=False)
    telephone = models.CharField("téléphone", max_length=20, blank=True, validators=[telephone_validator])
    email = models.EmailField("courriel", blank=True)
    site_web = models.URLField("site internet", blank=True)
    presentation = models.TextField("présentation", blank=True)
    age_min_mois = models.PositiveSmallIntegerField("âge minimum (mois)", null=True, blank=True)
    age_max_mois = models.PositiveSmallIntegerField("âge maximum (mois)", null=True, blank=True)
    capacite = models.IntegerField(
        "capacité d'accueil", null=True, blank=True, validators=[MinValueValidator(0, MSG_CAPACITE_NEGATIVE)]
    )
    accueil_handicap = models.BooleanField("accueil d'enfants en situation de handicap", default=False)
    horaires_atypiques = models.BooleanField(
        "horaires atypiques", default=False, help_text="Tôt le matin, tard le soir, la nuit ou le week-end."
    )
    places_disponibles = models.IntegerField(
        "places disponibles", null=True, blank=True, validators=[MinValueValidator(0, MSG_PLACES_NEGATIVES)]
    )
    places_mises_a_jour_le = models.DateTimeField("places mises à jour le", null=True, blank=True)
    communes_desservies = models.ManyToManyField(
        Commune, blank=True, related_name="structures_desservantes", verbose_name="communes desservies",
        help_text="Pour les relais petite enfance et les lieux d'information.",
    )
    # Assistant maternel: conditions of accueil and availability, kept by the person themself.
    disponible_a_partir_du = models.DateField("place disponible à partir du", null=True, blank=True)
    disponibilite_mise_a_jour_le = models.DateTimeField("disponibilité mise à jour le", null=True, blank=True)
    # A crèche's places by age group (declared in /pro/ with places_mises_a_jour_le): what a family with a
    # baby looks for is not a place for a child of two.
    places_bebes = models.PositiveSmallIntegerField("places pour les bébés (moins de 18 mois)", null=True, blank=True)
    places_moyens = models.PositiveSmallIntegerField("places pour les moyens (18 à 30 mois)", null=True, blank=True)
    places_grands = models.PositiveSmallIntegerField("places pour les grands (plus de 30 mois)", null=True, blank=True)
    # What a family pays before aids: an assistant maternel's net hourly salary and allowances, a micro-crèche
    # outside the PSU's hourly price. The search puts a monthly cost beside the fiche with them.
    tarif_horaire = models.DecimalField(
        "tarif horaire (€)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0, "Le tarif ne peut pas être négatif.")],
        help_text="Assistant maternel : salaire horaire net. Micro-crèche hors PSU : prix d'une heure d'accueil.",
    )
    indemnite_entretien = models.DecimalField(
        "indemnité d'entretien (€ par jour)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0, "L'indemnité ne peut pas être négative.")],
    )
    prix_repas = models.DecimalField(
        "prix d'un repas (€)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0, "Le prix ne peut pas être négatif.")],
        help_text="Vide si les parents fournissent les repas.",
    )
    # When its manager last said the whole fiche (hours, contacts, ages, places) is right.
    informations_confirmees_le = models.DateTimeField("informations confirmées le", null=True, blank=True)
    # The week in two integers and a mask, kept by horaires.condenser: the search ranks by fit on them with
    # plain arithmetic (no subquery per fiche). See structures/horaires.py.
    ouvertures_condensees = models.BigIntegerField(default=0, editable=False)
    fermetures_condensees = models.BigIntegerField(default=0, editable=False)
    demi_journees_disponibles = models.IntegerField(default=0, editable=False)
    jardin = models.BooleanField("jardin ou espace extérieur", default=False)
    animaux = models.CharField("animaux au domicile", max_length=200, blank=True)
    langues = models.CharField("langues parlées", max_length=200, blank=True)
    pedagogie = models.TextField("pédagogie, activités", blank=True)
    rappel_disponibilite_envoye_le = models.DateTimeField("rappel de disponibilité envoyé le", null=True, blank=True, editable=False)
    # "À vocation d'insertion professionnelle": places kept for parents looking for work or in training.
    avip_depuis = models.DateField("label AVIP depuis le", null=True, blank=True)
    avip_jusqu_au = models.DateField("label AVIP jusqu'au", null=True, blank=True, help_text="Vide : sans date de fin.")
    avip_places = models.PositiveSmallIntegerField(
        "places réservées aux parents en insertion", null=True, blank=True,
        help_text="Au moins 20 % des places d'une crèche labellisée.",
    )
    avip_partenaire = models.CharField(
        "partenaire emploi", max_length=200, blank=True,
        help_text="L'agence France Travail, la mission locale… qui accompagne les parents.",
    )
    # An assistant maternel is a person: their fiche is public only with their recorded consent.
    consentement_publication_le = models.DateTimeField("consentement à la publication le", null=True, blank=True,
                                                       editable=False)
    consentement_publication_version = models.CharField("version du texte de consentement", max_length=20,
                                                        blank=True, editable=False)
    fermee_le = models.DateField("fermée le", null=True, blank=True)
    siret = models.CharField("SIRET de l'établissement", max_length=14, blank=True, validators=[siret_validator])
    # An assistant maternel may work in a MAM: they declare it in /pro/, its manager or the CAF confirms.
    mam = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="assistants_maternels",
        limit_choices_to={"rubrique": Rubrique.MAM}, verbose_name="maison d'assistants maternels",
    )
    mam_confirmee_le = models.DateTimeField("MAM confirmée le", null=True, blank=True)
    # Provenance of a fiche loaded from a partner's list (structures.collecte); empty for a fiche typed here.
    source = models.CharField("source", max_length=40, blank=True, db_index=True,
                              help_text="Code de la liste dont la fiche a été importée.")
    identifiant_source = models.CharField("identifiant dans la source", max_length=100, blank=True)
    importee_le = models.DateTimeField("importée le", null=True, blank=True, editable=False)
    vue_dans_source_le = models.DateTimeField("vue dans la source le", null=True, blank=True, editable=False)
    absente_de_la_source_le = models.DateTimeField(
        "absente du dernier import complet le", null=True, blank=True,
        help_text="À revoir : la liste de la source ne contient plus cette fiche. Rien n'est supprimé par un import.",
    )
    # The values the last import wrote, field by field: a field whose value differs from them was changed by a
    # person since, and the next import leaves it alone (a conflict in its report).
    valeurs_importees = models.JSONField("valeurs importées", default=dict, blank=True, editable=False)
    position_approximative = models.BooleanField(
        "position approximative", default=False,
        help_text="Centre de la commune : l'adresse n'a pas été trouvée avec assez de certitude.",
    )
    geocodage_score = models.FloatField("score du géocodage", null=True, blank=True, editable=False)
    geocodage_type = models.CharField("type de résultat du géocodage", max_length=20, blank=True, editable=False)
    cree_le = models.DateTimeField("ajoutée le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    objects = StructureQuerySet.as_manager()
    # Who changed what and when, readable in the back office; lon/lat only mirror the point.
    history = HistoricalRecords(excluded_fields=["lon", "lat", "departement", "modifie_le", "rappel_disponibilite_envoye_le",
                                                 "vue_dans_source_le", "valeurs_importees", "ouvertures_condensees",
                                                 "fermetures_condensees", "demi_journees_disponibles"])

    class Meta:
        ordering = ["nom", "pk"]
        verbose_name = "structure"
        constraints = [
            models.CheckConstraint(
                condition=Q(places_disponibles__isnull=True) | Q(places_disponibles__gte=0),
                name="places_disponibles_positives",
                violation_error_message=MSG_PLACES_NEGATIVES,
            ),
            models.CheckConstraint(
                condition=Q(capacite__isnull=True) | Q(capacite__gte=0),
                name="capacite_positive",
                violation_error_message=MSG_CAPACITE_NEGATIVE,
            ),
            models.CheckConstraint(
                condition=Q(age_min_mois__isnull=True) | Q(age_max_mois__isnull=True)
                | Q(age_min_mois__lte=models.F("age_max_mois")),
                name="ages_ordonnes",
                violation_error_message=MSG_AGES,
            ),
            models.UniqueConstraint(
                fields=["source", "identifiant_source"], condition=~Q(identifiant_source=""),
                name="identifiant_source_unique",
                violation_error_message="Une autre fiche porte déjà cet identifiant dans cette source.",
            ),
        ]
        indexes = [models.Index(fields=["departement", "id"], name="structure_departement_id")]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("structures:fiche", args=[self.pk])

    def clean(self):
        errors = {}
        if self.rubrique == Rubrique.EAJE and not self.type_accueil:
            errors["type_accueil"] = "Précisez le type d'accueil de cet établissement."
        if self.rubrique and self.rubrique != Rubrique.EAJE:
            if self.type_accueil:
                errors["type_accueil"] = "Le type d'accueil ne concerne que les EAJE."
            if self.financement_psu:
                errors["financement_psu"] = "Seuls les EAJE sont financés par la PSU."
        if self.mam_id is not None and self.rubrique != Rubrique.ASSMAT:
            errors["mam"] = "Seul un assistant maternel travaille dans une maison d'assistants maternels."
        elif self.mam_id is not None and self.mam.rubrique != Rubrique.MAM:
            errors["mam"] = "Choisissez une maison d'assistants maternels."
        errors.update(self._avip_errors())
        errors.update(self._communes_desservies_errors())
        if self.commune_id and self.code_postal:
            commune = self.commune
            if not commune.accepte_code_postal(self.code_postal):
                errors["code_postal"] = (
                    f"Le code postal {self.code_postal} n'est pas celui {de_commune(commune.nom)} "
                    f"({', '.join(commune.liste_codes_postaux)})."
                )
        if self.point is not None:
            if not geo.is_in_france(self.point):
                errors["point"] = "La position est en dehors de la France (métropole et outre-mer)."
            elif self.commune_id and self.commune.point is not None:
                km = geo.haversine_km(self.point, self.commune.point)
                if km > self.commune.distance_max_km:
                    errors["point"] = (
                        f"La position est à {km:.0f} km {de_commune(self.commune.nom)} : vérifiez l'adresse ou la commune."
                    )
        if errors:
            raise ValidationError(errors)

    # The communes a caller is about to set (a form's cleaned data) before it saves the many-to-many:
    # clean() checks these, or the communes already saved when nobody set them.
    communes_desservies_a_enregistrer = None

    def _communes_desservies_errors(self) -> dict:
        """Only relays and information places serve communes; an information place serves at least one."""
        communes = self.communes_desservies_a_enregistrer
        if communes is None:
            communes = list(self.communes_desservies.all()) if self.pk else []
        if communes and self.rubrique not in (Rubrique.RPE, Rubrique.LINF):
            return {"communes_desservies": "Seuls les relais et les lieux d'information desservent des communes."}
        if self.rubrique == Rubrique.LINF and self.commune_id is not None and not communes and (
            self.pk or self.communes_desservies_a_enregistrer is not None
        ):
            return {"communes_desservies": "Un lieu d'information dessert au moins une commune."}
        return {}

    def _avip_errors(self) -> dict:
        errors = {}
        labelled = self.avip_depuis is not None
        if not labelled:
            if self.avip_jusqu_au or self.avip_places or self.avip_partenaire:
                errors["avip_depuis"] = "Indiquez la date du label AVIP, ou videz les autres champs AVIP."
            return errors
        if self.rubrique not in AVIP_RUBRIQUES:
            errors["avip_depuis"] = "Le label AVIP concerne les crèches et les assistants maternels."
        if self.avip_jusqu_au and self.avip_jusqu_au < self.avip_depuis:
            errors["avip_jusqu_au"] = "La fin du label AVIP précède son début."
        if not self.avip_places:
            errors["avip_places"] = "Indiquez le nombre de places réservées aux parents en insertion."
        elif self.rubrique == Rubrique.EAJE and self.capacite and self.avip_places * 100 < self.capacite * AVIP_PART_MIN:
            errors["avip_places"] = (
                f"Une crèche AVIP réserve au moins {AVIP_PART_MIN} % de ses places : "
                f"{math.ceil(self.capacite * AVIP_PART_MIN / 100)} sur {self.capacite}."
            )
        elif self.capacite is not None and self.avip_places > self.capacite:
            errors["avip_places"] = "Les places AVIP dépassent la capacité d'accueil."
        return errors

    # For templates, which cannot name the enum.
    @property
    def est_assmat(self) -> bool:
        return self.rubrique == Rubrique.ASSMAT

    @property
    def est_mam(self) -> bool:
        return self.rubrique == Rubrique.MAM

    @property
    def est_eaje(self) -> bool:
        return self.rubrique == Rubrique.EAJE

    @property
    def mam_affichee(self):
        """The MAM an assistant maternel's page and API name: confirmed as working there, and still open."""
        if self.rubrique != Rubrique.ASSMAT or not self.mam_confirmee_le or self.mam is None:
            return None
        return self.mam if self.mam.fermee_le is None else None

    @property
    def a_consenti(self) -> bool:
        return self.consentement_publication_le is not None

    @property
    def est_avip(self) -> bool:
        today = timezone.localdate()
        return (self.avip_depuis is not None and self.avip_depuis <= today
                and (self.avip_jusqu_au is None or self.avip_jusqu_au >= today))

    def save(self, *args, **kwargs):
        self.lon, self.lat = self.point.x, self.point.y
        self.departement_id = self.commune.departement_id
        if kwargs.get("update_fields") is not None and "point" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "lon", "lat"}
        if kwargs.get("update_fields") is not None and "commune" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "departement"}
        if self.places_disponibles is not None and self.places_mises_a_jour_le is None:
            self.places_mises_a_jour_le = timezone.now()
        super().save(*args, **kwargs)

    @property
    def a_une_place_maintenant(self) -> bool:
        """place_disponible_le, today, for this fiche."""
        return bool(self.places_disponibles) and (
            self.disponible_a_partir_du is None or self.disponible_a_partir_du <= timezone.localdate())

    @property
    def jours_ouverts(self) -> set[int]:
        """The days of the week it is open (ouvert_le): its opening hours, and an assistant maternel's working
        half-days."""
        jours = {h.jour for h in self.horaires.all()}
        if self.rubrique == Rubrique.ASSMAT:
            jours |= {c.jour for c in self.creneaux_travailles.all()}
        return jours

    @property
    def ouvert_le_samedi(self) -> bool:
        return Jour.SAMEDI in self.jours_ouverts

    @property
    def semaine_de_travail(self) -> list[dict]:
        """An assistant maternel's week as the fiche shows it, Monday to Saturday (Sunday too if declared):
        [{"jour": "Lundi", "matin": True, "apres_midi": False}, …]; empty when they declared no half-day."""
        par_jour: dict[int, set[str]] = {}
        for creneau in self.creneaux_travailles.all():
            par_jour.setdefault(creneau.jour, set()).add(creneau.demi_journee)
        if not par_jour:
            return []
        jours = [j for j in Jour if j != Jour.DIMANCHE or j in par_jour]
        return [{"jour": j.label, "matin": DemiJournee.MATIN in par_jour.get(j, ()),
                 "apres_midi": DemiJournee.APRES_MIDI in par_jour.get(j, ())} for j in jours]

    @property
    def jours_de_travail_en_clair(self) -> str:
        """The same week in words: "lundi, mardi matin et samedi matin" (a day named alone is the whole day)."""
        parties = []
        for jour in self.semaine_de_travail:
            if jour["matin"] or jour["apres_midi"]:
                demi = "" if jour["matin"] and jour["apres_midi"] else (
                    f" {DemiJournee.MATIN.label}" if jour["matin"] else f" {DemiJournee.APRES_MIDI.label}")
                parties.append(jour["jour"].lower() + demi)
        if len(parties) < 2:
            return "".join(parties)
        return f"{', '.join(parties[:-1])} et {parties[-1]}"

    @property
    def derniere_mise_a_jour_disponibilite(self):
        dates = [d for d in (self.places_mises_a_jour_le, self.disponibilite_mise_a_jour_le) if d]
        return max(dates) if dates else None

    @property
    def disponibilite_peut_etre_obsolete(self) -> bool:
        """Places or availability not confirmed for three months may no longer be true."""
        last = self.derniere_mise_a_jour_disponibilite
        return last is not None and last < timezone.now() - DELAI_DISPONIBILITE_OBSOLETE

    @property
    def informations_a_confirmer(self) -> bool:
        """The whole fiche was confirmed by its people, more than three months ago."""
        confirmees = self.informations_confirmees_le
        return confirmees is not None and confirmees < timezone.now() - DELAI_DISPONIBILITE_OBSOLETE

    @property
    def places_par_age(self) -> list[tuple[str, int]]:
        """A crèche's places by age group as its fiche says them, the groups declared only:
        [("bébés (moins de 18 mois)", 2), …]; empty when none is."""
        groupes = (("bébés (moins de 18 mois)", self.places_bebes), ("moyens (de 18 à 30 mois)", self.places_moyens),
                   ("grands (plus de 30 mois)", self.places_grands))
        return [(groupe, n) for groupe, n in groupes if n is not None]


class DemiJournee(models.TextChoices):
    MATIN = "matin", "matin"
    APRES_MIDI = "apres_midi", "après-midi"


class CreneauDisponible(models.Model):
    """A half-day of the week when an assistant maternel has a place."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="creneaux_disponibles")
    jour = models.PositiveSmallIntegerField("jour", choices=Jour.choices)
    demi_journee = models.CharField("demi-journée", max_length=10, choices=DemiJournee.choices)

    class Meta:
        ordering = ["jour", "-demi_journee"]
        verbose_name = "créneau disponible"
        constraints = [
            models.UniqueConstraint(fields=["structure", "jour", "demi_journee"], name="creneau_unique"),
        ]

    def __str__(self):
        return f"{self.get_jour_display()} {self.get_demi_journee_display()}"


class CreneauTravaille(models.Model):
    """A half-day of the week when an assistant maternel works (declared in /pro/): their days on the fiche and
    the search's "Ouvert le samedi". The half-days when they have a place (CreneauDisponible) are among them."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="creneaux_travailles")
    jour = models.PositiveSmallIntegerField("jour", choices=Jour.choices)
    demi_journee = models.CharField("demi-journée", max_length=10, choices=DemiJournee.choices)

    class Meta:
        ordering = ["jour", "-demi_journee"]
        verbose_name = "demi-journée travaillée"
        verbose_name_plural = "demi-journées travaillées"
        constraints = [
            models.UniqueConstraint(fields=["structure", "jour", "demi_journee"], name="creneau_travaille_unique"),
        ]
        # "Who works on Saturday" reads the day's rows only.
        indexes = [models.Index(fields=["jour", "structure"], name="creneau_travaille_jour")]

    def __str__(self):
        return f"{self.get_jour_display()} {self.get_demi_journee_display()}"


class Horaire(models.Model):
    """An opening slot; a structure open morning and afternoon has two slots that day."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="horaires")
    jour = models.PositiveSmallIntegerField("jour", choices=Jour.choices)
    ouverture = models.TimeField("ouverture")
    fermeture = models.TimeField("fermeture")

    class Meta:
        ordering = ["jour", "ouverture"]
        verbose_name = "horaire d'ouverture"
        verbose_name_plural = "horaires d'ouverture"
        constraints = [
            models.CheckConstraint(
                condition=Q(fermeture__gt=models.F("ouverture")),
                name="fermeture_apres_ouverture",
                violation_error_message=MSG_HORAIRE,
            ),
        ]

    def __str__(self):
        return f"{self.get_jour_display()} {self.ouverture:%H:%M}–{self.fermeture:%H:%M}"


class InitiativeQuerySet(models.QuerySet):
    def en_cours(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(debut__lte=on).exclude(fin__lt=on)

    def pour_commune(self, commune: "Commune"):
        """Current initiatives of the commune's département: for all its communes, or naming this one."""
        return (self.en_cours().filter(departement_id=commune.departement_id)
                .filter(Q(communes__isnull=True) | Q(communes=commune)).distinct().order_by("-debut", "pk"))


class InitiativeLocale(models.Model):
    """News and actions a CAF publishes for its département, shown on its page and beside search."""

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="initiatives",
                                    verbose_name="département")
    titre = models.CharField("titre", max_length=150)
    texte = models.TextField("texte")
    debut = models.DateField("publiée du")
    fin = models.DateField("au", null=True, blank=True, help_text="Vide : sans date de fin.")
    communes = models.ManyToManyField(Commune, blank=True, related_name="+", verbose_name="communes concernées",
                                      help_text="Vide : tout le département.")
    image = models.BinaryField("image", null=True, blank=True, editable=False)
    image_type = models.CharField(max_length=20, blank=True, editable=False)
    image_alt = models.CharField("texte alternatif de l'image", max_length=200, blank=True,
                                 help_text="Ce que montre l'image, pour qui ne la voit pas.")
    cree_le = models.DateTimeField("ajoutée le", auto_now_add=True)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["image"])

    class Meta:
        ordering = ["-debut", "pk"]
        verbose_name = "initiative locale"
        verbose_name_plural = "initiatives locales"

    def __str__(self):
        return self.titre

    # The communes a caller is about to set (a form's cleaned data), checked by clean() instead of
    # those already saved.
    communes_a_enregistrer = None

    def clean(self):
        errors = {}
        if self.fin and self.debut and self.fin < self.debut:
            errors["fin"] = "La fin de publication précède son début."
        communes = self.communes_a_enregistrer
        if communes is None:
            communes = list(self.communes.all()) if self.pk else []
        if self.departement_id and communes:
            ailleurs = [c.nom for c in communes if c.departement_id != self.departement_id]
            if ailleurs:
                errors["communes"] = f"Communes hors du département : {', '.join(ailleurs[:5])}."
        if errors:
            raise ValidationError(errors)


class CompteurUsage(models.Model):
    """How often something happened on the site in a day: no person, no address, no cookie.

    Written by compteurs.usage.count (buffered in Redis in production, flushed every minute);
    the dashboards read only this table. Dimensions left empty are "not about that".
    """

    jour = models.DateField("jour")
    # An event named by the app that counts it (its enums; compteurs.evenements lists them all).
    evenement = models.CharField("événement", max_length=20)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="département")
    rubrique = models.CharField("rubrique", max_length=6, choices=Rubrique.choices, blank=True)
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                  verbose_name="fiche")
    cle = models.CharField("page", max_length=100, blank=True, help_text="L'adresse d'une page du guide.")
    nombre = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        verbose_name = "compteur d'usage"
        verbose_name_plural = "compteurs d'usage"
        constraints = [
            # NULLS NOT DISTINCT: two first counts of a day at once add up in one row (PostgreSQL).
            models.UniqueConstraint(
                fields=["jour", "evenement", "departement", "rubrique", "structure", "cle"],
                name="compteur_usage_unique", nulls_distinct=False,
            )
        ]
        # These serve a fiche's views, a territory's month, and the site-wide events of a month.
        indexes = [
            models.Index(fields=["structure", "jour"], name="compteur_usage_structure_jour"),
            models.Index(fields=["departement", "jour"], name="compteur_usage_dept_jour"),
            # The site-wide events (simulations, guide) among a month of fiche views.
            models.Index(fields=["evenement", "jour"], name="compteur_usage_evenement_jour"),
        ]

    def __str__(self):
        return f"{self.jour:%d/%m/%Y} {evenements.libelle(self.evenement)} : {self.nombre}"


class UsageDuSite(CompteurUsage):
    """The back office page "Usage du site" (aggregates of the counters), not a list of rows."""

    class Meta:
        proxy = True
        verbose_name = "usage du site"
        verbose_name_plural = "usage du site"


class ImportFiches(models.Model):
    """One file of structures loaded from a partner's list (structures.collecte): first a simulation, then,
    once a person confirms it, the import. Its rows' outcomes are its report."""

    fichier_nom = models.CharField("fichier", max_length=255)
    # The file itself, kept in the database until the import is done: any worker can read it.
    contenu = models.BinaryField("contenu", editable=False)
    correspondance = models.JSONField("correspondance", default=dict, blank=True)
    source = models.CharField("source", max_length=40)
    complet = models.BooleanField(
        "import complet", default=False,
        help_text="La liste contient toutes les fiches de la source : celles qu'elle ne contient plus sont signalées à revoir.",
    )
    # The départements whose rows this import may write (a CAF's); empty: any (the CNAF, the command).
    departements = models.ManyToManyField(Departement, blank=True, related_name="+", verbose_name="départements")
    statut = models.CharField("statut", max_length=12, choices=StatutImport.choices, default=StatutImport.EN_ATTENTE)
    etape = models.CharField("étape", max_length=12, choices=EtapeImport.choices, blank=True)
    lignes_lues = models.PositiveIntegerField("lignes traitées", default=0)
    lignes_total = models.PositiveIntegerField("lignes", null=True, blank=True)
    resultats = models.JSONField("résultats", default=dict, blank=True)
    erreur = models.TextField("erreur", blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="créé par")
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = "import de fiches"
        verbose_name_plural = "imports de fiches"

    def __str__(self):
        return f"{self.fichier_nom} ({self.get_statut_display().lower()})"

    @property
    def progression(self) -> int:
        """Per cent of the rows read, for the progress bar."""
        if not self.lignes_total:
            return 0
        return min(100, round(100 * self.lignes_lues / self.lignes_total))


class LigneImport(models.Model):
    """What became of one row of an imported file, and why."""

    import_fiches = models.ForeignKey(ImportFiches, on_delete=models.CASCADE, related_name="lignes")
    ligne = models.PositiveIntegerField("ligne")
    resultat = models.CharField("résultat", max_length=12, choices=ResultatLigne.choices)
    structure = models.ForeignKey(Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name="fiche")
    nom = models.CharField("nom", max_length=200, blank=True)
    motif = models.TextField("motif", blank=True)
    avertissements = models.TextField("avertissements", blank=True)
    conflits = models.TextField("conflits", blank=True)

    class Meta:
        ordering = ["import_fiches", "ligne"]
        verbose_name = "ligne importée"
        verbose_name_plural = "lignes importées"
        indexes = [models.Index(fields=["import_fiches", "resultat"], name="ligne_import_resultat")]

    def __str__(self):
        return f"Ligne {self.ligne} : {self.get_resultat_display().lower()}"
