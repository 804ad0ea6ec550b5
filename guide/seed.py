"""The guide's first pages, written for this project; CNAF editors take them over in the back office.

Sources are named with the site where a parent can check them; facts are kept to what those sites
state in general terms (amounts and thresholds change: the pages send to the simulator and to caf.fr).

Each page carries the day its text was last checked against its sources (`revue_le`, shown « Mis à jour le … »).
`seed_pages` creates the pages that are not there yet: the migrations run it (`make run` migrates), and the
tests again when a flush emptied the table. An existing page, edited or not, is never touched."""

from datetime import date

SOURCES_COMMUNES = """- Caisse nationale des allocations familiales, caf.fr : <https://www.caf.fr>
- Service-Public.fr, rubrique Famille : <https://www.service-public.fr/particuliers/vosdroits/N19806>
- monenfant.fr, le site de la branche Famille : <https://monenfant.fr>"""

PAGES = [
    {
        "slug": "devenir-parent", "ordre": 1, "rubriques": "", "revue_le": date(2026, 12, 2),
        "titre": "Devenir parent",
        "chapo": "Déclarer la grossesse, connaître ses congés, penser tôt au mode d'accueil : les premières étapes.",
        "corps": """## Déclarer la grossesse

Déclarez votre grossesse avant la fin du 3e mois, à l'Assurance Maladie et à la CAF. Le médecin ou la
sage-femme qui fait le premier examen prénatal s'en occupe souvent en ligne. Cette déclaration ouvre
le suivi de la grossesse et, sous conditions de ressources, la prime à la naissance.

## Les congés

- **Congé de maternité** : 16 semaines pour un premier ou un deuxième enfant (plus pour un troisième
  enfant, des jumeaux ou des triplés).
- **Congé de paternité et d'accueil de l'enfant** : 25 jours, en plus des 3 jours du congé de naissance,
  pour le second parent.
- **Congé supplémentaire de naissance** : pour un enfant né ou adopté depuis le 1er janvier 2026, chaque
  parent peut ensuite prendre un ou deux mois de plus, indemnisés, en même temps que l'autre parent ou
  l'un après l'autre.
- **Congé parental d'éducation** : ensuite, pour s'arrêter ou réduire son temps de travail, avec,
  sous conditions, une prestation de la CAF.

## Penser tôt au mode d'accueil

Les places en crèche se demandent souvent pendant la grossesse. Regardez les modes d'accueil autour
de chez vous ou de votre travail, et notez les dates d'inscription de votre commune.

- [Trouver un mode d'accueil près de chez vous](/recherche/)
- [Estimer ce que coûtera une crèche](/simulateur/)
- [Poser une question au lieu d'information de votre commune](/demande-information/)
""",
    },
    {
        "slug": "choisir-un-mode-d-accueil", "ordre": 2, "rubriques": "EAJE,ASSMAT,MAM,RPE,LAEP,ALSH,LINF",
        "revue_le": date(2026, 12, 1),
        "titre": "Choisir un mode d'accueil",
        "chapo": "Crèche, assistant maternel, garde à domicile, lieux d'accueil et de conseil : ce que chacun propose.",
        "corps": """## Les crèches (établissements d'accueil du jeune enfant)

- **Crèche collective** : une équipe de professionnels accueille les enfants de quelques semaines à
  3 ou 4 ans, en accueil régulier ou occasionnel.
- **Crèche familiale** : l'enfant est gardé chez une assistante maternelle salariée de la crèche, et
  vient à la crèche pour des temps collectifs.
- **Crèche parentale** : gérée par une association de parents, qui participent à l'accueil avec des
  professionnels.
- **Micro-crèche** : 12 enfants au plus, souvent avec des horaires larges.

Quand la crèche est financée par la prestation de service unique (PSU), votre participation dépend
de vos ressources et du nombre d'enfants, selon un barème national. [Voir les crèches près de chez vous](/recherche/?rubrique=EAJE)

## Les assistants maternels

Un assistant maternel est agréé par le département pour accueillir, chez lui, jusqu'à quatre enfants.
Vous êtes son employeur. Plusieurs assistants maternels peuvent travailler ensemble dans une
**maison d'assistants maternels (MAM)** : vous employez alors l'un d'eux, comme à son domicile.
[Voir les assistants maternels près de chez vous](/recherche/?rubrique=ASSMAT) ou
[les maisons d'assistants maternels](/recherche/?rubrique=MAM)

## La garde à domicile

Une personne garde votre enfant chez vous. En **garde partagée**, deux familles emploient ensemble la
même personne, qui garde les enfants chez l'une puis chez l'autre.

## Pour être conseillé et rencontrer d'autres parents

- **Relais petite enfance** : un service gratuit qui informe les parents sur tous les modes d'accueil
  et accompagne les assistants maternels. [Voir les relais près de chez vous](/recherche/?rubrique=RPE)
- **Lieu d'accueil enfants-parents (LAEP)** : un espace pour jouer et parler avec d'autres parents et
  des accueillants, sans inscription, anonyme et gratuit. [Voir les LAEP près de chez vous](/recherche/?rubrique=LAEP)
- **Lieu d'information** : il répond à vos questions sur l'accueil de votre enfant, et reçoit vos
  demandes en ligne. [Poser ma question](/demande-information/)
- **Accueil de loisirs** : pour les enfants scolarisés, le mercredi et pendant les vacances.
  [Voir les accueils de loisirs près de chez vous](/recherche/?rubrique=ALSH)
""",
    },
    {
        "slug": "les-aides-et-le-cout", "ordre": 3, "rubriques": "", "revue_le": date(2026, 12, 2),
        "titre": "Les aides et le coût de l'accueil",
        "chapo": "Barème des crèches, complément de libre choix du mode de garde, crédit d'impôt : ce qui réduit la dépense.",
        "corps": """## En crèche financée par la PSU

Vous payez à l'heure, selon un taux d'effort appliqué à vos ressources, qui baisse avec le nombre
d'enfants à charge. Le tarif comprend les repas et les couches. [Estimer votre participation](/simulateur/)

## Avec un assistant maternel, une garde à domicile ou une micro-crèche hors PSU

La CAF verse le **complément de libre choix du mode de garde** (CMG), selon vos ressources, le nombre
d'enfants et le mode d'accueil, pour un enfant de moins de 6 ans, ou de moins de 12 ans si vous élevez
seul votre enfant et employez vous-même un assistant maternel ou une garde à domicile.

## Le crédit d'impôt

Les frais de garde d'un enfant de moins de 6 ans hors du domicile (crèche, assistant maternel)
ouvrent droit à un crédit d'impôt de 50 % des sommes restées à votre charge, dans la limite d'un
plafond annuel par enfant. La garde à domicile relève d'un autre crédit d'impôt.

Le [simulateur](/simulateur/) compare ces situations pour votre famille.
""",
    },
    {
        "slug": "accueillir-un-enfant-en-situation-de-handicap", "ordre": 4, "rubriques": "",
        "revue_le": date(2026, 11, 29),
        "titre": "Accueillir un enfant en situation de handicap",
        "chapo": "Tous les modes d'accueil peuvent accueillir votre enfant ; des aides existent pour vous et pour eux.",
        "corps": """## Un accueil comme les autres enfants

Crèches et assistants maternels accueillent les enfants en situation de handicap ou atteints d'une
maladie chronique. Parlez-en dès le premier contact : un projet d'accueil peut être préparé avec le
médecin de l'enfant et la protection maternelle et infantile (PMI).

Dans la recherche, le filtre « accueil d'enfants en situation de handicap » montre les structures qui
l'indiquent. [Chercher avec ce filtre](/recherche/?accueil_handicap=1)

## Les aides

- L'**allocation d'éducation de l'enfant handicapé** (AEEH), demandée à la maison départementale des
  personnes handicapées (MDPH), est versée par la CAF.
- En crèche financée par la PSU, un enfant bénéficiaire de l'AEEH fait baisser votre participation,
  comme un enfant de plus à charge.
""",
        "sources": SOURCES_COMMUNES + "\n- Mon parcours handicap : <https://www.monparcourshandicap.gouv.fr>",
    },
    {
        "slug": "parents-en-recherche-d-emploi", "ordre": 5, "rubriques": "", "revue_le": date(2026, 11, 29),
        "titre": "Parents en recherche d'emploi ou en formation",
        "chapo": "Des crèches gardent des places pour les enfants de parents qui cherchent un emploi : le label AVIP.",
        "corps": """## Le label AVIP

Les crèches « à vocation d'insertion professionnelle » réservent au moins 20 % de leurs places aux
enfants de moins de 3 ans dont les parents cherchent un emploi ou suivent une formation. Elles
adaptent leurs horaires à vos démarches et travaillent avec votre conseiller emploi. Si vous trouvez
un emploi, la place de votre enfant est maintenue.

Sont prioritaires notamment les demandeurs d'emploi accompagnés, les bénéficiaires du RSA, les
parents seuls, les habitants des quartiers prioritaires et les jeunes parents sans diplôme.

[Voir les places AVIP près de chez vous](/recherche-d-emploi/)
""",
    },
    {
        "slug": "elever-son-enfant", "ordre": 6, "rubriques": "", "revue_le": date(2026, 11, 29),
        "titre": "Élever son enfant",
        "chapo": "Se sentir moins seul, trouver des réponses, souffler : des lieux et des services pour les parents.",
        "corps": """## Des lieux pour les parents

- Les **lieux d'accueil enfants-parents** (LAEP) accueillent les enfants de moins de 6 ans avec un
  parent, pour jouer et échanger, sans inscription. [Voir les LAEP près de chez vous](/recherche/?rubrique=LAEP)
- Les **relais petite enfance** proposent des temps d'éveil et répondent à vos questions sur l'accueil.
- La **protection maternelle et infantile** (PMI) de votre département suit la santé des jeunes enfants,
  gratuitement.

## Quand la famille traverse un moment difficile

La médiation familiale aide les parents qui se séparent à s'organiser pour leurs enfants ; la CAF
en finance une partie. Le lieu d'information de votre commune connaît les services près de chez vous.
[Poser ma question](/demande-information/)
""",
        "sources": SOURCES_COMMUNES + "\n- Les 1000 premiers jours : <https://www.1000-premiers-jours.fr>",
    },
]

# From school to adulthood (issue 21 §4: the 2019 report's "de l'annonce de la grossesse à la majorité").
SERVICE_PUBLIC = "https://www.service-public.fr/particuliers/vosdroits/"

PAGES += [
    {
        "slug": "enfants-de-6-a-11-ans", "ordre": 7, "rubriques": "", "revue_le": date(2026, 12, 2),
        "titre": "Les 6–11 ans : après l'école, le mercredi et les vacances",
        "chapo": "Accueil périscolaire, accueil de loisirs, aide aux devoirs, séjours de vacances : ce qui existe "
                 "pour les enfants de l'école élémentaire, et les aides pour le payer.",
        "corps": """## Avant et après la classe : l'accueil périscolaire

Le matin avant l'école, à la pause de midi et le soir après la classe, la plupart des communes proposent
un accueil périscolaire, souvent dans l'école ou tout près. Des animateurs encadrent les enfants : goûter,
jeux, activités, parfois un moment pour les devoirs. On s'inscrit auprès de la mairie ou de l'organisateur,
en général avant la rentrée.

Le prix dépend souvent de vos ressources (votre quotient familial) : la CAF finance une partie du
fonctionnement des accueils qui adaptent leurs tarifs aux revenus des familles.

## Le mercredi et pendant les vacances : les accueils de loisirs

Les accueils de loisirs (autrefois « centres de loisirs » ou « centres aérés ») reçoivent les enfants à la
journée ou à la demi-journée, le mercredi et pendant les vacances scolaires : sorties, sport, activités
artistiques, jeux. Comme tous les accueils collectifs de mineurs, ils sont déclarés au service de l'État
chargé de la jeunesse, qui contrôle l'encadrement et la sécurité.

[Voir les accueils de loisirs près de chez vous](/recherche/?rubrique=ALSH)

## L'aide aux devoirs

Les contrats locaux d'accompagnement à la scolarité (CLAS), que la CAF finance en partie, proposent aux
enfants, en dehors des heures de classe, de l'aide pour apprendre à s'organiser et des activités
culturelles. Les parents y sont associés. La mairie, le centre social ou l'école vous diront s'il en
existe un près de chez vous.

## Les vacances

- **Les séjours de vacances** (les « colonies ») accueillent les enfants pour plusieurs nuits, avec des
  animateurs formés. Ils sont déclarés, eux aussi, au service de l'État chargé de la jeunesse.
- **L'aide de la CAF** : beaucoup de CAF aident les familles à payer un séjour ou des vacances en famille,
  selon leur quotient familial, par exemple avec l'aide aux vacances des enfants, utilisable auprès des
  organismes labellisés par VACAF. Chaque CAF fixe ses conditions : elle vous informe de vos droits, souvent
  en début d'année, dans votre espace Mon Compte sur caf.fr.
- **L'aide de l'État pour les 11 ans** : certaines années, l'État aide à payer une colonie l'année des 11
  ans de l'enfant (le « Pass colo ») ; le site jeunes.gouv.fr indique si elle est ouverte et quels séjours
  l'acceptent.
- Votre commune, le comité social et économique (CSE) de votre employeur ou les chèques-vacances peuvent
  aussi réduire le prix.

## Faire garder son enfant après l'école

Si vous élevez seul votre enfant et employez vous-même un assistant maternel ou une garde à domicile, le
complément de libre choix du mode de garde (CMG) de la CAF peut vous aider jusqu'à ses 12 ans.

## Pour aller plus loin

- [Les aides de la CAF selon l'âge de l'enfant](/guide/les-aides-de-la-caf-selon-l-age-de-l-enfant/),
  dont l'allocation de rentrée scolaire
- [Le handicap de l'enfant, à tout âge](/guide/le-handicap-de-l-enfant-a-tout-age/) : l'accueil de
  loisirs et le périscolaire sont ouverts à tous les enfants
""",
        "sources": f"""- Caisse nationale des allocations familiales, caf.fr : <https://www.caf.fr>
- Ministère chargé de la jeunesse, jeunes.gouv.fr (accueils collectifs de mineurs, colonies de vacances) : <https://www.jeunes.gouv.fr>
- VACAF, les aides aux vacances des CAF : <https://www.vacaf.org>
- Service-Public.fr, allocation de rentrée scolaire : <{SERVICE_PUBLIC}F1878>
- monenfant.fr, le site de la branche Famille : <https://monenfant.fr>""",
    },
    {
        "slug": "l-adolescence", "ordre": 8, "rubriques": "", "revue_le": date(2026, 12, 2),
        "titre": "L'adolescence : des lieux, de l'écoute et des projets",
        "chapo": "Accueils de jeunes, points d'écoute, Promeneurs du Net, aides aux vacances et au BAFA : ce qui "
                 "existe pour les adolescents et pour leurs parents.",
        "corps": """## Des lieux pour se retrouver : les accueils de jeunes

Espaces jeunes, maisons des jeunes, foyers de jeunes : les accueils de jeunes reçoivent les adolescents,
en général à partir de 11 ou 12 ans, avec des animateurs. On y vient pour se retrouver, faire des
activités, partir en sortie ou monter un projet à plusieurs. Beaucoup sont soutenus par la CAF et la
commune. Pendant les vacances, les accueils de loisirs proposent souvent aussi des activités pour les
collégiens.

La mairie, le centre social ou le point Info Jeunes le plus proche connaissent les lieux près de chez vous.

## Parler à quelqu'un : les points accueil écoute jeunes

Un point accueil écoute jeunes (PAEJ) reçoit les jeunes de 12 à 25 ans qui traversent une difficulté :
mal-être, conflit avec la famille, décrochage scolaire, harcèlement, consommations. L'accueil est gratuit,
sans rendez-vous et confidentiel, et peut rester anonyme. Des professionnels écoutent, conseillent et, si
besoin, orientent vers un soin ou un accompagnement.

**Les parents** inquiets pour leur adolescent peuvent y être reçus aussi, seuls ou avec lui. Les maisons
des adolescents, présentes dans la plupart des départements, accueillent également les jeunes et leurs
parents.

Par téléphone, gratuitement et anonymement :

- **Fil Santé Jeunes**, pour toutes les questions de santé, d'amour, de sexualité ou de mal-être : 0 800 235 236 ;
- **3018**, pour le cyberharcèlement et les violences en ligne ;
- **119**, si un enfant ou un adolescent est en danger, de jour comme de nuit.

## Sur les réseaux sociaux : les Promeneurs du Net

Les Promeneurs du Net sont des animateurs, des éducateurs et d'autres professionnels de la jeunesse qui
sont présents sur les réseaux sociaux que fréquentent les jeunes, sous leur nom et celui de leur
structure. Ils répondent aux questions, informent, aident à réaliser un projet et repèrent les
situations difficiles. Ils ne surveillent pas : ils écoutent et accompagnent. Le réseau est soutenu par
les CAF. La carte des Promeneurs de chaque département est sur promeneursdunet.fr.

## Partir en vacances, monter un projet

- Les **séjours de vacances** et les **camps** pour adolescents sont déclarés au service de l'État chargé de
  la jeunesse, comme ceux des plus jeunes. Beaucoup de CAF aident à les payer selon votre quotient
  familial : votre CAF vous informe de vos droits dans votre espace Mon Compte.
- Des CAF, des communes, des départements et des régions aident les jeunes qui organisent eux-mêmes un
  projet de vacances ou un projet collectif : demandez à l'accueil de jeunes ou au point Info Jeunes.

## Devenir animateur : le BAFA

Le brevet d'aptitude aux fonctions d'animateur (BAFA) permet d'encadrer des enfants en accueil de loisirs
ou en séjour de vacances. La formation commence dès 16 ans et compte trois étapes : une session de
formation générale, un stage pratique, puis une session d'approfondissement ou de qualification.

La CAF verse une **aide nationale au BAFA**, sans condition de ressources, à ceux qui s'inscrivent à la
dernière session : la demande se fait auprès de votre CAF, dans les mois qui suivent l'inscription. Son
montant et les démarches sont sur caf.fr. Des CAF, des communes, des départements et des régions ajoutent
leurs propres aides.

## Les aides qui changent à l'adolescence

- Les **allocations familiales** sont majorées à partir des 14 ans de l'enfant, sauf pour l'aîné d'une
  famille de deux enfants.
- Pour l'**allocation de rentrée scolaire** d'un jeune de 16 à 18 ans, déclarez à la CAF, dans votre
  espace Mon Compte, qu'il est toujours scolarisé ou en apprentissage.
- [Les aides de la CAF selon l'âge de l'enfant](/guide/les-aides-de-la-caf-selon-l-age-de-l-enfant/)

Quand le dialogue devient difficile à la maison, la médiation familiale peut aussi aider parents et
adolescents : [Être parent : se faire aider, y compris après une séparation](/guide/etre-parent-se-faire-aider/)
""",
        "sources": """- Caisse nationale des allocations familiales, « À quoi servent les points accueil et écoute jeunes (Paej) ? » : <https://www.caf.fr/allocataires/vies-de-famille/articles/quoi-servent-les-points-accueil-et-ecoute-jeunes-paej>
- Ministère des Solidarités, points accueil et écoute jeunes : <https://solidarites.gouv.fr/points-accueil-et-ecoute-jeunes-paej>
- Promeneurs du Net : <https://www.promeneursdunet.fr>
- Ministère chargé de la jeunesse, jeunes.gouv.fr (BAFA, séjours de vacances) : <https://www.jeunes.gouv.fr>
- Fil Santé Jeunes : <https://www.filsantejeunes.com>
- Caisse nationale des allocations familiales, caf.fr : <https://www.caf.fr>""",
    },
    {
        "slug": "les-aides-de-la-caf-selon-l-age-de-l-enfant", "ordre": 9, "rubriques": "",
        "revue_le": date(2026, 12, 2),
        "titre": "Les aides de la CAF selon l'âge de l'enfant",
        "chapo": "De la grossesse aux 20 ans de l'enfant : les prestations de la CAF, à quel moment les demander, "
                 "et où vérifier leurs montants.",
        "corps": """## Avant tout : les montants changent chaque année

Les montants des prestations familiales sont revalorisés chaque année, en général au 1er avril, et les
plafonds de ressources changent au 1er janvier. Cette page ne les recopie donc pas : pour connaître vos
droits et les montants du moment, faites une simulation sur caf.fr ou sur mesdroitssociaux.gouv.fr, et
déclarez vite tout changement de situation dans votre espace Mon Compte.

## Pendant la grossesse

- **Déclarez votre grossesse** dans les 14 premières semaines, à l'Assurance Maladie et à la CAF : le
  médecin ou la sage-femme le fait souvent en ligne lors du premier examen prénatal.
- **La prime à la naissance**, sous conditions de ressources, est versée en une fois, au cours du 7e mois
  de grossesse. Une prime à l'adoption existe aussi.

## De la naissance aux 3 ans

- **L'allocation de base** de la prestation d'accueil du jeune enfant (Paje) aide, sous conditions de
  ressources, à faire face aux dépenses d'entretien de l'enfant, chaque mois jusqu'à ses 3 ans.
- **La prestation partagée d'éducation de l'enfant** (PreParE) est versée au parent qui cesse ou réduit son
  activité professionnelle pour s'occuper de son enfant de moins de 3 ans, sans condition de ressources
  mais à condition d'avoir assez travaillé avant. Sa durée dépend du nombre d'enfants et se partage
  entre les parents : pour un premier enfant, elle s'arrête au premier anniversaire.
- **Le complément de libre choix du mode de garde** (CMG) prend en charge une partie du coût d'un assistant
  maternel, d'une garde à domicile ou d'une micro-crèche qui fixe elle-même ses tarifs, jusqu'aux 6 ans de
  l'enfant. Il dépend de vos ressources, du nombre d'enfants et des heures d'accueil. En crèche financée
  par la CAF, il n'y a pas de CMG : vous payez selon un barème national.
  [Estimer votre participation avec le simulateur](/simulateur/)

Les congés des parents autour de la naissance, dont le congé supplémentaire de naissance pour un enfant né
ou adopté depuis le 1er janvier 2026, sont présentés dans [Devenir parent](/guide/devenir-parent/).

## À partir de deux enfants

- **Les allocations familiales** sont versées dès le deuxième enfant à charge de moins de 20 ans. Leur
  montant dépend de vos ressources et du nombre d'enfants ; il est majoré à partir des 14 ans d'un enfant,
  sauf pour l'aîné d'une famille de deux enfants. Quand un enfant atteint 20 ans dans une famille d'au moins
  trois enfants, une allocation forfaitaire peut prendre le relais pendant un an.
- **Le complément familial** aide, sous conditions de ressources, les familles d'au moins trois enfants
  âgés de 3 ans ou plus.

## À l'école, de 6 à 18 ans

- **L'allocation de rentrée scolaire** (ARS) est versée à la fin de l'été, sous conditions de ressources,
  pour chaque enfant de 6 à 18 ans scolarisé ou en apprentissage ; son montant dépend de l'âge. Pour un
  jeune de 16 à 18 ans, déclarez dans votre espace Mon Compte qu'il poursuit sa scolarité.
- **Le CMG jusqu'à 12 ans** : si vous élevez seul votre enfant et employez vous-même un assistant maternel
  ou une garde à domicile, le CMG continue jusqu'à ses 12 ans.

## Quand vous élevez seul votre enfant

**L'allocation de soutien familial** (ASF) est versée, sans condition de ressources, au parent qui élève
seul son enfant quand l'autre parent ne verse pas de pension alimentaire ou en verse une trop faible ;
elle aide aussi la personne qui élève un enfant privé de l'un de ses parents ou des deux. La CAF peut aussi
verser et, si besoin, récupérer la pension alimentaire à votre place : voir
[Être parent : se faire aider, y compris après une séparation](/guide/etre-parent-se-faire-aider/).

## Si votre enfant est handicapé ou gravement malade

L'allocation d'éducation de l'enfant handicapé (AEEH) et l'allocation journalière de présence parentale
(AJPP) sont versées par la CAF : voir [Le handicap de l'enfant, à tout âge](/guide/le-handicap-de-l-enfant-a-tout-age/).

## Jusqu'à 20 ans, et après

Un enfant reste à votre charge pour la plupart des prestations familiales jusqu'à ses 20 ans (21 ans pour
certaines, comme le complément familial), tant qu'il ne gagne pas plus de 55 % du Smic. Un jeune peut aussi demander des aides à son nom : une aide au logement dès
qu'il paie un loyer, ou la prime d'activité s'il travaille, dès 18 ans. Simulez avant de faire la demande.
""",
        "sources": f"""- Caisse nationale des allocations familiales, caf.fr (prestations, simulations, Mon Compte) : <https://www.caf.fr>
- Service-Public.fr, prime à la naissance ou à l'adoption : <{SERVICE_PUBLIC}F2550>
- Service-Public.fr, prestation partagée d'éducation de l'enfant (PreParE) : <{SERVICE_PUBLIC}F32485>
- Service-Public.fr, allocations familiales : <{SERVICE_PUBLIC}F13213>
- Service-Public.fr, allocation de rentrée scolaire : <{SERVICE_PUBLIC}F1878>
- Pajemploi (Urssaf), le complément de libre choix du mode de garde : <https://www.pajemploi.urssaf.fr>
- Mes droits sociaux, le simulateur de l'État : <https://www.mesdroitssociaux.gouv.fr>""",
    },
    {
        "slug": "etre-parent-se-faire-aider", "ordre": 10, "rubriques": "", "revue_le": date(2026, 12, 2),
        "titre": "Être parent : se faire aider, y compris après une séparation",
        "chapo": "Lieux d'accueil enfants-parents, groupes de parents, aide à domicile, médiation familiale, "
                 "pension alimentaire : des services pour chaque moment de la vie de famille.",
        "corps": """## Rencontrer d'autres parents

- **Les lieux d'accueil enfants-parents** (LAEP) accueillent les enfants de moins de 6 ans avec leur parent
  ou un adulte proche, et les futurs parents, pour jouer et parler avec d'autres familles et des
  accueillants. L'accueil est libre, sans inscription, anonyme et gratuit ou presque.
  [Voir les LAEP près de chez vous](/recherche/?rubrique=LAEP)
- **Les actions de soutien à la parentalité** : groupes de parole, ateliers parents-enfants, cafés des
  parents, conférences. Associations, centres sociaux et communes les organisent, souvent au sein des
  réseaux d'écoute, d'appui et d'accompagnement des parents (REAAP), avec le soutien de la CAF. Votre
  CAF, votre mairie ou le centre social connaissent les rendez-vous près de chez vous.
- **L'accompagnement à la scolarité** (CLAS) aide les enfants à apprendre en dehors de la classe, en
  associant leurs parents.

Par téléphone : **Allô Parents Bébé**, 0 800 00 3 4 5 6, appel gratuit, pour les questions des parents
de jeunes enfants.

## Une aide à la maison dans les moments difficiles

Pendant une grossesse difficile, après une naissance, lors d'une séparation, d'une maladie ou d'un décès,
la CAF peut financer la venue à domicile d'un professionnel de l'aide aux familles (technicien de
l'intervention sociale et familiale, accompagnant éducatif et social). Vous payez une participation
selon vos ressources. Demandez à votre CAF ou à une association d'aide à domicile.

## Quand les parents se séparent

### Être informé et accompagné

Déclarez la séparation dans votre espace Mon Compte sur caf.fr : vos droits sont recalculés. Beaucoup de
CAF proposent une rencontre avec un travailleur social et des réunions d'information gratuites, « Parents
après la séparation », avec un juriste et un médiateur familial.

### La médiation familiale

Un médiateur familial, diplômé d'État, aide les parents à reprendre le dialogue et à trouver ensemble
des accords : la résidence des enfants, les temps passés avec chaque parent, la contribution à leur
entretien. Il est neutre, impartial et tenu à la confidentialité. Le premier entretien d'information est
gratuit ; dans les services financés par la CAF, chaque séance coûte ensuite selon vos ressources, d'après
un barème national. La médiation aide aussi lors d'un conflit avec un adolescent ou entre grands-parents
et parents.

### Les espaces de rencontre

Quand les rencontres entre un enfant et l'un de ses parents sont difficiles, un espace de rencontre offre
un lieu neutre, avec des professionnels, pour garder le lien.

### La pension alimentaire : la CAF peut servir d'intermédiaire

Quand une pension alimentaire est fixée par une décision de justice ou par un autre titre exécutoire
(convention de divorce, accord homologué, acte notarié), son versement passe en principe par la CAF : le
parent qui la doit la verse chaque mois à l'agence de recouvrement et d'intermédiation des pensions
alimentaires (Aripa), qui la reverse à l'autre parent. En cas d'impayé, l'Aripa relance puis récupère les
sommes dues ; pendant ce temps, le parent qui élève seul l'enfant peut recevoir l'allocation de soutien
familial. Des parents non mariés qui s'accordent sur la pension peuvent aussi demander à la CAF de rendre
leur accord exécutoire.

Démarches et simulation sur [le site de l'Aripa, pension-alimentaire.caf.fr](https://www.pension-alimentaire.caf.fr)

### En cas de violences

Appelez le **3919** (violences faites aux femmes, gratuit et anonyme) et, si un enfant est en danger, le
**119**, à toute heure. En cas d'urgence, appelez le **17**.
""",
        "sources": """- Caisse nationale des allocations familiales, caf.fr (parentalité, séparation, aide à domicile) : <https://www.caf.fr>
- Agence de recouvrement et d'intermédiation des pensions alimentaires (Aripa) : <https://www.pension-alimentaire.caf.fr>
- Service-Public.fr, rubrique Famille : <https://www.service-public.fr/particuliers/vosdroits/N19806>
- Les 1000 premiers jours : <https://www.1000-premiers-jours.fr>
- monenfant.fr, le site de la branche Famille : <https://monenfant.fr>""",
    },
    {
        "slug": "le-handicap-de-l-enfant-a-tout-age", "ordre": 11, "rubriques": "", "revue_le": date(2026, 12, 2),
        "titre": "Le handicap de l'enfant, à tout âge",
        "chapo": "MDPH, allocations, présence parentale, accueil en crèche, à l'école et en accueil de loisirs : "
                 "les démarches et les aides, de la naissance à l'âge adulte.",
        "corps": """## La MDPH, porte d'entrée des démarches

La maison départementale des personnes handicapées (MDPH) de votre département vous informe, évalue les
besoins de votre enfant et de votre famille, et ouvre ses droits : allocation d'éducation de l'enfant
handicapé, prestation de compensation du handicap, accompagnement à l'école, orientation vers un
établissement ou un service spécialisé, carte mobilité inclusion. La décision revient à la commission des
droits et de l'autonomie des personnes handicapées (CDAPH).

Un même formulaire sert à toutes les demandes, avec un certificat médical récent ; beaucoup de MDPH le
reçoivent en ligne. Les délais se comptent souvent en mois : faites la demande tôt.

## Repérer et accompagner tôt

Le médecin de votre enfant et la protection maternelle et infantile (PMI) sont les premiers
interlocuteurs. Les centres d'action médico-sociale précoce (CAMSP) suivent les enfants de moins de 6 ans.
Si un trouble du neurodéveloppement est suspecté chez un enfant de moins de 12 ans (autisme, troubles
« dys », trouble de l'attention…), le médecin peut l'adresser à une plateforme de coordination et
d'orientation : des bilans et des séances avec des professionnels peuvent alors être pris en charge, sans
attendre le diagnostic.

## Les aides financières

- **L'allocation d'éducation de l'enfant handicapé** (AEEH) aide à faire face aux frais d'éducation et de
  soins d'un enfant de moins de 20 ans. Elle est attribuée par la MDPH et versée par la CAF, sans condition
  de ressources. Un complément s'y ajoute selon les dépenses, le recours à une tierce personne ou la
  réduction d'activité d'un parent.
- **La prestation de compensation du handicap** (PCH), versée par le département, peut remplacer le
  complément de l'AEEH : aide humaine, aides techniques, aménagement du logement ou du véhicule. La MDPH
  vous aide à choisir.
- **L'allocation journalière de présence parentale** (AJPP), versée par la CAF, indemnise les journées où
  un parent s'arrête de travailler pour rester auprès de son enfant de moins de 20 ans gravement malade,
  handicapé ou accidenté : jusqu'à 310 jours sur une période de trois ans, avec un congé de présence
  parentale demandé à l'employeur.
- **En crèche** financée par la CAF, un enfant bénéficiaire de l'AEEH fait baisser votre participation,
  comme s'il y avait un enfant de plus à charge.

Pour trouver une solution près de chez vous, la **Communauté 360** répond au 0 800 360 360 (appel gratuit).

## L'accueil de votre enfant, à chaque âge

- **En crèche et chez un assistant maternel** : tous les modes d'accueil peuvent accueillir votre enfant.
  Un projet d'accueil se prépare avec le médecin et la PMI. La CAF verse aux crèches qu'elle finance un
  **bonus « inclusion handicap »** quand elles accueillent des enfants bénéficiaires de l'AEEH, pour
  renforcer l'équipe, la former ou s'équiper.
  [Chercher un mode d'accueil qui accueille les enfants en situation de handicap](/recherche/?accueil_handicap=1)
- **À l'école** : chaque enfant peut être inscrit dans l'école de son quartier. Le projet personnalisé de
  scolarisation (PPS), décidé avec la MDPH, prévoit les aménagements, le matériel adapté ou un
  accompagnant (AESH). La cellule Aide Handicap École répond aux familles au 0 800 730 123 (appel gratuit).
- **Au périscolaire, le mercredi et pendant les vacances** : les accueils de loisirs sont ouverts à tous les
  enfants. Depuis 2024, la CAF verse aux accueils de loisirs qu'elle finance un complément pour chaque heure
  d'accueil d'un enfant ou d'un adolescent bénéficiaire de l'AEEH, pour adapter l'encadrement.
- **Les pôles ressources handicap**, soutenus par les CAF dans de nombreux départements, aident les
  familles à trouver un accueil (crèche, loisirs, vacances) et accompagnent les professionnels qui
  accueillent leur enfant. Votre CAF ou votre relais petite enfance vous indiquent le plus proche.
- **En vacances** : certaines CAF augmentent leur aide aux vacances pour un enfant en situation de handicap.

## Vers l'âge adulte

L'AEEH s'arrête aux 20 ans. L'allocation aux adultes handicapés (AAH) peut prendre le relais, dès 20 ans,
ou dès 16 ans pour un jeune qui n'est plus à la charge de ses parents. La demande se fait aussi à la MDPH :
préparez-la plusieurs mois à l'avance, en même temps que l'orientation vers la formation, l'emploi ou un
lieu de vie.

Voir aussi [Accueillir un enfant en situation de handicap](/guide/accueillir-un-enfant-en-situation-de-handicap/).
""",
        "sources": f"""- Mon parcours handicap, le site public d'information : <https://www.monparcourshandicap.gouv.fr>
- Service-Public.fr, allocation d'éducation de l'enfant handicapé (AEEH) : <{SERVICE_PUBLIC}F14809>
- Service-Public.fr, prestation de compensation du handicap (PCH) : <{SERVICE_PUBLIC}F14202>
- Service-Public.fr, allocation journalière de présence parentale (AJPP) : <{SERVICE_PUBLIC}F15132>
- Caisse nationale des allocations familiales, caf.fr (bonus inclusion handicap, accueils de loisirs) : <https://www.caf.fr>
- MDPH en ligne (Caisse nationale de solidarité pour l'autonomie) : <https://mdphenligne.cnsa.fr>""",
    },
]


def seed_pages(apps, using: str = "default", slugs=None) -> None:
    """Creates the pages that are not there yet, found by their address, with the fields the model has at
    this point of the migrations. An existing page is left as it is: running it twice changes nothing."""
    from structures.text import normalize

    PageGuide = apps.get_model("guide", "PageGuide")  # noqa: N806
    known = {field.name for field in PageGuide._meta.concrete_fields}
    for page in PAGES:
        if slugs is not None and page["slug"] not in slugs:
            continue
        fields = {"sources": SOURCES_COMMUNES, "statut": "publiee", **page}
        fields["texte_normalise"] = normalize(f"{fields['titre']} {fields['chapo']} {fields['corps']}")
        PageGuide.objects.using(using).get_or_create(slug=page["slug"], defaults={k: v for k, v in fields.items() if k in known})
