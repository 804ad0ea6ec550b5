"""The public API described in OpenAPI 3.1, written by hand: served at /api/openapi.json and read by the page
/api/. `monenfant/tests/test_openapi.py` sends each operation's examples to the real views and validates
every answer against the schema of its status (properties not described fail), so the text cannot drift
from the code.

No app is imported here (monenfant only wires them): codes are repeated, and the test compares them with
the apps' enums."""

RUBRIQUES = ["EAJE", "MAM", "RPE", "LAEP", "ALSH", "ASSMAT", "LINF"]
TYPES_ACCUEIL = ["collectif", "familial", "parental", "micro_creche", "multi_accueil", "halte_garderie",
                 "jardin_enfants", "personnel"]


def _ref(nom: str) -> dict:
    return {"$ref": f"#/components/schemas/{nom}"}


def _nullable(type_: str, **autres) -> dict:
    return {"type": [type_, "null"], **autres}


def _param(nom: str, description: str, schema: dict, *, requis: bool = False, dans: str = "query") -> dict:
    return {"name": nom, "in": dans, "required": requis, "description": description, "schema": schema}


def _erreur(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Erreur")}}}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OUI = {"type": "string", "enum": ["1", "true", "on", "oui", "yes"]}
FILTRES = [
    _param("rubrique", "Une ou plusieurs rubriques séparées par des virgules, sans casse ; RAM vaut RPE.",
           {"type": "string", "examples": ["EAJE", "eaje,mam"]}),
    _param("age_mois", "Âge de l'enfant en mois : les structures qui l'accueillent.",
           {"type": "integer", "minimum": 0, "maximum": 216}),
    _param("places_disponibles", "Places disponibles maintenant : les structures qui déclarent une place libre "
           "aujourd'hui. Une place annoncée pour plus tard (`disponible_a_partir_du` à venir) ne compte pas.", OUI),
    _param("accueil_handicap", "Accueil adapté aux enfants en situation de handicap.", OUI),
    _param("horaires_atypiques", "Accueil en horaires atypiques.", OUI),
    _param("ouvert_samedi", "Ouvert le samedi : selon les horaires d'ouverture ; un assistant maternel, selon les "
           "demi-journées de travail qu'il déclare (`creneaux_travailles`).", OUI),
    _param("avip", "Labellisées AVIP (à vocation d'insertion professionnelle) ce jour.", OUI),
]
# The family's need of a search ranked by fit (structures.besoin.besoin_depuis reads the same names).
BESOIN_DE_GARDE = [
    _param("age_enfant", "Avec `tri=adequation` : âge de l'enfant aujourd'hui, en mois (ou `naissance`).",
           {"type": "integer", "minimum": 0, "maximum": 216}),
    _param("naissance", "Date de naissance de l'enfant, ou date prévue (AAAA-MM-JJ).", {"type": "string", "format": "date"}),
    _param("debut", "Date de début de l'accueil (AAAA-MM-JJ).", {"type": "string", "format": "date"}),
    _param("jours", "Jours d'accueil, séparés par des virgules : 1 (lundi) à 7, ou leurs noms.",
           {"type": "string", "examples": ["1,2,3,4,5", "lundi,mardi"]}),
    _param("heure_debut", "Heure d'arrivée (HH:MM).", {"type": "string", "examples": ["08:00"]}),
    _param("heure_fin", "Heure de départ (HH:MM).", {"type": "string", "examples": ["18:00"]}),
]
BESOIN = [
    _param("date", "Date de l'accueil (AAAA-MM-JJ), depuis le 1er janvier 2019 ; aujourd'hui par défaut.",
           {"type": "string", "format": "date"}),
    _param("ressources_mensuelles", "Ressources du foyer par mois, en euros (ressources annuelles N-2 ÷ 12).",
           {"type": "number"}, requis=True),
    _param("enfants_a_charge", "Enfants à charge, 1 à 20.", {"type": "integer", "minimum": 1, "maximum": 20}, requis=True),
    _param("enfants_aeeh", "Parmi eux, enfants bénéficiaires de l'AEEH ; 0 par défaut.", {"type": "integer", "minimum": 0}),
    _param("heures_par_semaine", "Heures d'accueil par semaine, jusqu'à 60.", {"type": "number"}, requis=True),
    _param("semaines_par_an", "Semaines d'accueil par an, 1 à 52 ; 47 par défaut.", {"type": "number"}),
    _param("mois_factures", "Mois facturés par an, 1 à 12 ; 12 par défaut.", {"type": "integer", "minimum": 1, "maximum": 12}),
]
BAREME = {
    "type": "object", "additionalProperties": False,
    "required": ["libelle", "debut", "fin", "plancher", "plafond", "source", "valeurs_non_publiees"],
    "properties": {
        "libelle": {"type": "string"}, "debut": {"type": "string", "format": "date"},
        "fin": _nullable("string", format="date"), "plancher": {"type": "number"}, "plafond": {"type": "number"},
        "source": {"type": "string"},
        "valeurs_non_publiees": {"type": "array", "items": {"type": "string"},
                                 "description": "Valeurs non trouvées publiées : déduites ou rappelées."},
        "cout_horaire_reference": {"type": "number"}, "plafond_horaire": {"type": "number"},
        "sources": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["parametre", "libelle", "publication", "publiee_le", "adresse", "officiel", "remarque"],
            "properties": {"parametre": {"type": "string"}, "libelle": {"type": "string"},
                           "publication": {"type": "string"}, "publiee_le": _nullable("string", format="date"),
                           "adresse": _nullable("string"), "officiel": {"type": "boolean"},
                           "remarque": {"type": "string"}}}},
        "a_confirmer": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["parametre", "libelle", "raison"],
            "properties": {"parametre": {"type": "string"}, "libelle": {"type": "string"},
                           "raison": {"type": "string"}}}},
    },
}
PROPRIETES = {
    "id": {"type": "integer", "description": "Identifiant de la fiche (stable)."},
    "nom": {"type": "string"},
    "rubrique": {"type": "string", "enum": RUBRIQUES},
    "rubrique_libelle": {"type": "string", "examples": ["Crèche et autre accueil collectif (EAJE)"]},
    "commune": {"type": "string"},
    "code_insee": {"type": "string", "pattern": "^[0-9][0-9AB][0-9]{3}$"},
    "adresse": {"type": "string", "description": "Adresse complète : voie, code postal, commune."},
    "distance_km": _nullable("number", description="Distance au point de la recherche ; null sans point."),
    "places_disponibles": _nullable("integer"),
    "places_mises_a_jour_le": _nullable("string", format="date-time"),
    "disponible_a_partir_du": _nullable("string", format="date",
                                        description="Assistant maternel : date à partir de laquelle sa place est libre ; "
                                                    "tant qu'elle est à venir, il n'a pas de place maintenant."),
    "avip": {"type": "boolean", "description": "Labellisée AVIP ce jour."},
    "avip_places": _nullable("integer"),
    "url": {"type": "string", "description": "Chemin de la fiche sur le site.", "examples": ["/structures/12/"]},
    "adequation": {"type": "integer", "minimum": 0, "maximum": 3,
                   "description": "Avec `tri=adequation` seulement : 1 point pour l'âge accepté, 1 pour les jours et "
                                  "heures couverts (un assistant maternel : ses demi-journées où il a une place), 1 "
                                  "pour une place au début de l'accueil déclarée depuis moins de trois mois (une "
                                  "crèche qui donne ses places par âge : dans la tranche de l'enfant)."},
}
# Every property of a result but the fit, which a ranked search only gives.
TOUJOURS = [p for p in PROPRIETES if p != "adequation"]
JOUR = {"type": "string", "enum": ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]}
DETAILS = {
    "type_accueil": _nullable("string", enum=[*TYPES_ACCUEIL, None]),
    "type_accueil_libelle": _nullable("string"),
    "financement_psu": {"type": "boolean", "description": "EAJE au tarif du barème de la CNAF (PSU)."},
    "organisme": _nullable("string", description="Organisme gestionnaire."),
    "complement_adresse": _nullable("string"),
    "code_postal": {"type": "string"},
    "telephone": _nullable("string"),
    "courriel": _nullable("string"),
    "site_web": _nullable("string"),
    "presentation": _nullable("string"),
    "age_min_mois": _nullable("integer"),
    "age_max_mois": _nullable("integer"),
    "capacite": _nullable("integer"),
    "accueil_handicap": {"type": "boolean"},
    "horaires_atypiques": {"type": "boolean"},
    "horaires": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["jour", "ouverture", "fermeture"],
        "properties": {"jour": JOUR, "ouverture": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
                       "fermeture": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}}}},
    "position_approximative": {"type": "boolean", "description": "Position au centre de la commune."},
    "disponibilite_mise_a_jour_le": _nullable("string", format="date-time"),
    "creneaux_travailles": {"type": "array", "description": "Assistant maternel : demi-journées où il travaille.",
                            "items": {"type": "object", "additionalProperties": False, "required": ["jour", "demi_journee"],
                                      "properties": {"jour": JOUR,
                                                     "demi_journee": {"type": "string", "enum": ["matin", "après-midi"]}}}},
    "creneaux_disponibles": {"type": "array", "description": "Assistant maternel : demi-journées où une place est libre.",
                             "items": {"type": "object", "additionalProperties": False, "required": ["jour", "demi_journee"],
                                       "properties": {"jour": JOUR,
                                                      "demi_journee": {"type": "string", "enum": ["matin", "après-midi"]}}}},
    "mam": _nullable("integer", description="Assistant maternel : la maison d'assistants maternels où il travaille."),
    "assistants_maternels": {"type": "array", "items": {"type": "integer"},
                             "description": "MAM : les assistants maternels qui y travaillent (ceux qui ont consenti)."},
}
POINT = {"type": "object", "additionalProperties": False, "required": ["type", "coordinates"],
         "properties": {"type": {"const": "Point"},
                        "coordinates": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}],
                                        "minItems": 2, "maxItems": 2, "description": "[longitude, latitude] en WGS 84"}}}


def _feature(proprietes: dict, requises: list[str]) -> dict:
    return {"type": "object", "additionalProperties": False, "required": ["type", "geometry", "properties"],
            "properties": {"type": {"const": "Feature"}, "geometry": POINT,
                           "properties": {"type": "object", "additionalProperties": False, "required": requises,
                                          "properties": proprietes}}}


def description() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API de monenfant",
            "version": "1.0",
            "summary": "L'annuaire des modes d'accueil du jeune enfant et le simulateur du coût d'une crèche.",
            "description": (
                "API publique, sans clé, en lecture seule. Les réponses sont en JSON (UTF-8) ; toute erreur de "
                "paramètre répond 400 avec `{\"erreur\": \"…\"}` en français. Les assistants maternels n'y "
                "figurent qu'avec leur consentement, et en disparaissent dès qu'ils le retirent. Les fichiers "
                "complets de l'annuaire (sans les assistants maternels) sont sur /donnees/."),
            "license": {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/structures/": {"get": {
                "operationId": "structures",
                "summary": "Chercher des structures autour d'un point, ou lister celles d'un département",
                "description": (
                    "Avec `commune` ou `lat` et `lon` : les structures dans le rayon, de la plus proche à la plus "
                    "lointaine (à distance égale, par identifiant). Avec `departement` seul : toutes les structures "
                    "du département, par identifiant. Les réponses sont paginées : tant qu'il en reste, la "
                    "collection porte `suivant`, l'adresse de la page suivante (mêmes paramètres, un `curseur`) ; "
                    "elle en est dépourvue sur la dernière page."),
                "parameters": [
                    _param("departement", "Code du département (43, 2A, 974) : ses structures seulement.",
                           {"type": "string", "examples": ["43"]}),
                    _param("commune", "Code INSEE de la commune d'origine de la recherche.",
                           {"type": "string", "examples": ["43157"]}),
                    _param("lat", "Latitude du point d'origine (degrés décimaux, en France).", {"type": "number"}),
                    _param("lon", "Longitude du point d'origine.", {"type": "number"}),
                    _param("rayon_km", "Rayon autour du point, 10 km par défaut.",
                           {"type": "number", "exclusiveMinimum": 0, "maximum": 50}),
                    *FILTRES,
                    _param("limite", "Structures par page, 50 par défaut.", {"type": "integer", "minimum": 1, "maximum": 200}),
                    _param("curseur", "Jeton de la page suivante : ne le construisez pas, suivez `suivant`.",
                           {"type": "string"}),
                    _param("tri", "`distance` (par défaut) : les plus proches d'abord. `adequation` : autour d'une "
                           "commune ou d'un point, les structures qui conviennent le mieux au besoin décrit par les "
                           "paramètres suivants, puis les plus proches ; chaque structure porte alors `adequation`.",
                           {"type": "string", "enum": ["distance", "adequation"]}),
                    *BESOIN_DE_GARDE,
                ],
                "responses": {"200": _json("Une page de structures (GeoJSON).", _ref("Structures")),
                              "400": _erreur("Paramètre manquant ou invalide.")},
                "x-exemples": {"200": ["?departement=43", "?departement=43&limite=2", "?commune=43157&rubrique=eaje",
                                       "?lat=45.04&lon=3.88&rayon_km=20&limite=3", "?departement=43&rubrique=MAM",
                                       "?commune=43157&tri=adequation&age_enfant=4&debut=2027-03-01&jours=1,2,3,4,5"
                                       "&heure_debut=08:00&heure_fin=18:00&limite=3"],
                               "400": ["", "?departement=999", "?commune=99999", "?departement=43&curseur=abc",
                                       "?departement=43&limite=0", "?lat=10&lon=200",
                                       "?commune=43157&tri=adequation", "?departement=43&tri=adequation&age_enfant=4"
                                       "&debut=2027-03-01&jours=1&heure_debut=08:00&heure_fin=18:00"]},
            }},
            "/api/structures/{id}/": {"get": {
                "operationId": "structure",
                "summary": "Une fiche publique, avec ce que montre sa page",
                "parameters": [_param("id", "Identifiant de la fiche.", {"type": "integer"}, requis=True, dans="path")],
                "responses": {"200": _json("La fiche (GeoJSON).", _ref("Fiche")),
                              "404": _erreur("Fiche inexistante ou non publique (un assistant maternel sans consentement).")},
            }},
            "/api/communes/": {"get": {
                "operationId": "communes",
                "summary": "Trouver une commune par son nom ou son code postal",
                "parameters": [_param("q", "Deux caractères au moins du nom ou du code postal.", {"type": "string"},
                                      requis=True)],
                "responses": {"200": _json("Jusqu'à 10 communes, les plus peuplées d'abord.", _ref("Communes")),
                              "400": _erreur("Texte trop court.")},
                "x-exemples": {"200": ["?q=puy", "?q=43000"], "400": ["", "?q=a"]},
            }},
            "/api/simulateur/creche/": {"get": {
                "operationId": "simulateur_creche",
                "summary": "La participation d'une famille dans une crèche financée par la PSU",
                "parameters": [*BESOIN, _param("type_accueil", "Type de crèche.",
                                               {"type": "string", "enum": ["collectif", "familial", "parental", "micro_creche"]},
                                               requis=True)],
                "responses": {"200": _json("Le calcul et ses explications.", _ref("SimulationCreche")),
                              "400": _erreur("Paramètre manquant ou invalide (`parametre` le nomme).")},
                "x-exemples": {
                    "200": ["?ressources_mensuelles=2950&enfants_a_charge=2&heures_par_semaine=40&type_accueil=collectif"],
                    "400": ["?enfants_a_charge=2", "?ressources_mensuelles=abc&enfants_a_charge=2&heures_par_semaine=40"
                            "&type_accueil=collectif"]},
            }},
            "/api/simulateur/assistant-maternel/": {"get": {
                "operationId": "simulateur_assistant_maternel",
                "summary": "Le CMG et le reste à payer pour un assistant maternel employé directement",
                "parameters": [
                    *BESOIN,
                    _param("salaire_horaire", "Salaire horaire net en euros, jusqu'à 30.", {"type": "number"}, requis=True),
                    _param("jours_par_semaine", "Jours d'accueil par semaine, 1 à 7 ; 5 par défaut.",
                           {"type": "integer", "minimum": 1, "maximum": 7}),
                    _param("indemnite_entretien", "Indemnité d'entretien par jour, 0 à 50 € ; l'usuelle par défaut.",
                           {"type": "number"}),
                    _param("prix_repas", "Prix d'un repas, 0 à 30 € ; l'usuel par défaut.", {"type": "number"}),
                    _param("repas_par_jour", "Repas donnés par jour, 0 à 4 ; 1 par défaut.", {"type": "integer"}),
                ],
                "responses": {"200": _json("Le calcul et ses explications.", _ref("SimulationAssistantMaternel")),
                              "400": _erreur("Paramètre manquant ou invalide (`parametre` le nomme).")},
                "x-exemples": {
                    "200": ["?date=2025-10-01&ressources_mensuelles=3000&enfants_a_charge=1&heures_par_semaine=30"
                            "&semaines_par_an=50&salaire_horaire=4.85&indemnite_entretien=0&prix_repas=0"],
                    "400": ["?date=2025-10-01&ressources_mensuelles=3000&enfants_a_charge=1&heures_par_semaine=30"]},
            }},
        },
        "components": {"schemas": {
            "Erreur": {"type": "object", "additionalProperties": False, "required": ["erreur"],
                       "properties": {"erreur": {"type": "string", "description": "Le message, en français."},
                                      "parametre": _nullable("string", description="Simulateur : le paramètre en cause.")}},
            "Structure": _feature(PROPRIETES, TOUJOURS),
            "Fiche": _feature({**PROPRIETES, **DETAILS}, [*TOUJOURS, *[n for n in DETAILS if n not in (
                "creneaux_travailles", "creneaux_disponibles", "mam", "assistants_maternels")]]),
            "Structures": {
                "type": "object", "additionalProperties": False, "required": ["type", "features"],
                "properties": {"type": {"const": "FeatureCollection"},
                               "features": {"type": "array", "items": _ref("Structure")},
                               "suivant": {"type": "string", "format": "uri",
                                           "description": "Adresse de la page suivante ; absente sur la dernière."}}},
            "Communes": {"type": "object", "additionalProperties": False, "required": ["communes"], "properties": {
                "communes": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["code_insee", "nom", "codes_postaux", "departement", "libelle", "lat", "lon"],
                    "properties": {"code_insee": {"type": "string"}, "nom": {"type": "string"},
                                   "codes_postaux": {"type": "array", "items": {"type": "string"}},
                                   "departement": {"type": "string"}, "libelle": {"type": "string"},
                                   "lat": {"type": "number"}, "lon": {"type": "number"}}}}}},
            "SimulationCreche": {
                "type": "object", "additionalProperties": False,
                "required": ["date", "ressources_declarees", "ressources_retenues", "taux_effort", "tarif_horaire",
                             "heures_mensuelles", "participation_mensuelle", "explications", "bareme"],
                "properties": {
                    "date": {"type": "string", "format": "date"}, "ressources_declarees": {"type": "number"},
                    "ressources_retenues": {"type": "number", "description": "Entre le plancher et le plafond."},
                    "taux_effort": {"type": "number", "description": "Pourcentage des ressources par heure."},
                    "tarif_horaire": {"type": "number"}, "heures_mensuelles": {"type": "number"},
                    "participation_mensuelle": {"type": "number"},
                    "explications": {"type": "array", "items": {"type": "string"}}, "bareme": BAREME}},
            "SimulationAssistantMaternel": {
                "type": "object", "additionalProperties": False,
                "required": ["date", "ressources_declarees", "ressources_retenues", "taux_effort", "heures_mensuelles",
                             "jours_mensuels", "indemnite_entretien", "prix_repas", "cout_mensuel",
                             "cout_pris_en_compte", "cmg", "reste_a_charge", "explications", "bareme"],
                "properties": {
                    "date": {"type": "string", "format": "date"}, "ressources_declarees": {"type": "number"},
                    "ressources_retenues": {"type": "number"}, "taux_effort": {"type": "number"},
                    "heures_mensuelles": {"type": "number"}, "jours_mensuels": {"type": "number"},
                    "indemnite_entretien": {"type": "number"}, "prix_repas": {"type": "number"},
                    "cout_mensuel": {"type": "object", "additionalProperties": False,
                                     "required": ["salaire", "indemnite_entretien", "repas", "total"],
                                     "properties": {n: {"type": "number"} for n in
                                                    ("salaire", "indemnite_entretien", "repas", "total")}},
                    "cout_pris_en_compte": {"type": "number", "description": "Après le plafond horaire."},
                    "cmg": {"type": "number"}, "reste_a_charge": {"type": "number"},
                    "explications": {"type": "array", "items": {"type": "string"}}, "bareme": BAREME}},
        }},
    }
