"""A simulation or an import of a partner's list: each row ends as exactly one of created, updated, unchanged,
merged or rejected, with its line number and the reason; the report is the ImportFiches' lines.

Rules (issue 19, README "Importer des fiches"):
- rows of one file are the same structure when they share an identifier, a SIRET, or a normalised name +
  address + commune; the first row is kept, the others merged into it (their values fill its blanks);
- an existing fiche is matched the same way; one of another source, or typed here, is never written by an
  import: the row is merged into it;
- a field a person changed since the previous import is never overwritten: the report lists a conflict;
- a full import flags the fiches of its source that the file no longer holds; nothing is ever deleted;
- a rejected row never stops the others; rows are written in batches, each all or nothing.
"""

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..enums import ResultatLigne, StatutImport
from ..models import ImportFiches, LigneImport, Organisme, Structure
from ..text import normalize
from . import geocodage
from .communes import Rejet, ResolveurCommunes
from .correspondance import Correspondance, CorrespondanceInvalide, correspondance_data_inclusion
from .lecture import FichierIllisible, lire
from .lignes import CHAMPS_IMPORTES, FicheLue, cle_nom_adresse, lire_ligne, verifier_position

LOT_ECRITURE = 500
LOT_RAPPROCHEMENT = 2000
PROGRESSION_TOUS_LES = 1000
LIBELLES = {
    "rubrique": "rubrique", "type_accueil": "type d'accueil", "nom": "nom", "adresse": "adresse",
    "complement_adresse": "complément d'adresse", "code_postal": "code postal", "commune": "commune",
    "telephone": "téléphone", "email": "courriel", "site_web": "site internet", "capacite": "capacité",
    "siret": "SIRET", "organisme": "organisme gestionnaire", "point": "position",
}
APPROXIMATIVE = "Adresse non trouvée avec assez de certitude par la BAN : centre de la commune, position approximative."


@dataclass(slots=True)
class Issue:
    """What becomes of one row."""

    numero: int
    resultat: str
    fiche: FicheLue | None = None
    # The name the row gives, for the report (a rejected row has no fiche).
    nom: str = ""
    structure_id: int | None = None
    motif: str = ""
    conflits: list[str] = field(default_factory=list)
    changements: dict = field(default_factory=dict)
    # The fiche of this source the row describes, when there is one.
    existante: "Existante | None" = None

    @property
    def avertissements(self) -> list[str]:
        return self.fiche.avertissements if self.fiche else []


@dataclass(slots=True)
class Existante:
    """An existing fiche as the matching and the comparison need it (no model instance: 100,000 of them)."""

    pk: int
    source: str
    valeurs: dict
    valeurs_importees: dict
    position_approximative: bool


def correspondance_de(import_fiches: ImportFiches, format_: str) -> Correspondance:
    if not import_fiches.correspondance and format_ == "data_inclusion":
        return correspondance_data_inclusion()
    if not import_fiches.correspondance:
        raise CorrespondanceInvalide(["Ce fichier a besoin d'un fichier de correspondance."])
    return Correspondance.depuis_json(import_fiches.correspondance)


def executer(import_fiches: ImportFiches, *, simulation: bool,
             progression: Callable[[str, int, int], None] | None = None) -> dict:
    """Runs the simulation or the import and records its report. Never raises on a bad file: the import
    ends "échec" with the reason."""
    _statut(import_fiches, StatutImport.SIMULATION if simulation else StatutImport.EN_COURS)
    try:
        fichier = lire(import_fiches.fichier_nom, bytes(import_fiches.contenu))
        correspondance = correspondance_de(import_fiches, fichier.format)
        if absentes := correspondance.colonnes_absentes(fichier.colonnes):
            raise CorrespondanceInvalide([f"Colonnes absentes du fichier : {', '.join(absentes)}."])
        # A first pass counts the rows (the progress bar's total); the second streams them: 100,000 rows of
        # text are never all held at once.
        total = sum(1 for _ in fichier.lignes)
        lignes = lire(import_fiches.fichier_nom, bytes(import_fiches.contenu)).lignes
    except (FichierIllisible, CorrespondanceInvalide) as error:
        import_fiches.erreur = str(error)
        _statut(import_fiches, StatutImport.ECHEC, termine=True)
        return {}
    import_fiches.lignes_total = total
    import_fiches.save(update_fields=["lignes_total"])
    avancement = _avancement(import_fiches, progression)
    traitement = Import(import_fiches, correspondance, simulation, avancement)
    issues = traitement.traiter(lignes)
    resultats = {r: 0 for r in ResultatLigne.values} | dict(Counter(i.resultat for i in issues))
    resultats["conflits"] = sum(len(i.conflits) for i in issues)
    resultats.update(traitement.extra)
    return _terminer(import_fiches, issues, resultats, simulation)


class Import:
    def __init__(self, import_fiches: ImportFiches, correspondance: Correspondance, simulation: bool,
                 avancement: Callable[[str, int], None]):
        self.import_fiches = import_fiches
        self.correspondance = correspondance
        self.source = correspondance.source
        self.simulation = simulation
        self.avancement = avancement
        codes = list(import_fiches.departements.values_list("code", flat=True)) if import_fiches.pk else []
        self.departements = set(codes) or None
        self.maintenant = timezone.now()
        self.extra: dict[str, int] = {}

    def traiter(self, lignes) -> list[Issue]:
        communes = ResolveurCommunes()
        issues, gardees = self._lire(lignes, communes)
        self._rapprocher(gardees)
        self._geocoder(issues, communes)
        for issue in issues:
            if issue.existante is not None:
                # A fiche whose address changed: compared once its new position is known.
                comparer_champs(issue)
                issue.existante = None
        if not self.simulation:
            self._ecrire(issues)
            self._signaler_absentes(issues)
        return issues

    # Reading and merging rows --------------------------------------------------------------------
    def _lire(self, lignes, communes) -> tuple[list[Issue], list[Issue]]:
        issues: list[Issue] = []
        premieres: dict[tuple, Issue] = {}
        for index, ligne in enumerate(lignes, start=1):
            try:
                fiche = lire_ligne(ligne, self.correspondance, communes, self.departements)
            except Rejet as rejet:
                nom = ligne.valeurs.get(self.correspondance.champs.get("nom", ""), "")
                issues.append(Issue(ligne.numero, ResultatLigne.REJETEE, motif=str(rejet), nom=nom[:200]))
            else:
                if ligne.colonnes_en_trop:
                    fiche.avertissements.append(f"{len(ligne.colonnes_en_trop)} cellule(s) au-delà des colonnes nommées : ignorées.")
                issues.append(self._dedoublonner(fiche, premieres))
            if index % PROGRESSION_TOUS_LES == 0:
                self.avancement("lecture", index)
        self.avancement("lecture", len(issues))
        gardees = [i for i in issues if i.resultat == ResultatLigne.CREEE]
        return issues, gardees

    @staticmethod
    def _dedoublonner(fiche: FicheLue, premieres: dict[tuple, Issue]) -> Issue:
        cles = fiche.cles()
        premiere = next((premieres[c] for c in cles if c in premieres), None)
        if premiere is None:
            issue = Issue(fiche.numero, ResultatLigne.CREEE, fiche=fiche)
            for cle in cles:
                premieres[cle] = issue
            return issue
        # Its values fill the blanks of the row kept (several rows often describe one MAM).
        for nom, valeur in fiche.valeurs.items():
            if valeur not in ("", None) and premiere.fiche.valeurs.get(nom) in ("", None):
                premiere.fiche.valeurs[nom] = valeur
        if premiere.fiche.point is None and fiche.point is not None:
            premiere.fiche.point = fiche.point
        for cle in cles:
            premieres.setdefault(cle, premiere)
        return Issue(fiche.numero, ResultatLigne.FUSIONNEE, fiche=fiche, motif=f"Doublon de la ligne {premiere.numero}.")

    # Matching existing fiches ---------------------------------------------------------------------
    def _rapprocher(self, gardees: list[Issue]) -> None:
        """Each kept row against the existing fiches, by batches of communes: the values of an existing fiche
        are held only while its batch is compared (100,000 of them at once would double the import's memory)."""
        deja: dict[int, Issue] = {}
        for lot in _lots_par_commune(gardees, LOT_RAPPROCHEMENT):
            existantes = self._existantes(lot)
            for issue in lot:
                existante = next((existantes[c] for c in issue.fiche.cles() if c in existantes), None)
                if existante is not None and self._premiere(issue, existante.pk, deja):
                    self._rattacher(issue, existante)

    @staticmethod
    def _premiere(issue: Issue, pk: int, deja: dict[int, Issue]) -> bool:
        """Two rows that match one fiche: the first of the file describes it, the other is its duplicate (batches
        go by commune, not in the file's order)."""
        autre = deja.get(pk)
        if autre is None or issue.numero < autre.numero:
            deja[pk] = issue
            if autre is not None:
                _doublon(autre, issue)
            return True
        _doublon(issue, autre)
        return False

    def _rattacher(self, issue: Issue, existante: "Existante") -> None:
        issue.structure_id = existante.pk
        if existante.source != self.source:
            issue.resultat = ResultatLigne.FUSIONNEE
            issue.motif = (f"Doublon de la fiche n° {existante.pk} ({existante.valeurs['nom']}), "
                           "déjà dans l'annuaire : elle reste telle quelle.")
            return
        issue.resultat = ResultatLigne.INCHANGEE
        issue.existante = existante
        fiche = issue.fiche
        if fiche.point is None and _adresse_inchangee(existante, fiche):
            # The address the fiche was placed by has not changed: no new call to the BAN.
            fiche.point = (existante.valeurs["lon"], existante.valeurs["lat"])
            fiche.position_approximative = existante.position_approximative
        if fiche.point is not None:
            comparer_champs(issue)
            issue.existante = None

    def _existantes(self, lot: list[Issue]) -> dict[tuple, Existante]:
        """Existing fiches by each key a row of the batch may match: (identifier of this source), SIRET,
        name+address. The fiches of the batch's communes first; then only the identifiers and SIRETs they did
        not hold (a fiche that moved commune), so a fiche is read once."""
        fiches = [i.fiche for i in lot]
        index: dict[tuple, Existante] = {}
        self._lire_existantes(index, "commune_id", {f.commune.code_insee for f in fiches})
        self._lire_existantes(index, "identifiant_source", {
            f.identifiant for f in fiches if f.identifiant and ("identifiant", f.identifiant) not in index})
        self._lire_existantes(index, "siret", {
            f.valeurs["siret"] for f in fiches if f.valeurs["siret"] and ("siret", f.valeurs["siret"]) not in index})
        return index

    def _lire_existantes(self, index: dict[tuple, Existante], champ: str, valeurs: set[str]) -> None:
        colonnes = ["pk", "source", "identifiant_source", "valeurs_importees", "position_approximative", "lon", "lat",
                    "organisme__nom", *[c for c in CHAMPS_IMPORTES if c not in ("commune", "organisme", "point")],
                    "commune_id"]
        structures = Structure.objects.filter(fermee_le__isnull=True)
        if champ == "identifiant_source":
            structures = structures.filter(source=self.source)
        vues = {e.pk for e in index.values()}
        valeurs_triees = sorted(valeurs)
        for debut in range(0, len(valeurs_triees), 500):
            morceau = valeurs_triees[debut:debut + 500]
            for ligne in structures.filter(**{f"{champ}__in": morceau}).values(*colonnes).order_by("pk"):
                if ligne["pk"] in vues:
                    continue
                vues.add(ligne["pk"])
                existante = _existante(ligne)
                if ligne["source"] == self.source and ligne["identifiant_source"]:
                    index.setdefault(("identifiant", ligne["identifiant_source"]), existante)
                if ligne["siret"]:
                    index.setdefault(("siret", ligne["siret"]), existante)
                index.setdefault(cle_nom_adresse(ligne["nom"], ligne["adresse"], ligne["commune_id"]), existante)

    # Positions -------------------------------------------------------------------------------------
    def _geocoder(self, issues: list[Issue], communes: ResolveurCommunes) -> None:
        a_geocoder = [i for i in issues if i.resultat in (ResultatLigne.CREEE, ResultatLigne.INCHANGEE)
                      and i.fiche.point is None]
        self.extra["a_geocoder"] = len(a_geocoder)
        if self.simulation:
            for issue in a_geocoder:
                issue.fiche.avertissements.append("Adresse à géocoder lors de l'import.")
            return
        requetes = [(_adresse_ban(i.fiche), i.fiche.commune.code_insee, communes.codes_geocodage(i.fiche.commune))
                    for i in a_geocoder]
        for issue, resultat in zip(a_geocoder, geocodage.geocoder(requetes), strict=True):
            fiche = issue.fiche
            if resultat is None and fiche.commune.centre is None:
                issue.resultat, issue.motif = ResultatLigne.REJETEE, "Adresse introuvable, et la commune n'a pas de position."
                continue
            if resultat is None:
                fiche.point = fiche.commune.centre
                fiche.position_approximative = True
                fiche.avertissements.append(APPROXIMATIVE)
            else:
                fiche.point = (resultat.lon, resultat.lat)
                fiche.geocodage_score, fiche.geocodage_type = resultat.score, resultat.type
            try:
                verifier_position(fiche)
            except Rejet as rejet:
                issue.resultat, issue.motif = ResultatLigne.REJETEE, str(rejet)
        self.avancement("geocodage", len(a_geocoder))

    # Writing -----------------------------------------------------------------------------------------
    def _ecrire(self, issues: list[Issue]) -> None:
        organismes = self._organismes(issues)
        a_ecrire = [i for i in issues if i.resultat in (ResultatLigne.CREEE, ResultatLigne.MISE_A_JOUR)]
        for debut in range(0, len(a_ecrire), LOT_ECRITURE):
            lot = a_ecrire[debut:debut + LOT_ECRITURE]
            try:
                with transaction.atomic():
                    self._ecrire_lot(lot, organismes)
            except (IntegrityError, DatabaseError):
                # One row the database refuses must not take its batch with it: each row on its own.
                for issue in lot:
                    try:
                        with transaction.atomic():
                            self._ecrire_lot([issue], organismes)
                    except (IntegrityError, DatabaseError) as error:
                        issue.resultat = ResultatLigne.REJETEE
                        issue.motif = f"Enregistrement refusé par la base : {str(error)[:200]}"
                        issue.structure_id = None
            # In rows of the file whose outcome is settled: the bar reaches its end with the last batch.
            self.avancement("ecriture", len(issues) - len(a_ecrire) + min(debut + LOT_ECRITURE, len(a_ecrire)))
        vues = [i.structure_id for i in issues if i.structure_id and i.resultat in (
            ResultatLigne.CREEE, ResultatLigne.MISE_A_JOUR, ResultatLigne.INCHANGEE)]
        for debut in range(0, len(vues), LOT_ECRITURE):
            Structure.objects.filter(pk__in=vues[debut:debut + LOT_ECRITURE]).update(
                vue_dans_source_le=self.maintenant, absente_de_la_source_le=None)

    def _organismes(self, issues: list[Issue]) -> dict[str, int]:
        noms = {i.fiche.valeurs["organisme"] for i in issues if i.fiche and i.fiche.valeurs.get("organisme")}
        if not noms:
            return {}
        voulus = {normalize(n): n for n in noms}
        connus = {}
        for pk, nom in Organisme.objects.values_list("pk", "nom").order_by("pk"):
            connus.setdefault(normalize(nom), pk)
        nouveaux = [Organisme(nom=nom) for cle, nom in sorted(voulus.items()) if cle not in connus]
        for organisme in bulk_create_with_history(nouveaux, Organisme, batch_size=LOT_ECRITURE,
                                                  default_change_reason=self._raison()):
            connus[normalize(organisme.nom)] = organisme.pk
        return connus

    def _ecrire_lot(self, lot: list[Issue], organismes: dict[str, int]) -> None:
        nouvelles = []
        for issue in lot:
            if issue.resultat == ResultatLigne.CREEE:
                nouvelles.append((issue, self._nouvelle(issue.fiche, organismes)))
            else:
                self._mettre_a_jour(issue, organismes)
        if nouvelles:
            pks = inserer([s for _, s in nouvelles])
            for (issue, _), pk in zip(nouvelles, pks, strict=True):
                issue.structure_id = pk
            historiser_creations(pks, raison=self._raison(), le=self.maintenant)

    def _nouvelle(self, fiche: FicheLue, organismes: dict[str, int]) -> Structure:
        valeurs = {k: v for k, v in fiche.valeurs.items() if k != "organisme"}
        lon, lat = fiche.point
        return Structure(
            **valeurs, organisme_id=organismes.get(normalize(fiche.valeurs["organisme"])) if fiche.valeurs["organisme"] else None,
            point=Point(lon, lat, srid=4326), lon=lon, lat=lat, departement_id=fiche.commune.departement_id,
            source=self.source, identifiant_source=fiche.identifiant,
            importee_le=self.maintenant, vue_dans_source_le=self.maintenant, position_approximative=fiche.position_approximative,
            geocodage_score=fiche.geocodage_score, geocodage_type=fiche.geocodage_type, valeurs_importees=_json(fiche),
        )

    def _mettre_a_jour(self, issue: Issue, organismes: dict[str, int]) -> None:
        if not issue.changements:
            return
        structure = Structure.objects.select_for_update().get(pk=issue.structure_id)
        for nom in issue.changements:
            valeur = issue.fiche.valeurs.get(nom)
            if nom == "point":
                structure.point = Point(*issue.fiche.point, srid=4326)
                structure.position_approximative = issue.fiche.position_approximative
                structure.geocodage_score, structure.geocodage_type = issue.fiche.geocodage_score, issue.fiche.geocodage_type
            elif nom == "organisme":
                structure.organisme_id = organismes.get(normalize(valeur)) if valeur else None
            else:
                setattr(structure, nom, valeur)
        structure.valeurs_importees = {**structure.valeurs_importees, **_json(issue.fiche)}
        structure._change_reason = self._raison()
        structure.save()

    def _signaler_absentes(self, issues: list[Issue]) -> None:
        if not self.import_fiches.complet:
            return
        vues = {i.structure_id for i in issues if i.structure_id}
        absentes = Structure.objects.filter(source=self.source, fermee_le__isnull=True, absente_de_la_source_le__isnull=True)
        if self.departements is not None:
            absentes = absentes.filter(commune__departement__in=self.departements)
        pks = [pk for pk in absentes.values_list("pk", flat=True) if pk not in vues]
        for debut in range(0, len(pks), LOT_ECRITURE):
            Structure.objects.filter(pk__in=pks[debut:debut + LOT_ECRITURE]).update(absente_de_la_source_le=self.maintenant)
        self.extra["absentes"] = len(pks)

    def _raison(self) -> str:
        return f"Import {self.source} ({self.import_fiches.fichier_nom})"[:100]


def _colonnes_d_insertion() -> list[tuple[str, Callable]]:
    """Each column of a new fiche with the one conversion its value needs, decided once: Django's bulk_create
    decides it for every value of every row (two thirds of an import's time). The point comes last."""
    ops = connection.ops
    colonnes = []
    for champ in Structure._meta.concrete_fields:
        if champ.primary_key or champ.name == "point":
            continue
        interne = champ.get_internal_type()
        if interne == "JSONField":
            convertir = json.dumps
        elif interne == "DateTimeField":
            convertir = ops.adapt_datetimefield_value
        elif interne == "DateField":
            convertir = ops.adapt_datefield_value
        else:
            convertir = None
        colonnes.append((champ.attname, champ.column, convertir))
    return colonnes


def inserer(structures: list[Structure]) -> list[int]:
    """New fiches in one INSERT … RETURNING per batch (SQLite 3.35+, PostgreSQL); their auto fields (`cree_le`,
    `modifie_le`) and lon/lat are set here as save() would."""
    qn = connection.ops.quote_name
    colonnes = _colonnes_d_insertion()
    maintenant = timezone.now()
    point = ("MakePoint(%s, %s, 4326)" if connection.vendor == "sqlite"
             else "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography")
    ligne = "(" + ", ".join(["%s"] * len(colonnes) + [point]) + ")"
    entete = (f"INSERT INTO {qn(Structure._meta.db_table)} ({', '.join(qn(c) for _, c, _ in colonnes)}, {qn('point')}) "
              "VALUES ")
    pks = []
    lot = max(1, 30000 // (len(colonnes) + 2))  # SQLite allows 32,766 parameters a statement
    with connection.cursor() as cursor:
        for debut in range(0, len(structures), lot):
            params = []
            morceau = structures[debut:debut + lot]
            for structure in morceau:
                structure.cree_le = structure.modifie_le = maintenant
                structure.lon, structure.lat = structure.point.x, structure.point.y
                for attname, _, convertir in colonnes:
                    valeur = getattr(structure, attname)
                    params.append(convertir(valeur) if convertir and valeur is not None else valeur)
                params += [structure.lon, structure.lat]
            if connection.vendor == "postgresql":
                # One statement a row, sent together (psycopg's pipeline): PostgreSQL plans a 250-row VALUES
                # statement far slower than it runs 250 prepared one-row inserts.
                largeur = len(colonnes) + 2
                brut = cursor.cursor
                brut.executemany(entete + ligne + f" RETURNING {qn('id')}",
                                 [params[i:i + largeur] for i in range(0, len(params), largeur)], returning=True)
                while True:
                    pks.append(brut.fetchone()[0])
                    if not brut.nextset():
                        break
            else:
                cursor.execute(entete + ", ".join([ligne] * len(morceau)) + f" RETURNING {qn('id')}", params)
                # SQLite returns the ids of a multi-row insert in the order of its rows.
                pks += [pk for (pk,) in cursor.fetchall()]
    for structure, pk in zip(structures, pks, strict=True):
        structure.pk = pk
    return pks


def historiser_creations(pks: list[int], *, raison: str, le) -> None:
    """The history's "created" entry of each new fiche, copied from its row by one statement: what
    bulk_create_with_history writes, without building 500 historical objects in Python (half the time of
    an import of 100,000 rows)."""
    historique = Structure.history.model
    qn = connection.ops.quote_name
    colonnes = ", ".join(qn(f.column) for f in historique._meta.concrete_fields if not f.name.startswith("history_"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(historique._meta.db_table)} ({colonnes}, history_date, history_type, history_change_reason) "
            f"SELECT {colonnes}, %s, '+', %s FROM {qn(Structure._meta.db_table)} "
            f"WHERE {qn(Structure._meta.pk.column)} IN ({', '.join(['%s'] * len(pks))})",
            [connection.ops.adapt_datetimefield_value(le), raison, *pks],
        )


def comparer_champs(issue: Issue) -> None:
    """For a row of an existing fiche of this source: the fields to write, and the conflicts (a field a person
    changed since the previous import keeps its value)."""
    existante = issue.existante
    nouvelles = _json(issue.fiche)
    for nom, nouvelle in nouvelles.items():
        actuelle = existante.valeurs.get(nom)
        if nouvelle == actuelle:
            continue
        importee = existante.valeurs_importees.get(nom, actuelle)
        if nouvelle in ("", None) and importee in ("", None):
            continue  # the source never had it; a person added it
        if actuelle != importee:
            issue.conflits.append(f"{LIBELLES[nom]} : la fiche a été modifiée depuis le dernier import "
                                  f"(« {_texte(actuelle)} »), la source dit « {_texte(nouvelle)} » : non repris.")
            continue
        issue.changements[nom] = nouvelle
    if issue.changements:
        issue.resultat = ResultatLigne.MISE_A_JOUR
        issue.motif = "Modifié : " + ", ".join(LIBELLES[n] for n in issue.changements) + "."


def _lots_par_commune(issues: list[Issue], taille: int):
    """The rows in batches of about `taille`, a commune never split (its fiches are read once)."""
    lot: list[Issue] = []
    commune = None
    for issue in sorted(issues, key=lambda i: (i.fiche.commune.code_insee, i.numero)):
        if len(lot) >= taille and issue.fiche.commune.code_insee != commune:
            yield lot
            lot = []
        lot.append(issue)
        commune = issue.fiche.commune.code_insee
    if lot:
        yield lot


def _doublon(issue: Issue, premiere: Issue) -> None:
    issue.resultat, issue.motif = ResultatLigne.FUSIONNEE, f"Doublon de la ligne {premiere.numero}."
    issue.structure_id, issue.existante = None, None
    issue.changements, issue.conflits = {}, []


def _existante(ligne: dict) -> Existante:
    valeurs = {c: ligne[c] for c in CHAMPS_IMPORTES if c in ligne}
    valeurs["commune"] = ligne["commune_id"]
    valeurs["organisme"] = ligne["organisme__nom"] or ""
    valeurs["point"] = [round(ligne["lon"], 6), round(ligne["lat"], 6)]
    valeurs["lon"], valeurs["lat"] = ligne["lon"], ligne["lat"]
    return Existante(ligne["pk"], ligne["source"], valeurs, ligne["valeurs_importees"] or {}, ligne["position_approximative"])


def _json(fiche: FicheLue) -> dict:
    """The row's values as the fiche stores what was imported (JSON): the commune by code, the point rounded."""
    valeurs = {nom: fiche.valeurs.get(nom) for nom in CHAMPS_IMPORTES if nom not in ("commune", "point")}
    valeurs["commune"] = fiche.commune.code_insee
    if fiche.point is not None:
        valeurs["point"] = [round(fiche.point[0], 6), round(fiche.point[1], 6)]
    return valeurs


def _adresse_inchangee(existante: Existante, fiche: FicheLue) -> bool:
    return all(existante.valeurs_importees.get(nom) == valeur for nom, valeur in (
        ("adresse", fiche.valeurs["adresse"]), ("commune", fiche.commune.code_insee)))


def _adresse_ban(fiche: FicheLue) -> str:
    return f"{fiche.valeurs['adresse']} {fiche.valeurs['code_postal']} {fiche.commune.nom}"[:200]


def _texte(valeur) -> str:
    if isinstance(valeur, list):
        return ", ".join(f"{v:.5f}" for v in valeur)
    return "" if valeur is None else str(valeur)[:80]


def _statut(import_fiches: ImportFiches, statut: str, *, termine: bool = False) -> None:
    import_fiches.statut = statut
    fields = ["statut", "erreur"]
    if termine:
        import_fiches.termine_le = timezone.now()
        fields.append("termine_le")
    import_fiches.save(update_fields=fields)


def _avancement(import_fiches: ImportFiches, progression) -> Callable[[str, int], None]:
    def avancer(etape: str, lignes: int) -> None:
        # An update of its own (autocommit): the back office's progress bar reads it while the import runs.
        ImportFiches.objects.filter(pk=import_fiches.pk).update(etape=etape, lignes_lues=lignes)
        if progression:
            progression(etape, lignes, import_fiches.lignes_total or 0)
    return avancer


def _terminer(import_fiches: ImportFiches, issues: list[Issue], resultats: dict, simulation: bool) -> dict:
    issues.sort(key=lambda i: i.numero)
    with transaction.atomic():
        import_fiches.lignes.all().delete()
        # By batches: 100,000 report lines are never all built at once.
        for debut in range(0, len(issues), 2000):
            LigneImport.objects.bulk_create([
                LigneImport(
                    import_fiches=import_fiches, ligne=i.numero, resultat=i.resultat,
                    structure_id=i.structure_id if not simulation or i.resultat != ResultatLigne.CREEE else None,
                    nom=(i.fiche.valeurs["nom"] if i.fiche else i.nom)[:200], motif=i.motif,
                    avertissements="\n".join(i.avertissements), conflits="\n".join(i.conflits),
                )
                for i in issues[debut:debut + 2000]
            ])
        import_fiches.resultats = resultats
        # Every row settled (the progress was written by updates of their own, not on this instance).
        import_fiches.lignes_lues, import_fiches.etape = import_fiches.lignes_total or 0, ""
        import_fiches.statut = StatutImport.SIMULEE if simulation else StatutImport.TERMINEE
        import_fiches.termine_le = timezone.now()
        if not simulation:
            # The file is no longer needed: the fiches and the report hold what it said.
            import_fiches.contenu = b""
        import_fiches.save()
    return resultats

