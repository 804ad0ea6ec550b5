"""The guide's first pages, written for this project; CNAF editors take them over in the back office.

Sources are named with the site where a parent can check them; facts are kept to what those sites
state in general terms (amounts and thresholds change: the pages send to the simulator and to caf.fr)."""

SOURCES_COMMUNES = """- Caisse nationale des allocations familiales, caf.fr : <https://www.caf.fr>
- Service-Public.fr, rubrique Famille : <https://www.service-public.fr/particuliers/vosdroits/N19806>
- monenfant.fr, le site de la branche Famille : <https://monenfant.fr>"""

PAGES = [
    {
        "slug": "devenir-parent", "ordre": 1, "rubriques": "",
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
        "slug": "les-aides-et-le-cout", "ordre": 3, "rubriques": "",
        "titre": "Les aides et le coût de l'accueil",
        "chapo": "Barème des crèches, complément de libre choix du mode de garde, crédit d'impôt : ce qui réduit la dépense.",
        "corps": """## En crèche financée par la PSU

Vous payez à l'heure, selon un taux d'effort appliqué à vos ressources, qui baisse avec le nombre
d'enfants à charge. Le tarif comprend les repas et les couches. [Estimer votre participation](/simulateur/)

## Avec un assistant maternel, une garde à domicile ou une micro-crèche hors PSU

La CAF verse le **complément de libre choix du mode de garde** (CMG), selon vos ressources, le nombre
d'enfants et le mode d'accueil, pour un enfant de moins de 6 ans.

## Le crédit d'impôt

Les frais de garde d'un enfant de moins de 6 ans hors du domicile (crèche, assistant maternel)
ouvrent droit à un crédit d'impôt de 50 % des sommes restées à votre charge, dans la limite d'un
plafond annuel par enfant. La garde à domicile relève d'un autre crédit d'impôt.

Le [simulateur](/simulateur/) compare ces situations pour votre famille.
""",
    },
    {
        "slug": "accueillir-un-enfant-en-situation-de-handicap", "ordre": 4, "rubriques": "",
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
        "slug": "parents-en-recherche-d-emploi", "ordre": 5, "rubriques": "",
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
        "slug": "elever-son-enfant", "ordre": 6, "rubriques": "",
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
