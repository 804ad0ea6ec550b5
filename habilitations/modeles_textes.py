"""Version 1 of the documents' templates (habilitations.modeles): the clauses of the annexes of the CNAF guide
(annexe 2, the CAF–CNAF contract; annexe 3, the convention; annexe 4, the avenant), reworded for this
service (activation link instead of a mailed password, second factor, the connection control page).

Seeded by a migration, and again by ModeleDocument.courant if a type has no version at all (an emptied
database). Never edited in place once deployed: a CNAF administrator writes a new version in the back office.
The markup is Markdown (## headings, - lists, **bold**); {name} placeholders are listed in modeles.VARIABLES.
"""

CONVENTION = """\
## Entre les parties

**{organisme}**, SIRET {siret}, dont le siège est situé {adresse}, représenté par {representant}, ci-après \
dénommé « le lieu d'information »,

d'une part,

et la **{caf}** (département {departement}), représentée par son directeur, ci-après dénommée « la CAF »,

d'autre part,

il est convenu ce qui suit.

## Préambule

La Caisse nationale des allocations familiales (CNAF) publie le site monenfant.fr pour que chaque famille \
trouve une information personnalisée sur les modes d'accueil, collectifs et individuels, près de son domicile \
ou de son lieu de travail. Les familles, allocataires ou non, qui attendent un enfant ou ont un enfant de moins \
de six ans peuvent en outre y adresser en ligne une demande d'information sur les modes d'accueil (crèche, \
assistant maternel, garde à domicile) à un lieu d'information que la CAF de leur territoire a habilité.

La présente convention fixe les conditions dans lesquelles le lieu d'information rejoint ce service et les \
engagements réciproques des parties. La CAF la conclut en application du contrat qui la lie à la CNAF pour ce \
service.

## Article 1 — Objet de la convention

La CAF, autorisée par la CNAF, habilite informatiquement les personnes du lieu d'information nommées à \
l'annexe 2 à se connecter à l'espace professionnel de monenfant.fr pour y récupérer, aux formats PDF et XML, \
les demandes d'information que les familles adressent aux lieux d'information suivants : {lieux}, pour les \
seules communes listées à l'annexe 1.

Le lieu d'information traite les demandes qu'il reçoit et en assure le suivi ; il en est seul responsable.

Les engagements des parties sont exécutés à titre gratuit, à des fins exclusivement institutionnelles et \
jamais commerciales.

## Article 2 — Confidentialité et protection des données personnelles

Les parties se doivent mutuellement conseil, information et recommandation pendant toute la durée de la \
convention.

Pour exécuter la convention, les parties traitent des données à caractère personnel. Elles respectent le \
règlement général sur la protection des données (RGPD) et la loi n° 78-17 du 6 janvier 1978 relative à \
l'informatique, aux fichiers et aux libertés. Le lieu d'information est responsable des données qu'il \
récupère et des traitements qu'il en fait.

Ces données servent uniquement à répondre aux demandes d'information mises à la disposition du lieu \
d'information et à le mettre en relation avec la famille qui l'a sollicité. Elles ne font l'objet d'aucune \
exploitation commerciale ou publicitaire.

Le lieu d'information est tenu au secret professionnel (article 226-13 du code pénal) et à une obligation de \
confidentialité et de discrétion sur tout ce qu'il apprend en exécutant la convention : faits, informations, \
documents, fichiers informatiques ou non, décisions. Il ne les communique à aucun tiers, ni par écrit ni \
oralement, sans l'accord de la CAF. En particulier, il s'engage à :

- n'utiliser les documents et fichiers qu'aux fins prévues par la présente convention ;
- n'en faire aucune copie ;
- ne les communiquer qu'aux personnes, physiques ou morales, qui ont qualité pour en connaître ;
- prendre les mesures de sécurité qui les protègent de toute altération, détérioration ou utilisation \
détournée ou frauduleuse ;
- reconstituer les documents et fichiers perdus ou rendus inutilisables par sa faute.

Il fait respecter ces obligations par son personnel et par toute personne qui agit pour son compte, \
notamment ses prestataires, avec lesquels il conclut un engagement de sécurité et de confidentialité qui \
reprend le présent article. La CAF peut à tout moment demander communication de cet engagement et procéder \
aux vérifications qu'elle juge utiles, auprès du lieu d'information comme de ses prestataires.

Un manquement à ces obligations peut entraîner la résiliation de la convention aux torts exclusifs du lieu \
d'information (article 9) et engager sa responsabilité pénale, notamment au titre de l'article 226-17 du code \
pénal. Ces obligations demeurent après la fin de la convention. Le lieu d'information tient la CAF informée \
de leur respect.

La CAF et la CNAF sont garantes du formulaire de demande, de l'enregistrement des demandes et de leur mise à \
disposition du lieu d'information ; elles ne répondent ni de l'instruction de la demande auprès de la famille \
ni des suites qui lui sont données.

Le lieu d'information dispose sur les données qui le concernent des droits d'information, d'accès, de \
rectification et d'effacement ; il les exerce par courrier au directeur de la CAF, en mentionnant le site \
monenfant.fr.

## Article 3 — Procédure d'habilitation informatique

Le lieu d'information a déposé sa demande d'habilitation sur monenfant.fr (référence {reference}) : ses \
coordonnées, la CAF et le ou les lieux d'information concernés, les communes et les personnes à habiliter. \
Il en a reçu un accusé de réception par courriel, et la CAF a vérifié et traité la demande.

La CAF active l'habilitation au retour de la présente convention signée. Chaque personne habilitée reçoit \
alors, à son adresse électronique, qui lui sert d'identifiant, un lien personnel à usage unique par lequel \
elle choisit elle-même son mot de passe ; elle protège en outre sa connexion par un second facteur \
d'authentification. La CAF ne connaît pas les mots de passe et ne les gère pas. Une personne qui a perdu son \
mot de passe en obtient un nouveau depuis la page de connexion de monenfant.fr.

Les habilitations sont nominatives : les personnes habilitées sont celles listées à l'annexe 2. Elles ne se \
modifient pas en ligne : tout changement est demandé expressément à la CAF et fait l'objet d'un avenant \
(article 10).

## Article 4 — Engagements du lieu d'information

Le lieu d'information s'engage à :

- ne remettre les accès qu'à ses agents ou salariés nommément habilités, et à veiller à ce qu'ils ne se les \
échangent pas : les identifiants sont personnels ;
- n'en donner l'usage à aucune autre personne, physique ou morale ;
- informer sans délai la CAF du départ ou du changement de mission d'une personne habilitée ;
- récupérer chaque demande dans un délai de {delai} calendaires à compter du courriel qui l'en avise ;
- traiter les demandes des familles et en assurer le suivi avec tout le soin nécessaire.

## Article 5 — Contrôle des connexions

La CAF met en œuvre un contrôle des connexions à l'espace professionnel pour vérifier le respect de la \
présente convention : pour chaque personne habilitée, elle suit notamment les connexions, les échecs de \
connexion et les demandes consultées et exportées.

## Article 6 — Conservation des données et attestation de destruction

Le lieu d'information ne conserve aucune donnée à caractère personnel reçue au titre de la présente \
convention plus de {duree_conservation} à compter de sa transmission ; monenfant.fr efface lui-même les \
demandes au terme de ce délai. Dans le mois qui suit, le lieu d'information remet à la CAF une attestation \
de destruction des données qu'il a récupérées (exports, impressions et copies), signée par une personne \
habilitée.

À la fin de la convention, quelle qu'en soit la cause, il ne garde aucune copie des documents et fichiers \
reçus et remet à la CAF une attestation de leur destruction, signée par une personne habilitée.

## Article 7 — Durée

La convention prend effet à la date de sa signature. Elle est conclue pour un an et se renouvelle ensuite \
d'année en année par tacite reconduction.

## Article 8 — Préavis

Chaque partie peut mettre fin à la convention à son échéance annuelle en le notifiant à l'autre partie par \
lettre recommandée avec avis de réception valant mise en demeure, reçue au moins trois mois avant cette \
échéance. Un préavis reçu moins de trois mois avant l'échéance vaut pour l'échéance suivante.

## Article 9 — Résiliation pour manquement

Si le lieu d'information n'exécute pas les stipulations de la présente convention, ou fait des données un \
usage abusif ou non autorisé, la CAF peut la résilier à tout moment, par lettre recommandée avec avis de \
réception valant notification. Cette résiliation ne prive pas la CAF des dommages et intérêts auxquels elle \
pourrait prétendre.

Quelle que soit la cause de la fin de la convention, les accès des personnes habilitées sont retirés, et les \
parties restent tenues des engagements pris auparavant jusqu'à leur terme.

## Article 10 — Modifications de la convention

Toute modification de la convention ou de ses annexes, notamment de la liste des personnes habilitées, ne \
prend effet qu'après la signature d'un avenant par la CAF et le lieu d'information.

Si une stipulation est jugée non valable ou inopposable par une juridiction ou un texte, elle est écartée sans \
que les autres en soient affectées, et les parties la remplacent par une stipulation valable. En cas de \
divergence entre un titre et le contenu d'une clause, le contenu prévaut.

## Article 11 — Responsabilité

Chaque partie répond des risques et des litiges nés de ses propres activités, des informations qu'elle \
échange et des obligations que la présente convention met à sa charge. La responsabilité de la CAF ou de la \
CNAF ne peut être recherchée en cas d'altération, de détérioration ou d'usage détourné ou frauduleux, par le \
lieu d'information, des données qui lui sont transmises.

## Article 12 — Règlement des litiges

Les parties cherchent d'abord à régler à l'amiable toute difficulté née de l'exécution de la présente \
convention. À défaut d'accord, le litige est porté devant le tribunal administratif territorialement \
compétent.

Fait en deux exemplaires originaux, à …………………, le …………………

## Annexe 1 — Communes concernées

{communes}

## Annexe 2 — Personnes habilitées

{personnes}
"""

AVENANT = """\
## Entre les parties

**{organisme}**, ci-après dénommé « le lieu d'information », et la **{caf}** (département {departement}), \
ci-après dénommée « la CAF », parties à la convention d'engagement de service et d'habilitation informatique \
{reference}, conviennent de ce qui suit.

## Objet de l'avenant

En application de la convention (articles 3 et 10), le présent avenant n° {numero} met à jour la liste des \
personnes que la CAF habilite informatiquement à se connecter à l'espace professionnel de monenfant.fr pour le \
compte du lieu d'information (annexe 2 de la convention).

## Personnes ajoutées

{ajoutees}

Ces personnes sont habilitées à la réception par la CAF du présent avenant signé : chacune reçoit alors un \
lien personnel pour choisir son mot de passe, que la CAF ne connaît pas.

## Personnes retirées

{retirees}

L'accès de ces personnes aux demandes des familles prend fin à la date du présent avenant.

## Autres stipulations

Les personnes ajoutées sont tenues, comme les autres personnes habilitées, des obligations de confidentialité, \
de protection et de destruction des données de la convention. Les autres stipulations de la convention \
demeurent inchangées.

Si les personnes habilitées changent à nouveau pendant la durée de la convention, le lieu d'information \
s'adresse à la CAF, qui établit un nouvel avenant.

Fait en deux exemplaires originaux, à …………………, le …………………
"""

CONTRAT = """\
## Entre les soussignés

La **Caisse nationale des allocations familiales**, 32 avenue de la Sibelle, 75014 Paris, représentée par son \
directeur ou par délégation de celui-ci, ci-après dénommée « la CNAF »,

d'une part,

et la **{caf}**, pour le département {departement}, représentée par son directeur, ci-après dénommée « la CAF »,

d'autre part,

il est convenu ce qui suit.

## Article 1 — Objet

Le présent contrat autorise la CAF à habiliter informatiquement des lieux d'information volontaires (relais \
petite enfance, points information famille, services petite enfance communaux, établissements d'accueil du \
jeune enfant…) à recevoir les demandes d'information sur les modes d'accueil que les familles déposent sur \
le site monenfant.fr.

Le contrat se compose du présent document et du modèle de convention d'engagement de service et \
d'habilitation informatique qui lui est annexé.

## Article 2 — Autorisation et habilitation des lieux d'information

La CNAF autorise la CAF à habiliter les lieux d'information de son département qui en font la demande à se \
connecter à l'espace professionnel de monenfant.fr pour y récupérer les demandes d'information des familles.

À cet effet, la CAF conclut avec chacun d'eux une convention conforme au modèle annexé, qui fixe notamment :

- les obligations des parties, en particulier en matière de sécurité, de confidentialité et de protection \
des données à caractère personnel ;
- la procédure d'habilitation informatique ;
- les personnes habilitées ;
- la ou les communes pour lesquelles l'habilitation est donnée.

Un lieu d'information habilité n'accède qu'aux demandes des communes fixées par sa convention. Les lieux \
d'information déposent leur demande d'habilitation depuis la partie publique de monenfant.fr.

## Article 3 — Engagements de la CAF

La CAF instruit les demandes d'habilitation, conclut les conventions et leurs avenants, suit le traitement \
des demandes par les lieux d'information habilités, contrôle leurs connexions et veille à la destruction des \
données personnelles des familles au plus tard {duree_conservation} après leur réception. Le service de \
demande d'information en ligne ne fonctionne dans le département que tant que le présent contrat est actif.

## Article 4 — Durée

Le présent contrat prend effet à sa signature ({signe_le}). Il est conclu pour un an et se renouvelle ensuite \
d'année en année par tacite reconduction.

## Article 5 — Résiliation

Chaque partie peut résilier le présent contrat par lettre recommandée avec avis de réception ; la résiliation \
prend effet un mois après la réception de cette lettre. Le contrat est résilié de plein droit si le site \
monenfant.fr ferme.

À la fin du contrat, les guichets de demande en ligne des lieux d'information du département ferment et les \
habilitations données en application du contrat prennent fin.

Fait à Paris, en deux exemplaires originaux, le …………………
"""

TEXTES = {"convention": CONVENTION, "avenant": AVENANT, "contrat": CONTRAT}
COMMENTAIRE = "Version initiale, d'après les annexes 2, 3 et 4 du guide de la CNAF."
