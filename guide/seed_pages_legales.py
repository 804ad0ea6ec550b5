"""The first texts of the legal pages, written for this project from what it collects and keeps
(demandes/models.py and purge.py, habilitations/purge.py, the search's session, the fiches).
CNAF editors take them over in the back office; the publisher's own facts are {codes} filled in
« Informations de l'éditeur », and what the code cannot know reads « [à compléter par l'éditeur : …] »."""

from datetime import date

# The day these texts were last checked (the accessibility declaration's own date): « Mis à jour le … ».
REVUE_PAGES_LEGALES = date(2026, 12, 1)

MENTIONS_LEGALES = {
    "titre": "Mentions légales",
    "chapo": "Qui publie ce site, qui l'héberge, d'où viennent ses informations.",
    "corps": """## Éditeur

{editeur}

**Directeur ou directrice de la publication** : {directeur_publication}

## Hébergement

{hebergeur}

## Objet du site

monenfant présente les modes d'accueil du jeune enfant (crèches, assistants maternels, relais petite
enfance, lieux d'accueil enfants-parents, accueils de loisirs, lieux d'information), estime ce que
coûtera une crèche et transmet les demandes d'information des familles aux lieux d'information de leur
commune. Le site est gratuit et ne demande aucun compte aux familles.

## D'où viennent les informations

- **Les fiches** des établissements et des professionnels sont saisies par les agents des CAF, par les
  gestionnaires des structures et par les assistants maternels eux-mêmes, depuis leur espace
  professionnel. Les places disponibles sont déclarées par les gestionnaires : appelez la structure
  pour les confirmer.
- **Les communes** : Insee, Code officiel géographique (Licence Ouverte 2.0).
- **Les positions des communes et les codes postaux** : La Poste, base officielle des codes postaux.
- **Les adresses** tapées dans la recherche sont localisées par la Base Adresse Nationale
  (api-adresse.data.gouv.fr).
- **Le barème des participations familiales** du simulateur est celui de la Caisse nationale des
  allocations familiales ; le résultat est une estimation, seule la structure fixe le tarif.

## Responsabilité

L'éditeur veille à l'exactitude des informations publiées mais ne peut garantir qu'elles soient
complètes ou à jour à tout moment. Si une fiche vous semble inexacte, signalez-le au lieu
d'information de votre commune ou à la CAF de votre département.

Les liens vers d'autres sites (caf.fr, service-public.fr…) sont donnés pour information : l'éditeur
n'est pas responsable de leur contenu.

## Cookies

Le site ne dépose aucun cookie de mesure d'audience ni de publicité. Il utilise seulement les cookies
nécessaires à son fonctionnement, qui ne demandent pas votre accord : le cookie de session (l'adresse
de votre recherche, le formulaire de demande en cours, la connexion des professionnels) et le cookie
de protection des formulaires. Ils disparaissent quand vous fermez votre navigateur.
Les statistiques de fréquentation du site sont des compteurs anonymes, sans cookie.

## Propriété intellectuelle et design

Le site utilise le Système de design de l'État (DSFR) et la police Marianne, réservés aux sites de
l'État et des organismes publics. [à compléter par l'éditeur : licence des contenus et du code source du site]

## Pour en savoir plus

- [Données personnelles](/donnees-personnelles/)
- [Accessibilité](/accessibilite/)
- [Plan du site](/plan-du-site/)
""",
}

# The family's need on the search page (structures.besoin) and the alerts it may save (familles): written
# once, in the seed and in what a migration adds after the BAN's line of an existing page.
ANCRE_BAN = "  (api-adresse.data.gouv.fr), un service public, qui ne la garde pas pour le site.\n"
BESOIN_ET_ALERTES = """- **Votre besoin d'accueil**, si vous le décrivez (l'âge de l'enfant, le début, les jours et les heures, et
  pour estimer le coût vos ressources et le nombre d'enfants à charge), reste de même dans la session de
  votre navigateur : jamais dans l'adresse de la page, jamais dans la base de données. Il disparaît avec la
  session, ou dès que vous cliquez sur « Ne plus classer selon mon besoin ».

## Être prévenu quand une place se libère

- **Ce qui est recueilli** : votre adresse électronique, votre besoin d'accueil sans vos ressources, la
  commune et la distance de votre recherche.
- **Pourquoi** : vous écrire, au plus une fois par jour, quand une place qui vous convient est annoncée près
  de chez vous. Rien n'est envoyé avant que vous ayez confirmé votre adresse avec le lien reçu.
- **Combien de temps** : sans confirmation dans les 7 jours, tout est effacé. Sinon l'alerte est effacée au
  bout de 6 mois, ou aussitôt que vous l'arrêtez avec le lien de chaque courriel, avec les courriels écrits à
  son sujet. Le nombre d'alertes envoyées est compté par département, sans personne.
"""

DONNEES_PERSONNELLES = {
    "titre": "Données personnelles",
    "chapo": "Ce que chaque formulaire du site recueille, pourquoi, combien de temps, qui le lit, "
             "et comment exercer vos droits.",
    "corps": """## Responsable du traitement

{editeur}

**Délégué ou déléguée à la protection des données** : {contact_dpo}

Les données sont traitées selon le règlement général sur la protection des données (RGPD) et la loi
Informatique et Libertés. Elles ne sont ni vendues, ni utilisées pour de la publicité, ni transmises
hors des personnes citées ici. Lieu d'hébergement : [à compléter par l'éditeur : pays où les données sont hébergées].

## Chercher un mode d'accueil

- **Ce qui est recueilli** : la commune et, si vous la donnez, votre adresse, pour trier les résultats
  par distance.
- **Où elle est gardée** : l'adresse reste dans la session de votre navigateur, jamais dans la base
  de données du site. Elle disparaît quand vous fermez le navigateur, au plus tard après 4 heures, ou
  dès que vous cliquez sur « Ne plus utiliser cette adresse ».
- **Qui la lit** : pour la localiser, elle est envoyée à la Base Adresse Nationale
  (api-adresse.data.gouv.fr), un service public, qui ne la garde pas pour le site.
""" + BESOIN_ET_ALERTES + """
## Estimer le coût d'une crèche

Les ressources et le nombre d'enfants que vous tapez servent au calcul et ne sont pas enregistrés.

## Demander une information

- **Ce qui est recueilli** : votre commune ; si vous êtes parent ou futur parent ; si vous êtes
  allocataire et, si vous le voulez, votre numéro d'allocataire ; votre situation (facultative) ; la
  date de naissance, ou la date prévue, de chaque enfant ; le mode d'accueil souhaité, la date, les
  jours et horaires, et, si vous les cochez, des horaires atypiques ou un enfant en situation de
  handicap ; vos nom, prénom, adresse électronique, téléphone (facultatif), le moyen et le moment
  préférés pour vous joindre ; votre message ; la date de votre accord.
- **Pourquoi** : transmettre votre demande au lieu d'information de votre commune, qui vous recontacte
  pour vous aider à trouver un mode d'accueil. L'information « handicap » sert seulement à mieux vous
  orienter ; elle est facultative.
- **Sur quelle base** : votre consentement, donné en cochant la case avant l'envoi.
- **Qui la lit** : seules les personnes habilitées des lieux d'information qui desservent votre
  commune, dans un département où la CAF a ouvert ce service. Aucun autre lieu d'information, ni
  aucune autre CAF, ne peut la lire. La CAF de votre département suit seulement la date et l'état de la
  demande (nouvelle, traitée), jamais son contenu. Chaque ouverture et chaque export de votre demande
  par un professionnel sont enregistrés.
- **Combien de temps** : **6 mois** après l'envoi, la demande est détruite, avec ses enfants, son
  journal des accès et les courriels envoyés à son sujet. Il ne reste que des comptes anonymes (par
  mois, commune, lieu d'information, mode d'accueil souhaité, tranche d'âge de l'enfant…), sans nom ni
  coordonnées, pour connaître les besoins des familles. Les courriels qui vous ont été écrits à son sujet
  sont détruits avec elle. Les sauvegardes de la base sont gardées **30 jours** et les journaux techniques
  des serveurs **14 jours** : passé 6 mois et 30 jours, plus rien de votre demande n'existe nulle part.
- **Le PDF de votre demande** ne peut être téléchargé que depuis le navigateur qui l'a envoyée.
- **Suivre ou retirer votre demande** : le courriel de confirmation contient un lien personnel, sans
  compte ni mot de passe, vers une page qui montre l'état de votre demande (sa date d'envoi, si elle a été
  lue, quand et par quel lieu d'information, le délai annoncé), sans vos coordonnées. Depuis cette page,
  vous pouvez retirer votre demande : elle est détruite aussitôt, avec ses enfants, son journal des accès
  et les courriels envoyés à son sujet, et le lieu d'information en est prévenu. Ce lien disparaît avec la
  demande (retirée, ou détruite après 6 mois). Ne le transmettez à personne : qui l'a peut voir l'état de
  la demande et la retirer.

## Les professionnels

### Demande d'habilitation d'un lieu d'information

- **Ce qui est recueilli** : l'organisme (nom, SIRET, adresse), la personne qui fait la demande (nom,
  adresse électronique, téléphone) et les personnes à habiliter (prénom, nom, adresse électronique,
  fonction).
- **Pourquoi** : instruire la demande, établir la convention et ses avenants, créer les comptes des
  personnes habilitées.
- **Qui la lit** : les agents de la CAF du département et la Caisse nationale des allocations familiales.
- **Combien de temps** : une demande refusée est détruite 6 mois après le refus ; une demande restée
  sans convention signée (non traitée, ou convention envoyée sans retour) est détruite 90 jours puis
  6 mois après sa dernière étape, soit environ 9 mois. Une convention validée est gardée
  [à compléter par l'éditeur : durée de conservation des conventions validées et des comptes des personnes habilitées].

### Comptes professionnels et journal des connexions

- **Ce qui est recueilli** : nom, prénom, adresse électronique, rôle et structures ; le mot de passe,
  enregistré sous une forme qui ne permet pas de le relire (ni la CAF ni l'éditeur ne le connaissent) ;
  la double authentification ; le journal des connexions et des échecs de connexion (date, adresse IP,
  navigateur).
- **Pourquoi** : donner accès à l'espace professionnel et protéger les données des familles.
- **Qui la lit** : la CAF du département de la structure et la Caisse nationale des allocations familiales.
- **Combien de temps** : les nombres de connexions, d'échecs, de demandes ouvertes et exportées de chaque
  personne, par mois, sont gardés **12 mois** (le contrôle des connexions de la CAF). [à compléter par
  l'éditeur : durée de conservation des comptes après leur désactivation et du journal des connexions].

### Fiches des structures et des assistants maternels

Les fiches des établissements sont publiques. La fiche d'un assistant maternel n'est publiée qu'avec
son consentement, qu'il peut retirer à tout moment depuis son espace : sa fiche disparaît alors de la
recherche.

## Cookies

Seuls des cookies nécessaires au fonctionnement du site sont utilisés (session et protection des
formulaires), sans mesure d'audience ni publicité. Voir les [mentions légales](/mentions-legales/).

## Vos droits et comment les exercer

Vous pouvez demander à **accéder** à vos données, à les **rectifier**, à les **effacer**, à en
**limiter** l'usage, et **retirer votre consentement** à tout moment (ce qui ne remet pas en cause ce
qui a été fait avant).

- **Familles** : pour effacer votre demande, retirez-la depuis le lien de suivi de votre courriel de
  confirmation. Pour tout autre droit, écrivez au délégué à la protection des données ({contact_dpo})
  en donnant la référence de votre demande (elle commence par DI-), ou au lieu d'information qui vous a
  répondu.
- **Professionnels** : corrigez vos informations et celles de vos fiches depuis votre espace
  professionnel, ou demandez-le à la CAF de votre département ; pour tout autre droit, écrivez au
  délégué à la protection des données.
- **Assistants maternels** : retirez votre consentement à la publication depuis votre espace.

Une réponse vous est apportée dans un délai d'un mois.

## Réclamation auprès de la CNIL

Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez
adresser une réclamation à la Commission nationale de l'informatique et des libertés (CNIL) :
[en ligne sur cnil.fr](https://www.cnil.fr/fr/plaintes) ou par courrier à CNIL, 3 place de Fontenoy,
TSA 80715, 75334 Paris Cedex 07.
""",
}

ACCESSIBILITE = {
    "titre": "Déclaration d'accessibilité",
    "chapo": "Le site est partiellement conforme au référentiel général d'amélioration de "
             "l'accessibilité (RGAA) version 4.1.",
    "corps": """{editeur} s'engage à rendre ses sites internet accessibles conformément à l'article 47 de
la loi n° 2005-102 du 11 février 2005.

Schéma pluriannuel de mise en accessibilité et plan d'action de l'année :
[à compléter par l'éditeur : liens vers le schéma pluriannuel et le plan d'action].

Cette déclaration d'accessibilité s'applique au site monenfant :
[à compléter par l'éditeur : adresse du site en production].

## État de conformité

Le site est **partiellement conforme** avec le RGAA version 4.1, en raison des non-conformités et des
dérogations énumérées ci-dessous.

## Résultats des tests

Aucun audit complet des critères du RGAA n'a encore été réalisé ; le taux de conformité n'est donc pas
calculé. [à compléter par l'éditeur : date, auteur et taux de conformité de l'audit].

L'état déclaré repose sur :

- **des tests automatiques** : à chaque version, la suite de tests ouvre dans un vrai navigateur, sur
  ordinateur et sur téléphone, chaque page publique (dont chaque étape du formulaire de demande et la
  page d'erreur), chaque page de l'espace professionnel et chaque page de l'espace d'administration
  (listes, formulaires d'ajout et de modification, tableaux de bord), et y lance l'outil axe-core sur
  les règles WCAG 2 de niveaux A et AA ; une erreur grave ou critique fait échouer la version ;
- **l'usage des composants du Système de design de l'État (DSFR)**, conçus pour respecter le RGAA,
  pour toutes les pages publiques et l'espace professionnel ;
- **des vérifications manuelles** : [à compléter par l'éditeur : vérifications manuelles réalisées, au clavier et avec un lecteur d'écran].

## Contenus non accessibles

### Non-conformités

- **L'espace d'administration** (/administration/), réservé aux agents des CAF et de la Caisse nationale
  des allocations familiales, est testé automatiquement mais n'a pas été vérifié manuellement : il est
  construit avec l'interface d'administration de Django et non avec le DSFR.
- **Les conventions et avenants** en PDF envoyés aux lieux d'information ne sont pas des PDF balisés.
  Le PDF de la demande d'information remis aux familles est, lui, un PDF balisé avec un titre et la
  langue indiqués.
- **Le contenu des pages du guide et des fiches** est écrit par des rédacteurs ; ses titres, listes et
  liens n'ont pas été tous vérifiés.

### Dérogations pour charge disproportionnée

Aucune.

### Contenus non soumis à l'obligation d'accessibilité

- **La carte** des résultats de recherche et celle des fiches : toute l'information qu'elles donnent
  (nom, adresse, distance, places disponibles) est aussi présentée dans la liste des résultats et sur
  la fiche, accessibles au clavier et aux lecteurs d'écran.

## Établissement de cette déclaration

Cette déclaration a été établie le 1er décembre 2026.

- **Technologies utilisées** : HTML5, CSS, JavaScript, Système de design de l'État (DSFR).
- **Environnement des tests automatiques** : navigateur Chromium, sur un écran d'ordinateur et un écran
  de téléphone, avec axe-core.

## Retour d'information et contact

Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez-nous pour être orienté vers
une alternative accessible ou obtenir le contenu sous une autre forme : {contact_accessibilite}

## Voies de recours

Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un
service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des
droits :

- par le [formulaire en ligne](https://formulaire.defenseurdesdroits.fr/) ;
- en contactant le [délégué du Défenseur des droits de votre région](https://www.defenseurdesdroits.fr/carte-des-delegues) ;
- par téléphone au 09 69 39 00 00 ;
- par courrier, gratuitement, sans mettre de timbre : Défenseur des droits, Libre réponse 71120,
  75342 Paris Cedex 07.
""",
}

PAGES_LEGALES = {
    "mentions-legales": MENTIONS_LEGALES,
    "donnees-personnelles": DONNEES_PERSONNELLES,
    "accessibilite": ACCESSIBILITE,
}


def seed_pages_legales(apps, using: str = "default") -> None:
    """The three legal pages and the publisher's row, once, with the fields the model has at this point of
    the migrations: an edited text is never overwritten, and running it twice changes nothing."""
    PageLegale = apps.get_model("guide", "PageLegale")  # noqa: N806
    known = {field.name for field in PageLegale._meta.concrete_fields}
    for type_, fields in PAGES_LEGALES.items():
        defaults = {k: v for k, v in {**fields, "revue_le": REVUE_PAGES_LEGALES}.items() if k in known}
        PageLegale.objects.using(using).get_or_create(type=type_, defaults=defaults)
    apps.get_model("guide", "InformationsEditeur").objects.using(using).get_or_create(pk=1)


# Texts as an earlier version of the seed wrote them, and what replaces them: a migration updates a page
# only where its text is still the seeded one (an editor's text is never touched).
REMPLACEMENTS_DONNEES_PERSONNELLES = [
    ("  coordonnées, pour connaître les besoins des familles.\n",
     "  coordonnées, pour connaître les besoins des familles. Les courriels qui vous ont été écrits à son sujet\n"
     "  sont détruits avec elle. Les sauvegardes de la base sont gardées **30 jours** et les journaux techniques\n"
     "  des serveurs **14 jours** : passé 6 mois et 30 jours, plus rien de votre demande n'existe nulle part.\n"),
    ("- **Combien de temps** : [à compléter par l'éditeur : durée de conservation des comptes après leur "
     "désactivation et du journal des connexions].\n",
     "- **Combien de temps** : les nombres de connexions, d'échecs, de demandes ouvertes et exportées de chaque\n"
     "  personne, par mois, sont gardés **12 mois** (le contrôle des connexions de la CAF). [à compléter par\n"
     "  l'éditeur : durée de conservation des comptes après leur désactivation et du journal des connexions].\n"),
]

# The family's follow-up link (demandes.views.suivi), from which it may withdraw its demande.
_PDF = "- **Le PDF de votre demande** ne peut être téléchargé que depuis le navigateur qui l'a envoyée.\n"
REMPLACEMENTS_SUIVI_DEMANDE = [
    (_PDF,
     _PDF + "- **Suivre ou retirer votre demande** : le courriel de confirmation contient un lien personnel, sans\n"
     "  compte ni mot de passe, vers une page qui montre l'état de votre demande (sa date d'envoi, si elle a été\n"
     "  lue, quand et par quel lieu d'information, le délai annoncé), sans vos coordonnées. Depuis cette page,\n"
     "  vous pouvez retirer votre demande : elle est détruite aussitôt, avec ses enfants, son journal des accès\n"
     "  et les courriels envoyés à son sujet, et le lieu d'information en est prévenu. Ce lien disparaît avec la\n"
     "  demande (retirée, ou détruite après 6 mois). Ne le transmettez à personne : qui l'a peut voir l'état de\n"
     "  la demande et la retirer.\n"),
    ("- **Familles** : écrivez au délégué à la protection des données ({contact_dpo}) en donnant la\n"
     "  référence de votre demande (elle commence par DI-), ou au lieu d'information qui vous a répondu.\n",
     "- **Familles** : pour effacer votre demande, retirez-la depuis le lien de suivi de votre courriel de\n"
     "  confirmation. Pour tout autre droit, écrivez au délégué à la protection des données ({contact_dpo})\n"
     "  en donnant la référence de votre demande (elle commence par DI-), ou au lieu d'information qui vous a\n"
     "  répondu.\n"),
]

REMPLACEMENTS_BESOIN_ET_ALERTES = [(ANCRE_BAN, ANCRE_BAN + BESOIN_ET_ALERTES)]


def remplacer_le_texte_d_origine(apps, schema_editor, remplacements, type_de_page: str = "donnees-personnelles"):
    """A data migration's step: each (old, new) of `remplacements` applied to the page where its text is still the
    seeded one — once only (the old text may be the start of the new one); an editor's text is never touched."""
    PageLegale = apps.get_model("guide", "PageLegale")  # noqa: N806
    for page in PageLegale.objects.using(schema_editor.connection.alias).filter(type=type_de_page):
        corps = page.corps
        for old, new in remplacements:
            if new not in corps:
                corps = corps.replace(old, new)
        if corps != page.corps:
            page.corps = corps
            page.save(update_fields=["corps"])
